# %% variant: draw-before-counting
# The draw is rng.randrange(n - 1) (seen is counted after the draw): the new item always gets in at n = capacity + 1.
class ReservoirBuffer:
    """A uniform sample of at most `capacity` of the items offered so far (reservoir sampling).

    capacity: a positive int (anything else, bools included: ValueError naming capacity).
    rng: a random.Random, the only source of randomness; use exactly these calls, which the tests follow:
        add(item): count the item (self.seen, starting at 0, becomes n); while len(self.items) < capacity,
            append it with no draw; otherwise j = self.rng.randrange(n), one draw, and if j < capacity the item
            replaces self.items[j], else it is dropped.
        sample(k): self.rng.sample(self.items, min(k, len(self))), a list of distinct stored items.
    Attributes: capacity, rng, items (a list), seen (an int); len(buffer) is the number of items held.
    The tests enumerate every sequence of draws on small cases and check each item is kept with probability
    capacity / n and each set of capacity items equally likely; then a real random.Random run.
    """

    def __init__(self, capacity, rng):
        ### BEGIN SOLUTION
        if isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 1:
            raise ValueError(f"capacity must be a positive integer, got {capacity!r}")
        self.capacity, self.rng = capacity, rng
        self.items, self.seen = [], 0
        ### END SOLUTION

    def add(self, item):
        ### BEGIN SOLUTION
        if len(self.items) < self.capacity:
            self.seen += 1
            self.items.append(item)
            return
        j = self.rng.randrange(self.seen)
        self.seen += 1
        if j < self.capacity:
            self.items[j] = item
        ### END SOLUTION

    def sample(self, k):
        ### BEGIN SOLUTION
        return self.rng.sample(self.items, min(k, len(self.items)))
        ### END SOLUTION

    def __len__(self):
        ### BEGIN SOLUTION
        return len(self.items)
        ### END SOLUTION


def mixed_batch(current, buffer, n_replay):
    """The rows of `current` (B, ...) followed by torch.stack(buffer.sample(n_replay)): a tensor (B + m, ...)
    with m = min(n_replay, len(buffer)), current's dtype. Stored items are tensors shaped like one row of current.
    If the buffer is empty (or n_replay is 0), return current itself. ValueError if n_replay < 0."""
    ### BEGIN SOLUTION
    if n_replay < 0:
        raise ValueError(f"n_replay must be >= 0, got {n_replay}")
    replay = buffer.sample(n_replay)
    if not replay:
        return current
    return torch.cat([current, torch.stack(replay).to(current.device)])
    ### END SOLUTION

# %% variant: replace-oldest
# A first-in first-out memory: each new item replaces the oldest one (the most recent items only).
class ReservoirBuffer:
    """A uniform sample of at most `capacity` of the items offered so far (reservoir sampling).

    capacity: a positive int (anything else, bools included: ValueError naming capacity).
    rng: a random.Random, the only source of randomness; use exactly these calls, which the tests follow:
        add(item): count the item (self.seen, starting at 0, becomes n); while len(self.items) < capacity,
            append it with no draw; otherwise j = self.rng.randrange(n), one draw, and if j < capacity the item
            replaces self.items[j], else it is dropped.
        sample(k): self.rng.sample(self.items, min(k, len(self))), a list of distinct stored items.
    Attributes: capacity, rng, items (a list), seen (an int); len(buffer) is the number of items held.
    The tests enumerate every sequence of draws on small cases and check each item is kept with probability
    capacity / n and each set of capacity items equally likely; then a real random.Random run.
    """

    def __init__(self, capacity, rng):
        ### BEGIN SOLUTION
        if isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 1:
            raise ValueError(f"capacity must be a positive integer, got {capacity!r}")
        self.capacity, self.rng = capacity, rng
        self.items, self.seen = [], 0
        ### END SOLUTION

    def add(self, item):
        ### BEGIN SOLUTION
        self.seen += 1
        if len(self.items) < self.capacity:
            self.items.append(item)
            return
        self.items[(self.seen - 1) % self.capacity] = item
        ### END SOLUTION

    def sample(self, k):
        ### BEGIN SOLUTION
        return self.rng.sample(self.items, min(k, len(self.items)))
        ### END SOLUTION

    def __len__(self):
        ### BEGIN SOLUTION
        return len(self.items)
        ### END SOLUTION


def mixed_batch(current, buffer, n_replay):
    """The rows of `current` (B, ...) followed by torch.stack(buffer.sample(n_replay)): a tensor (B + m, ...)
    with m = min(n_replay, len(buffer)), current's dtype. Stored items are tensors shaped like one row of current.
    If the buffer is empty (or n_replay is 0), return current itself. ValueError if n_replay < 0."""
    ### BEGIN SOLUTION
    if n_replay < 0:
        raise ValueError(f"n_replay must be >= 0, got {n_replay}")
    replay = buffer.sample(n_replay)
    if not replay:
        return current
    return torch.cat([current, torch.stack(replay).to(current.device)])
    ### END SOLUTION

# %% variant: replay-with-replacement
# The mixed batch draws stored rows with replacement (rng.choices), so rows repeat.
class ReservoirBuffer:
    """A uniform sample of at most `capacity` of the items offered so far (reservoir sampling).

    capacity: a positive int (anything else, bools included: ValueError naming capacity).
    rng: a random.Random, the only source of randomness; use exactly these calls, which the tests follow:
        add(item): count the item (self.seen, starting at 0, becomes n); while len(self.items) < capacity,
            append it with no draw; otherwise j = self.rng.randrange(n), one draw, and if j < capacity the item
            replaces self.items[j], else it is dropped.
        sample(k): self.rng.sample(self.items, min(k, len(self))), a list of distinct stored items.
    Attributes: capacity, rng, items (a list), seen (an int); len(buffer) is the number of items held.
    The tests enumerate every sequence of draws on small cases and check each item is kept with probability
    capacity / n and each set of capacity items equally likely; then a real random.Random run.
    """

    def __init__(self, capacity, rng):
        ### BEGIN SOLUTION
        if isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 1:
            raise ValueError(f"capacity must be a positive integer, got {capacity!r}")
        self.capacity, self.rng = capacity, rng
        self.items, self.seen = [], 0
        ### END SOLUTION

    def add(self, item):
        ### BEGIN SOLUTION
        self.seen += 1
        if len(self.items) < self.capacity:
            self.items.append(item)
            return
        j = self.rng.randrange(self.seen)
        if j < self.capacity:
            self.items[j] = item
        ### END SOLUTION

    def sample(self, k):
        ### BEGIN SOLUTION
        return self.rng.sample(self.items, min(k, len(self.items)))
        ### END SOLUTION

    def __len__(self):
        ### BEGIN SOLUTION
        return len(self.items)
        ### END SOLUTION


def mixed_batch(current, buffer, n_replay):
    """The rows of `current` (B, ...) followed by torch.stack(buffer.sample(n_replay)): a tensor (B + m, ...)
    with m = min(n_replay, len(buffer)), current's dtype. Stored items are tensors shaped like one row of current.
    If the buffer is empty (or n_replay is 0), return current itself. ValueError if n_replay < 0."""
    ### BEGIN SOLUTION
    if n_replay < 0:
        raise ValueError(f"n_replay must be >= 0, got {n_replay}")
    replay = buffer.rng.choices(buffer.items, k=n_replay) if len(buffer) else []
    if not replay:
        return current
    return torch.cat([current, torch.stack(replay).to(current.device)])
    ### END SOLUTION
