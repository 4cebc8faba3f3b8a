# %% variant: no-overflow-check
# Casts with astype(np.uint16) and no range check: 65536 is stored as 0 and -1 as 65535, without an error.
def write_shards(documents, folder, shard_size):
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    buffer = np.empty(shard_size, dtype=np.uint16)
    filled, paths = 0, []
    for document in documents:
        for token in np.asarray(document).reshape(-1).astype(np.uint16):
            buffer[filled] = token
            filled += 1
            if filled == shard_size:
                paths.append(folder / f"shard_{len(paths):05d}.npy")
                np.save(paths[-1], buffer)
                filled = 0
    if filled:
        paths.append(folder / f"shard_{len(paths):05d}.npy")
        np.save(paths[-1], buffer[:filled])
    return paths


# %% variant: drops-partial-shard
# Saves a shard only when it is full: the ids of a part-filled last shard are lost.
def write_shards(documents, folder, shard_size):
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    pending, paths = [], []
    for document in documents:
        ids = np.asarray(document, dtype=np.int64).reshape(-1)
        if ids.size and (ids.min() < 0 or ids.max() > 65535):
            raise ValueError(f"token id out of range for uint16 in {ids}")
        pending.extend(ids.tolist())
        while len(pending) >= shard_size:
            paths.append(folder / f"shard_{len(paths):05d}.npy")
            np.save(paths[-1], np.array(pending[:shard_size], dtype=np.uint16))
            pending = pending[shard_size:]
    return paths


# %% variant: int64-shards
# Checks the range but saves the ids as NumPy's default int64: 8 bytes per token instead of 2.
def write_shards(documents, folder, shard_size):
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    pending, paths = [], []
    for document in documents:
        ids = np.asarray(document, dtype=np.int64).reshape(-1)
        if ids.size and (ids.min() < 0 or ids.max() > 65535):
            raise ValueError(f"token id out of range for uint16 in {ids}")
        pending.extend(ids.tolist())
        while len(pending) >= shard_size:
            paths.append(folder / f"shard_{len(paths):05d}.npy")
            np.save(paths[-1], np.array(pending[:shard_size]))
            pending = pending[shard_size:]
    if pending:
        paths.append(folder / f"shard_{len(paths):05d}.npy")
        np.save(paths[-1], np.array(pending))
    return paths


# %% variant: collects-then-writes
# Reads the whole stream into one array and only then cuts it into shards: right shards, but it holds every
# document in memory at once (a corpus larger than memory cannot be written).
def write_shards(documents, folder, shard_size):
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    ids = np.concatenate([np.asarray(d, dtype=np.int64).reshape(-1) for d in documents] + [np.zeros(0, np.int64)])
    if ids.size and (ids.min() < 0 or ids.max() > 65535):
        raise ValueError(f"token id out of range for uint16 in {ids}")
    paths = []
    for start in range(0, ids.size, shard_size):
        paths.append(folder / f"shard_{len(paths):05d}.npy")
        np.save(paths[-1], ids[start:start + shard_size].astype(np.uint16))
    return paths


# %% variant: rejects-the-largest-id
# Takes 65535 for out of range (>= instead of >): the largest id a uint16 holds is refused.
def write_shards(documents, folder, shard_size):
    """Stream tokenised documents into .npy shards of `shard_size` uint16 token ids; return their paths.

    documents: iterable of sequences of ints (lists, NumPy arrays), read once, in order. Their ids are written
        one after the other, nothing added between documents; a document may run on from one shard to the next.
    folder: str or Path, created if missing. Shards are named shard_00000.npy, shard_00001.npy, ...
    shard_size: int >= 1. Every shard holds shard_size ids except the last, which holds the rest (1 to
        shard_size ids); no empty shard is ever written (none at all for an empty stream).
    Each shard is saved with np.save from a uint16 array, so np.load(path, mmap_mode="r") maps it.
    Raises ValueError, naming the id, if an id is below 0 or above 65535 (a cast would wrap it silently).
    Holds at most one shard in memory. Returns a list of pathlib.Path, in order.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    buffer = np.empty(shard_size, dtype=np.uint16)
    filled, paths = 0, []

    def save(count):
        path = folder / f"shard_{len(paths):05d}.npy"
        np.save(path, buffer[:count])
        paths.append(path)

    for document in documents:
        ids = np.asarray(document, dtype=np.int64).reshape(-1)
        out_of_range = ids[(ids < 0) | (ids >= np.iinfo(np.uint16).max)]
        if out_of_range.size:
            raise ValueError(f"token id {out_of_range[0]} does not fit in uint16 (0..65535)")
        while ids.size:
            take = min(shard_size - filled, ids.size)
            buffer[filled:filled + take] = ids[:take]
            filled, ids = filled + take, ids[take:]
            if filled == shard_size:
                save(filled)
                filled = 0
    if filled:
        save(filled)
    return paths
