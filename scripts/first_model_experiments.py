#!/usr/bin/env python
"""Experiments of notebook 07b that need minutes to hours of CPU: sampler/steps table and recipe comparison.

    python scripts/first_model_experiments.py                 # ~20 CPU-minutes once the recipe runs exist
    python scripts/first_model_experiments.py --only-steps    # ~10 CPU-minutes: re-score the shipped model only

Trains (or resumes) one model per recipe under runs/recipes (eps/x0/v x cosine/linear, 400 steps each), scores
them with the performer FID, scores the shipped model data/pretrained/uncond32 for several samplers and step
counts, and writes nbs/results/first_model.json plus one PNG of 16 samples per recipe next to it.
"""
import argparse, json, sys, time
from pathlib import Path
from zizi.results import write_results

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--recipe-steps", type=int, default=400)
    ap.add_argument("--root", default=str(ROOT / "runs" / "recipes"))
    ap.add_argument("--n-steps-table", type=int, default=64, help="samples per row of the sampler/steps table")
    ap.add_argument("--out", default=str(ROOT / "nbs" / "results" / "first_model.json"))
    ap.add_argument("--only-steps", action="store_true",
                    help="redo the sampler/steps table of the shipped model and keep the recipes of the existing --out")
    args = ap.parse_args()
    from zizi.core import data_dir, image_grid, save_image
    from zizi.data import PerformerDataset
    from zizi.first_model import compare_recipes, sampler_step_table
    from zizi.judges import load_fid_judge
    from zizi.metrics import performer_fid
    from zizi.schedules import NoiseSchedule
    from zizi.unet import UNet
    t0 = time.perf_counter()
    out = Path(args.out); out.parent.mkdir(parents=True, exist_ok=True)
    critic = load_fid_judge(32)
    reference = PerformerDataset(2000, 32, seed=123).images.numpy()
    held = PerformerDataset(500, 32, seed=456).images.numpy()
    ckpt = data_dir() / "pretrained" / "uncond32"
    recipe = json.loads((ckpt / "recipe.json").read_text())
    model = UNet.from_pretrained(ckpt).eval()
    sched = NoiseSchedule.from_kind(recipe["train"]["schedule"], recipe["train"]["n_train_steps"])
    steps = sampler_step_table(model, recipe["train"]["prediction"], sched, 32, critic, reference, n=args.n_steps_table)
    for r in steps: print(r, flush=True)
    floor = performer_fid(held[:args.n_steps_table], reference, critic)
    command = "python scripts/first_model_experiments.py " + " ".join(sys.argv[1:])
    table = {"steps_table_n": args.n_steps_table, "steps_table_floor_fid": floor, "steps": steps,
             "steps_model_command": json.loads((ckpt / "metrics.json").read_text()).get("command")}
    if args.only_steps:
        write_results(out, {**table, "steps_command": command, "steps_seconds": round(time.perf_counter() - t0)}, merge=True)
        return
    recipes = compare_recipes(args.root, critic, steps=args.recipe_steps)
    for name, r in recipes.items():
        png = f"first_model_{name.replace(' · ', '_')}.png"
        save_image(image_grid(r.pop("samples"), ncols=4), out.parent / png)
        r["samples_png"] = png
        print(name, {k: r[k] for k in ("fid", "nearest", "final_loss")}, flush=True)
    res = {"command": command, "seconds": round(time.perf_counter() - t0), **table, "recipes": recipes}
    write_results(out, res)


if __name__ == "__main__":
    main()
