#!/usr/bin/env python
"""Torch threads when processes share the cores: one pose64 UNet call, alone and beside a second process.

    python bench/bench_threads.py

`nbdev_test` runs one notebook per core in parallel. Each worker process is a full torch process with, by
default, as many threads as the machine has cores — so on 2 cores two workers run 4 threads, and a thread that
waits at the end of every parallel region for a partner that has lost its core spins. This script times the same
call (pose64's UNet, batch 1 and batch 16) in four settings — one process with 1 or 2 threads, two processes at once
with 1 or 2 threads each — and reports the median milliseconds per call and the calls per second of the whole machine.
It is why `zizi.core` gives each notebook one thread under `nbdev_test` (which sets IN_TEST).
"""
import argparse, json, os, statistics, subprocess, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def worker(threads: int, batch: int, calls: int) -> dict:
    "Time `calls` UNet calls of pose64 at `batch` with `threads` torch threads (run in a child process)."
    import numpy as np
    import torch
    torch.set_num_threads(threads)
    from zizi.choreography import sample_poses
    from zizi.pipeline import PosePipeline
    model = PosePipeline.from_pretrained("pose64", device="cpu").model
    poses = torch.from_numpy(sample_poses(np.random.default_rng(0), batch))
    x, t = torch.randn(batch, 3, 64, 64), torch.full((batch,), 500)
    with torch.no_grad():
        enc = model.encode(poses, None, None, (64, 64))
        for _ in range(3): model.unet(x, t, **enc)
        times = []
        for _ in range(calls):
            t0 = time.perf_counter(); model.unet(x, t, **enc); times.append(time.perf_counter() - t0)
    return {"median_ms": 1e3 * statistics.median(times), "seconds": sum(times)}


def run(processes: int, threads: int, batch: int, calls: int) -> dict:
    "Start `processes` workers at once; return their median ms per call and the machine's calls per second."
    cmd = [sys.executable, __file__, "--worker", str(threads), "--batch", str(batch), "--calls", str(calls)]
    env = {**os.environ, "OMP_NUM_THREADS": str(threads)}
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env=env) for _ in range(processes)]
    outs = [json.loads(p.communicate()[0].strip().splitlines()[-1]) for p in procs]
    ms = statistics.median(o["median_ms"] for o in outs)
    return {"processes": processes, "threads_each": threads, "batch": batch, "median_ms": round(ms, 1),
            "calls_per_s_machine": round(sum(calls / o["seconds"] for o in outs), 2)}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    p.add_argument("--batch", type=int, default=1)
    p.add_argument("--calls", type=int, default=20)
    args = p.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.batch, args.calls))); return
    from _common import machine_info, write_result
    rows = []
    for batch, calls in ((1, 40), (16, 8)):
        base = None
        for processes, threads in ((1, 1), (1, 2), (2, 1), (2, 2)):
            r = run(processes, threads, batch, calls)
            base = base or r["calls_per_s_machine"]
            r["machine_throughput_vs_1x1"] = round(r["calls_per_s_machine"] / base, 2)
            rows.append(r); print(r, flush=True)
    write_result("threads", {"command": "python bench/bench_threads.py", "machine": machine_info(), "results": rows})


if __name__ == "__main__":
    main()
