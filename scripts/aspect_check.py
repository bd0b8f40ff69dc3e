#!/usr/bin/env python
"""Does a pose given in a camera's pixels draw what the same pose draws given in zizi's coordinates?

    nice -n 15 python scripts/aspect_check.py                # the default model (pose64), ~5 minutes on 2 busy cores
    python scripts/aspect_check.py --model pose32             # quicker

22 held-out poses (`zizi.pose_model.held_out_conditions(22)`) are written as OpenPose BODY_25 files of a 1280×720 and
a 720×1280 camera — zizi's square in the middle of the camera's frame (`zizi.pose.frame_to_pixels`), as a performer
centred in a wider (or taller) camera's view appears — and drawn by `zizi generate` (15 steps, seed 0, attributes from
the seed). Every reading is judged by the pose judge (`zizi.metrics.pose_pck`, PCK@0.1) against the very same 22 poses:

* `.npy`: the poses in zizi's own coordinates, the reference;
* `centre crop`: the BODY_25 files read by `zizi generate --width W --height H` (zizi's framing, `zizi.pose.pixels_to_frame`);
* `per-axis division`: the same files read as zizi read them before the framing, x / W and y / H
  (`read_pose_file(..., aspect=W/H)`), drawn from a .npy of those poses;
* `fit the box`: the centre crop's poses fitted into the canvas by `zizi.pose.normalize_pose` (what
  `Performer(normalize=True)` does), drawn from a .npy.

The rows go to nbs/results/aspect_check.json: PCK against the poses given, PCK against the poses the reading produced
(does the model follow what it was given?), and the largest coordinate error of a visible joint.
"""
import argparse, json, sys, tempfile, time
from pathlib import Path

import numpy as np
from zizi.results import write_results

CAMERAS = ((1280, 720), (720, 1280))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default=None, help="a shipped model name or a folder (default: the pipeline's default)")
    ap.add_argument("--n", type=int, default=22, help="how many held-out poses")
    ap.add_argument("--steps", type=int, default=15)
    ap.add_argument("--threads", type=int, default=1, help="torch threads (the machine is shared)")
    ap.add_argument("--results", default="nbs/results/aspect_check.json")
    args = ap.parse_args()
    import torch
    torch.set_num_threads(args.threads)
    from PIL import Image
    from zizi.cli import main as zizi
    from zizi.metrics import pose_pck
    from zizi.pipeline import DEFAULT_POSE_MODEL
    from zizi.pose import normalize_pose, read_pose_file, to_pose_json
    from zizi.pose_model import held_out_conditions
    model = args.model or DEFAULT_POSE_MODEL
    poses = held_out_conditions(args.n)[0]
    rows, t0 = [], time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)

        def draw(reading: str, files: list[Path], read: np.ndarray, size: list[str] = ()) -> None:
            "`zizi generate FILES` -> images, judged against `poses`; `read` is what the files read as (for the coordinate error)."
            out = tmp / f"out{len(rows)}"
            zizi(["generate", *map(str, files), "--model", model, "--steps", str(args.steps), "--scale", "1", "--out", str(out), *size])
            images = np.stack([np.asarray(Image.open(f).convert("RGB")) for f in sorted(out.glob("*.png"))])
            v = poses[:, :, 2] > 0
            row = {"reading": reading, "pck": round(float(pose_pck(images, poses)), 4),
                   "pck_vs_read": round(float(pose_pck(images, read)), 4),
                   "max_coord_error": round(float(np.abs(read[:, :, :2] - poses[:, :, :2])[v].max()), 5),
                   "visibility_changed": int((read[:, :, 2] != poses[:, :, 2]).sum())}
            rows.append(row)
            print(f"{reading:72s} PCK {row['pck']:.3f} (vs the poses read: {row['pck_vs_read']:.3f}; max coordinate error "
                  f"{row['max_coord_error']:.2g})", flush=True)

        def npy(name: str, arr: np.ndarray) -> Path:
            np.save(tmp / f"{name}.npy", arr)
            return tmp / f"{name}.npy"

        draw(".npy (zizi's coordinates)", [npy("poses", poses)], poses)
        for W, H in CAMERAS:
            folder = tmp / f"body25_{W}x{H}"; folder.mkdir()
            files = []
            for i, p in enumerate(poses):
                files.append(folder / f"frame_{i:04d}_keypoints.json")
                files[-1].write_text(json.dumps(to_pose_json(p, "BODY_25", W, H)))
            crop = np.concatenate([read_pose_file(f, W, H) for f in files])
            old = np.concatenate([read_pose_file(f, W, H, aspect=W / H) for f in files])
            fit = np.stack([normalize_pose(p) for p in crop])
            draw(f"BODY_25 {W}x{H}, centre crop (zizi generate --width {W} --height {H})", files, crop, ["--width", str(W), "--height", str(H)])
            draw(f"BODY_25 {W}x{H}, per-axis division (x / W, y / H: before)", [npy(f"old{W}", old)], old)
            draw(f"BODY_25 {W}x{H}, fit the box (normalize_pose)", [npy(f"fit{W}", fit)], fit)
    out = {"what": "held-out poses as BODY_25 files of a non-square camera, drawn by zizi generate and judged (PCK@0.1) "
                   "against the same poses; the framing that gives back the .npy result is zizi's",
           "command": " ".join(["python", *sys.argv]), "model": model, "n": args.n, "steps": args.steps,
           "seconds": round(time.perf_counter() - t0, 1), "rows": rows}
    write_results(Path(args.results), out)
    print(f"wrote {args.results} in {out['seconds']} s")


if __name__ == "__main__":
    main()
