#!/usr/bin/env python
"""Distil a shipped pose model into a one-step student (notebook 12), in the background, resumable.

    python scripts/distill.py --teacher pose64 --max-steps 900      # -> runs/pose64_1step (about an hour on 1 CPU thread)
    python scripts/distill.py --teacher latent128 --max-steps 1000  # -> runs/latent128_1step (48 minutes)
    python scripts/distill.py --teacher pose64 --ship               # copy runs/pose64_1step/final to data/pretrained/pose64_1step

(the shipped students: exactly these commands, the two runs side by side, one thread each).

Kill it at any moment and run the same command again: the trajectory cache and the Trainer's checkpoints resume.
"""
import argparse, json, shutil, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--teacher", default="pose64")
    ap.add_argument("--out", default=None, help="run folder (default runs/<teacher>_1step)")
    ap.add_argument("--n-pairs", type=int, default=5000)
    ap.add_argument("--max-steps", type=int, default=1500)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--lr", type=float, default=2e-4)
    ap.add_argument("--threads", type=int, default=None, help="torch threads (default: torch's)")
    ap.add_argument("--ship", action="store_true", help="copy the finished student to data/pretrained/<teacher>_1step")
    args = ap.parse_args()
    import torch
    from zizi.distill import DistillConfig, distill_pose_model
    if args.threads: torch.set_num_threads(args.threads)
    out = Path(args.out or ROOT / "runs" / f"{args.teacher}_1step")
    if args.ship:
        if not (out / "final" / "sampling.json").exists(): sys.exit(f"{out}/final is not a finished student: run without --ship first")
        from zizi.distill import cache_minutes
        info = json.loads((out / "final" / "sampling.json").read_text())
        if "cache_minutes" not in info:                     # a run started before the cache was timed
            info["cache_minutes"] = cache_minutes(out / "trajectories")
            (out / "final" / "sampling.json").write_text(json.dumps(info, indent=1) + "\n")
        dest = ROOT / "data" / "pretrained" / f"{args.teacher}_1step"
        from zizi.pose_model import PoseModel
        PoseModel.from_pretrained(out / "final").save_pretrained(dest, half=True)     # fp16 on disk, as the other shipped models
        top = str(out / "final")
        shutil.copytree(out / "final", dest, dirs_exist_ok=True,                    # the rest: history, recipe, sampling.json, vae/
                        ignore=lambda d, names: {"model.safetensors", "config.json"} & set(names) if d == top else set())
        print("shipped", dest)
        return
    cfg = DistillConfig(teacher=args.teacher, n_pairs=args.n_pairs)
    distill_pose_model(out, cfg, max_steps=args.max_steps, batch_size=args.batch_size, lr=args.lr, warmup_steps=50,
                       checkpoint_every=100, sample_every=500, mixed_precision="auto", seed=0)


if __name__ == "__main__":
    main()
