#!/usr/bin/env python
"""Notebook 09e's representation table: the pose prior trained with each representation (frame vs centred) and seeds
0, 1 and 2, each scored like the shipped prior (`zizi.recipes.judge_pose_prior`) -> nbs/results/pose_prior_variants.json.
The shipped prior itself is `zizi train prior && zizi train prior --ship`.

    python scripts/train_pose_prior.py --variants                # six runs of 3,000 steps, about 12 minutes on 2 CPU cores
    python scripts/train_pose_prior.py --variants --seeds 2      # one more seed per representation, merged into the file

Runs of seeds not trained by this call are kept from the file, so seeds can be added one call at a time.
"""
import argparse, inspect, json, sys
from pathlib import Path


def _sampler_name() -> str:
    from zizi.pose_prior import PosePrior
    d = inspect.signature(PosePrior.sample).parameters
    return f"PosePrior.sample default: {d['sampler'].default}, {d['steps'].default} steps"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--variants", action="store_true", required=True, help="train and score both representations with each seed")
    ap.add_argument("--steps", type=int, default=3000)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    args = ap.parse_args()
    from zizi.pose_prior import PosePriorConfig, REPRESENTATIONS, train_pose_prior
    from zizi.recipes import judge_pose_prior
    from zizi.train import train_minutes
    from _results import write_results
    path = Path("nbs/results/pose_prior_variants.json")
    old = json.loads(path.read_text()) if path.exists() else {}
    runs = [r for r in old.get("runs", []) if r["seed"] not in args.seeds]
    commands = old.get("commands", [old["command"]] if "command" in old else [])
    command = " ".join(["python", "scripts/train_pose_prior.py", *sys.argv[1:]])
    if command not in commands: commands.append(command)
    for rep in REPRESENTATIONS:
        for seed in args.seeds:
            out = Path("runs/pose_prior_variants") / f"{rep}_seed{seed}"
            train_pose_prior(out, steps=args.steps, lr=args.lr, config=PosePriorConfig(representation=rep), seed=seed)
            runs.append(dict(representation=rep, seed=seed, steps=args.steps, lr=args.lr, train_minutes=train_minutes(out / "final"),
                             **judge_pose_prior(out / "final")["prior"]))
            print(runs[-1], flush=True)
    runs.sort(key=lambda r: (list(REPRESENTATIONS).index(r["representation"]), r["seed"]))
    write_results(path, {"commands": commands, "runs": runs,
                         "note": f"2,000 poses per run, {_sampler_name()}, seed 0; weights fp32 (runs/pose_prior_variants)"})


if __name__ == "__main__":
    sys.exit(main())
