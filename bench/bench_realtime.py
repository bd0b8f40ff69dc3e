#!/usr/bin/env python
"""The live path at batch 1, every row in one run and taking turns frame by frame: the one-step students in each
runtime, the pipeline's own one-step call on the same pose, their multi-step teachers and a diffusers pipeline of
matched size.

    python bench/bench_realtime.py                       # writes bench/results/realtime.json (about 3 minutes on an idle 2-core CPU)
    python bench/bench_realtime.py --frames 4 --slow-frames 1 --no-peak --no-diffusers   # a smoke test

Every row draws one pose at a time end to end — pose -> conditioning -> network -> decode (latent models) -> uint8 —
through the same poses: a smooth dance through held-out poses (`zizi.pose_model.held_out_conditions` as key poses,
eased into each other, one fixed look, as `zizi perform` streams it). The rows **take turns**: each round draws the
round's pose with every row in order (the slow rows every few rounds), so a change of the shared machine's load hits
all rows alike; the load average is recorded at start and end. Per row: the median (p50) and 90th-percentile ms of a
frame, the fps of the median, the network evaluations per frame (nfe: steps x 2 with guidance != 1, which doubles the
batch), the median ms of each stage, PCK@0.1 of the frames by the shipped pose judge (`zizi.metrics.pose_pck`),
`x_pipeline` — the median over rounds of the row's frame time over the pipeline's one-step call on the same pose in the
same round (`PosePipeline(pose, look, steps=1)`, the plain PyTorch reference the notebooks teach with) — and the
achieved GFLOP/s: torch's FLOP counter over one frame of the torch row (the same arithmetic in every runtime; CPU
attention added, which the counter does not know) over the p50 time, and that as a percentage of this CPU's matmul peak
measured in the same run (2048x2048 matmuls, `--peak-seconds`, at the row's threads).

Rows, per student (`--models`; 64 px: pose64_1step, 128 px from 32x32x4 latents: latent128_1step):
  * default — `Performer.from_pretrained(name)` as a user gets it: `runtime="auto"` (the fastest runtime measured on this
    CPU, `zizi.export.fastest_runtime`), one thread, a latent model decoding with the fast decoder its folder ships
    (`vae_live/`, notebook 12c); the row says which runtime it resolved to; *default, own decoder*: the same with the
    model's own first stage (`vae=None`), which the pipeline, the int8 row and the teachers use;
  * torch / onnxruntime / openvino — `Performer(runtime=...)` at 1 thread and (`--threads 1,2`) 2 threads;
  * variants (`--variants 0` leaves them out): *torch nchw* (fp32 in the default memory layout, what channels-last buys),
    *torch bf16* (bf16 weights), and with `--compile` *torch compiled* (torch.compile with frozen weights; its compile is
    the untimed warm-up);
  * pipeline — the pipeline's one-step call on the round's pose and the same look (the reference of `x_pipeline`);
  * teacher — the multi-step model (pose64, latent128) through `Performer(runtime="torch")` at 15 steps, guidance 1 and 2;
  * diffusers — a randomly initialised `diffusers.UNet2DConditionModel` with the teacher's widths, levels, attention,
    heads and norm groups, conditioned by cross-attention on as many tokens, driven by `DPMSolverMultistepScheduler` at
    20 steps (guidance 1 and 2); for the latent model a random `AutoencoderKL` (f4, zizi's VAE widths) decodes. Its point
    is cost, not images: its PCK is null.
Stream rows (`--stream-blocks`, 0 leaves them out): the whole dance as `zizi perform` streams it, `Performer.stream` —
the default performer (`lanes=None`: one lane per core up to two, each frame drawn on its own thread, the fastest
runtime that can run side by side), the same with one lane, and the pipeline's one-step call pose after pose — taking
turns block by block (`--block` poses a block, the order rotating); per row the median over blocks of the frames per
second leaving the stream and of its ms per frame over the pipeline's in the same block. Each stream frame still takes
one step from pose to picture; lanes raise how many leave per second, not how soon one does.
The teacher and diffusers rows time `--slow-frames` frames. A benchmark, not a test: on a shared machine the numbers
move with the load; compare rows of one run.
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
from zizi.export import RUNTIMES  # noqa: E402
from zizi.live import RANDOM, resolve_attrs  # noqa: E402
from zizi.pipeline import PosePipeline  # noqa: E402
from zizi.realtime import DEFAULT_THREADS, STAGES, Performer  # noqa: E402
from zizi.renderer import ATTR_NAMES, ATTR_SIZES  # noqa: E402

DEFAULT_MODELS = ("pose64_1step", "latent128_1step")
TEACHER_STEPS, DIFFUSERS_STEPS, GUIDANCES = 15, 20, (1.0, 2.0)

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


def held_out_dance(n_frames: int, frames_per_move: int = 8, seed: int = 0) -> np.ndarray:
    """A smooth dance through held-out poses: `held_out_conditions` key poses (never drawn by the training data), each
    held a quarter of its frames and cosine-eased into the next (a joint hidden at either end is hidden while it moves)."""
    from zizi.pose_model import held_out_conditions
    keys, _ = held_out_conditions(max(2, -(-n_frames // frames_per_move) + 1), data_seed=seed)
    out = []
    for a, b in zip(keys[:-1], keys[1:]):
        for f in range(frames_per_move):
            u = max(0.0, (f / frames_per_move - 0.25) / 0.75)
            w = (1 - np.cos(np.pi * u)) / 2
            p = a.copy()
            p[:, :2] = (1 - w) * a[:, :2] + w * b[:, :2]
            p[:, 2] = a[:, 2] * b[:, 2] if 0 < w < 1 else (a[:, 2] if w == 0 else b[:, 2])
            out.append(p)
    return np.stack(out[:n_frames]).astype(np.float32)


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


# ---------------------------------------------------------------------------------------------------- rows
class PipelineCall:
    "The pipeline's one-step call for one pose and the performer's look: `step(pose) -> uint8 (H, W, 3)`, `timings` (total only)."
    def __init__(self, pipe: PosePipeline, look: dict | None):
        self.pipe, self.look, self.timings = pipe, look, {}

    def step(self, pose, attrs=None) -> np.ndarray:
        t0 = time.perf_counter()
        frame = self.pipe(pose, self.look, steps=1, seed=0, guidance=1.0)[0]
        self.timings = {"total": 1e3 * (time.perf_counter() - t0)}
        return frame


class Row:
    "One configuration: what draws (`drawer.step(pose)`), its label, and what it recorded."
    def __init__(self, model: str, kind: str, group: str, drawer, threads: int, steps: int = 1, guidance: float = 1.0,
                 runtime: str = "torch", precision: str = "fp32", slow: bool = False, pck: bool = True):
        self.model, self.kind, self.group, self.drawer, self.threads = model, kind, group, drawer, threads
        self.steps, self.guidance, self.runtime, self.precision, self.slow, self.pck = steps, guidance, runtime, precision, slow, pck
        self.frames, self.timings, self.rounds = [], [], []

    def step(self, pose, record: bool, round_: int | None = None) -> None:
        torch.set_num_threads(self.threads)                      # torch's threads are per process: set them per row
        frame = self.drawer.step(pose)
        if record: self.frames.append(frame); self.timings.append(dict(self.drawer.timings)); self.rounds.append(round_)


def build_rows(name: str, pipe: PosePipeline, own: PosePipeline, threads: list[int], variants: bool, compile: bool) -> list[Row]:
    """The rows of one student: default, each runtime at each thread count, the variants, the pipeline's call. `pipe` is
    the model as `Performer.from_pretrained` loads it (a latent model with its fast `vae_live/` decoder, notebook 12c),
    `own` as `PosePipeline.from_pretrained` does (its own first stage: the pipeline's reference, the int8 decoder)."""
    group = f"{pipe.image_size}px {'latent' if pipe.vae is not None else 'pixel'}"
    default = Performer(pipe, threads=DEFAULT_THREADS)                 # = Performer.from_pretrained(name): defaults, one thread
    rows = [Row(name, f"default ({default.runtime})", group, default, DEFAULT_THREADS, runtime=default.runtime)]
    if own is not pipe:                                           # the same, decoding with the model's own first stage
        d_own = Performer(own, threads=DEFAULT_THREADS)
        rows.append(Row(name, f"default, own decoder ({d_own.runtime})", group, d_own, DEFAULT_THREADS, runtime=d_own.runtime))
    for t in threads:
        for rt in RUNTIMES:
            rows.append(Row(name, rt, group, Performer(pipe, threads=t, runtime=rt), t, runtime=rt))
    if pipe.vae is not None:                                      # a latent model's decoder in int8 (notebook 12b section 6)
        rows.append(Row(name, "onnxruntime int8", group, Performer(own, threads=DEFAULT_THREADS, precision="int8"), DEFAULT_THREADS,
                        runtime="onnxruntime", precision="int8"))
    if variants:
        rows.append(Row(name, "torch nchw", group, Performer(pipe, threads=DEFAULT_THREADS, channels_last=False), DEFAULT_THREADS))
        if autocast_dtype("cpu"):
            rows.append(Row(name, "torch bf16", group, Performer(pipe, threads=DEFAULT_THREADS, precision="bf16"), DEFAULT_THREADS,
                            precision="bf16"))
    if compile:
        rows.append(Row(name, "torch compiled", group, Performer(pipe, threads=DEFAULT_THREADS, compile=True), DEFAULT_THREADS))
    rows.append(Row(name, "pipeline", group, PipelineCall(own, default.look), DEFAULT_THREADS))
    return rows


def slow_rows(student: str, pipe: PosePipeline, look: dict, diffusers: bool) -> list[Row]:
    "The teacher at 15 steps and the matched diffusers pipeline at 20, guidance 1 and 2."
    group = f"{pipe.image_size}px {'latent' if pipe.vae is not None else 'pixel'}"
    rows, teacher = [], pipe.defaults.get("teacher")
    if teacher and resolve_model(teacher) is not None:
        tp = PosePipeline.from_pretrained(resolve_model(teacher), device="cpu")
        for g in GUIDANCES:
            perf = Performer(tp, steps=TEACHER_STEPS, guidance=g, threads=DEFAULT_THREADS, runtime="torch", attrs=look)
            rows.append(Row(teacher, "teacher", group, perf, DEFAULT_THREADS, TEACHER_STEPS, g, slow=True))
    if diffusers:
        dm = diffusers_models(pipe)
        for g in GUIDANCES:
            rows.append(Row(f"diffusers~{teacher or student}", "diffusers", group, DiffusersPerformer(dm, look, DIFFUSERS_STEPS, g, None),
                            DEFAULT_THREADS, DIFFUSERS_STEPS, g, slow=True, pck=False))
    return rows


def summarise(row: Row, poses: np.ndarray, reference: Row | None, judge, peaks: dict | None, flops: float | None) -> tuple[dict, dict]:
    "The README row and the per-stage medians of one row."
    totals = [t["total"] for t in row.timings]
    p50, p90 = (float(v) for v in np.percentile(totals, [50, 90]))
    score = None
    if row.pck:
        from zizi.metrics import pose_pck
        score = round(float(pose_pck(np.stack(row.frames), poses[row.rounds], judge=judge)), 3)
    ratio = None
    if reference is not None and reference is not row:
        ref = dict(zip(reference.rounds, (t["total"] for t in reference.timings)))
        pairs = [t / ref[r] for r, t in zip(row.rounds, totals) if r in ref]
        ratio = round(float(np.median(pairs)), 3) if pairs else None
    gflops = None if flops is None else flops / p50 / 1e6
    peak = (peaks or {}).get(str(row.threads), {}).get(row.precision)
    out = {"model": row.model, "kind": row.kind, "runtime": row.runtime, "steps": row.steps, "guidance": row.guidance,
           "nfe": row.steps * (1 if row.guidance == 1 else 2), "threads": row.threads, "precision": row.precision,
           "frames": len(totals), "network_ms": round(statistics.median(t["network"] for t in row.timings), 1) if "network" in row.timings[0] else None,
           "total_ms": round(p50, 1), "p90_ms": round(p90, 1), "fps": round(1e3 / p50, 1), "x_pipeline": ratio, "pck": score,
           "gflop": None if flops is None else round(flops / 1e9, 3), "gflops_per_s": None if gflops is None else round(gflops, 1),
           "peak_pct": None if gflops is None or peak is None else round(100 * gflops / peak, 1)}
    stages = {"model": row.model, "kind": row.kind, "group": row.group, "threads": row.threads,
              **({f"{k}_ms": round(statistics.median(t[k] for t in row.timings), 2) for k in STAGES} if "network" in row.timings[0] else {})}
    print(out, flush=True)
    return out, stages


def stream_rows(pipes: dict, owns: dict, poses: np.ndarray, blocks: int, block: int) -> list[dict]:
    """Frames/s leaving `Performer.stream` (default lanes, one lane; a latent model also with its own decoder and with the
    int8 one) and the pipeline's calls, taking turns block by block."""
    out = []
    for name, pipe in pipes.items():
        own = owns[name]
        default = Performer(pipe, threads=DEFAULT_THREADS)
        one = Performer(pipe, threads=DEFAULT_THREADS, lanes=1, runtime=default.runtime)
        look = default.look
        drawers = {f"stream default ({default.runtime}, {default.lanes} lanes)": default.stream,
                   f"stream 1 lane ({one.runtime})": one.stream,
                   "stream pipeline": lambda ps: (own(p, look, steps=1, seed=0, guidance=1.0)[0] for p in ps)}
        if own is not pipe:                                       # the model's own decoder, the default's lanes
            d_own = Performer(own, threads=DEFAULT_THREADS)
            drawers[f"stream own decoder ({d_own.runtime}, {d_own.lanes} lanes)"] = d_own.stream
        if pipe.vae is not None:                                  # its own decoder in int8, the default's lanes
            int8 = Performer(own, threads=DEFAULT_THREADS, precision="int8")
            drawers[f"stream int8 ({int8.runtime}, {int8.lanes} lanes)"] = int8.stream
        ms = {k: [] for k in drawers}
        for b in range(blocks + 1):                              # block 0 warms up
            chunk = poses[(b * block) % len(poses):][:block]
            keys = list(drawers)[b % len(drawers):] + list(drawers)[:b % len(drawers)]
            for k in keys:
                t0 = time.perf_counter(); n = sum(1 for _ in drawers[k](chunk))
                if b: ms[k].append(1e3 * (time.perf_counter() - t0) / n)
        ref = ms["stream pipeline"]
        for k, v in ms.items():
            lanes = default.lanes if "default" in k or "int8" in k or "own decoder" in k else 1
            row = {"model": name, "kind": k, "runtime": default.runtime if "pipeline" not in k else "torch", "lanes": lanes,
                   "precision": "int8" if "int8" in k else "fp32",
                   "threads": DEFAULT_THREADS, "blocks": blocks, "block": block, "ms_per_frame": round(float(np.median(v)), 1),
                   "fps": round(1e3 / float(np.median(v)), 1),
                   "x_pipeline": round(float(np.median([a / r for a, r in zip(v, ref)])), 3)}
            print(row, flush=True); out.append(row)
    return out


def markdown(rows: list[dict]) -> str:
    cols = list(dict.fromkeys(k for r in rows for k in r))
    return "\n".join(["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols),
                      *("| " + " | ".join("" if r.get(c) is None else str(r.get(c)) for c in cols) + " |" for r in rows)])


GOALS = {"64px pixel": {"fps": 60.0}, "128px latent": {"fps": 50.0}, "x_pipeline": 0.65}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", nargs="+", default=list(DEFAULT_MODELS), help="one-step students: names in data/pretrained, "
                    "runs/<name>/final, or folders; missing ones are skipped")
    ap.add_argument("--frames", type=int, default=48, help="timed rounds (frames per fast row)")
    ap.add_argument("--warmup", type=int, default=3, help="untimed rounds first")
    ap.add_argument("--slow-frames", type=int, default=4, help="timed frames per teacher / diffusers row (spread over the rounds)")
    ap.add_argument("--threads", default="1,2", help="thread counts of the runtime rows")
    ap.add_argument("--variants", type=int, default=1, choices=(0, 1), help="1: also torch in NCHW and in bf16")
    ap.add_argument("--compile", action="store_true", help="also torch.compile (its compile is part of the warm-up: a minute or more)")
    ap.add_argument("--no-teachers", action="store_true", help="leave out the 15-step teacher rows")
    ap.add_argument("--no-diffusers", action="store_true", help="leave out the diffusers baseline rows")
    ap.add_argument("--peak-seconds", type=float, default=2.0, help="seconds of matmuls per peak measurement")
    ap.add_argument("--no-peak", action="store_true", help="skip the matmul peak (peak_pct is then null)")
    ap.add_argument("--stream-blocks", type=int, default=6, help="timed blocks of the stream rows (0: none)")
    ap.add_argument("--block", type=int, default=16, help="poses per block of the stream rows")
    ap.add_argument("--out", default=None, help="JSON path (default bench/results/realtime.json)")
    args = ap.parse_args()
    threads = [int(t) for t in args.threads.split(",")]
    machine, t_start = machine_info(), time.time()

    pipes, owns, skipped = {}, {}, []
    for spec in args.models:
        path = resolve_model(spec)
        if path is None:
            note = f"{spec}: no model folder with a config.json - skipped"; print("note:", note, flush=True); skipped.append(note); continue
        pipes[spec] = PosePipeline.from_pretrained(path, device="cpu", vae="live")     # as Performer.from_pretrained loads it
        owns[spec] = pipes[spec] if pipes[spec].first_stage in (None, "vae") else PosePipeline.from_pretrained(path, device="cpu")
    if not pipes: sys.exit("no model to time")
    peaks = None
    if not args.no_peak:
        peaks = {str(t): {"fp32": round(matmul_peak(torch.float32, t, args.peak_seconds), 1),
                          **({"bf16": round(matmul_peak(torch.bfloat16, t, args.peak_seconds), 1)} if autocast_dtype("cpu") else {})}
                 for t in sorted(set(threads) | {DEFAULT_THREADS})}
        print("matmul 2048x2048 peak GFLOP/s by threads:", peaks, flush=True)

    t_setup = time.time()
    look = resolve_attrs(RANDOM, 0)                               # the Performer's default look (seed 0)
    fast, slow, references, flops = [], [], {}, {}
    for name, pipe in pipes.items():
        rows = build_rows(name, pipe, owns[name], threads, bool(args.variants), args.compile)
        fast += rows
        references[name] = rows[-1]
        torch_row = next(r for r in rows if r.kind == "torch")
        flops[name] = frame_flops(lambda: torch_row.drawer.step(held_out_dance(1)[0]))
        slow += [r for r in slow_rows(name, owns[name], look, not args.no_diffusers) if not (args.no_teachers and r.kind == "teacher")]
    for r in slow:
        if r.kind == "teacher": flops[(r.model, r.guidance)] = frame_flops(lambda: r.drawer.step(held_out_dance(1)[0]))
    setup_s = time.time() - t_setup

    poses = held_out_dance(args.warmup + args.frames)
    every = max(1, args.frames // max(1, args.slow_frames))
    load_start_rounds = list(os.getloadavg())
    for i, pose in enumerate(poses):                               # round i: every row draws pose i, in a rotating order
        timed = i >= args.warmup
        k = i - args.warmup
        due = slow if (not timed and i == 0) or (timed and k % every == 0 and k // every < args.slow_frames) else []
        rows = fast + due
        for row in rows[i % len(rows):] + rows[:i % len(rows)]:
            row.step(pose, timed, k)
    tposes = poses[args.warmup:]

    from zizi.judges import load_pose_judge
    judge = load_pose_judge()
    out_rows, stages = [], []
    by_group = {r.group: r for r in references.values()}
    for row in fast + slow:
        fl = None if row.kind == "diffusers" else flops.get((row.model, row.guidance)) if row.kind == "teacher" else flops.get(row.model)
        r, s = summarise(row, tposes, by_group.get(row.group), judge, peaks, fl)
        out_rows.append(r); stages.append(s)

    goals = {}
    for name, pipe in pipes.items():
        group = references[name].group
        d = next(r for r in out_rows if r["model"] == name and r["kind"].startswith("default ("))
        want = GOALS.get(group, {}).get("fps")
        goals[name] = {"runtime": d["runtime"], "fps": d["fps"], "fps_goal": want, "fps_met": None if want is None else d["fps"] >= want,
                       "x_pipeline": d["x_pipeline"], "x_pipeline_goal": GOALS["x_pipeline"],
                       "x_pipeline_met": d["x_pipeline"] is not None and d["x_pipeline"] <= GOALS["x_pipeline"]}
    load_start_stream = [round(v, 2) for v in os.getloadavg()]
    streams = stream_rows(pipes, owns, held_out_dance(48), args.stream_blocks, args.block) if args.stream_blocks else []
    for name in pipes:
        s = next((r for r in streams if r["model"] == name and r["kind"].startswith("stream default")), None)
        if s is None: continue
        want = goals[name]["fps_goal"]
        goals[name].update({"stream_lanes": s["lanes"], "stream_runtime": s["runtime"], "stream_fps": s["fps"],
                            "stream_fps_met": None if want is None else s["fps"] >= want, "stream_x_pipeline": s["x_pipeline"],
                            "stream_x_pipeline_met": s["x_pipeline"] <= GOALS["x_pipeline"]})
        so = next((r for r in streams if r["model"] == name and r["kind"].startswith("stream own decoder")), None)
        if so is not None:                                        # what the fast decoder buys, in the same run
            goals[name].update({"stream_fps_own_decoder": so["fps"], "stream_fps_own_decoder_met": None if want is None else so["fps"] >= want})
        s8 = next((r for r in streams if r["model"] == name and r["kind"].startswith("stream int8")), None)
        if s8 is not None:                                        # the int8 option (not the default: it is not fp32's frames)
            goals[name].update({"stream_fps_int8": s8["fps"], "stream_fps_int8_met": None if want is None else s8["fps"] >= want})
    print("goals:", goals)
    cmd = "python " + " ".join(["bench/bench_realtime.py"] + sys.argv[1:])
    result = {"command": cmd, "commit": git_commit(), "machine": machine,
              "loadavg_at_rounds_start": [round(v, 2) for v in load_start_rounds],
              "loadavg_at_stream_start": load_start_stream, "loadavg_at_end": [round(v, 2) for v in os.getloadavg()], "seconds": round(time.time() - t_start, 1),
              "setup_seconds": round(setup_s, 1), "default_threads": DEFAULT_THREADS,
              "poses": {"kind": "a smooth dance through held-out poses (held_out_dance)", "rounds": args.frames,
                        "warmup": args.warmup, "slow_frames": args.slow_frames, "look": look},
              "matmul_peak_gflops_per_s": peaks, "skipped": skipped, "goals": goals, "results": out_rows, "stream": streams, "stages_ms": stages,
              "note": "rows take turns frame by frame (one round = every row draws the round's pose; slow rows every few rounds). "
                      "total_ms = p50 ms per frame end to end (pose -> uint8), p90_ms its 90th percentile, fps = 1000/total_ms; "
                      "x_pipeline = median over rounds of the row's frame time / the pipeline's one-step call in the same round; "
                      "nfe = network evaluations per frame; gflop = FLOPs of one frame (torch's counter + CPU attention; the "
                      "torch row's for the other runtimes); peak_pct = gflops_per_s / the matmul peak at the row's threads and "
                      "precision. PCK@0.1 by the shipped pose judge; null for the random diffusers baseline. stream: frames/s leaving "
                      "Performer.stream over the dance, rows taking turns block by block; goals' fps is one step at a time, "
                      "stream_fps the default stream's (lanes)."}
    write_result("realtime", result, args.out)
    print()
    print(markdown(out_rows))
    if streams: print(); print(markdown(streams))


if __name__ == "__main__":
    main()
