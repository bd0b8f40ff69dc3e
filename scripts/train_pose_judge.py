#!/usr/bin/env python
"""Train the pose regressor behind `zizi.metrics.pose_pck` (the "judge" of notebook 07b) on renders only, measure it
on held-out renders at 64x64 and 32x32, and ship it to data/pretrained/judge_pose (about 15 minutes on one CPU thread).

    OMP_NUM_THREADS=1 python scripts/train_pose_judge.py                        # the shipped run
    OMP_NUM_THREADS=1 python scripts/train_pose_judge.py --steps 50 --out /tmp/judge_pose   # a quick try

The folder gets config.json + model.safetensors (fp16; from_pretrained upcasts to float32), history.json (losses)
and metrics.json: the exact command, seeds, data, timings and the PCK of the *shipped fp16 weights* on renders from
a seed never used in training.
"""
import argparse
import json
import os
import shlex
import sys
import time
from pathlib import Path

import numpy as np
import torch

from zizi.core import count_parameters, data_dir
from zizi.data import PerformerDataset
from zizi.judges import PoseJudge, PoseJudgeConfig, pose_loss
from zizi.metrics import pck, pck_per_joint
from zizi.judges import train_pose_judge
from zizi.pose import COCO17_NAMES

THRESHOLDS = (0.05, 0.1, 0.2)


def measure_step_seconds(batch: int = 16, reps: int = 2) -> dict:
    "Seconds per training step (forward + backward) of a fresh regressor, float32 vs bf16 autocast on the CPU."
    torch.manual_seed(0)
    x = torch.rand(batch, 3, 64, 64).mul(2).sub(1).contiguous(memory_format=torch.channels_last)
    y = torch.from_numpy(PerformerDataset(batch, 64, seed=99).labels()[0])
    out = {"batch": batch}
    for name, bf16 in (("float32", False), ("bf16", True)):
        model = PoseJudge().to(memory_format=torch.channels_last).train()
        times = []
        for _ in range(reps + 1):                                        # the first step warms up
            t0 = time.perf_counter()
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
                xy, vis, logits = model(x)
            pose_loss(xy, vis, logits, y)[0].backward()
            times.append(time.perf_counter() - t0)
        out[name] = float(np.median(times[1:]))
    return out


def evaluate(model: PoseJudge, seed: int, n: int, sizes=(64, 32)) -> dict:
    """PCK at THRESHOLDS, per-joint PCK@0.1, visibility accuracy, and PCK@0.1 with flip averaging and with the global
    soft-argmax, on fresh renders rendered at each size."""
    res = {}
    for s in sizes:
        ds = PerformerDataset(n, s, seed=seed)
        poses = ds.labels()[0]
        pred, pred_flip = model.predict(ds.images), model.predict(ds.images, flip=True)
        radius, model.config.decode_radius = model.config.decode_radius, None
        pred_global = model.predict(ds.images)
        model.config.decode_radius = radius
        res[f"{s}x{s}"] = {
            **{f"pck@{t}": round(pck(pred, poses, t), 4) for t in THRESHOLDS},
            "pck@0.1_flip": round(pck(pred_flip, poses, 0.1), 4),
            "pck@0.1_global_soft_argmax": round(pck(pred_global, poses, 0.1), 4),
            "visibility_accuracy": round(float(((pred[..., 2] > 0) == (poses[..., 2] > 0)).mean()), 4),
            "per_joint_pck@0.1": {k: round(float(v), 4) for k, v in zip(COCO17_NAMES, pck_per_joint(pred, poses, 0.1))}}
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=None, help="folder to write (default: data_dir()/pretrained/judge_pose)")
    ap.add_argument("--steps", type=int, default=2800)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--n-images", type=int, default=30_000, help="renders in the training pools (half at 64, half at 32)")
    ap.add_argument("--seed", type=int, default=0, help="training seed; the pools use seeds SEED (64) and SEED + 1 (32)")
    ap.add_argument("--heatmap-stride", type=int, default=4)
    ap.add_argument("--heatmap-weight", type=float, default=0.1)
    ap.add_argument("--heldout-seed", type=int, default=12345)
    ap.add_argument("--n-heldout", type=int, default=1000)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--fp32", action="store_true", help="ship float32 weights instead of fp16")
    args = ap.parse_args()
    if args.heldout_seed in (args.seed, args.seed + 1):
        ap.error(f"--heldout-seed {args.heldout_seed} is a training seed: pick another")
    torch.set_num_threads(args.threads)
    out = Path(args.out) if args.out else data_dir() / "pretrained" / "judge_pose"
    command = f"OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', '')} python " + shlex.join(sys.argv)

    step_seconds = measure_step_seconds()
    print(f"step seconds: {step_seconds}", flush=True)
    history: list = []
    t0, c0 = time.perf_counter(), time.process_time()
    model = train_pose_judge(n_images=args.n_images, steps=args.steps, batch_size=args.batch_size, lr=args.lr,
                                 seed=args.seed, heatmap_weight=args.heatmap_weight, history=history,
                                 config=PoseJudgeConfig(heatmap_stride=args.heatmap_stride), progress=True)
    train_seconds, train_cpu_seconds = time.perf_counter() - t0, time.process_time() - c0
    print(f"trained {args.steps} steps in {train_seconds / 60:.1f} min ({train_cpu_seconds / 60:.1f} CPU min)", flush=True)

    model.save_pretrained(out, half=not args.fp32)
    shipped = PoseJudge.from_pretrained(out)                       # measure what is shipped (fp16 weights)
    t0 = time.perf_counter()
    heldout = evaluate(shipped, args.heldout_seed, args.n_heldout)
    eval_seconds = time.perf_counter() - t0
    print(json.dumps({k: {m: v for m, v in r.items() if m != "per_joint_pck@0.1"} for k, r in heldout.items()}), flush=True)

    every = max(1, args.steps // 200)
    keys = ("l1", "heatmap", "visibility")
    hist = [{"step": h["step"], **{k: round(float(np.mean([g[k] for g in history[i:i + every]])), 5) for k in keys}}
            for i, h in enumerate(history) if i % every == 0]
    (out / "history.json").write_text(json.dumps(hist) + "\n")
    metrics = {
        "command": command,
        "seed": args.seed,
        "data": {"train": f"PerformerDataset({args.n_images // 2}, 64, seed={args.seed}) + "
                          f"PerformerDataset({args.n_images // 2}, 32, seed={args.seed + 1}), renders only, augmented",
                 "heldout": f"PerformerDataset({args.n_heldout}, size, seed={args.heldout_seed}) for size in (64, 32), "
                            "rendered at each size"},
        "hyperparameters": {k: v for k, v in vars(args).items() if k not in ("out", "threads", "fp32")},
        "config": shipped.config.to_dict(),
        "parameters": count_parameters(shipped),
        "weights_dtype": "float32" if args.fp32 else "float16",
        "weights_bytes": (out / "model.safetensors").stat().st_size,
        "threads": args.threads,
        "train_seconds": round(train_seconds, 1),
        "train_cpu_seconds": round(train_cpu_seconds, 1),
        "eval_seconds": round(eval_seconds, 1),
        "step_seconds": {k: round(v, 3) if isinstance(v, float) else v for k, v in step_seconds.items()},
        "final_losses": {k: round(float(np.mean([h[k] for h in history[-100:]])), 5) for k in keys},
        "heldout": heldout,
        "torch": torch.__version__,
    }
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n")
    print(f"shipped to {out}", flush=True)


if __name__ == "__main__":
    main()
