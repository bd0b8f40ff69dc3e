#!/usr/bin/env python
"""Notebook 10's lesson table: variants of the VAE recipe, one change at a time (the shipped vae128 itself is
`zizi train vae && zizi train vae --ship`).

    python scripts/train_vae.py --variant f8       # one lesson variant (1,500 steps) -> nbs/results/vae_experiments.json
    python scripts/train_vae.py --list             # the variants

Variants (all 1,500 steps of the shipped recipe's data and optimiser, changing one thing; `--list` prints them):
the loss terms (L1 only; + edges; + pose-judge features; + a PatchGAN), the down-sampling factor (f8) and the KL weight.
Every model is judged by `zizi.vae.evaluate_vae` (256 held-out 128×128 renders) and its decoder timed at batch 1.
"""
import argparse
import fcntl
import json
import sys
import time
from pathlib import Path

from zizi.recipes import git_commit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "nbs" / "results" / "vae_experiments.json"
VARIANT_STEPS = 1500


def variants() -> dict:
    "name -> (factor, VAELossConfig changes)."
    return {"L1": (4, dict(edge=0.0)), "L1 + edges": (4, {}), "L1 + edges + judge features": (4, dict(judge=0.1)),
            "L1 + edges + PatchGAN": (4, dict(gan=0.05)), "f8": (8, {}),
            "KL 1e-4": (4, dict(kl_weight=1e-4)), "KL 1e-2": (4, dict(kl_weight=1e-2)), "KL 1": (4, dict(kl_weight=1.0))}


def slug(name: str) -> str:
    "A file-name form of a variant's name: 'L1 + edges' -> 'L1_and_edges'."
    return name.replace(" + ", "_and_").replace(" ", "_")


def record_variant(name: str, row: dict) -> None:
    "Add one variant's row to nbs/results/vae_experiments.json (locked: variants may run side by side)."
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    with open(RESULTS.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        res = json.loads(RESULTS.read_text()) if RESULTS.exists() else {"variants": {}}
        res.update(what="one change at a time to vae_recipe(4), 1,500 steps each; 256 held-out 128×128 renders",
                   steps=VARIANT_STEPS)
        res["variants"][name] = row
        tmp = RESULTS.with_suffix(".tmp")
        tmp.write_text(json.dumps(res, indent=1) + "\n")
        tmp.replace(RESULTS)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--variant", required="--list" not in sys.argv, help="train one lesson variant (see --list)")
    ap.add_argument("--list", action="store_true", help="print the variants and exit")
    ap.add_argument("--out", default=None, help="run folder (default runs/vae_variants/<name>)")
    args = ap.parse_args()
    if args.list:
        for k, v in variants().items(): print(f"{k}: factor {v[0]}, loss changes {v[1]}")
        return
    from zizi.recipes import decode_ms
    from zizi.train import train_minutes
    from zizi.vae import VAE, evaluate_vae, train_vae, vae_recipe
    if args.variant not in variants(): raise SystemExit(f"unknown variant {args.variant!r}; known: {list(variants())}")
    factor, changes = variants()[args.variant]
    cfg, loss, train = vae_recipe(factor)
    loss = loss.with_changes(changes)
    train = {**train, "max_steps": VARIANT_STEPS}
    out = Path(args.out or ROOT / "runs" / "vae_variants" / slug(args.variant))
    t0 = time.time()
    try:
        trainer = train_vae(out, cfg, loss, **train)
    except FloatingPointError as e:                    # the Trainer stops on a non-finite loss: a result of its own
        record_variant(args.variant, {"factor": factor, "loss": loss.to_dict(), "diverged": str(e).split(":")[0],
                                      "command": " ".join(["python", "scripts/train_vae.py", *sys.argv[1:]]),
                                      "commit": git_commit()})
        print(args.variant, "diverged:", e)
        return
    if trainer.step < train["max_steps"]: return
    print(f"trained in {(time.time() - t0) / 60:.1f} min (this call)", flush=True)
    command = " ".join(["python", "scripts/train_vae.py", *sys.argv[1:]])
    vae = VAE.from_pretrained(out)
    m = evaluate_vae(vae, n=256)
    hist = json.loads((out / "final" / "history.json").read_text())
    row = {"factor": factor, "loss": loss.to_dict(), "command": command, "commit": git_commit(),
           "train_minutes": train_minutes(out / "final"), "final_loss": hist["loss"][-1],
           "decode_ms": decode_ms(vae), "parameters": vae.num_parameters(),
           "scaling_factor": vae.config.scaling_factor, **m}
    from zizi.core import image_grid, save_image
    from zizi.data import PerformerDataset
    from zizi.vae import reconstruct
    png = RESULTS.parent / f"vae_variant_{slug(args.variant)}.png"        # four held-out reconstructions, for the notebook
    save_image(image_grid(reconstruct(vae, PerformerDataset(4, 128, seed=99).images.numpy()), ncols=4), png)
    record_variant(args.variant, {**row, "png": png.name})
    print(args.variant, {k: m[k] for k in ("psnr", "ssim", "pck", "attr_mean")})


if __name__ == "__main__":
    main()
