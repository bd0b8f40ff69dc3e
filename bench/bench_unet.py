#!/usr/bin/env python
"""zizi's UNet vs a width-matched diffusers UNet2DConditionModel on this CPU, side by side in one run.

    python bench/bench_unet.py                 # writes bench/results/unet.json (a few minutes on 2 cores)
    python bench/bench_unet.py --quick         # fewer iterations, for a smoke test

Both models: widths (32, 64, 128), one ResBlock per level (two on the way up), attention (self + cross to 17
condition tokens of width 64, 4 heads) at the lowest level and in the middle, GroupNorm(8), FiLM time conditioning.
For each model, memory format (contiguous / channels_last) and precision (fp32 / bf16 autocast) we time the
forward pass (no grad) and a full training step (forward, MSE loss, backward, AdamW step), report the median of
several repeats (speed ratios: the median of per-repeat ratios), count FLOPs with `torch.utils.flop_counter.FlopCounterMode` and turn them into achieved GFLOP/s,
next to a plain 2048x2048 matmul as the machine's reference. The two models are timed alternately, repeat by
repeat, so a change in machine load hits both alike; the JSON records the load average before and after.
"""
import argparse, json, os, platform, statistics, sys, time
from pathlib import Path

import torch
import torch.nn.functional as F
from torch.utils.flop_counter import FlopCounterMode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from zizi.results import write_results  # noqa: E402
from zizi.unet import UNet, UNetConfig  # noqa: E402

WIDTHS, HEADS, COND_DIM, TOKENS, GROUPS = (32, 64, 128), 4, 64, 17, 8


def zizi_model() -> torch.nn.Module:
    cfg = UNetConfig(in_channels=3, out_channels=3, base_channels=WIDTHS[0], channel_mults=(1, 2, 4),
                     blocks_per_level=1, attention_levels=(2,), mid_attention=True, num_heads=HEADS,
                     cond_dim=COND_DIM, norm_groups=GROUPS, ff_mult=4)
    return UNet(cfg)


def diffusers_model(size: int) -> torch.nn.Module:
    from diffusers import UNet2DConditionModel
    return UNet2DConditionModel(
        sample_size=size, in_channels=3, out_channels=3, block_out_channels=WIDTHS, layers_per_block=1,
        down_block_types=("DownBlock2D", "DownBlock2D", "CrossAttnDownBlock2D"),
        up_block_types=("CrossAttnUpBlock2D", "UpBlock2D", "UpBlock2D"), mid_block_type="UNetMidBlock2DCrossAttn",
        cross_attention_dim=COND_DIM, attention_head_dim=HEADS,  # diffusers reads this as the number of heads
        norm_num_groups=GROUPS, resnet_time_scale_shift="scale_shift", flip_sin_to_cos=True, freq_shift=0)


def call(name, model, x, t, cond):
    if name == "zizi": return model(x, t, cond)
    return model(x, t, encoder_hidden_states=cond).sample


def timed(fn, repeats: int, warmup: int = 1) -> float:
    for _ in range(warmup): fn()
    ts = []
    for _ in range(repeats):
        t0 = time.perf_counter(); fn(); ts.append(time.perf_counter() - t0)
    return statistics.median(ts)


def count_flops(fn) -> int:
    with FlopCounterMode(display=False) as fc: fn()
    return fc.get_total_flops()


def matmul_gflops(dtype, repeats: int) -> float:
    a, b = torch.randn(2048, 2048, dtype=dtype), torch.randn(2048, 2048, dtype=dtype)
    s = timed(lambda: a @ b, repeats, warmup=2)
    return 2 * 2048**3 / s / 1e9


def make_runs(name, model, args, channels_last: bool, bf16: bool, flops: bool = True):
    "Closures for one forward pass and one training step, plus their FLOP counts."
    torch.manual_seed(0)
    fmt = torch.channels_last if channels_last else torch.contiguous_format
    model = model.to(memory_format=fmt).train()
    x = torch.randn(args.batch, 3, args.size, args.size).to(memory_format=fmt)
    t = torch.randint(0, 1000, (args.batch,))
    cond = torch.randn(args.batch, TOKENS, COND_DIM)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4)
    ac = lambda: torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16)

    def forward():
        with torch.no_grad(), ac(): call(name, model, x, t, cond)

    def loss():
        with ac(): return F.mse_loss(call(name, model, x, t, cond).float(), x)

    def step():
        l = loss(); opt.zero_grad(set_to_none=True); l.backward(); opt.step()

    if not flops: return forward, step, {}
    flops = {"forward": count_flops(forward),
             "train_step": count_flops(lambda: loss().backward())}
    opt.zero_grad(set_to_none=True)
    return forward, step, flops


def bench_pair(models, args, channels_last: bool, bf16: bool) -> dict:
    "Time both models on the same inputs, alternating them repeat by repeat so load changes hit both alike."
    runs = {n: make_runs(n, m, args, channels_last, bf16) for n, m in models.items()}
    times = {n: {"forward": [], "train_step": []} for n in models}
    for n, (fwd, step, _) in runs.items(): fwd(); step()             # warm-up
    for _ in range(args.repeats):
        for n, (fwd, step, _) in runs.items():
            for kind, fn in (("forward", fwd), ("train_step", step)):
                t0 = time.perf_counter(); fn(); times[n][kind].append(time.perf_counter() - t0)
    out = {}
    for n, (_, _, flops) in runs.items():
        r = {}
        for kind in ("forward", "train_step"):
            med, best = statistics.median(times[n][kind]), min(times[n][kind])
            r[f"{kind}_ms"], r[f"{kind}_min_ms"] = round(med * 1e3, 2), round(best * 1e3, 2)
            r[f"{kind}_all_ms"] = [round(v * 1e3, 2) for v in times[n][kind]]
            r[f"{kind}_gflop"] = round(flops[kind] / 1e9, 3)
            r[f"{kind}_gflops_per_s"] = round(flops[kind] / med / 1e9, 2)
        out[n] = r
    return out


def _rss_mib() -> float:
    with open("/proc/self/statm") as f: return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_memory_child(name: str, prec: str, args) -> None:
    "Child process: peak resident memory (MiB) over 3 training steps, above the RSS once model and optimizer exist."
    import threading
    model = zizi_model() if name == "zizi" else diffusers_model(args.size)
    _, step, _ = make_runs(name, model, args, channels_last=False, bf16=prec == "bf16", flops=False)
    base, peak, done = _rss_mib(), [0.0], threading.Event()
    def poll():
        while not done.is_set(): peak[0] = max(peak[0], _rss_mib()); time.sleep(0.0005)
    th = threading.Thread(target=poll); th.start()
    for _ in range(3): step()
    done.set(); th.join()
    print(json.dumps({"baseline_rss_mib": round(base, 1), "train_step_peak_mib": round(peak[0] - base, 1)}))


def peak_memory(args) -> dict:
    "Peak-memory rows, each measured in a fresh process so one run cannot inherit another's allocations."
    import subprocess
    out = {}
    for prec in ("fp32", "bf16"):
        for name in ("zizi", "diffusers"):
            cmd = [sys.executable, __file__, "--memory-child", f"{name}/{prec}", "--batch", str(args.batch),
                   "--size", str(args.size)] + (["--threads", str(args.threads)] if args.threads else [])
            res = subprocess.run(cmd, capture_output=True, text=True, check=True)
            out[f"{name}/{prec}"] = json.loads(res.stdout.strip().splitlines()[-1])
            print(f"memory {name}/{prec}", out[f"{name}/{prec}"], flush=True)
    return out


def paired_speedup(zizi: dict, diffusers: dict, kind: str) -> float:
    "Median over repeats of diffusers' time / zizi's time in the same repeat (the two ran back to back, under the same load)."
    return round(statistics.median(d / z for z, d in zip(zizi[f"{kind}_all_ms"], diffusers[f"{kind}_all_ms"])), 2)


def table_rows(res: dict) -> list[dict]:
    "README rows: per memory format and precision, zizi vs diffusers time, speed ratio, GFLOP/s and peak memory."
    rows = []
    for fmt in ("contiguous", "channels_last"):
        for prec in ("fp32", "bf16"):
            z, d = res["runs"][f"zizi/{fmt}/{prec}"], res["runs"][f"diffusers/{fmt}/{prec}"]
            mem = res.get("memory", {})
            rows.append({"layout / precision": f"{fmt} / {prec}",
                         "train step ms (zizi / diffusers)": f"{z['train_step_ms']:.0f} / {d['train_step_ms']:.0f}",
                         "train speed ratio": paired_speedup(z, d, "train_step"),
                         "forward ms (zizi / diffusers)": f"{z['forward_ms']:.0f} / {d['forward_ms']:.0f}",
                         "forward speed ratio": paired_speedup(z, d, "forward"),
                         "train GFLOP/s (zizi / diffusers / matmul)": f"{z['train_step_gflops_per_s']:.0f} / "
                             f"{d['train_step_gflops_per_s']:.0f} / {res['matmul_2048_gflops_per_s'][prec]:.0f}",
                         "train-step peak MiB (zizi / diffusers)": (f"{mem[f'zizi/{prec}']['train_step_peak_mib']:.0f} / "
                             f"{mem[f'diffusers/{prec}']['train_step_peak_mib']:.0f}") if fmt == "contiguous" and mem else ""})
    return rows


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--size", type=int, default=32)
    p.add_argument("--repeats", type=int, default=9)
    p.add_argument("--threads", type=int, default=None,
                   help="torch.set_num_threads (default: torch's choice; 1 is steadier on a CPU shared with other jobs)")
    p.add_argument("--quick", action="store_true")
    p.add_argument("--memory-child", default=None, help=argparse.SUPPRESS)
    p.add_argument("--out", default=str(ROOT / "bench" / "results" / "unet.json"))
    args = p.parse_args()
    if args.quick: args.repeats = 2
    if args.threads: torch.set_num_threads(args.threads)
    if args.memory_child: return peak_memory_child(*args.memory_child.split("/"), args)
    load_before = os.getloadavg()
    models = {"zizi": zizi_model(), "diffusers": diffusers_model(args.size)}
    params = {k: sum(p.numel() for p in m.parameters()) for k, m in models.items()}
    runs = {}
    for fmt in ("contiguous", "channels_last"):
        for prec in ("fp32", "bf16"):
            for name, r in bench_pair(models, args, fmt == "channels_last", prec == "bf16").items():
                runs[f"{name}/{fmt}/{prec}"] = r
                print(f"{name}/{fmt}/{prec}", r, flush=True)
    ratios = {}
    for fmt in ("contiguous", "channels_last"):
        for prec in ("fp32", "bf16"):
            z, d = runs[f"zizi/{fmt}/{prec}"], runs[f"diffusers/{fmt}/{prec}"]
            ratios[f"{fmt}/{prec}"] = {"forward_speedup": paired_speedup(z, d, "forward"),
                                       "train_step_speedup": paired_speedup(z, d, "train_step")}
    best = {n: min((r["train_step_ms"], k) for k, r in runs.items() if k.startswith(n + "/")) for n in models}
    mm = {"fp32": round(matmul_gflops(torch.float32, args.repeats), 1),
          "bf16": round(matmul_gflops(torch.bfloat16, args.repeats), 1)}
    res = {"command": "python " + " ".join(["bench/bench_unet.py"] + sys.argv[1:]),
           "torch": torch.__version__, "machine": platform.machine(), "threads": torch.get_num_threads(),
           "loadavg_before": [round(v, 2) for v in load_before],
           "loadavg_after": [round(v, 2) for v in os.getloadavg()],
           "batch": args.batch, "size": args.size, "cond_tokens": TOKENS, "repeats": args.repeats,
           "parameters": params, "matmul_2048_gflops_per_s": mm, "runs": runs,
           "speedup_zizi_over_diffusers": ratios, "memory": peak_memory(args),
           "best_train_step": {n: {"config": k, "ms": ms} for n, (ms, k) in best.items()},
           "note": "*_ms: median of `repeats` timings, zizi and diffusers alternated repeat by repeat; *_min_ms: fastest; "
                   "*_all_ms: every repeat. Speedups: the median over repeats of diffusers' / zizi's time in that repeat. "
                   "The CPU is shared with other processes: expect tens of percent of noise, compare the ratios."}
    mem = res["memory"]
    res["summary_memory"] = [f"{prec}: training-step peak memory (above weights+optimizer) zizi {mem[f'zizi/{prec}']['train_step_peak_mib']} MiB "
                             f"vs diffusers {mem[f'diffusers/{prec}']['train_step_peak_mib']} MiB" for prec in ("fp32", "bf16")]
    res["summary"] = [f"{fmt}/{prec}: zizi forward {r['forward_speedup']}x, train step {r['train_step_speedup']}x "
                      f"the speed of diffusers" for fmt_prec, r in ratios.items() for fmt, prec in [fmt_prec.split('/')]]
    res["results"] = table_rows(res)
    write_results(args.out, res, indent=2)
    print(json.dumps({k: res[k] for k in ("parameters", "matmul_2048_gflops_per_s", "speedup_zizi_over_diffusers",
                                          "best_train_step", "summary")}, indent=2))


if __name__ == "__main__":
    main()
