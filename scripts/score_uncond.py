#!/usr/bin/env python
"""Score an unconditional performer model the way notebook 07c does (`zizi.recipes.score_uncond`, what
`zizi train uncond --ship` measures) into a results file.

    python scripts/score_uncond.py runs/uncond64b/final --out nbs/results/uncond64.json --png nbs/results/uncond64.png

Metrics (256 samples, DPM-Solver++(2M), 15 steps, seed 0): performer FID against `PerformerDataset(2000, size,
seed=123)` with the shipped critic of that size, mean nearest-render distance, the silhouette check's pass rate,
and the FID floor of 256 held-out renders (`PerformerDataset(500, size, seed=456)`).
"""
import argparse, json, time
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder", help="a UNet weights folder with recipe.json (a run's final/ or a shipped model)")
    ap.add_argument("--n", type=int, default=256)
    ap.add_argument("--steps", type=int, default=15)
    ap.add_argument("--command", default=None, help="the training command, recorded in --out")
    ap.add_argument("--out", default=None, help="also write the metrics to this JSON file")
    ap.add_argument("--png", default=None, help="save a grid of 32 samples (seed 0) here")
    args = ap.parse_args()
    from zizi.core import image_grid, save_image
    from zizi.recipes import score_uncond
    from zizi.results import run_command, write_results
    from zizi.train import performer_sample_fn, train_minutes
    from zizi.schedules import NoiseSchedule
    from zizi.unet import UNet
    t0 = time.perf_counter()
    folder = Path(args.folder)
    recipe = json.loads((folder / "recipe.json").read_text())
    metrics = {**score_uncond(folder, n=args.n, steps=args.steps), "seconds_to_score": None}
    metrics["seconds_to_score"] = round(time.perf_counter() - t0)
    print(json.dumps(metrics, indent=1))
    if args.png:
        sched = NoiseSchedule.from_kind(recipe["train"]["schedule"], recipe["train"]["n_train_steps"])
        imgs = performer_sample_fn(recipe["train"]["prediction"], sched, recipe["size"], n=32, steps=args.steps)(UNet.from_pretrained(folder).eval(), 0)
        save_image(image_grid(imgs, ncols=8), args.png)
    if args.out:
        info = {"metrics": metrics, "recipe": recipe, "command": args.command, "train_minutes": train_minutes(folder)}
        write_results(args.out, {**info, "scored_by": run_command()} if args.command else info)


if __name__ == "__main__":
    main()
