#!/usr/bin/env python
"""Train the 32x32 pose + attribute model shipped in data/pretrained/pose32 (about 25 minutes on 2 CPU cores).

    python scripts/train_pose32.py                      # resumable: run again after an interruption
    python scripts/train_pose32.py --ship               # then copy runs/pose32/final to data/pretrained/pose32 (fp16)
"""
import argparse

from zizi.pipeline import PoseModelConfig, train_pose_model
from zizi.unet import UNetConfig

CONFIG = PoseModelConfig(unet=UNetConfig(base_channels=32, channel_mults=(1, 2, 2, 4), attention_levels=(-2, -1),
                                         num_heads=4, mid_attention=True),
                         encoder="both", use_attrs=True, cond_dim=64, spatial="heatmaps",
                         p_uncond=0.1, prediction="x0", schedule="cosine")
TRAIN = dict(max_steps=1800, batch_size=32, lr=1e-3, warmup_steps=100, ema_decay=0.999, mixed_precision="bf16",
             sample_every=300, checkpoint_every=300, seed=0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default="runs/pose32")
    ap.add_argument("--ship", action="store_true", help="copy the finished run to data/pretrained/pose32")
    args = ap.parse_args()
    if args.ship:
        from zizi.train import ship_model
        print(ship_model(f"{args.out}/final", "data/pretrained/pose32", command="python scripts/train_pose32.py"))
        return
    train_pose_model(args.out, CONFIG, size=32, n_images=20_000, data_seed=0, **TRAIN)


if __name__ == "__main__":
    main()
