#!/usr/bin/env python
"""Train the latent pose model shipped in data/pretrained/latent128 (resumable: rerun after a kill).

    python scripts/train_latent.py              # encode 20,000 renders once with vae128, train 4,000 steps -> runs/latent128
    python scripts/train_latent.py --ship       # evaluate runs/latent128/final, ship it (with its vae/) to data/pretrained/latent128

The recipe is `zizi.latent.latent_recipe(vae128)`: notebook 09's pose model on vae128's 32×32×4 latents.
"""
import argparse
import json


def ship(out: str) -> None:
    "Evaluate the finished run (PCK@0.1, attribute accuracy by judge_attrs128 at guidance 1 and 2) and copy it."
    from zizi.evaluation import evaluate_pose_model
    from zizi.pipeline import PosePipeline
    from zizi.train import ship_model
    pipe = PosePipeline.from_pretrained(f"{out}/final")
    metrics = {f"guidance_{g:g}": evaluate_pose_model(pipe, n=128, steps=15, guidance=g) for g in (1.0, 2.0)}
    print(json.dumps(metrics, indent=1))
    print(ship_model(f"{out}/final", "data/pretrained/latent128", metrics=metrics,
                     command="python scripts/train_latent.py && python scripts/train_latent.py --ship"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default="runs/latent128", help="run folder")
    ap.add_argument("--vae", default="vae128", help="shipped name or folder of the first stage")
    ap.add_argument("--ship", action="store_true", help="evaluate the finished run and copy it to data/pretrained/latent128")
    args = ap.parse_args()
    if args.ship: return ship(args.out)
    from zizi.latent import latent_recipe, train_latent_model
    from zizi.vae import VAE
    vae = VAE.from_pretrained(args.vae)
    cfg, train = latent_recipe(vae)
    train_latent_model(args.out, vae, cfg, n_images=20_000, data_seed=0, **train)


if __name__ == "__main__":
    main()
