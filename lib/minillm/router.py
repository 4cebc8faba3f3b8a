"""Week 10: an adapter router: pick which LoRA adapter (weeks 06/07) serves a prompt, and switch to it.

Each adapter is described by example prompts' embeddings (minillm.retrieval.embed); its centroid is the
mean of their L2-normalised rows. A prompt goes to the adapter whose centroid is most cosine-similar to its
embedding (ties to the adapter named first). Serving loads the chosen adapter into the one shared model
with minillm.lora.load_adapter, only when it differs from the one loaded; each switch's wall time is kept
in `switch_seconds` (measured, never asserted on).
"""

import time

import torch
import torch.nn.functional as F

from minillm.lora import load_adapter
from minillm.retrieval import cosine_top_k


class AdapterRouter:
    """adapters: {name: adapter_state_dict}; examples: {name: (n, C) embeddings of that adapter's prompts}."""

    def __init__(self, adapters: dict[str, dict], examples: dict[str, torch.Tensor]):
        if not adapters:
            raise ValueError("adapters is empty: the router needs at least one adapter")
        if set(adapters) != set(examples):
            raise ValueError(f"adapters {sorted(adapters)} and examples {sorted(examples)} name different adapters")
        empty = [name for name, e in examples.items() if e.dim() != 2 or len(e) == 0]
        if empty:
            raise ValueError(f"examples for {empty[0]!r} must be a non-empty (n, C) tensor")
        self.names = list(adapters)
        self.adapters = adapters
        self.centroids = torch.stack([F.normalize(examples[n], dim=-1).mean(dim=0) for n in self.names])
        self.loaded = None
        self.switch_seconds = []

    def route(self, embeddings: torch.Tensor) -> list[str]:
        """(Q, C) prompt embeddings -> the adapter name for each prompt."""
        _, ids = cosine_top_k(embeddings, self.centroids, 1)
        return [self.names[i] for i in ids[:, 0].tolist()]

    def serve(self, model, name: str) -> bool:
        """Make `name` the loaded adapter of model; True if that took a switch, False if it was loaded."""
        if name not in self.adapters:
            raise KeyError(f"unknown adapter {name!r} (adapters: {', '.join(self.names)})")
        if name == self.loaded:
            return False
        start = time.perf_counter()
        load_adapter(model, self.adapters[name])
        self.switch_seconds.append(time.perf_counter() - start)
        self.loaded = name
        return True
