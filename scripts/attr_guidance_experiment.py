#!/usr/bin/env python
"""Does guiding the attributes apart from the pose help them? (notebook 09, section 4: two guidance scales)

    zizi train pose --size 32 --set p_drop_attrs=0.1           # ~30 minutes on 2 CPU cores, resumable
    python scripts/attr_guidance_experiment.py                  # ~3 minutes of judging

The model is the shipped 32×32 recipe, `pose_recipe(32)`, with 10% attribute-only dropout (`p_drop_attrs=0.1`) on top
of its 10% joint dropout, trained by `zizi train` into runs/pose32_p_drop_attrs=0.1. This script judges it with
`evaluate_pose_model` (128 held-out conditions, 15 DPM-Solver++ steps) at pose guidance 1 and 2 and attribute
guidance from 1 to 4, and writes nbs/results/attr_guidance.json. The reference is the shipped pose32: the same
recipe without attribute-only dropout.
"""
import argparse
import json
from pathlib import Path

from zizi.results import run_command, write_results

GRID = ((1.0, None), (1.0, 2.0), (1.0, 3.0), (1.0, 4.0), (2.0, None), (2.0, 3.0), (2.0, 4.0))  # (guidance, attr_guidance)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--run", default="runs/pose32_p_drop_attrs=0.1", help="the finished run of `zizi train pose --size 32 --set p_drop_attrs=0.1`")
    ap.add_argument("--results", default="nbs/results/attr_guidance.json")
    args = ap.parse_args()
    from zizi.evaluation import evaluate_pose_model
    from zizi.pipeline import PosePipeline
    from zizi.train import train_minutes
    run = Path(args.run)
    pipe = PosePipeline.from_pretrained(run / "final")
    train = json.loads((run / "final" / "train_config.json").read_text())
    rows = []
    for g, ga in GRID:
        m = evaluate_pose_model(pipe, n=128, steps=15, guidance=g, attr_guidance=ga)
        rows.append({"guidance": g, "attr_guidance": ga, **{k: m[k] for k in ("pck", "attr_mean", "attr_acc", "attr_judge")}})
        print(json.dumps(rows[-1]), flush=True)
    out = {"what": "pose_recipe(32) with attribute-only dropout, judged at pose guidance x attribute guidance "
                   "(attr_guidance None = the one-scale guidance); 128 held-out conditions, 15 DPM-Solver++ steps",
           "command": f"zizi train pose --size 32 --set p_drop_attrs={pipe.config.p_drop_attrs:g} && {run_command()}",
           "p_drop_attrs": pipe.config.p_drop_attrs, "max_steps": train["max_steps"], "train_minutes": train_minutes(run / "final"),
           "rows": rows}
    write_results(Path(args.results), out)


if __name__ == "__main__":
    main()
