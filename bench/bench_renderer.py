#!/usr/bin/env python
"""Throughput of the procedural performer renderer (zizi.data) on ONE thread.

    python bench/bench_renderer.py            # writes bench/results/renderer.json

For 64x64 and 128x128: `render_performer` one image at a time, and `render_performers` on batches.
Poses come from `zizi.pose.sample_poses` (seeded) with random attributes. Each setting is repeated and the
median is reported, both as CPU time of this process (robust to other processes sharing the machine) and as
wall-clock time.
"""
import os, statistics, sys, time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
import numpy as np
import torch

from _common import machine_info, write_result
from zizi.renderer import render_performer, render_performers, sample_attrs
from zizi.choreography import sample_poses

ROOT = Path(__file__).resolve().parent.parent


def time_it(fn, n_images: int, repeats: int) -> tuple[float, float]:
    fn()                                                      # warm-up
    cpu, wall = [], []
    for _ in range(repeats):
        c0, w0 = time.process_time(), time.perf_counter()
        fn()
        cpu.append(time.process_time() - c0); wall.append(time.perf_counter() - w0)
    return n_images / statistics.median(cpu), n_images / statistics.median(wall)


def main(repeats: int = 5) -> dict:
    torch.set_num_threads(1)
    rng = np.random.default_rng(0)
    poses = sample_poses(rng, 512)
    attrs = np.stack([list(sample_attrs(rng).values()) for _ in range(512)])
    results = []
    for size in (64, 128):
        n_single = 64 if size == 64 else 32
        def single(): [render_performer(poses[i], attrs[i], size) for i in range(n_single)]
        cpu, wall = time_it(single, n_single, repeats)
        results.append(dict(size=size, batch=1, images=n_single, images_per_s_cpu=round(cpu), images_per_s_wall=round(wall)))
        for batch in (32, 256):
            n = 512 if size == 64 else 256
            def batched(): [render_performers(poses[s:s + batch], attrs[s:s + batch], size) for s in range(0, n, batch)]
            cpu, wall = time_it(batched, n, repeats)
            results.append(dict(size=size, batch=batch, images=n, images_per_s_cpu=round(cpu), images_per_s_wall=round(wall)))
        for r in results[-3:]: print(r, flush=True)
    out = {"command": "python bench/bench_renderer.py", "repeats": repeats, "statistic": "median",
           "machine": machine_info(), "results": results}
    write_result("renderer", out)
    return out


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
