#!/usr/bin/env python
"""Train the pose prior of notebook 09e on the poses of the pose models' 20,000 training renders, score it, and ship
it to data/pretrained/poseprior (about two minutes on 2 CPU cores).

    python scripts/train_pose_prior.py                                  # the shipped run (runs/poseprior)
    python scripts/train_pose_prior.py --steps 200 --out /tmp/prior --ship ''   # a quick try, not shipped
    python scripts/train_pose_prior.py --variants    # frame vs centred, seeds 0 and 1 -> nbs/results/pose_prior_variants.json

metrics.json records the command, the Trainer's wall-clock minutes and, for the *shipped* weights: the pose check
(zizi.pose_prior.PoseCheck fitted on the training poses) of 2,000 sampled poses (PosePrior.sample's default sampler, seed 0)
next to held-out data poses and the Gaussian baseline, the share of visible joints, and the nearest-training-pose
distance of 500 of them.
"""
import argparse, inspect, json, shlex, sys
from pathlib import Path


def _sampler_name() -> str:
    from zizi.pose_prior import PosePrior
    d = inspect.signature(PosePrior.sample).parameters
    return f"PosePrior.sample default: {d['sampler'].default}, {d['steps'].default} steps"


def score(sample_poses, train_poses, held_poses) -> dict:
    from zizi.pose_prior import PoseCheck, nearest_pose_distance
    check = PoseCheck.fit(train_poses)
    return dict(pose_check=check.score(sample_poses), visible=float(sample_poses[..., 2].mean()),
                nearest=float(nearest_pose_distance(sample_poses[:500], train_poses).mean()))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default="runs/poseprior")
    ap.add_argument("--steps", type=int, default=3000)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--ship", default="data/pretrained/poseprior", help="'' to skip shipping")
    ap.add_argument("--variants", action="store_true", help="train and score both representations with seeds 0 and 1 instead")
    args = ap.parse_args()
    sampler = _sampler_name()
    from zizi.data import PerformerDataset
    from zizi.pose_prior import GaussianPosePrior, PosePriorConfig, REPRESENTATIONS, load_pose_prior, train_pose_prior
    from zizi.train import ship_model, train_minutes
    train_poses = PerformerDataset(20_000, 32, seed=0, cache=False).labels()[0]
    held_poses = PerformerDataset(2_000, 32, seed=456, cache=False).labels()[0]
    if args.variants:
        runs = []
        for rep in REPRESENTATIONS:
            for seed in (0, 1):
                out = Path("runs/pose_prior_variants") / f"{rep}_seed{seed}"
                train_pose_prior(out, train_poses, steps=args.steps, lr=args.lr, config=PosePriorConfig(representation=rep), seed=seed)
                runs.append(dict(representation=rep, seed=seed, steps=args.steps, lr=args.lr, train_minutes=train_minutes(out / "final"),
                                 **score(load_pose_prior(out).sample(2000), train_poses, held_poses)))
                print(runs[-1], flush=True)
        res = {"command": "python scripts/train_pose_prior.py --variants", "runs": runs,
               "note": f"2,000 poses per run, {sampler}, seed 0; weights fp32 (runs/pose_prior_variants)"}
        Path("nbs/results/pose_prior_variants.json").write_text(json.dumps(res, indent=1) + "\n")
        return
    train_pose_prior(args.out, train_poses, steps=args.steps, lr=args.lr)
    final = Path(args.out) / "final"
    if not args.ship: return print(json.dumps(score(load_pose_prior(final).sample(2000), train_poses, held_poses)))
    command = "python scripts/train_pose_prior.py" + "".join(f" {shlex.quote(a)}" for a in sys.argv[1:])
    dest = ship_model(final, args.ship, command=command)
    metrics = {"prior": score(load_pose_prior(dest).sample(2000), train_poses, held_poses),
               "held_out_data_poses": score(held_poses, train_poses, held_poses),
               "gaussian_baseline": score(GaussianPosePrior.fit(train_poses).sample(2000), train_poses, held_poses),
               "note": f"2,000 poses, {sampler}, seed 0; PoseCheck fitted on PerformerDataset(20_000, seed=0) poses; "
                       "held-out: PerformerDataset(2_000, seed=456)"}
    info = json.loads((dest / "metrics.json").read_text())
    info["metrics"] = metrics
    (dest / "metrics.json").write_text(json.dumps(info, indent=2) + "\n")
    print(json.dumps(info, indent=1))


if __name__ == "__main__":
    sys.exit(main())
