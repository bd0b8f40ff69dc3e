#!/usr/bin/env python
"""Fine-tuning pose32 on one performer's frames (notebook 09f): prior preservation x learning rate x frames x steps.

    python scripts/finetune_sweep.py        # ~30 minutes on 2 CPU cores -> nbs/results/finetune_sweep.json

The frames are renders of one performer (`write_example_folder(..., attrs=ME)`, 128x128, OpenPose JSON); each run
starts from pose32 and is judged, at every step count, on 64 held-out poses against the renderer's ground truth
(SSIM, PSNR, PCK@0.1, how often the attribute judge reads the performer's attributes) and on 64 of notebook 09's
held-out conditions of *other* performers (attribute accuracy, PCK): what the run costs everybody else.
"""
import argparse, itertools, shutil, sys, tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from zizi.renderer import render_performers, validate_attrs
from zizi.data import write_example_folder  # noqa: E402
from zizi.finetune import FinetuneConfig, compare_to_frames, finetune_pose_model  # noqa: E402
from zizi.pipeline import PosePipeline
from zizi.evaluation import evaluate_pose_model
from zizi.pose_model import held_out_conditions  # noqa: E402
from zizi.judges import load_attribute_judge  # noqa: E402
from zizi.results import write_results

ME = dict(skin_tone="deep", hair_colour="pink", hair_style="afro", outfit_type="gown", outfit_colour="gold",
          background="violet", accessory="crown")          # notebook 09f's performer


def score(pipe, truth, poses, judge, me_row) -> dict:
    r = compare_to_frames(pipe, truth, poses)
    r["looks_like_me"] = float((judge.predict(r.pop("images")) == me_row).mean())
    others = evaluate_pose_model(pipe, n=64, guidance=1.0)
    r.update(others_attr_mean=others["attr_mean"], others_pck=others["pck"])
    return {k: round(v, 4) for k, v in r.items()}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--priors", default="0,0.5", help="FinetuneConfig.prior values")
    p.add_argument("--lrs", default="1e-4,3e-4")
    p.add_argument("--steps", default="150,300")
    p.add_argument("--frames", default="12,48")
    p.add_argument("--out", default=str(ROOT / "nbs" / "results" / "finetune_sweep.json"))
    args = p.parse_args()
    floats = lambda s: [float(v) for v in s.split(",")]
    priors, lrs, steps, n_frames = floats(args.priors), floats(args.lrs), [int(v) for v in args.steps.split(",")], \
        [int(v) for v in args.frames.split(",")]
    me = validate_attrs(ME)
    poses = held_out_conditions(64, data_seed=1)[0]
    truth = render_performers(poses, [me] * 64, 32)
    judge, me_row = load_attribute_judge(32), np.array(list(me.values()))
    base = PosePipeline.from_pretrained("pose32")
    rows = [dict(prior=None, lr=None, steps=0, frames=None, **score(base, truth, poses, judge, me_row))]
    print(rows[-1], flush=True)
    work = Path(tempfile.mkdtemp(prefix="zizi-ftsweep-"))
    try:
        for n in n_frames:
            write_example_folder(work / f"frames{n}", n=n, seed=11, size=(128, 128), attrs=me)
        for n, prior, lr in itertools.product(n_frames, priors, lrs):
            run = work / f"run{n}_{prior:g}_{lr:g}"
            for until in steps:                               # one run per setting, scored as it passes each step count
                cfg = FinetuneConfig(base="pose32", steps=max(steps), lr=lr, prior=prior, sample_every=0)
                tr = finetune_pose_model(work / f"frames{n}", run, cfg, progress=False, until=until)
                rows.append(dict(prior=prior, lr=lr, steps=until, frames=n, train_minutes=round(tr.history["seconds"][-1] / 60, 2),
                                 **score(PosePipeline(tr.ema_model()), truth, poses, judge, me_row)))
                print(rows[-1], flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    out = dict(what=__doc__.splitlines()[0], command="python scripts/finetune_sweep.py", performer=ME,
               held_out="64 poses of held_out_conditions(64, data_seed=1); others: evaluate_pose_model(n=64, guidance=1)",
               rows=rows)
    write_results(Path(args.out), out)
    print("wrote", args.out)


if __name__ == "__main__":
    main()
