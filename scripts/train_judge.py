#!/usr/bin/env python
"""Train an attribute judge for one image size and ship it (notebook 07b's recipe: mean+max pooling, renders only).

    python scripts/train_judge.py --size 128 --steps 3000 --n-images 20000 --ship data/pretrained/judge_attrs128

The judge is `AttributeJudge(attribute_judge_config(size))` with mean+max pooling, trained by
`zizi.judges.train_attribute_judge` (AdamW + one-cycle LR) on `PerformerDataset(n_images, size, seed)`, and measured
on 1,000 held-out renders `PerformerDataset(1000, size, seed=456)` — the held-out set of notebook 07b's judges — before
it judges anything. `--ship DEST` writes it with a metrics.json holding that accuracy, this command and the commit.
"""
import argparse, dataclasses, json, subprocess, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=128)
    ap.add_argument("--steps", type=int, default=2000)
    ap.add_argument("--n-images", type=int, default=20_000)
    ap.add_argument("--batch-size", type=int, default=128)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--ship", default=None, metavar="DEST")
    args = ap.parse_args()
    from zizi.data import PerformerDataset
    from zizi.judges import attribute_judge_config, train_attribute_judge
    from zizi.metrics import attribute_accuracy
    from zizi.renderer import ATTR_NAMES
    t0 = time.time()
    cfg = dataclasses.replace(attribute_judge_config(args.size), pool="meanmax")
    judge = train_attribute_judge(args.size, args.n_images, steps=args.steps, batch_size=args.batch_size, lr=args.lr,
                                  seed=args.seed, cfg=cfg)
    minutes = round((time.time() - t0) / 60, 1)
    if args.ship:                                     # measure the weights users get (fp16 on disk)
        from zizi.judges import AttributeJudge
        judge.save_pretrained(args.ship, half=True)
        judge = AttributeJudge.from_pretrained(args.ship)
    held = PerformerDataset(1000, args.size, seed=456)
    acc = attribute_accuracy(judge, held.images.numpy(), held.labels()[1])
    info = {"variant": f"mean+max pool, {args.steps:,} steps, {args.n_images // 1000}k renders",
            "command": " ".join(["python", "scripts/train_judge.py", *sys.argv[1:]]),
            "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip(),
            "heldout": f"PerformerDataset(1000, {args.size}, seed=456)", "train_minutes": minutes,
            "heldout_attribute_accuracy": dict(zip(ATTR_NAMES, acc.round(4).tolist())), "heldout_mean": round(float(acc.mean()), 4)}
    print(json.dumps(info, indent=1))
    if args.ship:
        (Path(args.ship) / "metrics.json").write_text(json.dumps(info, indent=2) + "\n")
        print("shipped", args.ship)


if __name__ == "__main__":
    main()
