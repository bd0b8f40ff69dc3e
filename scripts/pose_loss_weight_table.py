#!/usr/bin/env python
"""Collect notebook 09's before/after table of the joint-weighted loss into nbs/results/pose_loss_weight.json.

    python scripts/pose_loss_weight_table.py 32 64

"Before" (pose_loss_weight 0) is each shipped model's metrics.json at commit 8cc22a6, read with `git show`; "after"
(pose_loss_weight 8) is the metrics.json shipped now. Both were written by
`python scripts/train_pose_model.py --size S && python scripts/train_pose_model.py --size S --ship`.
"""
import json
import subprocess
import sys
from pathlib import Path

BEFORE = "8cc22a6"


def rows_for(size: int) -> list[dict]:
    path = f"data/pretrained/pose{size}/metrics.json"
    old = json.loads(subprocess.check_output(["git", "show", f"{BEFORE}:{path}"]))
    new = json.loads(Path(path).read_text())
    return [{"size": size, "pose_loss_weight": 0.0, "source": f"{path} at commit {BEFORE}", "metrics": old["metrics"]},
            {"size": size, "pose_loss_weight": 8.0, "source": f"{path} (shipped)", "train_minutes": new.get("train_minutes"),
             "metrics": new["metrics"]}]


def main() -> None:
    sizes = [int(s) for s in sys.argv[1:]] or [32, 64]
    out = {"what": "the shipped pose models trained without (weight 0) and with (weight 8) the joint-weighted loss of "
                   "notebook 09 section 3; otherwise the same pose_recipe, data, seed and steps; 128 held-out conditions, "
                   "15 DPM-Solver++ steps",
           "command": "python scripts/pose_loss_weight_table.py " + " ".join(map(str, sizes)),
           "rows": [r for s in sizes for r in rows_for(s)]}
    Path("nbs/results/pose_loss_weight.json").write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
