#!/usr/bin/env python
"""Notebook 12's table: each teacher at its sampler settings against its one-step student, side by side in one run.

    python scripts/distill_table.py            # -> nbs/results/distill.json (about 20 minutes on 2 idle CPU cores)
    python scripts/distill_table.py --rows teacher     # only the teachers' rows (merged into an existing table)
    python scripts/distill_table.py --rows student     # only the students' rows, e.g. when a student is retrained
    python scripts/distill_table.py --time-only        # re-time every row of the table in one pass, rows taking turns
    python scripts/distill_table.py --teachers pose64 --rows student --student runs/pose64_1step_cd/final --label consistency
                                                       # another student of a teacher (e.g. consistency distillation), as rows of its own

For every teacher (pose64, latent128) and its student (<teacher>_1step, shipped or under runs/<teacher>_1step/final), on
the same 256 held-out conditions (`PerformerDataset(256, size, seed=789)`, seed 0): sampler steps, network evaluations
per frame, performer FID at 64×64 (judge_fid64) against renders of the same conditions, attribute accuracy (the judge
of the model's size), PCK@0.1, SSIM to the renderer's own drawing of each condition (torchmetrics), milliseconds per
frame end to end at batch 1 through `zizi.realtime.Performer` (median over a smooth dance, its default threads and
precision; all rows timed in one pass, taking turns frame by frame, so that the load of a shared machine hits them
alike), flicker on that dance relative to the renderer's (mean of 3 seeds, fixed noise per look), and the CPU
minutes the student took to distil (its trajectory cache + training, from its history).
"""
import argparse, json, sys, time
from pathlib import Path

import numpy as np
import torch

from _results import write_results  # noqa: E402
from zizi.recipes import git_commit  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def find_student(teacher: str) -> Path | None:
    "The shipped student of `teacher`, else its finished run folder, else None."
    from zizi.core import data_dir
    for p in (data_dir() / "pretrained" / f"{teacher}_1step", ROOT / "runs" / f"{teacher}_1step" / "final"):
        if (p / "sampling.json").exists(): return p
    return None


def dance_measures(pipe, steps: int, guidance: float, seeds=(0, 1, 2)) -> dict:
    "ms per frame (median, Performer defaults) and flicker relative to the renderer's on a 16-frame dance, over `seeds`."
    from zizi.live import choreography, flicker
    from zizi.realtime import Performer, dance_with
    from zizi.renderer import render_performers
    moves = choreography(["stand", "vogue", "strike a pose", "high kick"], frames_per_move=4)
    ratios = []
    for s in seeds:
        p = Performer(pipe, steps=steps, guidance=guidance, seed=s, attrs={"outfit_colour": "gold", "background": "violet"})
        frames = dance_with(p, moves)
        truth = render_performers(moves, [p.look] * len(moves), pipe.image_size)
        ratios.append(flicker(frames) / flicker(truth))
    return {"flicker_vs_renderer": round(float(np.mean(ratios)), 3), "flicker_spread": round(float(np.ptp(ratios)), 3)}


def time_rows(rows: list[dict], pipes: dict, rounds: int = 9) -> None:
    """Set `ms_per_frame` / `ms_network` of every row: medians over `rounds` dance frames at batch 1 through a
    `Performer` (its default threads and precision), the rows taking turns frame by frame after two warm-up frames each."""
    from zizi.live import choreography
    from zizi.realtime import Performer
    moves = choreography(["stand", "vogue", "strike a pose", "high kick"], frames_per_move=4)
    perf = [Performer(pipes[r["model"]], steps=r["steps"], guidance=r["guidance"]) for r in rows]
    for p in perf: p.step(moves[0]); p.step(moves[1])
    times = [[] for _ in rows]
    for i in range(rounds):
        for k, p in enumerate(perf):
            p.step(moves[(i + 2) % len(moves)]); times[k].append((p.timings["total"], p.timings["network"]))
    for r, t in zip(rows, times):
        r["ms_per_frame"] = round(float(np.median([a for a, _ in t])), 1)
        r["ms_network"] = round(float(np.median([b for _, b in t])), 1)
        r["fps"] = round(1e3 / r["ms_per_frame"], 1)


def row(pipe, name: str, steps: int, guidance: float, n: int, fid_judge, cpu_minutes=None) -> dict:
    from zizi.distill import ssim_to_reference
    from zizi.evaluation import evaluate_pose_model, resize_uint8
    from zizi.metrics import performer_fid
    t = time.time()
    m = evaluate_pose_model(pipe, n=n, steps=steps, guidance=guidance, return_images=True)
    out = {"model": name, "steps": steps, "guidance": guidance, "nfe": steps * (1 if guidance == 1 else 2),
           "fid64": round(performer_fid(resize_uint8(m["generated"], 64), resize_uint8(m["renders"], 64), fid_judge), 2),
           "attr_mean": round(m["attr_mean"], 4), "attr_mean_renders": round(m["attr_mean_renders"], 4),
           "attr_acc": {k: round(v, 4) for k, v in m["attr_acc"].items()},
           "pck": round(m["pck"], 4), "pck_renders": round(m["pck_renders"], 4),
           "ssim_to_renders": round(ssim_to_reference(m["generated"], m["renders"]), 4),
           **dance_measures(pipe, steps, guidance), "distil_cpu_minutes": cpu_minutes, "evaluated_at": git_commit()}
    print(json.dumps(out), f"({time.time() - t:.0f} s)", flush=True)
    return out


def distil_minutes(student: Path) -> float | None:
    """Minutes of the student's training at 1 thread (history.json: its CPU seconds where the Trainer logged them — the
    adversarial runs —, else wall seconds) plus its trajectory cache (meta.json's record)."""
    h = student / "history.json"
    if not h.exists(): return None
    hist = json.loads(h.read_text())
    train = (hist.get("cpu_seconds") or hist["seconds"])[-1] / 60
    info = student / "sampling.json"
    cache = json.loads(info.read_text()).get("cache_minutes") or 0.0
    return round(train + cache, 1)


def os_load() -> list[float]:
    import os
    return [round(x, 2) for x in os.getloadavg()]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--teachers", nargs="+", default=["pose64", "latent128"])
    ap.add_argument("--n", type=int, default=256)
    ap.add_argument("--out", default=str(ROOT / "nbs/results/distill.json"))
    ap.add_argument("--rows", choices=("all", "teacher", "student"), default="all")
    ap.add_argument("--time-only", action="store_true")
    ap.add_argument("--student", default=None, help="a student folder to evaluate instead of the shipped one (one teacher; with --label)")
    ap.add_argument("--student-steps", type=int, nargs="+", default=[1, 2], help="the student's sampler steps to judge (default 1 2)")
    ap.add_argument("--label", default=None, help="names --student's rows: role 'student (LABEL)', model <teacher>_1step_LABEL")
    ap.add_argument("--vae", default=None, help="the student's first stage: 'live' (its fast vae_live/, notebook 12c) or a folder (default: its own vae/)")
    args = ap.parse_args()
    from zizi.judges import load_fid_judge
    from zizi.pipeline import PosePipeline
    command = " ".join(["python", "scripts/distill_table.py", *sys.argv[1:]])
    old = json.loads(Path(args.out).read_text()) if Path(args.out).exists() else {"results": [], "commands": []}
    if args.time_only:
        rows = old["results"]
        pipes = {r["model"]: PosePipeline.from_pretrained(r.get("folder") or r["model"], vae=r.get("vae")) for r in rows}
        time_rows(rows, pipes)
        old.update(timing={"command": command, "commit": git_commit(), "torch_threads": torch.get_num_threads(), "load": os_load()})
        write_results(args.out, old)
        print("re-timed", len(rows), "rows in", args.out)
        return
    fid_judge = load_fid_judge(64)
    rows = []
    for teacher in args.teachers:
        if args.rows in ("all", "teacher"):
            pipe = PosePipeline.from_pretrained(teacher)
            for steps, g in ((15, 1.0), (15, 2.0), (2, 1.0), (1, 1.0)):
                rows.append({"teacher": teacher, "role": "teacher", **row(pipe, teacher, steps, g, args.n, fid_judge)})
        if args.rows in ("all", "student"):
            if args.student and len(args.teachers) != 1: raise SystemExit("--student needs exactly one --teachers")
            student = Path(args.student).resolve() if args.student else find_student(teacher)
            if student is None: print(f"no student of {teacher} yet: skipped"); continue
            spipe = PosePipeline.from_pretrained(student, vae=args.vae)
            role, name = ("student", f"{teacher}_1step") if not args.label else (f"student ({args.label})", f"{teacher}_1step_{args.label}")
            for steps in args.student_steps:
                rows.append({"teacher": teacher, "role": role, "folder": str(student.relative_to(ROOT) if student.is_relative_to(ROOT) else student),
                         **({"vae": args.vae} if args.vae else {}),
                             **row(spipe, name, steps, 1.0, args.n, fid_judge, distil_minutes(student))})
    key = lambda r: (r["teacher"], r["role"], r["steps"], r["guidance"])
    new = {key(r) for r in rows}
    merged = [r for r in old["results"] if key(r) not in new] + rows
    order = ["pose64", "latent128"]
    merged.sort(key=lambda r: (order.index(r["teacher"]) if r["teacher"] in order else 99, r["role"] != "teacher", r["role"], -r["steps"], r["guidance"]))
    out = {"command": "python scripts/distill_table.py", "commands": [c for c in old.get("commands", []) if c != command] + [command],
           "conditions": f"PerformerDataset({args.n}, size, seed=789), seed 0; dance: 16 frames, 3 seeds; Performer defaults",
           "results": merged, **({"timing": old["timing"]} if "timing" in old else {})}
    write_results(args.out, out)
    print("wrote", args.out, "- re-time every row together with --time-only")


if __name__ == "__main__":
    main()
