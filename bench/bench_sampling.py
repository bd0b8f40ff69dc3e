"""Sampling speed: time per image for ddpm / ddim / dpmpp_2m at 1000 / 50 / 15 steps, and the sampler's own overhead.

Usage (from the repo root):  python bench/bench_sampling.py [--size 32] [--batch 1] [--models tiny unet] [--threads N]
Writes bench/results/sampling.json. The sampler's overhead (its arithmetic between model calls) is measured directly by
running it with a free "model" that returns a precomputed tensor; the model cost is a separate median over calls.
Wall-clock numbers on a shared CPU are noisy: medians of repeats, and --threads 1 is steadier on a busy machine.
"""
from __future__ import annotations

import argparse
import platform
import statistics
import time
from pathlib import Path

import torch
from torch import nn

from zizi.results import write_results
from zizi.sampling import SAMPLERS, make_timesteps
from zizi.schedules import make_betas


class TinyConv(nn.Module):
    "A few 3x3 convs with an additive time embedding: stands in for a denoiser when no UNet is requested."
    def __init__(self, ch: int = 3, width: int = 32):
        super().__init__()
        self.emb = nn.Embedding(1000, width)
        self.inp, self.mid, self.out = nn.Conv2d(ch, width, 3, padding=1), nn.Conv2d(width, width, 3, padding=1), nn.Conv2d(width, ch, 3, padding=1)

    def forward(self, x, t):
        h = torch.relu(self.inp(x) + self.emb(t)[:, :, None, None])
        return self.out(torch.relu(self.mid(h)))


def build_model(kind: str) -> nn.Module:
    if kind == "unet":
        from zizi.unet import UNet
        return UNet(in_channels=3, out_channels=3, base_channels=32, channel_mults=(1, 2, 4))
    return TinyConv()


def median_time(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter(); fn(); times.append(time.perf_counter() - t0)
    return statistics.median(times)


def bench_model(kind: str, args) -> dict:
    torch.manual_seed(0)
    model = build_model(kind).eval()
    betas = make_betas("linear")
    x = torch.randn(args.batch, 3, args.size, args.size)
    t = torch.full((args.batch,), 500, dtype=torch.long)
    with torch.no_grad():
        for _ in range(5): model(x, t)                                   # warm-up
        call = median_time(lambda: model(x, t), 30)
        out_fixed = model(x, t)
    rows = []
    for n in args.steps:
        ts = make_timesteps(1000, n)
        repeats = 1 if n >= 500 else 3
        for name, fn in SAMPLERS.items():
            wall = median_time(lambda: fn(model, x, betas, ts, generator=torch.Generator().manual_seed(0)), repeats)
            free = median_time(lambda: fn(lambda xx, tt: out_fixed, x, betas, ts, generator=torch.Generator().manual_seed(0)), 3)
            rows.append(dict(sampler=name, steps=n, seconds_per_image=wall / args.batch, seconds_per_batch=wall,
                             overhead_ms_per_step=1e3 * free / n, overhead_fraction_of_model_call=free / (n * call)))
            print(f"{kind:5s} {name:9s} {n:5d} steps: {wall / args.batch:8.3f} s/image; sampler overhead {1e3 * free / n:.3f} ms/step "
                  f"= {100 * free / (n * call):.1f}% of a model call ({1e3 * call:.2f} ms)")
    return dict(model=kind, params=sum(p.numel() for p in model.parameters()), model_ms_per_call=1e3 * call, results=rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=32)
    ap.add_argument("--batch", type=int, default=1)
    ap.add_argument("--models", nargs="+", choices=["tiny", "unet"], default=["tiny", "unet"])
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--steps", type=int, nargs="+", default=[1000, 50, 15])
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "results" / "sampling.json")
    args = ap.parse_args()
    if args.threads: torch.set_num_threads(args.threads)
    command = (f"python bench/bench_sampling.py --size {args.size} --batch {args.batch} --models {' '.join(args.models)}"
               + (f" --threads {args.threads}" if args.threads else "") + f" --steps {' '.join(map(str, args.steps))}")
    result = dict(command=command, image_size=args.size, batch=args.batch, torch=torch.__version__,
                  threads=torch.get_num_threads(), machine=platform.machine(), processor=platform.processor(),
                  models=[bench_model(kind, args) for kind in args.models])
    write_results(args.out, result)
    print("wrote", args.out)


if __name__ == "__main__":
    main()
