#!/usr/bin/env python
"""The live path at batch 1, side by side in one run: one-step students, their multi-step teachers, and a diffusers
pipeline of matched size, on the same seeded poses.

    python bench/bench_realtime.py            # writes bench/results/realtime.json (a few minutes on an idle 2-core CPU)
    python bench/bench_realtime.py --frames 3 --no-peak      # a smoke test

Every row steps one pose at a time end to end — pose -> conditioning -> network -> decode (latent models) -> uint8 —
through the same poses (`--poses dance`: an evenly spaced subset of `zizi.live.choreography` through the preset poses,
with one fixed look, as `zizi perform` streams it; `--poses held_out`: `zizi.pose_model.held_out_conditions`, a new look
every frame) and reports the median (p50) and 90th-percentile ms of a frame, the fps of the median, the network
evaluations per frame (nfe: steps x 2 with guidance != 1, which doubles the batch), PCK@0.1 of the frames by the
shipped pose judge (`zizi.metrics.pose_pck`), the ratio of each row's p50 to the realtime row of the same resolution
(x_realtime) and the achieved GFLOP/s: torch's FLOP counter over one whole frame (network x nfe + decoder +
conditioning; CPU attention added, which the counter does not know) divided by the p50 time, and that as a
percentage of this CPU's matmul peak measured in the same run (2048x2048 matmuls for `--peak-seconds`, bf16 for
bf16 rows, fp32 for fp32 rows, at the row's thread count).

Rows, per resolution (64 px pixel space: pose64; 128 px from 32x32x4 latents: latent128):
  * realtime — `zizi.realtime.Performer` with a one-step student (`--models`: names in data/pretrained, run names whose
    `final/` exists, or folders; missing ones are skipped with a note) at the steps/guidance of its `sampling.json`
    (1 / 1), with 1 and 2 torch threads, eager and compiled (*realtime compiled*: `Performer(compile=True)`, torch.compile's
    inductor; its first frames, which compile, are the untimed warm-up; its GFLOP are the eager row's), each at the
    Performer's defaults (`precision="auto"`, channels-last on a CPU); and, at DEFAULT_THREADS, the variants that
    measure each default (`--variants 0` leaves them out): *realtime fp32 nchw* (eager fp32 in the default memory
    layout: what channels-last buys, network and decoder), *realtime bf16* (eager with bf16 weights: what bf16 buys)
    and *realtime compiled bf16* (what it buys a compiled network);
  * teacher — the multi-step model through the same Performer at 15 steps (guidance 1 and the Performer's default 2)
    and at 1 step (guidance 1 and 2), at `zizi.realtime.DEFAULT_THREADS`;
  * diffusers — a randomly initialised `diffusers.UNet2DConditionModel` with the teacher's widths, levels, attention
    levels, heads and norm groups (so about its parameter count), conditioned only by cross-attention on the same number
    of tokens (17 joints + 7 attributes, width cond_dim, from a random linear pose/attribute embedding), driven by
    `DPMSolverMultistepScheduler` at 20 steps (guidance 1 and 2: 2 = a batch of 2, as a guided diffusers pipeline
    runs it); for the latent model, a randomly initialised `AutoencoderKL` (f4: 3 blocks of zizi's VAE widths,
    4 latent channels) decodes to 128x128. Its point is cost, not images: its PCK is null.
    Next to the rows, `paired_eval`: one UNet evaluation (and decoder) at batch 1 of zizi's model and of its diffusers
    match, called alternately `--eval-repeats` times so the ratio survives a change of load.
The 15- and 20-step rows time fewer frames (`--slow-frames`). Precision is the Performer's `auto` (`zizi.realtime.
live_dtype`: fp32 on a CPU, as in `zizi perform`) for every row but the variants. A benchmark, not a test: on a shared machine the numbers move with the load,
recorded at start and end; `x_realtime` compares rows of one run.
"""
import argparse, os, statistics, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch.utils.flop_counter import FlopCounterMode, sdpa_flop_count  # noqa: E402

from _common import git_commit, machine_info, write_result  # noqa: E402
from zizi.core import autocast_dtype, data_dir, to_uint8  # noqa: E402
from zizi.live import DEFAULT_GUIDANCE, PRESET_POSES, RANDOM, choreography, resolve_attrs  # noqa: E402
from zizi.pipeline import PosePipeline  # noqa: E402
from zizi.realtime import live_dtype  # noqa: E402
from zizi.realtime import DEFAULT_THREADS, STAGES, Performer  # noqa: E402
from zizi.renderer import ATTR_NAMES, ATTR_SIZES  # noqa: E402

DEFAULT_MODELS = ("pose64_1step", "latent128_1step", "pose64", "latent128")
TEACHER_SETTINGS = ((1, 1.0), (1, DEFAULT_GUIDANCE), (15, 1.0), (15, DEFAULT_GUIDANCE))   # (steps, guidance)
DIFFUSERS_STEPS = 20

# torch's FLOP counter has no formula for the CPU attention kernel (it counts 0): count it as the other SDPA kernels
_CPU_SDPA = {torch.ops.aten._scaled_dot_product_flash_attention_for_cpu:
             lambda q, k, v, *args, out_shape=None, **kw: sdpa_flop_count(q, k, v)}


def frame_flops(step) -> int:
    "FLOPs of one call of `step()` (a whole frame)."
    with FlopCounterMode(display=False, custom_mapping=_CPU_SDPA) as fc: step()
    return fc.get_total_flops()


def resolve_model(spec: str) -> Path | None:
    "A model folder for a name (data/pretrained/<name>, else runs/<name>/final) or a folder (or its final/); None if missing."
    p = Path(spec)
    cands = [p, p / "final"] if p.exists() or len(p.parts) > 1 else [data_dir() / "pretrained" / spec, ROOT / "runs" / spec / "final"]
    return next((c for c in cands if (c / "config.json").exists()), None)


def group_of(pipe: PosePipeline) -> str:
    "The resolution a model draws at, e.g. '64px pixel' or '128px latent': rows are compared within a group."
    return f"{pipe.image_size}px {'latent' if pipe.vae is not None else 'pixel'}"


def matmul_peak(dtype: torch.dtype, threads: int, seconds: float, n: int = 2048) -> float:
    "GFLOP/s of back-to-back n x n matmuls for about `seconds` at `threads` torch threads."
    torch.set_num_threads(threads)
    a, b = torch.randn(n, n).to(dtype), torch.randn(n, n).to(dtype)
    out = torch.empty(n, n, dtype=dtype)
    for _ in range(2): torch.mm(a, b, out=out)
    k, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds or k < 3:
        torch.mm(a, b, out=out); k += 1
    return 2 * n**3 * k / (time.perf_counter() - t0) / 1e9


def pose_set(kind: str, n: int) -> tuple[np.ndarray, list | None]:
    "`n` poses (n, 17, 3) and, for held-out conditions, one attribute dict per pose (None: the Performer's fixed look)."
    if kind == "held_out":
        from zizi.pose_model import held_out_conditions
        poses, attrs = held_out_conditions(n, data_seed=0)
        return poses, [dict(zip(ATTR_NAMES, map(int, a))) for a in attrs]
    seq = choreography(list(PRESET_POSES), frames_per_move=8)                      # 64 poses, loops
    return seq[np.linspace(0, len(seq) - 1, n).round().astype(int)], None


def subset(poses: np.ndarray, attrs: list | None, n: int):
    "The first `n` poses of held-out conditions (iid), or `n` evenly spaced poses of the choreography (all of it covered)."
    idx = np.arange(n) if attrs is not None else np.linspace(0, len(poses) - 1, n).round().astype(int)
    return poses[idx], None if attrs is None else [attrs[i] for i in idx]


# ---------------------------------------------------------------------------------------------------- diffusers baseline
class TokenEncoder(torch.nn.Module):
    "Pose (B, 17, 3) + attribute indices (B, 7) -> (B, 24, d) tokens: a linear embedding per joint (+ its position) and one per attribute value."
    def __init__(self, d: int):
        super().__init__()
        self.joint, self.pos = torch.nn.Linear(3, d), torch.nn.Parameter(0.02 * torch.randn(17, d))
        self.attr = torch.nn.Embedding(sum(ATTR_SIZES), d)
        self.register_buffer("offsets", torch.tensor(np.cumsum([0] + ATTR_SIZES[:-1])))

    def forward(self, poses: torch.Tensor, attrs: torch.Tensor) -> torch.Tensor:
        return torch.cat([self.joint(poses) + self.pos, self.attr(attrs + self.offsets)], 1)


def diffusers_models(pipe: PosePipeline) -> dict:
    "Randomly initialised diffusers modules matched to `pipe`'s UNet (and first stage): unet, tokens, vae (or None), size."
    from diffusers import AutoencoderKL, UNet2DConditionModel
    torch.manual_seed(0)
    c = pipe.config.unet
    n, widths = c.levels, tuple(c.widths)
    attn = [c.attends(i) for i in range(n)]
    unet = UNet2DConditionModel(
        sample_size=pipe.config.size, in_channels=c.in_channels, out_channels=c.out_channels, block_out_channels=widths,
        layers_per_block=c.blocks_per_level,
        down_block_types=tuple("CrossAttnDownBlock2D" if a else "DownBlock2D" for a in attn),
        up_block_types=tuple("CrossAttnUpBlock2D" if a else "UpBlock2D" for a in reversed(attn)),
        mid_block_type="UNetMidBlock2DCrossAttn" if c.mid_attention else None,
        cross_attention_dim=c.cond_dim, attention_head_dim=c.num_heads or widths[-1] // c.head_dim,   # diffusers reads it as heads
        norm_num_groups=c.norm_groups).eval()
    vae = None
    if pipe.vae is not None:
        v = pipe.vae.config
        vae = AutoencoderKL(block_out_channels=tuple(v.encoder_widths), down_block_types=("DownEncoderBlock2D",) * len(v.encoder_widths),
                            up_block_types=("UpDecoderBlock2D",) * len(v.encoder_widths), layers_per_block=v.decoder_blocks,
                            latent_channels=v.latent_channels, norm_num_groups=min(8, v.encoder_widths[0]),
                            sample_size=pipe.image_size).eval()
    return dict(unet=unet, tokens=TokenEncoder(c.cond_dim).eval(), vae=vae, size=pipe.config.size, channels=c.in_channels)


class DiffusersPerformer:
    "A guided diffusers pipeline at batch 1 with `Performer`'s interface: `step(pose, attrs) -> uint8 (H, W, 3)` and `timings` (ms per stage)."
    def __init__(self, models: dict, look: dict, steps: int, guidance: float, dtype, seed: int = 0):
        from diffusers import DPMSolverMultistepScheduler
        self.m, self.look, self.steps, self.guidance, self.dtype = models, look, steps, guidance, dtype
        self.scheduler = DPMSolverMultistepScheduler(num_train_timesteps=1000, beta_schedule="squaredcos_cap_v2",
                                                     algorithm_type="dpmsolver++", solver_order=2)
        shape = (1, models["channels"], models["size"], models["size"])
        self.noise = torch.randn(shape, generator=torch.Generator().manual_seed(seed))
        self.timings: dict[str, float] = {}

    @torch.no_grad()
    def step(self, pose, attrs=None) -> np.ndarray:
        m, g, s = self.m, self.guidance, self.scheduler
        t0 = time.perf_counter()
        look = attrs if attrs is not None else self.look
        p = torch.from_numpy(np.asarray(pose, dtype=np.float32))[None]
        a = torch.tensor([[int(look[k]) for k in ATTR_NAMES]])
        t1 = time.perf_counter()
        with torch.autocast("cpu", dtype=self.dtype or torch.bfloat16, enabled=self.dtype is not None):
            ctx = m["tokens"](p, a)
            if g != 1: ctx = torch.cat([torch.zeros_like(ctx), ctx])               # null condition, condition
            t2 = time.perf_counter()
            s.set_timesteps(self.steps)
            x = self.noise * s.init_noise_sigma
            for t in s.timesteps:
                out = m["unet"](torch.cat([x] * 2) if g != 1 else x, t, encoder_hidden_states=ctx).sample.float()
                if g != 1: u, c = out.chunk(2); out = u + g * (c - u)
                x = s.step(out, t, x).prev_sample
            t3 = time.perf_counter()
            img = x if m["vae"] is None else m["vae"].decode(x / m["vae"].config.scaling_factor).sample.float()
            t4 = time.perf_counter()
        frame = to_uint8(img.clamp(-1, 1).nan_to_num())[0]
        t5 = time.perf_counter()
        self.timings = {k: 1e3 * v for k, v in dict(pose=t1 - t0, conditioning=t2 - t1, network=t3 - t2, decode=t4 - t3,
                                                      uint8=t5 - t4, total=t5 - t0).items()}
        return frame


def paired_eval_ms(fns: dict, dtype, repeats: int) -> dict:
    """Median ms of one call of each of `fns` (zizi, diffusers, zizi, diffusers, ...), called alternately `repeats` times
    so a load change hits all alike, and per pair the median over repeats of diffusers' / zizi's time."""
    times = {k: [] for k in fns}
    with torch.no_grad(), torch.autocast("cpu", dtype=dtype or torch.bfloat16, enabled=dtype is not None):
        for fn in fns.values(): fn(); fn()
        for _ in range(repeats):
            for k, fn in fns.items():
                t0 = time.perf_counter(); fn(); times[k].append(1e3 * (time.perf_counter() - t0))
    names = list(fns)
    return {"ms": {k: round(statistics.median(v), 2) for k, v in times.items()},
            "x_diffusers": {b: round(statistics.median(tb / ta for ta, tb in zip(times[a], times[b])), 2)
                            for a, b in zip(names[::2], names[1::2])}}


# ---------------------------------------------------------------------------------------------------- one row
def realtime_settings(threads: list[int], precision: str, compile: bool, variants: bool) -> list[tuple[str, int, dict]]:
    "(kind, threads, Performer options) of the realtime rows: the defaults eager and compiled, then the variants."
    rows = [("realtime", t, dict(precision=precision, compile=False)) for t in threads]
    if compile: rows += [("realtime compiled", t, dict(precision=precision, compile=True)) for t in threads]
    if variants:
        rows += [("realtime fp32 nchw", DEFAULT_THREADS, dict(precision="fp32", compile=False, channels_last=False))]
        if autocast_dtype("cpu"): rows += [("realtime bf16", DEFAULT_THREADS, dict(precision="bf16", compile=False))]
        if compile and autocast_dtype("cpu"):
            rows += [("realtime compiled bf16", DEFAULT_THREADS, dict(precision="bf16", compile=True))]
    return rows


def run_row(performer, poses, attrs, warmup: int) -> tuple[np.ndarray, list[dict]]:
    "Frames and per-frame stage timings of `performer` over `poses` (after `warmup` untimed steps on the first poses)."
    for i in range(min(warmup, len(poses))): performer.step(poses[i], None if attrs is None else attrs[i])
    frames, timings = [], []
    for i, pose in enumerate(poses):
        frames.append(performer.step(pose, None if attrs is None else attrs[i]))
        timings.append(dict(performer.timings))
    return np.stack(frames), timings


def summarise(label: str, kind: str, group: str, performer, steps: int, guidance: float, threads: int, precision: str,
              poses, attrs, warmup: int, judge, peaks: dict | None, pck: bool = True, flops: float | None = None) -> tuple[dict, dict]:
    "Time one setting; the README row and the per-stage medians (`flops`: the frame's, when the counter cannot see them)."
    frames, timings = run_row(performer, poses, attrs, warmup)
    if flops is None: flops = frame_flops(lambda: performer.step(poses[0], None if attrs is None else attrs[0]))
    p50, p90 = (float(v) for v in np.percentile([t["total"] for t in timings], [50, 90]))
    score = None
    if pck:
        from zizi.metrics import pose_pck
        score = round(float(pose_pck(frames, poses, judge=judge)), 3)
    gflops = flops / p50 / 1e6
    peak = (peaks or {}).get(str(threads), {}).get(precision)
    row = {"model": label, "kind": kind, "steps": steps, "guidance": guidance, "nfe": steps * (1 if guidance == 1 else 2),
           "threads": threads, "precision": precision, "frames": len(poses),
           "network_ms": round(statistics.median(t["network"] for t in timings), 1), "total_ms": round(p50, 1),
           "p90_ms": round(p90, 1), "fps": round(1e3 / p50, 2), "x_realtime": None, "pck": score,
           "gflop": round(flops / 1e9, 3), "gflops_per_s": round(gflops, 1),
           "peak_pct": None if peak is None else round(100 * gflops / peak, 1)}
    stages = {"model": label, "group": group, "steps": steps, "guidance": guidance, "threads": threads,
              **{f"{k}_ms": round(statistics.median(t[k] for t in timings), 2) for k in STAGES},
              "network_ms_per_step": round(statistics.median(t["network"] for t in timings) / steps, 2)}
    print(row, flush=True)
    return row, stages


def markdown(rows: list[dict]) -> str:
    cols = list(dict.fromkeys(k for r in rows for k in r))
    return "\n".join(["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols),
                      *("| " + " | ".join("" if r.get(c) is None else str(r.get(c)) for c in cols) + " |" for r in rows)])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", nargs="+", default=list(DEFAULT_MODELS),
                    help="model names (data/pretrained/<name> or runs/<name>/final) or folders; a model whose sampling.json "
                         "says 1 step is timed as the realtime path, the others as teachers; missing ones are skipped")
    ap.add_argument("--frames", type=int, default=48, help="timed frames per realtime / 1-step row")
    ap.add_argument("--no-compile", action="store_true", help="leave out the realtime rows with Performer(compile=True)")
    ap.add_argument("--slow-frames", type=int, default=None, help="timed frames per 15- and 20-step row (default frames/4, at least 3)")
    ap.add_argument("--poses", choices=("dance", "held_out"), default="dance")
    ap.add_argument("--realtime-threads", default="1,2", help="torch threads of the realtime rows (teacher and diffusers "
                                                              f"rows: zizi.realtime.DEFAULT_THREADS = {DEFAULT_THREADS})")
    ap.add_argument("--precision", choices=("auto", "fp32", "bf16"), default="auto", help="the Performer's precision for every row")
    ap.add_argument("--variants", type=int, default=1, choices=(0, 1),
                    help="1: also time the realtime path at DEFAULT_THREADS in fp32 NCHW, eager bf16 and compiled bf16 "
                         "(what each default buys)")
    ap.add_argument("--peak-seconds", type=float, default=2.0, help="seconds of matmuls per peak measurement")
    ap.add_argument("--no-peak", action="store_true", help="skip the matmul peak (peak_pct is then null)")
    ap.add_argument("--no-diffusers", action="store_true", help="skip the diffusers baseline rows")
    ap.add_argument("--eval-repeats", type=int, default=20,
                    help="alternating calls of zizi's and diffusers' UNet (batch 1) for the paired per-evaluation cost")
    ap.add_argument("--out", default=None, help="JSON path (default bench/results/realtime.json)")
    args = ap.parse_args()
    slow = args.slow_frames or max(3, args.frames // 4)
    rt_threads = [int(t) for t in args.realtime_threads.split(",")]
    machine, t_start = machine_info(), time.time()
    dtype = {"auto": live_dtype("cpu"), "fp32": None, "bf16": torch.bfloat16}[args.precision]   # what the Performer resolves
    precision = "bf16" if dtype == torch.bfloat16 else "fp32"

    pipes, skipped = {}, []
    for spec in args.models:
        path = resolve_model(spec)
        if path is None:
            where = f"{spec} or {spec}/final" if Path(spec).exists() or len(Path(spec).parts) > 1 else \
                    f"data/pretrained/{spec} or runs/{spec}/final"
            note = f"{spec}: no model folder with a config.json at {where} - skipped"
            print("note:", note, flush=True); skipped.append(note); continue
        pipes[spec] = (path, PosePipeline.from_pretrained(path, device="cpu"))
    if not pipes: sys.exit("no model to time")

    peaks = None
    if not args.no_peak:
        peaks = {str(t): {"fp32": round(matmul_peak(torch.float32, t, args.peak_seconds), 1),
                          **({"bf16": round(matmul_peak(torch.bfloat16, t, args.peak_seconds), 1)} if autocast_dtype("cpu") else {})}
                 for t in sorted(set(rt_threads) | {DEFAULT_THREADS})}
        print("matmul 2048x2048 peak GFLOP/s by threads:", peaks, flush=True)

    from zizi.judges import load_pose_judge
    judge = load_pose_judge()
    all_poses, all_attrs = pose_set(args.poses, max(args.frames, slow))
    fast, slow_set = subset(all_poses, all_attrs, args.frames), subset(all_poses, all_attrs, slow)
    look = resolve_attrs(RANDOM, 0)                              # the Performer's default look (seed 0) in dance mode

    groups: dict[str, list] = {}
    for spec, (path, pipe) in pipes.items():
        groups.setdefault(group_of(pipe), []).append((spec, path, pipe))
    rows, stages, models, paired = [], [], {}, {}
    for group, members in groups.items():
        realtime = [m for m in members if m[2].defaults["steps"] == 1]
        teachers = [m for m in members if m[2].defaults["steps"] != 1]
        for spec, path, pipe in members:
            x = torch.zeros(1, pipe.config.unet.in_channels, pipe.config.size, pipe.config.size)
            with torch.no_grad():
                enc = pipe.model.encode(torch.from_numpy(all_poses[:1]), None, None, (pipe.config.size,) * 2)
                per_eval = frame_flops(lambda: pipe.model.unet(x, torch.tensor([500]), **enc))
                dec = frame_flops(lambda: pipe.vae.decode(x)) if pipe.vae is not None else 0
            models[spec] = {"path": str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path), "group": group,
                            "parameters": sum(p.numel() for p in pipe.model.parameters()),
                            "unet_parameters": sum(p.numel() for p in pipe.model.unet.parameters()),
                            "gflop_per_eval": round(per_eval / 1e9, 3), "decoder_gflop": round(dec / 1e9, 3),
                            "cond_tokens": list(enc["cond"].shape[1:]) if enc["cond"] is not None else None,
                            "sampling": pipe.defaults}
        for spec, path, pipe in realtime:
            steps, g = int(pipe.defaults["steps"]), float(pipe.defaults["guidance"])
            eager_flops = None
            for kind, t, options in realtime_settings(rt_threads, args.precision, not args.no_compile, bool(args.variants)):
                perf = Performer(pipe, steps=steps, guidance=g, threads=t, **options)
                r, s = summarise(spec, kind, group, perf, steps, g, t, perf.precision, *fast, 2,
                                 judge, peaks, flops=eager_flops if options["compile"] else None)
                if not options["compile"]: eager_flops = r["gflop"] * 1e9   # inductor's kernels are invisible to the counter
                rows.append(r); stages.append(s)
        for spec, path, pipe in teachers:
            for steps, g in TEACHER_SETTINGS:
                perf = Performer(pipe, steps=steps, guidance=g, threads=DEFAULT_THREADS, precision=args.precision)
                r, s = summarise(spec, "teacher", group, perf, steps, g, DEFAULT_THREADS, perf.precision,
                                 *(fast if steps == 1 else slow_set), 2 if steps == 1 else 1, judge, peaks)
                rows.append(r); stages.append(s)
        if not args.no_diffusers:
            template = (teachers or realtime)[0]
            dm = diffusers_models(template[2])
            label = f"diffusers~{template[0]}"
            x = torch.zeros(1, dm["channels"], dm["size"], dm["size"])
            with torch.no_grad():
                ctx = dm["tokens"](torch.from_numpy(all_poses[:1]), torch.zeros(1, len(ATTR_NAMES), dtype=torch.long))
                per_eval = frame_flops(lambda: dm["unet"](x, 500, encoder_hidden_states=ctx))
                dec = frame_flops(lambda: dm["vae"].decode(x)) if dm["vae"] is not None else 0
            models[label] = {"group": group, "matched_to": template[0], "random_init": True,
                             "unet": "diffusers.UNet2DConditionModel " + str({k: dm["unet"].config[k] for k in (
                                 "block_out_channels", "layers_per_block", "down_block_types", "up_block_types",
                                 "mid_block_type", "cross_attention_dim", "attention_head_dim", "norm_num_groups")}),
                             "vae": None if dm["vae"] is None else "diffusers.AutoencoderKL " + str({k: dm["vae"].config[k] for k in (
                                 "block_out_channels", "layers_per_block", "latent_channels", "norm_num_groups")}),
                             "parameters": sum(p.numel() for m in ("unet", "tokens") for p in dm[m].parameters()),
                             "unet_parameters": sum(p.numel() for p in dm["unet"].parameters()),
                             "decoder_parameters": None if dm["vae"] is None else
                                 sum(p.numel() for p in [*dm["vae"].decoder.parameters(), *dm["vae"].post_quant_conv.parameters()]),
                             "gflop_per_eval": round(per_eval / 1e9, 3), "decoder_gflop": round(dec / 1e9, 3),
                             "cond_tokens": list(ctx.shape[1:]), "scheduler": f"DPMSolverMultistepScheduler, {DIFFUSERS_STEPS} steps"}
            torch.set_num_threads(DEFAULT_THREADS)                 # one network evaluation each, alternately, same input
            tp = template[2]
            with torch.no_grad(): enc = tp.model.encode(torch.from_numpy(all_poses[:1]), None, None, (tp.config.size,) * 2)
            xr = torch.randn(x.shape, generator=torch.Generator().manual_seed(0))
            fns = {template[0]: lambda: tp.model.unet(xr, torch.tensor([500]), **enc),
                   label: lambda: dm["unet"](xr, 500, encoder_hidden_states=ctx)}
            if dm["vae"] is not None:
                fns |= {f"{template[0]} decoder": lambda: tp.vae.decode(xr), f"{label} decoder": lambda: dm["vae"].decode(xr)}
            paired[group] = {"threads": DEFAULT_THREADS, "precision": precision, "repeats": args.eval_repeats,
                             **paired_eval_ms(fns, dtype, args.eval_repeats)}
            print("paired, one call at batch 1:", paired[group], flush=True)
            for g in (1.0, DEFAULT_GUIDANCE):
                torch.set_num_threads(DEFAULT_THREADS)
                perf = DiffusersPerformer(dm, look, DIFFUSERS_STEPS, g, dtype)
                r, s = summarise(label, "diffusers", group, perf, DIFFUSERS_STEPS, g, DEFAULT_THREADS, precision,
                                 *slow_set, 1, judge, peaks, pck=False)
                rows.append(r); stages.append(s)

    # x_realtime: p50 over the realtime row of the same group at DEFAULT_THREADS (else the teacher at 1 step, guidance 1:
    # the same network, the same cost)
    references = {}
    for group in groups:
        grp = [(r, s) for r, s in zip(rows, stages) if s["group"] == group]
        ref = next((r for r, _ in grp if r["kind"] == "realtime" and r["threads"] == DEFAULT_THREADS), None) or \
              next((r for r, _ in grp if r["kind"] == "teacher" and r["steps"] == 1 and r["guidance"] == 1), None)
        if ref is None: continue
        references[group] = {k: ref[k] for k in ("model", "kind", "steps", "guidance", "threads", "total_ms")}
        for r, _ in grp: r["x_realtime"] = round(r["total_ms"] / ref["total_ms"], 2)

    summary = []
    for group, pr in paired.items():                      # cost of one network evaluation: zizi's UNet vs diffusers'
        (zm, z), (dmn, d), *dec = list(pr["ms"].items())
        summary.append(f"{group}: one UNet evaluation at batch 1 ({pr['threads']} thread(s), {pr['precision']}, {pr['repeats']} "
                       f"alternating calls): {zm} {z:.1f} ms ({models[zm]['gflop_per_eval']} GFLOP, "
                       f"{models[zm]['unet_parameters'] / 1e6:.2f} M parameters), {dmn} {d:.1f} ms ({models[dmn]['gflop_per_eval']} "
                       f"GFLOP, {models[dmn]['unet_parameters'] / 1e6:.2f} M): x{pr['x_diffusers'][dmn]:.2f}"
                       + ("" if not dec else f"; decoder {dec[0][1]:.1f} ms vs {dec[1][1]:.1f} ms ({models[zm]['decoder_gflop']} vs "
                          f"{models[dmn]['decoder_gflop']} GFLOP): x{pr['x_diffusers'][dec[1][0]]:.2f}"))
    for line in summary: print(line)
    torch.set_num_threads(DEFAULT_THREADS)
    cmd = "python " + " ".join(["bench/bench_realtime.py"] + sys.argv[1:])
    result = {"command": cmd, "commit": git_commit(), "machine": machine,
              "loadavg_at_end": [round(v, 2) for v in os.getloadavg()],
              "seconds": round(time.time() - t_start, 1), "autocast_default": str(autocast_dtype("cpu")), "live_default": str(live_dtype("cpu")),
              "default_threads": DEFAULT_THREADS, "poses": {"kind": args.poses, "frames": args.frames, "slow_frames": slow,
                                                             "look": look if all_attrs is None else "held-out attributes per frame"},
              "matmul_peak_gflops_per_s": peaks, "models": models, "skipped": skipped, "references": references,
              "paired_eval": paired, "summary": summary,
              "results": rows, "stages_ms": stages,
              "note": "total_ms = p50 ms per frame end to end (pose -> uint8), p90_ms its 90th percentile, fps = 1000/total_ms; "
                      "nfe = network evaluations per frame (guidance != 1: two, in one batch of 2); x_realtime = total_ms / "
                      "the references' total_ms (same group); gflop = FLOPs of one whole frame (torch's counter + CPU "
                      "attention); gflops_per_s = gflop / total_ms; peak_pct = that / the matmul peak at the row's threads "
                      "and precision. PCK@0.1 by the shipped pose judge; null for the random diffusers baseline."}
    write_result("realtime", result, args.out)
    print()
    print(markdown(rows))


if __name__ == "__main__":
    main()
