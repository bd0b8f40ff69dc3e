#!/usr/bin/env python
"""Notebook 11's scaling-factor lesson: the latent pose model trained on latents of three spreads, everything else equal.

    python scripts/latent_scaling.py            # -> nbs/results/latent_scaling.json (three short runs, ~45 minutes on 2 CPU cores)
    python scripts/latent_scaling.py --png-only # -> nbs/results/latent_scaling.png: the three finished runs on 8 held-out conditions
    python scripts/latent_scaling.py --seeds 1 2  # the same three runs with training seeds 1 and 2, merged into the JSON

The seeds are the seed control: each variant trained with several training seeds (initialisation and batch order), so
a difference between variants can be set against the spread a retraining alone makes. Rows carry their `seed`; rows of
other seeds already in the JSON are kept, so seeds can be added one run at a time. A missing latent cache is made first
(`cache_latents(vae128, runs/latent128/latents, 20000)`, as `zizi train latent` makes it).

The three runs read the same cached latents of `vae128` (runs/latent128/latents, made by `zizi train latent`) multiplied by
`k`: k = 1 (unit variance: vae128's measured scaling factor, as shipped), k = 1 / scaling_factor (the raw latents: no
scaling factor at all) and k = 5 (latents five times too large, as Stable Diffusion's VAE latents are without their
0.18215). Each trains `latent_recipe(vae128)` for --steps steps (same seed, same batches), and its pipeline decodes
with a VAE whose scaling factor is `k` times vae128's, so only the spread the diffusion model sees changes. Judged on
the same 128 held-out conditions as notebook 11 (15 DPM-Solver++ steps, guidance 1): PCK@0.1, attribute accuracy
(judge_attrs128) and performer FID at 64×64 (judge_fid64) against renders of the same conditions.
"""
import argparse, copy, json
from pathlib import Path

import numpy as np

from zizi.results import write_results

ROOT = Path(__file__).resolve().parent.parent
VARIANTS = {"unit variance (shipped)": "1", "no scaling factor": "1/sf", "5x too large": "5"}


def train_variant(out: Path, cache: Path, vae, k: float, steps: int, seed: int = 0):
    "latent_recipe(vae) on the cached latents times k; the final folder gets a VAE whose scaling factor is k times vae's."
    import torch
    from zizi.latent import LatentDataset, latent_recipe, latent_preview_fn
    from zizi.pose_model import PoseModel, pose_batch
    from zizi.train import TrainConfig, Trainer, write_recipe
    scaled = copy.deepcopy(vae)
    scaled.config.scaling_factor = vae.config.scaling_factor * k
    cfg, train = latent_recipe(vae)
    tcfg = TrainConfig(out_dir=str(out), prediction=cfg.prediction, schedule=cfg.schedule, n_train_steps=cfg.n_train_steps,
                       **{**train, "max_steps": steps, "sample_every": 0, "checkpoint_every": 100, "seed": seed})
    write_recipe(out, {"kind": "latent_scaling", "k": k, "model": cfg.to_dict(), "train": tcfg.to_dict()}, compare=("kind", "k", "model"))
    torch.manual_seed(tcfg.seed)
    trainer = Trainer(PoseModel(cfg), LatentDataset(cache, scale=k), tcfg, sample_fn=latent_preview_fn(scaled))
    trainer.prepare_batch = lambda batch: pose_batch(batch, cfg.p_uncond, trainer.generator, cfg.use_attrs, cfg.pose_loss_weight,
                                                    cfg.p_drop_attrs, cfg.head_top)
    trainer.train()
    scaled.save_pretrained(out / "final" / "vae")
    return trainer


def draw(runs: Path, png: Path) -> None:
    "Rows: the renderer's drawing of 8 held-out conditions, then each finished run's (15 steps, guidance 1, seed 0)."
    from zizi.core import image_grid, save_image
    from zizi.pipeline import PosePipeline
    from zizi.pose_model import held_out_conditions
    from zizi.renderer import render_performers
    poses, attrs = held_out_conditions(8, data_seed=21)
    rows = [render_performers(poses, attrs, 128)]
    for name in VARIANTS:
        rows.append(PosePipeline.from_pretrained(runs / name.split(" (")[0].replace(" ", "_"))(poses, attrs, steps=15, guidance=1.0))
    save_image(image_grid(np.concatenate(rows), ncols=8), png)
    print("wrote", png)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--steps", type=int, default=600)
    ap.add_argument("--n", type=int, default=128)
    ap.add_argument("--cache", default=str(ROOT / "runs" / "latent128" / "latents"))
    ap.add_argument("--runs", default=str(ROOT / "runs" / "latent_scaling"))
    ap.add_argument("--out", default=str(ROOT / "nbs" / "results" / "latent_scaling.json"))
    ap.add_argument("--png-only", action="store_true", help="only draw the finished runs' samples into latent_scaling.png")
    ap.add_argument("--seeds", type=int, nargs="+", default=[0], help="training seeds; each variant is trained once per seed")
    ap.add_argument("--variants", nargs="+", default=list(VARIANTS), help="which variants to train (default: all three)")
    args = ap.parse_args()
    if args.png_only: return draw(Path(args.runs), Path(args.out).with_suffix(".png"))
    from zizi.evaluation import evaluate_pose_model, resize_uint8
    from zizi.judges import load_fid_judge
    from zizi.latent import LatentDataset, cache_latents
    from zizi.metrics import performer_fid
    from zizi.pipeline import PosePipeline
    from zizi.train import train_minutes
    from zizi.vae import VAE
    vae = VAE.from_pretrained("vae128")
    sf = vae.config.scaling_factor
    if not (Path(args.cache) / "latents.safetensors").exists():
        cache_latents(vae, args.cache, 20_000, 128, 0)
    std = float(LatentDataset(args.cache).latents[:2000].float().std())
    out_path = Path(args.out)
    old = json.loads(out_path.read_text()) if out_path.exists() else {}
    rows = [{**r, "seed": r.get("seed", 0)} for r in old.get("results", [])]
    commands = old.get("commands", [old["command"]] if "command" in old else [])
    command = " ".join(["python scripts/latent_scaling.py", *__import__("sys").argv[1:]])
    if command not in commands: commands.append(command)
    for seed in args.seeds:
        for name in args.variants:
            k_text = VARIANTS[name]
            k = 1 / sf if k_text == "1/sf" else float(k_text)
            out = Path(args.runs) / (name.split(" (")[0].replace(" ", "_") + (f"_seed{seed}" if seed else ""))
            trainer = train_variant(out, Path(args.cache), vae, k, args.steps, seed)
            hist = json.loads((out / "final" / "history.json").read_text())
            m = evaluate_pose_model(PosePipeline.from_pretrained(out), n=args.n, steps=15, guidance=1.0, return_images=True)
            fid = performer_fid(resize_uint8(m["generated"], 64), resize_uint8(m["renders"], 64), load_fid_judge(64))
            row = {"variant": name, "seed": seed, "k": round(k, 4), "latent_std": round(std * k, 3),
                   "scaling_factor": round(sf * k, 4), "steps": trainer.step, "train_minutes": train_minutes(out / "final"),
                   "final_loss_per_variance": round(sum(hist["loss"][-20:]) / 20 / k ** 2, 5),
                   "pck": round(m["pck"], 4), "attr_mean": round(m["attr_mean"], 4), "fid64": round(fid, 2)}
            rows = [r for r in rows if (r["variant"], r["seed"]) != (name, seed)] + [row]
            print(json.dumps(row), flush=True)
            res = {"commands": commands,
                   "conditions": f"PerformerDataset({args.n}, 128, seed=789), 15 DPM-Solver++ steps, guidance 1, seed 0",
                   "vae_scaling_factor": sf, "cached_latent_std": round(std, 4),
                   "results": sorted(rows, key=lambda r: (list(VARIANTS).index(r["variant"]), r["seed"]))}
            write_results(args.out, res)                 # after every run: a killed sweep keeps what it finished
    print("wrote", args.out)


if __name__ == "__main__":
    main()
