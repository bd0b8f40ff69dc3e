#!/usr/bin/env python
"""Notebook 09d's dance lesson across seeds: one shared noise for every frame against fresh noise per frame.

    python scripts/dance_noise.py            # -> nbs/results/dance_noise.json (a few minutes on 2 CPU cores)

The notebook's 12-frame dance, `dance_sequence(12, seed=3, moves=["vogue", "kick", "sway"])`, with one look (a gold
gown on violet), is drawn by the studio's default model at the studio's settings (`STUDIO_STEPS` steps,
`DEFAULT_GUIDANCE`) once per noise seed s and arm: with the noise of seed s shared by every frame (`same_noise=True`)
and with fresh noise per frame drawn from seed s (`same_noise=False`). The dance is the same in every run, so only the
noise differs between seeds. Flicker is the mean absolute difference between consecutive frames (0-255); the skeletons' own
flicker (the motion alone) is recorded beside it.
"""
import argparse
from pathlib import Path

from _results import write_results

ROOT = Path(__file__).resolve().parent.parent
LOOK = {"outfit_type": "gown", "outfit_colour": "gold", "background": "violet"}
MOVES = ["vogue", "kick", "sway"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    ap.add_argument("--frames", type=int, default=12)
    ap.add_argument("--dance-seed", type=int, default=3)
    ap.add_argument("--model", default=None, help="a shipped model name or folder (default: the studio's)")
    ap.add_argument("--out", default=str(ROOT / "nbs" / "results" / "dance_noise.json"))
    args = ap.parse_args()
    from zizi.choreography import dance_sequence
    from zizi.live import DEFAULT_GUIDANCE, DEFAULT_MODEL, STUDIO_STEPS, dance_frames, flicker, load_pipeline
    from zizi.pose_drawing import render_skeletons
    pipe = load_pipeline(args.model)
    poses = dance_sequence(args.frames, seed=args.dance_seed, moves=MOVES)
    skeletons = round(flicker(render_skeletons(poses, pipe.config.size)), 3)
    rows = []
    for s in args.seeds:
        row = {"seed": s}
        for arm, same in (("same_noise", True), ("fresh_noise", False)):
            row[arm] = round(flicker(dance_frames(pipe, poses, LOOK, seed=s, same_noise=same)), 3)
        rows.append(row)
        print(row, flush=True)
    write_results(args.out, {"model": args.model or DEFAULT_MODEL, "steps": STUDIO_STEPS, "guidance": DEFAULT_GUIDANCE,
                             "frames": args.frames, "dance_seed": args.dance_seed, "moves": MOVES, "look": LOOK,
                             "skeletons": skeletons,
                             "metric": "flicker: mean |frame t+1 - frame t| over the dance, 0-255", "results": rows})
    print("wrote", args.out)


if __name__ == "__main__":
    main()
