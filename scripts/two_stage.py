#!/usr/bin/env python
"""Score the two-stage model of notebook 09e (pose prior -> pose model) against the unconditional model of notebook
07c, with the controls of the first stage (the renderer's own poses; the Gaussian baseline), into
nbs/results/two_stage.json (one entry per size; about 3 minutes at 32, 10 at 64).

    python scripts/two_stage.py --size 32
    python scripts/two_stage.py --size 64

Every row: 256 images (poses from the prior by its default sampler), DPM-Solver++(2M) 15 steps, guidance 1, seeds 0, 64, 128, 192 per batch of 64; performer FID
with the FID judge of the size against PerformerDataset(2000, size, seed=123), the silhouette check fitted on the same
renders, nearest-render distance (as scripts/score_uncond.py); PCK@0.1 of the images against the poses they were
drawn in (zizi.metrics.pose_pck) and the pose check of those poses. The unconditional row is read from the file that
scored it in notebook 07c.
"""
import argparse, json, sys, time
from pathlib import Path
from zizi.results import write_results

UNCOND = {32: ("data/pretrained/uncond32/metrics.json", "metrics"), 64: ("nbs/results/uncond64.json", "metrics")}
POSE_MODEL = {32: "pose32", 64: "pose64"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, choices=sorted(POSE_MODEL), required=True)
    ap.add_argument("--n", type=int, default=256)
    ap.add_argument("--out", default="nbs/results/two_stage.json")
    args = ap.parse_args()
    import numpy as np
    from zizi.core import data_dir
    from zizi.renderer import PALETTES
    from zizi.data import PerformerDataset
    from zizi.metrics import pose_pck
    from zizi.pipeline import PosePipeline
    from zizi.pose_prior import DEFAULT_POSE_PRIOR, GaussianPosePrior, PoseCheck, load_pose_prior, sample_performers
    from zizi.metrics import SilhouetteCheck, score_images
    from zizi.judges import load_fid_judge

    t0, size, n = time.perf_counter(), args.size, args.n
    ref = PerformerDataset(2000, size, seed=123).images.numpy()
    silhouette = SilhouetteCheck.fit(ref, np.array(list(PALETTES["background"].values())))
    critic = load_fid_judge(size)
    train_poses = PerformerDataset(20_000, 32, seed=0, cache=False).labels()[0]
    pose_check = PoseCheck.fit(train_poses)
    pipe = PosePipeline.from_pretrained(POSE_MODEL[size])

    def minutes(name):
        return json.loads((data_dir() / "pretrained" / name / "metrics.json").read_text()).get("train_minutes")

    def images_row(images, poses=None, train_minutes=None):
        row = {**score_images(images, ref, critic, silhouette), "train_minutes": train_minutes}
        if poses is not None: row.update(pck=pose_pck(images, poses, 0.1), pose_check=pose_check.score(poses))
        return row

    class RendererPoses:          # a perfect prior: the renderer's own pose sampler, at a seed no model trained on
        def sample(self, n, steps=None, seed=0, sampler=None): return PerformerDataset(n, 32, seed=999 + seed, cache=False).labels()[0]

    upath, key = UNCOND[size]
    u = json.loads(Path(upath).read_text())
    rows = {"unconditional (07c)": dict(fid=u[key]["fid_15"], silhouette=u[key]["silhouette_15"], nearest=u[key]["nearest_15"],
                                        train_minutes=u.get("train_minutes"), source=upath)}
    pm, prior_min = minutes(POSE_MODEL[size]), minutes(DEFAULT_POSE_PRIOR)
    for name, prior, train_min in (("prior → pose model", load_pose_prior(), round(pm + prior_min, 1)),
                                   ("renderer poses → pose model", RendererPoses(), None),
                                   ("Gaussian poses → pose model", GaussianPosePrior.fit(train_poses), None)):
        out = sample_performers(pipe, prior, n, seed=0)
        rows[name] = images_row(out["images"], out["poses"], train_min)
        print(name, rows[name], flush=True)
    held = PerformerDataset(500, size, seed=456)
    rows["held-out renders (floor)"] = images_row(held.images.numpy()[:n], held.labels()[0][:n])
    note = (f"pose model data/pretrained/{POSE_MODEL[size]} (train minutes {pm}) + prior "
            f"data/pretrained/{DEFAULT_POSE_PRIOR} ({prior_min}); scored in {time.perf_counter() - t0:.0f} s")
    write_results(args.out, {"sizes": {str(size): rows}, "notes": {str(size): note}}, merge=True)
    print(json.dumps(rows, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    sys.exit(main())
