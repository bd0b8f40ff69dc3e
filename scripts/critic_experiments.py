#!/usr/bin/env python
"""Is the attribute critic limited by the pixels or by its own training? Train critic variants and record how well
each reads held-out renders (notebook 07b shows the table).

    python scripts/critic_experiments.py --size 32 --out nbs/results/critic_variants.json --save-dir runs/critics
    python scripts/critic_experiments.py --size 32 --out nbs/results/critic_variants.json --save-dir runs/critics \
        --pose-models pose32 pose64

Variants: the shipped critic (mean pooling, 1,500 steps on 20,000 renders) is evaluated as it is; the others are
trained with `zizi.judges.train_attribute_judge` (mean+max pooling at the shipped budget, then a 3x longer run on 2x the renders). Every variant
is scored on the same 1,000 held-out renders, `PerformerDataset(1000, size, seed=456)`. Each finished variant is
written to the JSON file at once, so an interrupted run keeps what it measured and a rerun skips it.

With `--pose-models`, each shipped pose model generates images for the 128 held-out conditions of notebook 09
(`evaluate_pose_model`: 15 DPM-Solver++ steps, guidance 2, downsized to the critic's size) and every variant (the
trained ones loaded from `--save-dir`) reads their attributes: does a better judge change the verdict on the models?

The best variant (mean+max pooling, 4,500 steps, 40k renders) became the shipped attribute judges: `zizi train judge
--size 32` (and 64) trains exactly it and `--ship` ships it (notebook 15).
"""
import argparse, dataclasses, json, sys, time
from pathlib import Path
from _results import write_results

VARIANTS = {  # name: (pool, steps, n_images); None = the shipped critic, evaluated as it is
    "shipped: mean pool, 1,500 steps, 20k renders": None,
    "mean+max pool, 1,500 steps, 20k renders": ("meanmax", 1500, 20_000),
    "mean+max pool, 4,500 steps, 40k renders": ("meanmax", 4500, 40_000),
}


def variant_dir(save_dir: str, size: int, i: int) -> Path: return Path(save_dir) / f"critic{size}_v{i}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=32)
    ap.add_argument("--out", required=True, help="JSON file; variants already in it are skipped")
    ap.add_argument("--save-dir", default=None, help="also save each trained critic here (one folder per variant)")
    ap.add_argument("--pose-models", nargs="*", default=[], help="shipped pose models to judge with every variant")
    args = ap.parse_args()
    from zizi.renderer import ATTR_NAMES
    from zizi.data import PerformerDataset
    from zizi.metrics import attribute_accuracy
    from zizi.judges import attribute_judge_config, load_fid_judge, train_attribute_judge
    out = Path(args.out)
    res = json.loads(out.read_text()) if out.exists() else {}
    if res.get("size", args.size) != args.size: raise SystemExit(f"{out} holds size-{res['size']} critics, not size {args.size}")
    res.update(size=args.size, heldout="PerformerDataset(1000, size, seed=456)")
    command = " ".join(["python", *sys.argv])
    if command not in res.setdefault("commands", []): res["commands"].append(command)
    runs = res.setdefault("variants", {})
    held = PerformerDataset(1000, args.size, seed=456)
    images, attrs = held.images.numpy(), held.labels()[1]
    for i, (name, spec) in enumerate(VARIANTS.items()):
        if name in runs: print("skip (already measured):", name); continue
        t0 = time.perf_counter()
        if spec is None: critic, info = load_fid_judge(args.size), {"pool": "mean", "steps": 1500, "n_images": 20_000}
        else:
            pool, steps, n = spec
            critic = train_attribute_judge(args.size, n, steps=steps, cfg=dataclasses.replace(attribute_judge_config(args.size), pool=pool))
            info = {"pool": pool, "steps": steps, "n_images": n}
            if args.save_dir: critic.save_pretrained(variant_dir(args.save_dir, args.size, i))
        acc = attribute_accuracy(critic, images, attrs)
        runs[name] = {**info, "accuracy": dict(zip(ATTR_NAMES, acc.round(4).tolist())), "mean": round(float(acc.mean()), 4),
                      "minutes": round((time.perf_counter() - t0) / 60, 1)}
        print(name, json.dumps(runs[name]))
        write_results(out, res)
    if args.pose_models: judge_pose_models(args, res, out)


def judge_pose_models(args, res: dict, out: Path) -> None:
    from zizi.renderer import ATTR_NAMES
    from zizi.pipeline import PosePipeline
    from zizi.evaluation import resize_uint8
    from zizi.evaluation import evaluate_pose_model
    from zizi.judges import AttributeJudge, load_fid_judge
    from zizi.metrics import attribute_accuracy
    if args.save_dir is None: raise SystemExit("--pose-models needs --save-dir (the folder the trained variants were saved in)")
    runs = res["variants"]
    critics = {name: load_fid_judge(args.size) if VARIANTS[name] is None else
               AttributeJudge.from_pretrained(variant_dir(args.save_dir, args.size, i))
               for i, name in enumerate(VARIANTS) if name in runs}
    for model in args.pose_models:
        ev = evaluate_pose_model(PosePipeline.from_pretrained(model), n=128, guidance=2.0, return_images=True,
                                 critic=next(iter(critics.values())))       # the images; each critic reads them below
        for name, critic in critics.items():
            acc = {kind: attribute_accuracy(critic, resize_uint8(ev[kind], args.size), ev["attrs"]) for kind in ("generated", "renders")}
            runs[name].setdefault("pose_models", {})[model] = {
                "size": ev["size"], "pck": round(ev["pck"], 4),
                **{f"attr_{kind}": dict(zip(ATTR_NAMES, a.round(4).tolist())) for kind, a in acc.items()},
                **{f"attr_mean_{kind}": round(float(a.mean()), 4) for kind, a in acc.items()}}
            print(model, name, runs[name]["pose_models"][model]["attr_mean_generated"])
    res["pose_models_note"] = ("each pose model's 128 held-out conditions (evaluate_pose_model, 15 DPM-Solver++ steps, "
                               "guidance 2, seed 0), images downsized to the critic's size")
    write_results(out, res)


if __name__ == "__main__":
    sys.exit(main())
