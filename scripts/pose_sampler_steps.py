#!/usr/bin/env python
"""Do more sampling steps draw the small attributes better? Judge a shipped pose model with several samplers.

    python scripts/pose_sampler_steps.py                 # pose32, ~4 CPU-minutes
    python scripts/pose_sampler_steps.py --model pose64

Each row is `evaluate_pose_model` (128 held-out conditions, guidance 1, the judge of the model's size) with one
(sampler, steps); the rows go to nbs/results/pose_sampler_steps.json with the command and seconds per row.
"""
import argparse, sys, time
from pathlib import Path
from zizi.results import write_results

GRID = (("dpmpp_2m", 15), ("dpmpp_2m", 50), ("ddim", 50), ("ddpm", 200))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default="pose32", help="a shipped model name or a folder")
    ap.add_argument("--results", default="nbs/results/pose_sampler_steps.json")
    args = ap.parse_args()
    from zizi.pipeline import PosePipeline
    from zizi.evaluation import evaluate_pose_model
    pipe = PosePipeline.from_pretrained(args.model)
    rows = []
    for sampler, steps in GRID:
        t0 = time.perf_counter()
        m = evaluate_pose_model(pipe, n=128, steps=steps, guidance=1.0, sampler=sampler)
        rows.append({**m, "seconds": round(time.perf_counter() - t0, 1)})
        print(f"{sampler} {steps}: PCK {m['pck']:.3f}, attributes {m['attr_mean']:.3f} ({m['attr_judge']})", flush=True)
    out = {"what": "one shipped pose model judged with several samplers and step counts; 128 held-out conditions, guidance 1",
           "model": args.model, "command": " ".join(["python", *sys.argv]), "rows": rows}
    write_results(Path(args.results), out)


if __name__ == "__main__":
    main()
