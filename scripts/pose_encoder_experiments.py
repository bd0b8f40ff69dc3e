#!/usr/bin/env python
"""Pose encoders compared at an equal, short budget: keypoint tokens vs heatmaps vs both (notebook 09's table).

    python scripts/pose_encoder_experiments.py            # trains runs/encoders/<encoder> (resumable), ~10-20 min each
    python scripts/pose_encoder_experiments.py --eval     # PCK@0.1 + attribute accuracy at guidance 1/2/4 -> nbs/results/pose_encoders.json

Each run is the 32x32 recipe of `zizi.pipeline.pose_recipe(32)` with only `encoder` changed and `max_steps` cut to
--steps (default 300), so the three differ in one thing. The recorded table predates the joint-weighted loss and the
attribute splat, so the runs keep `pose_loss_weight` at --loss-weight and `attr_splat` at --attr-splat (both default 0)
to reproduce it (the splat needs heatmaps, so the tokens-only run never has one).
"""
import argparse
import time
from dataclasses import replace
from pathlib import Path

from zizi.pose_model import POSE_ENCODERS, pose_recipe, train_pose_model
from zizi.pipeline import PosePipeline
from zizi.evaluation import evaluate_pose_model
from _results import write_results

GUIDANCES = (1.0, 2.0, 4.0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--steps", type=int, default=300)
    ap.add_argument("--root", default="runs/encoders")
    ap.add_argument("--eval", action="store_true")
    ap.add_argument("--n", type=int, default=64, help="held-out conditions per evaluation")
    ap.add_argument("--out", default="nbs/results/pose_encoders.json")
    ap.add_argument("--loss-weight", type=float, default=0.0, help="PoseModelConfig.pose_loss_weight of every run")
    ap.add_argument("--attr-splat", type=int, default=0, help="PoseModelConfig.attr_splat of the runs with heatmaps")
    args = ap.parse_args()
    cfg, train = pose_recipe(32)
    cfg = replace(cfg, pose_loss_weight=args.loss_weight)
    train = {**train, "max_steps": args.steps, "sample_every": args.steps, "checkpoint_every": 100}
    if not args.eval:
        for enc in POSE_ENCODERS:
            t0 = time.time()
            run_cfg = replace(cfg, encoder=enc, attr_splat=0 if enc == "tokens" else args.attr_splat)
            train_pose_model(f"{args.root}/{enc}", run_cfg, size=32, n_images=20_000, data_seed=0, **train)
            print(f"{enc}: {time.time() - t0:.0f} s", flush=True)
        return
    rows = []
    for enc in POSE_ENCODERS:
        pipe = PosePipeline.from_pretrained(f"{args.root}/{enc}")
        for g in GUIDANCES:
            r = evaluate_pose_model(pipe, n=args.n, steps=15, guidance=g)
            rows.append({"encoder": enc, **r})
            print(enc, g, round(r["pck"], 3), round(r["attr_mean"], 3), flush=True)
    out = {"command": "python scripts/pose_encoder_experiments.py && python scripts/pose_encoder_experiments.py --eval",
           "train_steps": args.steps, "recipe": f"zizi.pipeline.pose_recipe(32) with encoder changed, "
                     f"pose_loss_weight {args.loss_weight:g}, attr_splat {args.attr_splat}", "rows": rows}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    write_results(Path(args.out), out)
    print(args.out)


if __name__ == "__main__":
    main()
