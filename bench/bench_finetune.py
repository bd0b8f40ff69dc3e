#!/usr/bin/env python
"""The cost of a fine-tuning step (notebook 09f) for each shipped pose model, with and without prior renders.

    python bench/bench_finetune.py         # ~3 minutes on 2 CPU cores -> bench/results/finetune.json

Each run fine-tunes one base model on the same 16 rendered frames (128x128, OpenPose JSON) with the default
FinetuneConfig for `--steps` steps; the step time is the Trainer's own wall clock (history.json "seconds") between
its first and last log points, so model loading and the final save are left out. `prior=0` shows what rendering the
prior half of each batch costs; the ratio column compares with the default (prior 0.5) run of the same model.
"""
import argparse, shutil, sys, tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from _common import machine_info, write_result  # noqa: E402
from zizi.renderer import sample_attrs
from zizi.data import write_example_folder  # noqa: E402
from zizi.finetune import FinetuneConfig, finetune_pose_model  # noqa: E402


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--steps", type=int, default=40)
    p.add_argument("--models", default="pose32,pose64")
    args = p.parse_args()
    work = Path(tempfile.mkdtemp(prefix="zizi-bench-ft-"))
    rows = []
    try:
        write_example_folder(work / "frames", n=16, seed=1, size=(128, 128), attrs=sample_attrs(np.random.default_rng(0)))
        for base in args.models.split(","):
            per_step = {}
            for prior in (0.5, 0.0):
                cfg = FinetuneConfig(base=base, steps=args.steps, prior=prior, sample_every=0, checkpoint_every=0)
                tr = finetune_pose_model(work / "frames", work / f"{base}-{prior:g}", cfg, progress=False)
                s, t = tr.history["step"], tr.history["seconds"]
                per_step[prior] = (t[-1] - t[0]) / (s[-1] - s[0])
                rows.append({"base": base, "prior": prior, "batch (frames + renders)": f"{tr.cfg.batch_size} + "
                             f"{cfg.batch_size - tr.cfg.batch_size if prior else 0}",
                             "s per step": round(per_step[prior], 3),
                             "minutes for 300 steps": round(300 * per_step[prior] / 60, 1),
                             "step time / default's": round(per_step[prior] / per_step[0.5], 2)})
                print(rows[-1], flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    write_result("finetune", {"command": "python bench/bench_finetune.py", "machine": machine_info(), "steps": args.steps,
                              "results": rows})


if __name__ == "__main__":
    main()
