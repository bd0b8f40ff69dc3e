#!/usr/bin/env python
"""Decoder cost of zizi's VAE against diffusers' autoencoders of the same latent shape, side by side in one run.

    python bench/bench_vae.py                 # writes bench/results/vae.json

One 128×128 frame is decoded from 4×32×32 latents at batch 1 — what the live path pays per generated frame — by:
zizi's VAE (the shipped `vae128`, or the recipe's architecture untrained if it is not there: speed does not depend
on the weights), a diffusers `AutoencoderKL` decoder with the LDM "KL-f4" widths (128, 256, 512; 2 blocks per level;
randomly initialised) and a diffusers `AutoencoderTiny` decoder with TAESD's widths (64 channels everywhere; f4 here).
For each: multiply-adds (torch's FLOP counter), and the median / 90th-percentile wall time over `--repeats` calls at
1 and 2 threads, in fp32 and (where this CPU computes bf16 natively) bf16. Ratios are taken within one run; absolute
times on a shared machine move with the load (loadavg is recorded).
"""
import argparse, statistics, time

import torch
from torch.utils.flop_counter import FlopCounterMode

from _common import machine_info, write_result
from zizi.core import autocast_dtype, cpu_has_fast_bf16, data_dir


def decoders() -> dict:
    from diffusers import AutoencoderKL, AutoencoderTiny
    from zizi.vae import VAE, vae_recipe
    torch.manual_seed(0)
    path = data_dir() / "pretrained" / "vae128"
    zizi_vae = VAE.from_pretrained(path) if (path / "config.json").exists() else VAE(vae_recipe(4)[0])
    kl = AutoencoderKL(block_out_channels=(128, 256, 512), down_block_types=("DownEncoderBlock2D",) * 3,
                       up_block_types=("UpDecoderBlock2D",) * 3, layers_per_block=2, latent_channels=4, sample_size=128).eval()
    tiny = AutoencoderTiny(encoder_block_out_channels=(64, 64, 64), decoder_block_out_channels=(64, 64, 64),
                           num_encoder_blocks=(1, 3, 3), num_decoder_blocks=(3, 3, 1), latent_channels=4).eval()
    return {"zizi VAE" + ("" if (path / "config.json").exists() else " (untrained)"): lambda z: zizi_vae.decode(z).sample,
            "diffusers AutoencoderKL (LDM KL-f4 widths)": lambda z: kl.decode(z).sample,
            "diffusers AutoencoderTiny (TAESD widths)": lambda z: tiny.decode(z).sample}


def gmacs(fn, z) -> float:
    with FlopCounterMode(display=False) as fc: fn(z)
    return fc.get_total_flops() / 2e9


def time_ms(fn, z, repeats: int, dtype) -> tuple[float, float]:
    with torch.no_grad(), torch.autocast("cpu", dtype=dtype or torch.bfloat16, enabled=dtype is not None):
        for _ in range(3): fn(z)
        t = []
        for _ in range(repeats):
            t0 = time.perf_counter(); fn(z); t.append(1e3 * (time.perf_counter() - t0))
    t.sort()
    return statistics.median(t), t[int(0.9 * (len(t) - 1))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeats", type=int, default=30)
    args = ap.parse_args()
    z = torch.randn(1, 4, 32, 32)
    fns = decoders()
    dtypes = [None] + ([torch.bfloat16] if cpu_has_fast_bf16() else [])
    rows = []
    with torch.no_grad():
        macs = {name: gmacs(fn, z) for name, fn in fns.items()}
    for threads in (1, 2):
        torch.set_num_threads(threads)
        for dtype in dtypes:
            times = {name: time_ms(fn, z, args.repeats, dtype) for name, fn in fns.items()}
            base = times[next(iter(fns))][0]
            for name, (p50, p90) in times.items():
                rows.append({"decoder": name, "threads": threads, "dtype": "bf16" if dtype else "fp32", "gmac": round(macs[name], 3),
                             "ms_p50": round(p50, 2), "ms_p90": round(p90, 2), "x_zizi": round(p50 / base, 2)})
                print(rows[-1], flush=True)
    write_result("vae", {"command": "python bench/bench_vae.py", "machine": machine_info(), "latent_shape": [1, 4, 32, 32],
                         "autocast_default": str(autocast_dtype("cpu")), "results": rows})


if __name__ == "__main__":
    main()
