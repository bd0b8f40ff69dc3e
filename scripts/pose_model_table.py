#!/usr/bin/env python
"""Collect notebook 09's table of the shipped pose models, version by version, into nbs/results/pose_models.json.

    python scripts/pose_model_table.py 32 64

Each row is one shipped version of data/pretrained/pose<size>: its metrics.json and the config fields that changed,
read with `git show` at the commits in VERSIONS, then the version shipped now (skipped when it is the same as the last
one). Every version was written by
`zizi train pose --size S && zizi train pose --size S --ship` with the
`pose_recipe` of its commit; they are judged on the same 128 held-out conditions with 15 DPM-Solver++ steps.

Every row is read by the judge of its size (`zizi.quality.attribute_judge_name`: judge_attrs32 at 32×32, judge_attrs64 at
64×64). A version whose metrics.json was read by another judge (the critic, before notebook 07b had a judge; judge_attrs32
for 64×64 models, before judge_attrs64) has its weights taken from git and judged again at guidance 2 with
`evaluate_pose_model`; the reading it shipped with stays in the row as `metrics_before`. About 10 CPU-minutes.
"""
import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from zizi.results import write_results

# before the joint-weighted loss; before the splat; before longer training; before the head-top joint (64×64)
VERSIONS = ("8cc22a6", "4f89391", "1279cfa", "8dcff1b")
FIELDS = ("pose_loss_weight", "attr_splat", "head_top")  # the recipe fields that differ between the versions


def _read_bytes(commit: str | None, path: str) -> bytes:
    return Path(path).read_bytes() if commit is None else subprocess.check_output(["git", "show", f"{commit}:{path}"])


def _read(commit: str | None, path: str) -> dict: return json.loads(_read_bytes(commit, path))


def judged_again(commit: str | None, folder: str) -> dict:
    "The version's weights, judged at guidance 2 by `evaluate_pose_model` with the attribute judge."
    from zizi.pipeline import PosePipeline
    from zizi.evaluation import evaluate_pose_model
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("config.json", "model.safetensors"): (Path(tmp) / name).write_bytes(_read_bytes(commit, f"{folder}/{name}"))
        return {"guidance_2": evaluate_pose_model(PosePipeline.from_pretrained(tmp), n=128, steps=15, guidance=2.0)}


def rows_for(size: int) -> list[dict]:
    from zizi.judges import attribute_judge_name
    folder = f"data/pretrained/pose{size}"
    rows, last_weights = [], None
    shipped_weights = hashlib.sha256(_read_bytes(None, f"{folder}/model.safetensors")).hexdigest()
    for commit in (*VERSIONS, None):
        weights = hashlib.sha256(_read_bytes(commit, f"{folder}/model.safetensors")).hexdigest()
        if weights == last_weights: continue                                          # not retrained since
        last_weights = weights
        metrics, cfg = _read(commit, f"{folder}/metrics.json"), _read(commit, f"{folder}/config.json")
        steps = _read(commit, f"{folder}/train_config.json")["max_steps"]
        row = {"size": size, "source": f"{folder} " + ("(shipped)" if weights == shipped_weights else f"at commit {commit}"),
               **{k: cfg.get(k, 0) for k in FIELDS}, "max_steps": steps,
               "train_minutes": metrics.get("train_minutes"), "metrics": metrics["metrics"]}
        if metrics["metrics"]["guidance_2"].get("attr_judge") != attribute_judge_name(size):   # another judge's reading: judge again
            row.update(metrics=judged_again(commit, folder), metrics_before=metrics["metrics"])
        print(row["source"], {k: round(row["metrics"]["guidance_2"][k], 3) for k in ("pck", "attr_mean")}, flush=True)
        rows.append(row)
    return rows


def main() -> None:
    sizes = [int(s) for s in sys.argv[1:]] or [32, 64]
    out = {"what": "the shipped pose models, version by version (notebook 09: joint-weighted loss, then the attribute "
                   "splat, then longer training, then at 64×64 the head-top joint); 128 held-out conditions, 15 DPM-Solver++ steps, attributes read by the judge",
           "command": "python scripts/pose_model_table.py " + " ".join(map(str, sizes)),
           "rows": [r for s in sizes for r in rows_for(s)]}
    write_results("nbs/results/pose_models.json", out)


if __name__ == "__main__":
    main()
