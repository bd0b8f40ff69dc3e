#!/usr/bin/env python
"""Train the pose + attribute models shipped in data/pretrained/pose32 and pose64 (resumable: rerun after a kill).

    python scripts/train_pose_model.py --size 32            # ~30 minutes on 2 CPU cores -> runs/pose32
    python scripts/train_pose_model.py --size 64            # 70-100 minutes (0.65-0.9 s/step), a background run -> runs/pose64
    python scripts/train_pose_model.py --size 32 --ship     # evaluate runs/pose32/final, ship it to data/pretrained/pose32

The recipes are `zizi.pipeline.pose_recipe(size)`.
"""
import argparse
import json

from zizi.pose_model import pose_recipe, train_pose_model


def ship(size: int, out: str) -> None:
    "Evaluate the finished run (PCK@0.1, attribute accuracy at guidance 1/2/4) and copy it to data/pretrained."
    from zizi.pipeline import PosePipeline
    from zizi.evaluation import evaluate_pose_model
    from zizi.train import ship_model
    pipe = PosePipeline.from_pretrained(f"{out}/final")
    metrics = {f"guidance_{g:g}": evaluate_pose_model(pipe, n=128, steps=15, guidance=g) for g in (1.0, 2.0, 4.0)}
    print(json.dumps(metrics, indent=1))
    dest = ship_model(f"{out}/final", f"data/pretrained/pose{size}", metrics=metrics,
                      command=f"python scripts/train_pose_model.py --size {size} && "
                              f"python scripts/train_pose_model.py --size {size} --ship")
    print(dest)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, choices=(32, 64), default=32)
    ap.add_argument("--out", default=None, help="run folder (default runs/pose<size>)")
    ap.add_argument("--ship", action="store_true", help="evaluate the finished run and copy it to data/pretrained/pose<size>")
    args = ap.parse_args()
    out = args.out or f"runs/pose{args.size}"
    if args.ship: return ship(args.size, out)
    cfg, train = pose_recipe(args.size)
    train_pose_model(out, cfg, size=args.size, n_images=20_000, data_seed=0, **train)


if __name__ == "__main__":
    main()
