#!/usr/bin/env python
"""Lower loss, better images? Every kept checkpoint of one finished pose-model run, its EMA weights judged by performer
FID and attribute accuracy, next to the training loss at that step (notebook 07c) -> `loss_vs_quality` in
nbs/results/lessons.json.

    zizi train pose --size 32 --set attr_splat=0 --set max_steps=800 --set checkpoint_every=100 --set keep_checkpoints=8 \
        --set sample_every=0 --results nbs/results/lessons.json          # the run (~15 minutes on 2 cores), resumable
    python scripts/loss_vs_quality.py runs/pose32_attr_splat=0_max_steps=800   # then its 8 checkpoints (~10 minutes)

Each checkpoint is judged by `evaluate_pose_model` (128 held-out conditions, 15 DPM-Solver++ steps, guidance 1); FID
with the shipped FID judge of the size against `PerformerDataset(2000, size, seed=123)`; the loss is the mean of the 5
logged values up to the checkpoint's step.
"""
import argparse
import json
from pathlib import Path

from zizi.results import write_results


def ema_model(run: Path, step: int):
    "The EMA weights of the checkpoint at `step` as a PoseModel (eval mode)."
    from zizi.pose_model import PoseModel, PoseModelConfig
    from zizi.weights import read_safetensors
    model = PoseModel(PoseModelConfig.from_dict(json.loads((run / "recipe.json").read_text())["model"]))
    ck = run / "checkpoints" / f"step_{step:07d}"
    model.load_state_dict(read_safetensors(ck / "model.safetensors"))
    shadow = read_safetensors(ck / "ema.safetensors")
    for i, p in enumerate(model.parameters()): p.data.copy_(shadow[str(i)])
    return model.eval()


def loss_vs_quality(run: Path, n: int = 128) -> list[dict]:
    "Each kept checkpoint of `run`: training loss (mean of the 5 logged values up to it), performer FID, attributes, PCK."
    import numpy as np
    from zizi.data import PerformerDataset
    from zizi.evaluation import evaluate_pose_model
    from zizi.judges import load_fid_judge
    from zizi.metrics import performer_fid
    from zizi.pipeline import PosePipeline
    hist = json.loads((run / "final" / "history.json").read_text())
    size = json.loads((run / "recipe.json").read_text())["size"]
    reference = PerformerDataset(2000, size, seed=123).images.numpy()
    rows = []
    for step in sorted(int(p.name.split("_")[1]) for p in (run / "checkpoints").glob("step_*")):
        m = evaluate_pose_model(PosePipeline(ema_model(run, step), device="cpu"), n=n, steps=15, guidance=1.0, return_images=True)
        k = [i for i, s in enumerate(hist["step"]) if s <= step][-5:]
        rows.append({"step": step, "loss": float(np.mean([hist["loss"][i] for i in k])),
                     "fid": performer_fid(m["generated"], reference, load_fid_judge(size)),
                     "attr_mean": m["attr_mean"], "pck": m["pck"]})
        print(rows[-1], flush=True)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("run", nargs="?", default="runs/pose32_attr_splat=0_max_steps=800", help="a finished run folder with checkpoints/")
    ap.add_argument("--results", default="nbs/results/lessons.json")
    args = ap.parse_args()
    write_results(args.results, {"loss_vs_quality": loss_vs_quality(Path(args.run)), "loss_vs_quality_run": args.run}, merge=True)


if __name__ == "__main__":
    main()
