#!/usr/bin/env python
"""The live loop's budget: ms per stage and frames per second of `zizi.realtime.Performer.step` at batch 1.

    python bench/bench_realtime.py            # writes bench/results/realtime.json

For the default model (pose64) at 1, 2 and 15 sampler steps (guidance 2, the Performer's default), with 1 and 2 torch
threads, at fp32 and under bf16 autocast, one pose at a time through a smooth choreography: the median milliseconds
of every stage of a step (pose -> conditioning, network, decode, to uint8, total) and the frames per second that
total allows. Notebook 13 chose its defaults (1 thread, bf16 where native) from these numbers. A benchmark, not a test:
on a shared machine the numbers move with the load (recorded in `machine`).
"""
import argparse, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from zizi.core import autocast_dtype  # noqa: E402
from zizi.live import choreography  # noqa: E402
from zizi.pipeline import PosePipeline  # noqa: E402
from zizi.realtime import STAGES, Performer, time_steps  # noqa: E402


def measure(model: str, pipe: PosePipeline, poses: np.ndarray, steps: int, threads: int, precision: str, frames: int) -> dict:
    "One row: median ms per stage over `frames` steps (after 2 warm-up steps) and the fps of the median total."
    performer = Performer(pipe, steps=steps, threads=threads, precision=precision)
    ms = time_steps(performer, poses[:frames], warmup=2)
    return {"model": model, "steps": steps, "threads": threads, "precision": precision,
            **{f"{k}_ms": round(ms[k], 1) for k in STAGES if k != "decode" or pipe.vae is not None},
            "fps": round(1e3 / ms["total"], 2)}


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model", default="pose64")
    p.add_argument("--frames", type=int, default=12, help="timed steps per setting (a third of it at 15 steps)")
    args = p.parse_args()
    from _common import machine_info, write_result
    pipe = PosePipeline.from_pretrained(args.model, device="cpu")
    poses = choreography(["stand", "vogue", "strike a pose", "high kick", "lunge"], frames_per_move=6)
    rows, t0 = [], time.time()
    for steps in (1, 2, 15):
        for threads in (1, 2):
            for precision in ("fp32", "bf16"):
                n = args.frames if steps < 15 else max(3, args.frames // 3)
                rows.append(measure(args.model, pipe, poses, steps, threads, precision, n))
                print(rows[-1], flush=True)
    torch.set_num_threads(1)
    cmd = "python bench/bench_realtime.py" + ("" if args.model == "pose64" else f" --model {args.model}") + \
          ("" if args.frames == 12 else f" --frames {args.frames}")
    write_result("realtime", {"command": cmd, "machine": machine_info(), "autocast_default": str(autocast_dtype("cpu")),
                              "seconds": round(time.time() - t0, 1), "results": rows})
