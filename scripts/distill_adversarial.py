#!/usr/bin/env python
"""Notebook 12 §12's figure and curves from an adversarial distillation run (`zizi train distill --method adversarial`).

    python scripts/distill_adversarial.py --run runs/pose64_1step_adv
        -> nbs/results/distill_adversarial.json   (the run's recipe and its logged curves: student loss, discriminator
                                                    hinge loss and accuracy, R1, the student's adversarial and anchor
                                                    losses, CPU seconds)
        -> nbs/results/distill_adversarial.png    (the same held-out conditions side by side: teacher 15 steps |
                                                    regression student | adversarial student | the renderer's truth,
                                                    each with its head enlarged)

The conditions are the first `--n` of the table's held-out set (`PerformerDataset(256, 64, seed=789)`), seed 0.
`--student` names the regression student (default the shipped one). A run stopped before its last step (out of time):
`--partial` first writes `RUN/partial/` — the EMA weights of its latest checkpoint, its history and recipe, a
`sampling.json` that says so — and uses it as the student (judge it with distill_table.py --student RUN/partial);
`--partial-name` names that folder otherwise, so that a run still going can be judged more than once.
`--out` names the results (another run's curves beside the first one's: `--out nbs/results/distill_adversarial_LABEL`).
"""
import argparse, json, sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


def head_crop(images: np.ndarray, poses: np.ndarray, half: int = 10) -> np.ndarray:
    "A (2·half)² crop of each uint8 image (N, H, W, 3) centred on the head (nose keypoint, else the eyes' mean), edge-padded."
    n, h, w, _ = images.shape
    pad = np.pad(images, ((0, 0), (half, half), (half, half), (0, 0)), mode="edge")
    out = []
    for img, p in zip(pad, poses):
        pts = p[:5][p[:5, 2] > 0] if (p[:5, 2] > 0).any() else p[:1]
        cx, cy = int(round(pts[:, 0].mean() * w)), int(round(pts[:, 1].mean() * h))
        cx, cy = min(max(cx, 0), w - 1), min(max(cy, 0), h - 1)
        out.append(img[cy:cy + 2 * half, cx:cx + 2 * half])
    return np.stack(out)


def export_partial(run: Path, name: str = "partial") -> Path:
    "The latest checkpoint of an unfinished adversarial run as a model folder `run/<name>` (EMA weights; a latent run's first stage in `vae/`), for judging."
    import shutil
    from zizi.distill import DistillConfig, distill_pose_model
    rec = json.loads((run / "recipe.json").read_text())
    own = ("out_dir", "prediction", "schedule", "n_train_steps")                # distill_pose_model sets these itself
    train = {k: v for k, v in rec["train"].items() if k not in own}                  # the run's own settings (e.g. --set max_steps)
    tr = distill_pose_model(run, DistillConfig.from_dict(rec["distill"]), progress=False, until=1, **train)  # loads, trains nothing
    if tr.step >= tr.cfg.max_steps: raise SystemExit(f"{run} is finished: use its final/")
    dest = run / name
    if dest.exists(): shutil.rmtree(dest)
    tr.ema_model().save_pretrained(dest)
    vae = tr.adversary.first_stage                                                   # a latent student decodes with its teacher's VAE
    if vae is not None: vae.save_pretrained(dest / "vae")
    (dest / "history.json").write_text(json.dumps(tr.history))
    (dest / "recipe.json").write_text(json.dumps(rec, indent=2))
    (dest / "sampling.json").write_text(json.dumps({"steps": 1, "guidance": 1.0, "teacher": rec["distill"]["teacher"],
        "method": "adversarial", "init": rec["distill"]["init"], "cache_minutes": 0.0,
        "stopped_at_step": tr.step, "max_steps": tr.cfg.max_steps}, indent=1) + "\n")
    print(f"{dest}: EMA weights at step {tr.step} of {tr.cfg.max_steps}")
    return dest


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--run", required=True, help="the run folder (its final/ holds the student and history.json)")
    ap.add_argument("--student", default="pose64_1step_regression", help="the regression student to compare with")
    ap.add_argument("--teacher", default="pose64")
    ap.add_argument("--n", type=int, default=6)
    ap.add_argument("--out", default=str(ROOT / "nbs/results/distill_adversarial"))
    ap.add_argument("--failed", action="append", default=[], metavar="LABEL=TRAINER_STATE",
                    help="also keep the logged curves of an abandoned run (a checkpoint's trainer_state.json) under failed/LABEL")
    ap.add_argument("--run-command", default=None, help="the command that made an unfinished run (a finished one records it in final/made_by.json)")
    ap.add_argument("--partial-name", default="partial", help="--partial's folder inside the run (e.g. one per judging of a run still going)")
    ap.add_argument("--partial", action="store_true", help="the run is unfinished: export its latest checkpoint to RUN/partial and use it")
    args = ap.parse_args()
    import matplotlib; matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from zizi.data import PerformerDataset
    from zizi.pipeline import PosePipeline
    from zizi.results import write_results
    run = Path(args.run)
    final = export_partial(run, args.partial_name) if args.partial else run / "final" if (run / "final").exists() else run
    hist = json.loads((final / "history.json").read_text())
    recipe = json.loads((final / "recipe.json").read_text())
    keys = ("step", "loss", "lr", "seconds", "cpu_seconds", "d_loss", "d_acc", "r1", "g_adv", "anchor")
    command = " ".join(["python", "scripts/distill_adversarial.py", *sys.argv[1:]])
    made_by = (json.loads((final / "made_by.json").read_text()).get("command") if (final / "made_by.json").exists()
               else args.run_command)
    write_results(args.out + ".json", {"run": str(run), "run_command": made_by, "distill": recipe["distill"], "train": recipe["train"],
                                       "history": {k: hist.get(k) for k in keys},
                                       "failed": {lab: {k: json.loads(Path(f).read_text())["history"].get(k) for k in keys}
                                                  for lab, f in (a.split("=", 1) for a in args.failed)}}, command=command)
    ds = PerformerDataset(256, 64, seed=789)
    poses, attrs = ds.labels()
    poses, attrs = poses[:args.n], attrs[:args.n]
    cols = {f"teacher {args.teacher}, 15 steps": PosePipeline.from_pretrained(args.teacher)(poses, attrs, steps=15, seed=0, guidance=1.0),
            "regression student, 1 step": PosePipeline.from_pretrained(args.student)(poses, attrs, steps=1, seed=0, guidance=1.0),
            "adversarial student, 1 step": PosePipeline.from_pretrained(final)(poses, attrs, steps=1, seed=0, guidance=1.0),
            "renderer's truth": ds.images.numpy()[:args.n]}
    fig, axes = plt.subplots(2 * len(cols), args.n, figsize=(1.3 * args.n + 0.6, 1.3 * 2 * len(cols)))
    axes = np.asarray(axes).reshape(2 * len(cols), args.n)
    for r, (name, imgs) in enumerate(cols.items()):
        crops = head_crop(imgs, poses)
        for c in range(args.n):
            axes[2 * r, c].imshow(imgs[c], interpolation="nearest"); axes[2 * r + 1, c].imshow(crops[c], interpolation="nearest")
        axes[2 * r, 0].set_ylabel(name.replace(", ", ",\n"), fontsize=7); axes[2 * r + 1, 0].set_ylabel("head ×3", fontsize=7)
    for a in axes.ravel(): a.set_xticks([]); a.set_yticks([])
    fig.suptitle("held-out conditions (PerformerDataset(256, 64, seed=789)[:%d]), seed 0" % args.n, fontsize=8)
    fig.tight_layout()
    fig.savefig(args.out + ".png", dpi=80)
    print("wrote", args.out + ".json", args.out + ".png")


if __name__ == "__main__":
    main()
