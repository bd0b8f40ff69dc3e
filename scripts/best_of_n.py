#!/usr/bin/env python
"""Best-of-n by a metric: draw n samples per condition from a shipped pose model, keep the one a *selector* likes
best, and judge the kept images as evaluate_pose_model does.

    python scripts/best_of_n.py --size 32 --n 8          # ~2 minutes at 32x32, ~5 at 64x64

The selector is the shipped critic of the size (`zizi.quality.load_fid_judge`: trained on renders, with another recipe
than the judge), scoring the log-likelihood of the attributes asked for; the judge (`load_attribute_judge`) reads the
kept images, as in every other attribute figure. Also recorded: the same selection made by the judge itself, an
upper bound on what any selector could get out of these n samples (not a method: it grades its own choice).
Writes the rows for n = 1, 2, 4, ... into nbs/results/best_of_n.json under the model's name.
"""
import argparse
import time

import numpy as np
import torch
from zizi.results import run_command, write_results


def read_attributes(critic, images: np.ndarray, attrs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One pass of `critic` over uint8 `images`: the log-likelihood of the asked attributes summed over attributes (N,),
    and whether each attribute is read as asked (N, n_attrs)."""
    from zizi.evaluation import resize_uint8
    from zizi.core import from_uint8
    with torch.no_grad():
        logits = critic.split_logits(critic(from_uint8(resize_uint8(images, critic.config.size))))
    asked = torch.from_numpy(attrs)
    rows = torch.arange(len(images))
    loglik = sum(l.log_softmax(-1)[rows, asked[:, j]] for j, l in enumerate(logits))
    right = torch.stack([l.argmax(-1) == asked[:, j] for j, l in enumerate(logits)], -1)
    return loglik.numpy(), right.numpy()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, choices=(32, 64), default=32)
    ap.add_argument("--n", type=int, default=8, help="samples per condition (the largest n of the table)")
    ap.add_argument("--conditions", type=int, default=128)
    ap.add_argument("--guidance", type=float, default=1.0)
    ap.add_argument("--results", default="nbs/results/best_of_n.json")
    args = ap.parse_args()
    from zizi.renderer import ATTRIBUTES
    from zizi.data import PerformerDataset
    from zizi.metrics import pose_pck
    from zizi.pipeline import PosePipeline
    from zizi.judges import attribute_judge_name, load_attribute_judge, load_fid_judge
    name = f"pose{args.size}"
    pipe = PosePipeline.from_pretrained(name)
    poses, attrs = PerformerDataset(args.conditions, args.size, seed=789).labels()
    critic, judge = load_fid_judge(args.size), load_attribute_judge(args.size)
    t0, batch = time.time(), 64
    samples = np.stack([np.concatenate([pipe(poses[i:i + batch], attrs[i:i + batch], steps=15, seed=i + 10_000 * k,
                                             guidance=args.guidance) for i in range(0, len(poses), batch)])
                        for k in range(args.n)])                                    # (n, conditions, H, W, 3)
    seconds = (time.time() - t0) / samples.shape[0] / samples.shape[1]
    by_critic = np.stack([read_attributes(critic, s, attrs)[0] for s in samples])    # (n, conditions)
    by_judge, right = (np.stack(r) for r in zip(*(read_attributes(judge, s, attrs) for s in samples)))  # right: (n, conditions, 7)
    cols = np.arange(len(poses))
    rows = []
    for n in [m for m in (1, 2, 4, 8, 16, 32) if m <= args.n]:
        pick, best = by_critic[:n].argmax(0), by_judge[:n].argmax(0)
        kept = right[pick, cols]
        rows.append({"n": n, "attr_mean": float(kept.mean()), "attr_acc": dict(zip(ATTRIBUTES, kept.mean(0).round(4).tolist())),
                     "pck": pose_pck(samples[pick, cols], poses), "attr_mean_judge_picks": float(right[best, cols].mean()),
                     "seconds_per_image": seconds * n})
        print(f"{name} best of {n}: attributes {rows[-1]['attr_mean']:.3f} (judge's own pick {rows[-1]['attr_mean_judge_picks']:.3f}), "
              f"PCK {rows[-1]['pck']:.3f}")
    # how often a condition's attribute is read right in all of its n samples, and in none
    per_condition = right.mean(0)                                                   # (conditions, 7)
    write_results(args.results, {"what": "best-of-n: n samples per held-out condition, the FID judge keeps one, the attribute judge reads it",
                                 "models": {name: {"command": run_command(), "conditions": len(poses), "steps": 15,
                           "guidance": args.guidance, "selector": f"critic{args.size}", "judge": attribute_judge_name(args.size),
                           "rows": rows, "right_in_all_samples": float((per_condition == 1).mean()),
                           "right_in_no_sample": float((per_condition == 0).mean())}}}, merge=True)


if __name__ == "__main__":
    main()
