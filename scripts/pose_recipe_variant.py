#!/usr/bin/env python
"""Train and judge a variant of a shipped pose recipe: one recipe change at a time, measured the same way.

    python scripts/pose_recipe_variant.py --size 32 --set pose_loss_weight=16          # ~30 minutes, resumable
    python scripts/pose_recipe_variant.py --size 32 --train max_steps=4500

`--set FIELD=VALUE` overrides a `PoseModelConfig` field of `pose_recipe(size)` (`--set unet.attention_levels=[1,2,3]`
one key of a dict field such as the UNet's), `--train KEY=VALUE` a Trainer keyword
(values are read as JSON, so numbers, booleans and lists work). The run goes to runs/pose<size>_<changes> (rerun the
same command after a kill to resume); the finished model is judged with `evaluate_pose_model` (128 held-out
conditions, 15 DPM-Solver++ steps, guidance 1 and 2) and the result is added to nbs/results/pose_recipe_variants.json
under the variant's name, next to the command and the training minutes. Nothing is shipped: a variant that wins is
made the recipe in notebook 09 and retrained with `zizi train pose`.
"""
import argparse
import json
import sys
from pathlib import Path
from _results import write_results


def parse_overrides(items: list[str], what: str) -> dict:
    "['a=1', 'b=[1, 2]'] -> {'a': 1, 'b': [1, 2]}; a clear error for anything else."
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key: raise SystemExit(f"{what} {item!r}: expected KEY=VALUE")
        try: out[key] = json.loads(value)
        except json.JSONDecodeError: out[key] = value
    return out


def train_variant(size: int, model_kw: dict, train_kw: dict | None = None):
    "Train `pose_recipe(size)` with the changes into runs/pose<size>_<changes> (resuming); (name, trainer kwargs, pipeline)."
    from zizi.pipeline import PosePipeline
    from zizi.pose_model import pose_recipe, train_pose_model
    train_kw = train_kw or {}
    if not model_kw and not train_kw: raise SystemExit("nothing to vary: give at least one --set or --train")
    cfg, train = pose_recipe(size)
    try: cfg = cfg.with_changes(model_kw)
    except ValueError as e: raise SystemExit(f"--set: {e}") from None
    train = {**train, **train_kw}
    name = f"pose{size}_" + "_".join(f"{k}={v}" for k, v in {**model_kw, **train_kw}.items()).replace(" ", "")
    train_pose_model(Path("runs") / name, cfg, size=size, n_images=20_000, data_seed=0, **train)
    return name, train, PosePipeline.from_pretrained(Path("runs") / name / "final")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, choices=(32, 64), default=32)
    ap.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE", help="a PoseModelConfig field")
    ap.add_argument("--train", action="append", default=[], metavar="KEY=VALUE", help="a Trainer keyword")
    ap.add_argument("--results", default="nbs/results/pose_recipe_variants.json")
    args = ap.parse_args()
    from zizi.evaluation import evaluate_pose_model
    from zizi.train import train_minutes
    model_kw, train_kw = parse_overrides(args.set, "--set"), parse_overrides(args.train, "--train")
    name, train, pipe = train_variant(args.size, model_kw, train_kw)
    metrics = {f"guidance_{g:g}": evaluate_pose_model(pipe, n=128, steps=15, guidance=g) for g in (1.0, 2.0)}
    results = Path(args.results)
    res = json.loads(results.read_text()) if results.exists() else {
        "what": "variants of pose_recipe(size), one change at a time; 128 held-out conditions, 15 DPM-Solver++ steps",
        "variants": {}}
    res["variants"][name] = {"size": args.size, "command": " ".join(["python", *sys.argv]), "model_changes": model_kw,
                             "train_changes": train_kw, "max_steps": train["max_steps"],
                             "train_minutes": train_minutes(Path("runs") / name / "final"), "metrics": metrics}
    write_results(results, res)
    for g, m in metrics.items():
        print(f"{name} {g}: PCK {m['pck']:.3f}, attributes {m['attr_mean']:.3f} ({m['attr_judge']})")


if __name__ == "__main__":
    main()
