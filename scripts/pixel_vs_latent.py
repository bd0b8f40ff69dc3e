#!/usr/bin/env python
"""Notebook 11's table: the pixel model pose64 against the latent model latent128, side by side in one run.

    python scripts/pixel_vs_latent.py            # -> nbs/results/pixel_vs_latent.json (about 10 minutes on 2 CPU cores)
    python scripts/pixel_vs_latent.py --time-only   # only re-time the models (a minute), e.g. on a quieter machine

For each model, on the same 256 held-out conditions (`PerformerDataset(256, size, seed=789)`, 15 DPM-Solver++ steps,
guidance 1): PCK@0.1 (the pose judge), attribute accuracy by the judge of the model's own size (and, like for like, by
judge_attrs64 on images resized to 64×64), performer FID at 64×64 (judge_fid64) against renders of the same conditions,
seconds per frame at batch 1 (median of 9, the models taking turns), and the training minutes recorded in each model's
metrics.json (the latent model's first stage listed apart).
"""
import argparse, json, statistics, time
from pathlib import Path

from zizi.results import run_command, write_results

ROOT = Path(__file__).resolve().parent.parent


def seconds_per_frame(pipes: dict, poses, attrs, steps: int, repeats: int = 9) -> dict:
    """Median wall-clock seconds of one frame at batch 1 for each pipeline, the pipelines taking turns frame by frame
    (after a warm-up call each), so that a change of load on a shared machine hits them alike."""
    for pipe in pipes.values(): pipe(poses[:1], attrs[:1], steps=steps, guidance=1.0)
    times = {name: [] for name in pipes}
    for i in range(repeats):
        for name, pipe in pipes.items():
            t = time.perf_counter(); pipe(poses[i:i + 1], attrs[i:i + 1], steps=steps, guidance=1.0); times[name].append(time.perf_counter() - t)
    return {name: statistics.median(v) for name, v in times.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", nargs="+", default=["pose64", "latent128"])
    ap.add_argument("--n", type=int, default=256)
    ap.add_argument("--steps", type=int, default=15)
    ap.add_argument("--out", default=str(ROOT / "nbs/results/pixel_vs_latent.json"))
    ap.add_argument("--time-only", action="store_true", help="re-measure only the seconds per frame of an existing --out")
    args = ap.parse_args()
    from zizi.core import pretrained_path
    from zizi.evaluation import evaluate_pose_model, resize_uint8
    from zizi.judges import load_attribute_judge, load_fid_judge
    from zizi.metrics import attribute_accuracy, performer_fid
    from zizi.pipeline import PosePipeline
    from zizi.pose_model import held_out_conditions
    pipes = {name: PosePipeline.from_pretrained(name) for name in args.models}
    spf = seconds_per_frame(pipes, *held_out_conditions(9, data_seed=3), args.steps)
    if args.time_only:
        rows = json.loads(Path(args.out).read_text())["results"]
        for r in rows: r["s_per_frame"] = round(spf[r["model"]], 3)
        write_results(args.out, {"results": rows, "timing_command": run_command()}, merge=True)
        print("updated", args.out, spf)
        return
    rows = []
    for name, pipe in pipes.items():
        m = evaluate_pose_model(pipe, n=args.n, steps=args.steps, guidance=1.0, return_images=True)
        gen64, ren64 = resize_uint8(m["generated"], 64), resize_uint8(m["renders"], 64)
        info = json.loads((pretrained_path(name) / "metrics.json").read_text())
        vae_minutes = None
        if pipe.vae is not None and (pretrained_path(name) / "vae" / "metrics.json").exists():
            vae_minutes = json.loads((pretrained_path(name) / "vae" / "metrics.json").read_text()).get("train_minutes")
        rows.append({"model": name, "space": "latent" if pipe.vae is not None else "pixel", "image_size": pipe.image_size,
                     "model_size": pipe.config.size, "params_M": round(sum(p.numel() for p in pipe.model.parameters()) / 1e6, 2),
                     "train_minutes": info.get("train_minutes"), "first_stage_minutes": vae_minutes,
                     "s_per_frame": round(spf[name], 3),
                     "pck": round(m["pck"], 4), "pck_renders": round(m["pck_renders"], 4),
                     "attr_judge": m["attr_judge"], "attr_mean": round(m["attr_mean"], 4),
                     "attr_mean_renders": round(m["attr_mean_renders"], 4),
                     "attr_acc": {k: round(v, 4) for k, v in m["attr_acc"].items()},
                     "attr_acc_renders": {k: round(v, 4) for k, v in m["attr_acc_renders"].items()},
                     "attr_mean_judge64": round(float(attribute_accuracy(load_attribute_judge(64), gen64, m["attrs"]).mean()), 4),
                     "fid64": round(performer_fid(gen64, ren64, load_fid_judge(64)), 2)})
        print(json.dumps(rows[-1]))
    out = {"conditions": f"PerformerDataset({args.n}, size, seed=789), {args.steps} DPM-Solver++ steps, guidance 1, seed 0",
           "results": rows}
    write_results(args.out, out)
    print("wrote", args.out)


if __name__ == "__main__":
    main()
