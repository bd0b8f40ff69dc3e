#!/usr/bin/env python
"""Three lessons practitioners report, measured at equal compute on the 32×32 pose recipe (short runs, minutes each).

    python scripts/lessons.py                      # all four runs (~15 minutes each on 2 cores), then judge them
    python scripts/lessons.py --only onehot        # one run; rerun the same command after a kill to resume
    nice -n 10 python scripts/lessons.py --seed 1  # the same four runs at training seed 1 (runs/lessons/seed1/<name>)

Runs (runs/lessons/<name>, resumable), all `pose_recipe(32)` without the attribute splat, 800 steps of batch 32,
every 100th step kept as a checkpoint:

* `onehot` / `integer`: attributes enter as one-hot codes, or as their integer indices scaled to [0, 1]
  (`PoseModelConfig.attr_input`; tokens and the global attribute vector both) — the cartoon-avatar blog's finding 1
  (notebook 08, section 8);
* `heads4` / `heads1`: attributes only through cross-attention (no global vector), with 4 heads or 1 — the blog
  credits multi-head attention with fixing colours (notebook 08, section 9);
* loss against quality within one run: every checkpoint of `onehot`, its EMA weights judged by performer FID and
  attribute accuracy, next to the training loss at that step (notebook 07c).

Every model is judged by `evaluate_pose_model` (128 held-out conditions, 15 DPM-Solver++ steps, guidance 1).
Results: nbs/results/lessons.json.
"""
import argparse
import json
import sys
import time
from pathlib import Path

from _results import write_results

ROOT = Path(__file__).resolve().parent.parent
RUNS = ROOT / "runs" / "lessons"
RESULTS = ROOT / "nbs" / "results" / "lessons.json"
STEPS, EVERY = 800, 100


def variants() -> dict:
    "name -> PoseModelConfig changes to pose_recipe(32)."
    base = {"attr_splat": 0}
    return {"onehot": base, "integer": {**base, "attr_input": "integer"},
            "heads4": {**base, "attr_global": False}, "heads1": {**base, "attr_global": False, "unet.num_heads": 1}}


def run_dir(name: str, seed: int = 0) -> Path:
    "runs/lessons/<name> for the default seed 0 (the runs first reported), runs/lessons/seed<k>/<name> otherwise."
    return RUNS / name if seed == 0 else RUNS / f"seed{seed}" / name


def train(name: str, seed: int = 0):
    from zizi.pose_model import pose_recipe, train_pose_model
    cfg, kw = pose_recipe(32)
    cfg = cfg.with_changes(variants()[name])
    kw = {**kw, "max_steps": STEPS, "checkpoint_every": EVERY, "keep_checkpoints": STEPS // EVERY, "sample_every": 0, "seed": seed}
    return train_pose_model(run_dir(name, seed), cfg, size=32, n_images=20_000, data_seed=0, **kw)


def ema_model(run: Path, step: int):
    "The EMA weights of the checkpoint at `step` as a PoseModel (eval mode)."
    from safetensors.torch import load_file
    from zizi.pose_model import PoseModel, PoseModelConfig
    recipe = json.loads((run / "recipe.json").read_text())
    model = PoseModel(PoseModelConfig.from_dict(recipe["model"]))
    ck = run / "checkpoints" / f"step_{step:07d}"
    model.load_state_dict(load_file(str(ck / "model.safetensors")))
    shadow = load_file(str(ck / "ema.safetensors"))
    for i, p in enumerate(model.parameters()): p.data.copy_(shadow[str(i)])
    return model.eval()


def judge(name: str, seed: int = 0) -> dict:
    from zizi.evaluation import evaluate_pose_model
    from zizi.pipeline import PosePipeline
    from zizi.train import train_minutes
    run = run_dir(name, seed)
    m = evaluate_pose_model(PosePipeline.from_pretrained(run / "final"), n=128, steps=15, guidance=1.0)
    hist = json.loads((run / "final" / "history.json").read_text())
    return {"changes": variants()[name], "seed": seed, "train_minutes": train_minutes(run / "final"),
            "final_loss": sum(hist["loss"][-10:]) / len(hist["loss"][-10:]), **m}


def loss_vs_quality(name: str = "onehot", n: int = 128) -> list[dict]:
    "Each kept checkpoint of one run: training loss (mean of the 5 logged values up to it), performer FID, attributes."
    import numpy as np
    from zizi.data import PerformerDataset
    from zizi.evaluation import evaluate_pose_model
    from zizi.judges import load_fid_judge
    from zizi.metrics import performer_fid
    from zizi.pipeline import PosePipeline
    run = RUNS / name
    hist = json.loads((run / "final" / "history.json").read_text())
    reference = PerformerDataset(2000, 32, seed=123).images.numpy()
    rows = []
    for step in range(EVERY, STEPS + 1, EVERY):
        pipe = PosePipeline(ema_model(run, step), device="cpu")
        m = evaluate_pose_model(pipe, n=n, steps=15, guidance=1.0, return_images=True)
        k = [i for i, s in enumerate(hist["step"]) if s <= step][-5:]
        rows.append({"step": step, "loss": float(np.mean([hist["loss"][i] for i in k])),
                     "fid": performer_fid(m["generated"], reference, load_fid_judge(32)),
                     "attr_mean": m["attr_mean"], "pck": m["pck"]})
        print(rows[-1], flush=True)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", choices=list(variants()), help="train (and judge) one run only")
    ap.add_argument("--seed", type=int, default=0, help="training seed (weights, batch order, noise); 0 = the first runs")
    ap.add_argument("--threads", type=int, default=None, help="torch threads (default: torch's)")
    args = ap.parse_args()
    import torch
    if args.threads: torch.set_num_threads(args.threads)
    names = [args.only] if args.only else list(variants())
    for name in names:
        t0 = time.time(); train(name, args.seed); print(f"{name}: trained in {(time.time() - t0) / 60:.1f} min", flush=True)
    res = json.loads(RESULTS.read_text()) if RESULTS.exists() else {"runs": {}}
    res.update(command="python scripts/lessons.py", steps=STEPS, recipe="pose_recipe(32) without the splat")
    cmd = " ".join(["python scripts/lessons.py", *sys.argv[1:]])
    if cmd not in res.setdefault("commands", []): res["commands"].append(cmd)
    key = (lambda name: name) if args.seed == 0 else (lambda name: f"{name} · seed {args.seed}")
    for name in names: res["runs"][key(name)] = judge(name, args.seed)
    if "onehot" in names and args.seed == 0: res["loss_vs_quality"] = loss_vs_quality("onehot")
    write_results(RESULTS, res)
    for name in names: print(key(name), {k: res["runs"][key(name)][k] for k in ("attr_mean", "pck", "final_loss", "train_minutes")})


if __name__ == "__main__":
    main()
