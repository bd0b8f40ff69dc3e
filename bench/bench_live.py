#!/usr/bin/env python
"""Latency of the live pose studio (zizi.live): one slider change -> pose -> generated image, per model/steps/guidance.

    OMP_NUM_THREADS=1 python bench/bench_live.py            # writes bench/results/live.json

For every shipped pose model (data/pretrained/pose32, and pose64 when it exists) and every (steps, guidance) setting,
the same sequence of `--changes` studio updates is timed: each update moves the controls a little along a
choreography through the preset poses (as a performer dragging sliders would) and calls `studio_frame` (dpmpp_2m).
Reported per setting: the median and 90th-percentile wall-clock latency, the median CPU time of this process (robust
to other processes sharing the machine) and frames/s = 1 / median wall latency. Guidance != 1 doubles the batch
(conditional + unconditional), guidance = 1 runs one batch. A second table times a dance: `dance_frames` for
`--dance-frames` poses in batches vs one frame at a time, at the studio's default steps and guidance.
Benchmarks are not tests: on a shared 2-core CPU the wall-clock numbers move with the load (see loadavg).
"""
import argparse, os, statistics, sys, time

os.environ.setdefault("OMP_NUM_THREADS", "1")
import numpy as np
import torch

from _common import machine_info, write_result
from zizi.live import (DEFAULT_GUIDANCE, STUDIO_STEPS, PRESET_POSES, dance_frames, interpolate_controls,
                       load_pipeline, studio_frame)
from zizi.pipeline import shipped_pose_models
from zizi.choreography import dance_sequence


def changes(n: int) -> list:
    "`n` consecutive slider positions: a walk through the preset poses, n evenly spaced stops."
    names = list(PRESET_POSES)
    out = []
    for i in range(n):
        u = i * len(names) / n
        a, b = PRESET_POSES[names[int(u) % len(names)]], PRESET_POSES[names[(int(u) + 1) % len(names)]]
        out.append(interpolate_controls(a, b, u - int(u)))
    return out


def time_changes(pipe, steps: int, guidance: float, n: int) -> dict:
    ctl = changes(n)
    studio_frame(pipe, ctl[0], seed=0, steps=steps, guidance=guidance)          # warm-up
    wall, cpu = [], []
    for i, c in enumerate(ctl):
        c0, w0 = time.process_time(), time.perf_counter()
        studio_frame(pipe, c, seed=0, steps=steps, guidance=guidance)
        cpu.append(time.process_time() - c0); wall.append(time.perf_counter() - w0)
    med = statistics.median(wall)
    return dict(steps=steps, guidance=guidance, batch=2 if guidance != 1 else 1, changes=n,
                median_ms=round(1e3 * med, 1), p90_ms=round(1e3 * float(np.percentile(wall, 90)), 1),
                median_cpu_ms=round(1e3 * statistics.median(cpu), 1), fps=round(1 / med, 2))


def time_dance(pipe, n_frames: int) -> list:
    poses = dance_sequence(n_frames, seed=0)
    rows = []
    for label, bs in (("batched", 16), ("frame by frame", 1)):
        dance_frames(pipe, poses[:2], seed=0, batch_size=bs)                     # warm-up
        w0, c0 = time.perf_counter(), time.process_time()
        dance_frames(pipe, poses, seed=0, batch_size=bs)
        wall, cpu = time.perf_counter() - w0, time.process_time() - c0
        rows.append(dict(mode=label, batch_size=bs, frames=n_frames, steps=STUDIO_STEPS, guidance=DEFAULT_GUIDANCE,
                         seconds=round(wall, 2), cpu_seconds=round(cpu, 2), frames_per_s=round(n_frames / wall, 2)))
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--models", nargs="+", default=None, help="shipped model names or paths (default: every shipped pose model)")
    ap.add_argument("--steps", type=int, nargs="+", default=sorted({4, 8, 15, 20, STUDIO_STEPS}))
    ap.add_argument("--guidance", type=float, nargs="+", default=[1.0, DEFAULT_GUIDANCE])
    ap.add_argument("--changes", type=int, default=20)
    ap.add_argument("--dance-frames", type=int, default=24)
    ap.add_argument("--threads", type=int, default=None)
    args = ap.parse_args()
    if args.threads: torch.set_num_threads(args.threads)
    models = args.models or shipped_pose_models()
    results, dance = [], []
    for name in models:
        pipe = load_pipeline(name, device="cpu")
        size = pipe.config.size
        for steps in args.steps:
            for g in args.guidance:
                row = dict(model=str(name), size=size, **time_changes(pipe, steps, g, args.changes))
                results.append(row)
                print(f"{name} {size}x{size}  steps {steps:2d}  guidance {g:4.2f} (batch {row['batch']}): "
                      f"median {row['median_ms']:7.1f} ms  p90 {row['p90_ms']:7.1f} ms  cpu {row['median_cpu_ms']:7.1f} ms  "
                      f"= {row['fps']:5.2f} frames/s", flush=True)
        for row in time_dance(pipe, args.dance_frames):
            dance.append(dict(model=str(name), size=size, **row))
            print(f"{name} dance {row['mode']:15s}: {row['frames']} frames in {row['seconds']:.2f} s "
                  f"= {row['frames_per_s']:.2f} frames/s", flush=True)
    command = "OMP_NUM_THREADS=1 python bench/bench_live.py" + (" " + " ".join(sys.argv[1:]) if sys.argv[1:] else "")
    out = dict(command=command, sampler="dpmpp_2m", statistic=f"median over {args.changes} slider changes",
               default_steps=STUDIO_STEPS, default_guidance=DEFAULT_GUIDANCE, models=models,
               missing=[m for m in ("pose64",) if m not in models], machine=machine_info(), results=results, dance=dance)
    write_result("live", out)
    return out


if __name__ == "__main__":
    main()
