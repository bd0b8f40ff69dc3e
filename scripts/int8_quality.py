#!/usr/bin/env python
"""Notebook 12b §6's table: a one-step student with its networks in int8 (ONNX Runtime static quantization) against
the same networks in fp32 — what an audience would see, and what it saves.

    python scripts/int8_quality.py                 # -> nbs/results/int8.json (a few minutes on 2 idle cores)
    python scripts/int8_quality.py --time-only     # re-time the networks of the table's rows (on a quiet machine)

For each student (`--models`, default latent128_1step and pose64_1step) and each variant — fp32; the decoder in int8
(what `Performer(precision="int8")` runs, `zizi.export.exported_int8`); the UNet in int8 too (quantized here, in a
temporary folder, on `live_inputs` of 32 held-out conditions: the road not taken) — on the 256 held-out conditions of
notebook 12's table (`PerformerDataset(256, size, seed=789)`, seed 0): performer FID at 64×64 against renders of the
same conditions, attribute accuracy, PCK@0.1, SSIM to the renders, and how far the frames are from fp32's (grey levels,
mean and max over all pixels). Then the networks' times at batch 1 and one thread (ONNX Runtime), the variants taking
turns call by call (`--rounds`), with the load average at the start.
"""
import argparse, copy, json, os, sys, tempfile, time
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parent.parent


def view(pipe, unet_file: Path, decoder_file: Path | None):
    "A copy of `pipe` drawing with the given ONNX files in ONNX Runtime (one thread) in the place of its UNet and decoder."
    from zizi.export import runtime_denoiser, runtime_first_stage
    v = copy.copy(pipe)
    v.model = runtime_denoiser(pipe.model, unet_file.parent, "onnxruntime", 1, unet_file.name)
    v.vae = None if decoder_file is None else runtime_first_stage(pipe.vae, decoder_file.parent, "onnxruntime", 1, decoder_file.name)
    return v


def judge(v, n: int, fid_judge) -> tuple[dict, np.ndarray]:
    from zizi.distill import ssim_to_reference
    from zizi.evaluation import evaluate_pose_model, resize_uint8
    from zizi.metrics import performer_fid
    m = evaluate_pose_model(v, n=n, steps=1, guidance=1.0, return_images=True)
    return {"fid64": round(performer_fid(resize_uint8(m["generated"], 64), resize_uint8(m["renders"], 64), fid_judge), 2),
            "attr_mean": round(m["attr_mean"], 4), "pck": round(m["pck"], 4),
            "ssim_to_renders": round(ssim_to_reference(m["generated"], m["renders"]), 4)}, m["generated"]


def times(files: dict, inputs: dict, z: torch.Tensor | None, rounds: int) -> dict:
    "Median ms of one call of each file (batch 1, one thread), the files taking turns."
    from zizi.export import OnnxNet
    nets = {k: OnnxNet(f, "onnxruntime", 1) for k, f in files.items()}
    feed = lambda k: {"z": z} if "decoder" in k else inputs
    for k, n in nets.items(): n(**feed(k)); n(**feed(k))
    t = {k: [] for k in nets}
    for _ in range(rounds):
        for k, n in nets.items():
            t0 = time.perf_counter(); n(**feed(k)); t[k].append(time.perf_counter() - t0)
    return {k: round(1e3 * float(np.median(v)), 2) for k, v in t.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", nargs="+", default=["latent128_1step", "pose64_1step"])
    ap.add_argument("--n", type=int, default=256)
    ap.add_argument("--rounds", type=int, default=40)
    ap.add_argument("--out", default=str(ROOT / "nbs/results/int8.json"))
    ap.add_argument("--time-only", action="store_true", help="only re-time the files of the existing table (its quality stays)")
    args = ap.parse_args()
    torch.set_num_threads(1)
    from zizi.export import INT8_DECODER, exported, exported_int8, live_inputs, quantize_int8
    from zizi.judges import load_fid_judge
    from zizi.pipeline import PosePipeline
    from zizi.recipes import git_commit
    from zizi.results import write_results
    load = [round(x, 2) for x in os.getloadavg()]
    old = json.loads(Path(args.out).read_text()) if args.time_only else None
    fid_judge, rows, tmp = None if args.time_only else load_fid_judge(64), [], Path(tempfile.mkdtemp())
    for name in args.models:
        pipe = PosePipeline.from_pretrained(name, "cpu")
        source = str(pipe.path) if pipe.path is not None else None
        folder = exported_int8(pipe, source=source) if pipe.vae is not None else exported(pipe, source=source)
        calib = live_inputs(pipe.model, 32)
        t0 = time.process_time()
        unet8 = quantize_int8(folder / "unet.onnx", tmp / f"{name}.unet.int8.onnx", calib)
        unet8_s = time.process_time() - t0
        dec = folder / "decoder.onnx" if pipe.vae is not None else None
        variants = {"fp32": (folder / "unet.onnx", dec)}
        if pipe.vae is not None: variants["int8 decoder"] = (folder / "unet.onnx", folder / INT8_DECODER)
        variants["int8 UNet" + (" + decoder" if pipe.vae is not None else "")] = (unet8, folder / INT8_DECODER if dec else None)
        inputs = live_inputs(pipe.model, 1)
        z = torch.randn(1, pipe.config.unet.out_channels, pipe.config.size, pipe.config.size, generator=torch.Generator().manual_seed(0))
        files = {"unet fp32": folder / "unet.onnx", "unet int8": unet8}
        if dec: files |= {"decoder fp32": dec, "decoder int8": folder / INT8_DECODER}
        ms = times(files, inputs, z, args.rounds)
        print(name, "times", ms, f"(UNet quantized in {unet8_s:.0f} CPU-s)", flush=True)
        if args.time_only:
            for r in old["results"]:
                if r["model"] == name:
                    r["unet_ms"] = ms["unet int8" if "UNet" in r["variant"] else "unet fp32"]
                    r["decoder_ms"] = None if r["decoder_ms"] is None else ms["decoder int8" if "int8" in r["variant"] else "decoder fp32"]
            continue
        ref = None
        for label, (u, d) in variants.items():
            scores, frames = judge(view(pipe, u, d), args.n, fid_judge)
            ref = frames if ref is None else ref
            diff = np.abs(frames.astype(np.int16) - ref.astype(np.int16))
            row = {"model": name, "variant": label, **scores, "grey_mean": round(float(diff.mean()), 2), "grey_max": int(diff.max()),
                   "unet_ms": ms["unet int8" if "UNet" in label else "unet fp32"],
                   "decoder_ms": None if d is None else ms["decoder int8" if "int8" in label else "decoder fp32"]}
            print(json.dumps(row), flush=True); rows.append(row)
    if args.time_only:
        old.update(timing_command="python scripts/int8_quality.py --time-only", load=load, timed_at=git_commit())
        write_results(args.out, old, command=old["command"])
        print("re-timed", args.out); return
    write_results(args.out, {"command": "python " + " ".join(["scripts/int8_quality.py", *sys.argv[1:]]), "commit": git_commit(),
                             "load": load, "torch_threads": 1,
                             "conditions": f"PerformerDataset({args.n}, size, seed=789), seed 0, one step, guidance 1",
                             "timing": f"ONNX Runtime, batch 1, one thread, median of {args.rounds} calls, the files taking turns",
                             "results": rows})
    print("wrote", args.out)


if __name__ == "__main__":
    main()
