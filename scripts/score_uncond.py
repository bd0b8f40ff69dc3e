#!/usr/bin/env python
"""Score an unconditional performer model the way notebook 07b does, and optionally ship it.

    python scripts/score_uncond.py runs/uncond32d/final \
        --ship data/pretrained/uncond32 --command "zizi train --out runs/uncond32d --steps 3600 ..."
    python scripts/score_uncond.py runs/uncond64b/final --out nbs/results/uncond64.json --png nbs/results/uncond64.png

Metrics (256 samples, DPM-Solver++(2M), 15 steps, seed 0): performer FID against `PerformerDataset(2000, size,
seed=123)` with the shipped critic of that size, mean nearest-render distance, the silhouette check's pass rate,
and the FID floor of 256 held-out renders (`PerformerDataset(500, size, seed=456)`).
"""
import argparse, json, sys, time
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder", help="a UNet weights folder with recipe.json (a run's final/ or a shipped model)")
    ap.add_argument("--n", type=int, default=256)
    ap.add_argument("--steps", type=int, default=15)
    ap.add_argument("--ship", default=None, help="copy the folder here (fp16) with the metrics in metrics.json")
    ap.add_argument("--command", default=None, help="the training command recorded when shipping")
    ap.add_argument("--out", default=None, help="also write the metrics to this JSON file")
    ap.add_argument("--png", default=None, help="save a grid of the first 32 samples here")
    args = ap.parse_args()
    import numpy as np
    from zizi.core import image_grid, save_image
    from zizi.renderer import PALETTES
    from zizi.data import PerformerDataset
    from zizi.metrics import SilhouetteCheck, performer_fid
    from zizi.first_model import evaluate_samples
    from zizi.judges import load_fid_judge
    from zizi.schedules import NoiseSchedule
    from zizi.train import ship_model, train_minutes
    from zizi.unet import UNet
    t0 = time.perf_counter()
    folder = Path(args.folder)
    recipe = json.loads((folder / "recipe.json").read_text())
    size = recipe["size"]
    model = UNet.from_pretrained(folder).eval()
    sched = NoiseSchedule.from_kind(recipe["train"]["schedule"], recipe["train"]["n_train_steps"])
    critic, ref = load_fid_judge(size), PerformerDataset(2000, size, seed=123).images.numpy()
    check = SilhouetteCheck.fit(ref, np.array(list(PALETTES["background"].values())))
    m, imgs = evaluate_samples(model, recipe["train"]["prediction"], sched, size, critic, ref, check, n=args.n, steps=args.steps)
    held = PerformerDataset(500, size, seed=456).images.numpy()[:args.n]
    metrics = {f"fid_{args.steps}": m["fid"], f"nearest_{args.steps}": m["nearest"], f"silhouette_{args.steps}": m["silhouette"],
               "n": args.n, "sampler": m["sampler"], "steps": args.steps,
               f"fid_heldout_renders_{args.n}": performer_fid(held, ref, critic), "silhouette_heldout_renders": check.score(held),
               "note": f"performer FID: zizi.quality.performer_fid (critic data/pretrained/critic{size}) against "
                       f"PerformerDataset(2000, {size}, seed=123); scored by python scripts/score_uncond.py",
               "seconds_to_score": round(time.perf_counter() - t0)}
    print(json.dumps(metrics, indent=1))
    if args.png: save_image(image_grid(imgs[:32], ncols=8), args.png)
    if args.out:
        info = {"metrics": metrics, "recipe": recipe, "command": args.command, "train_minutes": train_minutes(folder)}
        Path(args.out).write_text(json.dumps(info, indent=1) + "\n")
    if args.ship: print("shipped to", ship_model(folder, args.ship, metrics, command=args.command))


if __name__ == "__main__":
    sys.exit(main())
