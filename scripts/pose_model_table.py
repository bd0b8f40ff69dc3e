#!/usr/bin/env python
"""Collect notebook 09's table of the shipped pose models, version by version, into nbs/results/pose_models.json.

    python scripts/pose_model_table.py 32 64

Each row is one shipped version of data/pretrained/pose<size>: its metrics.json and the config fields that changed,
read with `git show` at the commits in VERSIONS, then the version shipped now (skipped when it is the same as the last
one). Every version was written by
`python scripts/train_pose_model.py --size S && python scripts/train_pose_model.py --size S --ship` with the
`pose_recipe` of its commit; they are judged on the same 128 held-out conditions with 15 DPM-Solver++ steps.
"""
import json
import subprocess
import sys
from pathlib import Path

VERSIONS = ("8cc22a6", "4f89391")           # before the joint-weighted loss; before the attribute splat
FIELDS = ("pose_loss_weight", "attr_splat")  # the recipe fields that differ between the versions


def _read(commit: str | None, path: str) -> dict:
    text = Path(path).read_text() if commit is None else subprocess.check_output(["git", "show", f"{commit}:{path}"])
    return json.loads(text)


def rows_for(size: int) -> list[dict]:
    folder = f"data/pretrained/pose{size}"
    rows = []
    for commit in (*VERSIONS, None):
        metrics, cfg = _read(commit, f"{folder}/metrics.json"), _read(commit, f"{folder}/config.json")
        if rows and metrics["metrics"] == rows[-1]["metrics"]: continue          # not retrained since
        steps = _read(commit, f"{folder}/train_config.json")["max_steps"]
        rows.append({"size": size, "source": f"{folder} " + (f"at commit {commit}" if commit else "(shipped)"),
                     **{k: cfg.get(k, 0) for k in FIELDS}, "max_steps": steps,
                     "train_minutes": metrics.get("train_minutes"), "metrics": metrics["metrics"]})
    return rows


def main() -> None:
    sizes = [int(s) for s in sys.argv[1:]] or [32, 64]
    out = {"what": "the shipped pose models, version by version (notebook 09: joint-weighted loss, then the attribute "
                   "splat); 128 held-out conditions, 15 DPM-Solver++ steps",
           "command": "python scripts/pose_model_table.py " + " ".join(map(str, sizes)),
           "rows": [r for s in sizes for r in rows_for(s)]}
    Path("nbs/results/pose_models.json").write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
