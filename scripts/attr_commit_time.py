#!/usr/bin/env python
"""When does the sampler commit to the attributes? Swap them mid-trajectory and read which set the image ends with.

    python scripts/attr_commit_time.py                                               # pose32, ~7 minutes (`seconds` in the results)
    python scripts/attr_commit_time.py --model runs/pose32_prediction=v/final --name pose32_v

For 128 held-out conditions (pose P, attributes A; the conditions of `evaluate_pose_model`) and a second attribute
set B that differs from A in every attribute, the sampler (15 DPM-Solver++ steps, guidance 1, the same noise) follows
(P, A) for the first k model calls and (P, B) for the rest, k = 0..15. The judge of the model's size reads the final
images; per attribute and k, the share read as A and the share read as B. k = 0 is the model asked for B, k = 15 for A:
the k at which an attribute's reading turns from B to A is the step where the trajectory committed to it.
Rows go to nbs/results/attr_commit.json under --name (with the command, the timesteps and the seconds).
"""
import argparse, time

import numpy as np
import torch

from zizi.results import run_command, write_results


def other_attrs(attrs: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    "A second attribute set that differs from `attrs` (N, n_attrs) in every attribute, uniformly among the other values."
    from zizi.renderer import ATTR_SIZES
    sizes = np.asarray(ATTR_SIZES)
    return (attrs + rng.integers(1, sizes, size=attrs.shape)) % sizes


def switched(fn_a, fn_b, k: int):
    "A model_fn that is `fn_a` for its first `k` calls and `fn_b` after (one call per DPM-Solver++ step)."
    calls = 0
    def fn(x, t):
        nonlocal calls
        calls += 1
        return (fn_a if calls <= k else fn_b)(x, t)
    return fn


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default="pose32", help="a shipped model name or a folder")
    ap.add_argument("--name", default=None, help="the key in the results file (default: --model)")
    ap.add_argument("--steps", type=int, default=15)
    ap.add_argument("--results", default="nbs/results/attr_commit.json")
    args = ap.parse_args()
    from zizi.core import to_uint8
    from zizi.renderer import ATTR_NAMES
    from zizi.data import PerformerDataset
    from zizi.pipeline import PosePipeline
    from zizi.pose_model import pose_denoiser
    from zizi.judges import load_attribute_judge
    from zizi.sampling import make_timesteps, sample
    from zizi.schedules import NoiseSchedule
    t0 = time.perf_counter()
    model = PosePipeline.from_pretrained(args.model).model
    cfg = model.config
    poses, attrs_a = PerformerDataset(128, cfg.size, seed=789).labels()
    attrs_b = other_attrs(attrs_a, np.random.default_rng(0))
    judge = load_attribute_judge(cfg.size)
    betas = NoiseSchedule.from_kind(cfg.schedule, cfg.n_train_steps).betas
    fn_a, fn_b = (pose_denoiser(model, poses, a, guidance=1.0) for a in (attrs_a, attrs_b))
    rows = []
    for k in range(args.steps + 1):
        x = sample(switched(fn_a, fn_b, k), (len(poses), 3, cfg.size, cfg.size), betas, steps=args.steps,
                   sampler="dpmpp_2m", prediction=cfg.prediction, generator=torch.Generator().manual_seed(0))
        read = judge.predict(to_uint8(x))
        rows.append({"k": k, "read_as_a": dict(zip(ATTR_NAMES, (read == attrs_a).mean(0).round(4).tolist())),
                     "read_as_b": dict(zip(ATTR_NAMES, (read == attrs_b).mean(0).round(4).tolist()))})
        print(k, " ".join(f"{n[:8]} {a:.2f}/{b:.2f}" for n, a, b in
                          zip(ATTR_NAMES, rows[-1]["read_as_a"].values(), rows[-1]["read_as_b"].values())), flush=True)
    write_results(args.results, {
        "what": "attributes A for the first k of 15 DPM-Solver++ steps, B after; the judge's reading of the final images "
                "(128 held-out conditions, guidance 1)",
        "models": {args.name or args.model: {
            "model": args.model, "command": run_command(), "prediction": cfg.prediction,
            "timesteps": make_timesteps(cfg.n_train_steps, args.steps, "trailing").tolist(),
            "seconds": round(time.perf_counter() - t0, 1), "rows": rows}}}, merge=True)


if __name__ == "__main__":
    main()
