#!/usr/bin/env python
"""DataLoader throughput of zizi.data.PerformerDataset: cached vs rendered on access, num_workers 0 and 2.

    python bench/bench_loader.py              # writes bench/results/loader.json

One epoch of `n` items at `size`x`size`, batch 64, shuffled; the main process uses one torch thread.
Reported: items/s over the epoch (including worker start-up), and for the cached dataset the one-off
construction time (sampling + batched rendering of every item). Median of `repeats` epochs.
"""
import statistics, time
from pathlib import Path

import torch

from _common import machine_info, write_result
from zizi.data import PerformerDataset

ROOT = Path(__file__).resolve().parent.parent


def epoch_rate(ds, workers: int, batch_size: int = 64) -> float:
    dl = torch.utils.data.DataLoader(ds, batch_size=batch_size, shuffle=True, num_workers=workers,
                                     generator=torch.Generator().manual_seed(0))
    t = time.perf_counter()
    n = sum(len(b["image"]) for b in dl)
    return n / (time.perf_counter() - t)


def main(n: int = 2048, size: int = 64, repeats: int = 3) -> dict:
    torch.set_num_threads(1)
    t = time.perf_counter(); cached = PerformerDataset(n, size=size, seed=0, cache=True); build_s = time.perf_counter() - t
    lazy = PerformerDataset(n, size=size, seed=0, cache=False)
    lazy.labels()                                              # sample the poses once, as the cached one did
    results = []
    for name, ds in (("cached", cached), ("uncached", lazy)):
        for workers in (0, 2):
            rates = [epoch_rate(ds, workers) for _ in range(repeats)]
            results.append(dict(dataset=name, num_workers=workers, items_per_s=round(statistics.median(rates))))
            print(results[-1], flush=True)
    out = {"command": "python bench/bench_loader.py", "n": n, "size": size, "batch_size": 64, "repeats": repeats,
           "statistic": "median", "cached_build_s": round(build_s, 2),
           "machine": machine_info(), "results": results}
    write_result("loader", out)
    return out


if __name__ == "__main__":
    main()
