#!/usr/bin/env python
"""Continue a finished distillation run past its budget: does more distillation close the student's FID gap?

    python scripts/distill_longer.py --run runs/pose64_1step --steps 1800 --out runs/pose64_1step_long
    python scripts/distill_table.py --teachers pose64 --rows student --student runs/pose64_1step_long/final --label long1800

Copies the run's last checkpoint into `--out` and trains on with the run's own recipe (distillation settings, trajectory
cache, training settings) except `max_steps`: the cosine learning-rate schedule is recomputed for the longer run, so training
resumes at the learning rate the longer schedule has at that step (half the peak at 900 of 1,800). One thread, as the
shipped students were distilled. An experiment, not a shipped model (notebook 12x, section 2, reads its rows of
`nbs/results/distill.json`).
"""
import argparse, json, shutil
from pathlib import Path

import torch

from zizi.distill import DistillConfig, distill_pose_model

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--run", default="runs/pose64_1step", help="a finished distillation run folder (checkpoints/, final/)")
    ap.add_argument("--steps", type=int, default=1800, help="the longer run's max_steps")
    ap.add_argument("--out", default="runs/pose64_1step_long")
    args = ap.parse_args()
    src, dst = ROOT / args.run, ROOT / args.out
    latest = (src / "checkpoints" / "latest").read_text().strip()
    if not (dst / "checkpoints").exists():                         # first call: start from the run's last checkpoint
        shutil.copytree(src / "checkpoints" / latest, dst / "checkpoints" / latest)
        (dst / "checkpoints" / "latest").write_text(latest)
    train = json.loads((src / "final" / "train_config.json").read_text())
    for k in ("out_dir", "prediction", "schedule", "n_train_steps"): train.pop(k)   # set from the teacher / --out
    cfg = DistillConfig.from_dict(json.loads((src / "recipe.json").read_text())["distill"])
    torch.set_num_threads(1)
    trainer = distill_pose_model(dst, cfg, cache=src / "trajectories", progress=True, **{**train, "max_steps": args.steps})
    print(f"{dst}: step {trainer.step} of {args.steps}")


if __name__ == "__main__":
    main()
