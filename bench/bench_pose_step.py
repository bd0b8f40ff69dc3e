#!/usr/bin/env python
"""The cost of a training step of a pose recipe and of its variants, side by side in one run.

    python bench/bench_pose_step.py                # pose_recipe(32) vs attention at 16×16 too, at 32×32 too, a head-top joint
    python bench/bench_pose_step.py --size 64      # pose_recipe(64), the same attention variants, without its head-top joint

Each model gets the same batch of 32 renders and the step `train_pose_model` takes: `pose_batch` (condition dropout,
joint-weighted loss), `diffusion_loss`, backward, AdamW — under the autocast the Trainer picks on this CPU. The
models are timed alternately, repeat by repeat, so a change in machine load hits all of them alike; the ratio is
the median over repeats of (variant's time / recipe's time) in the same repeat.
"""
import argparse, statistics, sys, time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from _common import machine_info, write_result  # noqa: E402
from zizi.core import autocast_dtype  # noqa: E402
from zizi.data import PerformerDataset  # noqa: E402
from zizi.pose_model import PoseModel, PoseModelConfig, pose_batch, pose_recipe  # noqa: E402
from zizi.schedules import NoiseSchedule  # noqa: E402
from zizi.train import diffusion_loss  # noqa: E402


def recipe_variants(cfg: PoseModelConfig) -> dict:
    """name -> PoseModelConfig changes ("unet." for its UNet's fields): the recipe; attention added at 16×16, then
    (where the image allows it) 32×32 as well; and the head-top joint switched (off at 64, where the recipe has it)."""
    unet = cfg.to_dict()["unet"]
    out, added = {"recipe": {}}, {lvl % len(unet["channel_mults"]) for lvl in unet["attention_levels"]}
    for res in (16, 32):
        if res > cfg.size: break
        added.add((cfg.size // res).bit_length() - 1)      # level index of resolution `res`: size / 2**level == res
        out[f"attention at {res}×{res} too"] = {"unet.attention_levels": sorted(added)}
    out["without the head-top joint" if cfg.head_top else "with the head-top joint"] = {"head_top": not cfg.head_top}
    return out


def step_fn(cfg: PoseModelConfig, batch: dict):
    "One training step of a fresh model of `cfg` on `batch`, as a closure."
    torch.manual_seed(0)
    model = PoseModel(cfg).train()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4)
    schedule, dtype = NoiseSchedule.from_kind(cfg.schedule, cfg.n_train_steps), autocast_dtype("cpu")
    g = torch.Generator().manual_seed(0)
    def step():
        x0, cond, weight = pose_batch(batch, cfg.p_uncond, g, cfg.use_attrs, cfg.pose_loss_weight, head_top=cfg.head_top)
        with torch.autocast("cpu", dtype=dtype or torch.bfloat16, enabled=dtype is not None):
            loss = diffusion_loss(model, x0, schedule, cfg.prediction, generator=g, cond=cond, weight=weight)
        opt.zero_grad(set_to_none=True); loss.backward(); opt.step()
    return step


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeats", type=int, default=7)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--size", type=int, choices=(32, 64), default=32)
    args = p.parse_args()
    cfg, _ = pose_recipe(args.size)
    variants = recipe_variants(cfg)
    batch = torch.utils.data.default_collate([PerformerDataset(args.batch, args.size, seed=0)[i] for i in range(args.batch)])
    steps = {name: step_fn(cfg.with_changes(change), batch)
             for name, change in variants.items()}
    times = {name: [] for name in steps}
    for fn in steps.values(): fn()                                        # warm-up
    for _ in range(args.repeats):
        for name, fn in steps.items():
            t0 = time.perf_counter(); fn(); times[name].append(time.perf_counter() - t0)
    base = times["recipe"]
    rows = [{"variant": name, "changes": str(variants[name] or "—"), "train step ms": round(1e3 * statistics.median(ts)),
             "steps per s": round(1 / statistics.median(ts), 2),
             "step time / recipe's": round(statistics.median(t / b for t, b in zip(ts, base)), 2)}
            for name, ts in times.items()]
    for r in rows: print(r)
    command = "python bench/bench_pose_step.py" + ("" if args.size == 32 else f" --size {args.size}")
    write_result("pose_step" if args.size == 32 else f"pose_step{args.size}",
                 {"command": command, "machine": machine_info(), "size": args.size, "batch": args.batch,
                  "repeats": args.repeats, "results": rows, "times_s": {k: [round(t, 4) for t in v] for k, v in times.items()}})


if __name__ == "__main__":
    main()
