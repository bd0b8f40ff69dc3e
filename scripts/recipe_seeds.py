#!/usr/bin/env python
"""Cosine against linear noise schedule for the first model (notebook 07c), over several training seeds.

    nice -n 10 python scripts/recipe_seeds.py                  # x0 · cosine and x0 · linear, seeds 1 and 2
    nice -n 10 python scripts/recipe_seeds.py --seeds 3 4      # more seeds; rerun the same command after a kill

Seed 0 (the default training seed) of both recipes is the run of scripts/first_model_experiments.py, saved in
nbs/results/first_model.json; this script adds other seeds of the same recipes.

Trains (or resumes) one model per (recipe, seed) under runs/recipe_seeds/<recipe>_seed<k> with the recipe of
`zizi.first_model.compare_recipes` (400 steps of batch 32, lr 1e-3), changing only the training seed (weights
init, batch order, noise). Each model is scored like notebook 07c's table (performer FID of 256 samples, 15
DPM-Solver++ steps, against 2,000 renders) and the results merged into nbs/results/recipe_seeds.json after each
run, with the command, the commit and each run's CPU seconds.
"""
import argparse, json, resource, sys, time
from pathlib import Path
from _results import write_results

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "nbs" / "results" / "recipe_seeds.json"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--recipes", nargs="+", default=["x0 · cosine", "x0 · linear"])
    ap.add_argument("--seeds", nargs="+", type=int, default=[1, 2])
    ap.add_argument("--steps", type=int, default=400)
    ap.add_argument("--root", default=str(ROOT / "runs" / "recipe_seeds"))
    ap.add_argument("--threads", type=int, default=None, help="torch threads (default: torch's)")
    args = ap.parse_args()
    import torch
    if args.threads: torch.set_num_threads(args.threads)
    from zizi.first_model import RECIPES, compare_recipes
    from zizi.judges import load_fid_judge
    judge = load_fid_judge(32)
    res = json.loads(OUT.read_text()) if OUT.exists() else {}
    runs = res.get("runs", {})
    for seed in args.seeds:
        for name in args.recipes:
            key = f"{name} · seed {seed}"
            if key in runs: continue
            t0, c0 = time.time(), resource.getrusage(resource.RUSAGE_SELF).ru_utime
            r = compare_recipes(Path(args.root) / f"seed{seed}", judge, {name: RECIPES[name]}, steps=args.steps, seed=seed)[name]
            r.pop("samples"); r.pop("history")
            runs[key] = {**r, "recipe": name, "seed": seed, "wall_seconds": round(time.time() - t0),
                         "cpu_seconds": round(resource.getrusage(resource.RUSAGE_SELF).ru_utime - c0)}
            print(key, {k: runs[key][k] for k in ("fid", "final_loss", "wall_seconds", "cpu_seconds")}, flush=True)
            saved = json.loads(OUT.read_text()) if OUT.exists() else {}         # another process may have added runs
            runs = {**saved.get("runs", {}), **runs}
            write_results(OUT, {"command": "python scripts/recipe_seeds.py", "train_steps": args.steps, "runs": runs})


if __name__ == "__main__":
    main()
