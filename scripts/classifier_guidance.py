#!/usr/bin/env python
"""Where the shipped pose model's attribute misses come from, and whether a classifier can steer them away.

    python scripts/classifier_guidance.py --size 32     # ~11 minutes at 32x32 (9 of them training the noisy classifier)

1. Short of data or of fit? The model is judged on 128 conditions it was trained on (the first items of its
   training set) next to the 128 held-out ones of every other figure. Equal numbers mean the misses are not a
   generalisation gap, so more renders would not close them.
2. Which way do the colours miss? A reader with no network: the pixels the render of the same condition paints in
   the asked palette colour (skin, hair) are looked up in the sample, and their median colour is matched to the
   nearest palette entry. It is independent of the judge, and the table records where each tone lands.
3. Steering by a classifier, two ways, each judged by the judge *and* by the palette reader:
   - x0 guidance by the shipped critic (trained on clean renders, another recipe than the judge): every sampler call
     adds `scale * grad log p_critic(asked | x0_hat)` to the model's clean-image estimate;
   - classifier guidance (Dhariwal & Nichol 2021) by a noise-aware copy of the critic trained here on noised renders
     (x_t and the noise level as a fourth channel): `eps - scale * sqrt(1 - abar) * grad_{x_t} log p(asked | x_t)`,
     applied to the x0 estimate as `x0 + scale * (1 - abar) / sqrt(abar) * grad`.
Writes nbs/results/classifier_guidance.json under the model's name.
"""
import argparse
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from zizi.results import write_results

COLOUR_ATTRS = ("skin_tone", "hair_colour")


def palette_read(generated: np.ndarray, renders: np.ndarray, attrs: np.ndarray, name: str, tol: float = 12.0,
                 min_pixels: int = 3) -> dict:
    """Read attribute `name` from uint8 samples without a network: the median sample colour over the pixels the render
    paints in the asked palette colour, matched to the nearest palette entry. Conditions with fewer than `min_pixels`
    such pixels are skipped. Returns accuracy, the number read and the confusion matrix (asked x read)."""
    from zizi.renderer import ATTR_NAMES, ATTRIBUTES, PALETTES
    pal = np.array([PALETTES[name][v] for v in ATTRIBUTES[name]], np.float32)
    k = ATTR_NAMES.index(name)
    confusion = np.zeros((len(pal), len(pal)), int)
    for g, r, a in zip(generated.astype(np.float32), renders.astype(np.float32), attrs[:, k]):
        mask = np.abs(r - pal[a]).sum(-1) < tol
        if mask.sum() < min_pixels: continue
        confusion[a, ((pal - np.median(g[mask], 0)) ** 2).sum(1).argmin()] += 1
    n = int(confusion.sum())
    return {"accuracy": float(np.trace(confusion) / max(n, 1)), "n": n, "confusion": confusion.tolist()}


def noise_aware_critic(size: int):
    "The critic of `size` with a fourth input channel: the noise level sqrt(1 - abar) of its input."
    from zizi.judges import AttributeJudge, attribute_judge_config
    critic = AttributeJudge(attribute_judge_config(size))
    first = critic.stages[0][0]
    critic.stages[0][0] = nn.Conv2d(4, first.out_channels, first.kernel_size, padding=first.padding)
    return critic


def with_noise_level(x: torch.Tensor, abar: torch.Tensor) -> torch.Tensor:
    return torch.cat([x, (1 - abar).sqrt().view(-1, 1, 1, 1).expand(-1, 1, *x.shape[-2:])], 1)


def train_noise_aware_critic(size: int, abar: torch.Tensor, steps: int, batch_size: int = 128, lr: float = 2e-3,
                             seed: int = 0):
    "Train `noise_aware_critic(size)` on renders noised to uniformly drawn timesteps (renders seed 1: not the judge's)."
    from zizi.data import PerformerDataset
    torch.manual_seed(seed)
    critic = noise_aware_critic(size)
    data = PerformerDataset(20_000, size, seed=1)
    x_all, y_all = data.images, torch.from_numpy(data.labels()[1])
    opt = torch.optim.AdamW(critic.parameters(), lr=lr, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=steps)
    g = torch.Generator().manual_seed(seed)
    for i in range(steps):
        idx = torch.randint(len(x_all), (batch_size,), generator=g)
        x0 = x_all[idx].permute(0, 3, 1, 2).float().div(127.5).sub(1)
        a = abar[torch.randint(len(abar), (batch_size,), generator=g)]
        xt = a.sqrt().view(-1, 1, 1, 1) * x0 + (1 - a).sqrt().view(-1, 1, 1, 1) * torch.randn(x0.shape, generator=g)
        logits = critic.split_logits(critic(with_noise_level(xt, a)))
        loss = sum(F.cross_entropy(l, y_all[idx, j]) for j, l in enumerate(logits)) / len(logits)
        opt.zero_grad(set_to_none=True); loss.backward(); opt.step(); sched.step()
        if i % 500 == 0 or i == steps - 1: print(f"noise-aware critic step {i}: loss {loss.item():.3f}", flush=True)
    return critic.eval().requires_grad_(False)


def asked_loglik_grad(critic, x: torch.Tensor, asked: torch.Tensor, extra=None) -> torch.Tensor:
    "Gradient w.r.t. `x` of the critic's log-likelihood of the `asked` attributes, summed over rows and attributes."
    with torch.enable_grad():
        z = x.detach().requires_grad_(True)
        inp = z if z.shape[-1] == critic.config.size else F.interpolate(z, size=critic.config.size, mode="area")
        logits = critic.split_logits(critic(inp if extra is None else extra(inp)))
        loglik = sum(l.log_softmax(-1).gather(1, asked[:, j:j + 1]).sum() for j, l in enumerate(logits))
        return torch.autograd.grad(loglik, z)[0]


class GuidedPipe:
    """`pipe(poses, attrs, steps, seed, guidance)` -> uint8 like `PosePipeline`, with the model's x0 estimate steered
    by a critic: kind "x0" (clean critic on the estimate) or "noisy" (noise-aware critic on x_t)."""
    def __init__(self, pipe, critic, kind: str, scale: float):
        from zizi.schedules import NoiseSchedule
        self.pipe, self.critic, self.kind, self.scale = pipe, critic, kind, scale
        self.schedule = NoiseSchedule.from_kind(pipe.config.schedule, pipe.config.n_train_steps)
        assert pipe.config.prediction == "x0", "the wrapper steers an x0-predicting model"

    @property
    def config(self): return self.pipe.config

    def __call__(self, poses, attrs, steps: int = 15, seed: int = 0, guidance: float = 1.0) -> np.ndarray:
        from zizi.core import to_uint8
        from zizi.pose_model import pose_denoiser
        from zizi.pipeline import prepare_poses
        from zizi.sampling import sample
        model, size = self.pipe.model, self.pipe.config.size
        p, asked = prepare_poses(poses), torch.as_tensor(np.asarray(attrs)).long()
        denoise, abar_all = pose_denoiser(model, p, attrs, guidance), self.schedule.alphas_cumprod.float()
        def steered(x: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
            x0 = denoise(x, t)
            if self.scale == 0: return x0
            if self.kind == "x0": return x0 + self.scale * asked_loglik_grad(self.critic, x0.clamp(-1, 1), asked)
            abar = abar_all[torch.as_tensor(t).long().reshape(-1).expand(len(x))]
            grad = asked_loglik_grad(self.critic, x, asked, lambda z: with_noise_level(z, abar))
            return x0 + self.scale * ((1 - abar) / abar.sqrt()).view(-1, 1, 1, 1) * grad
        x = sample(steered, (len(p), 3, size, size), self.schedule.betas, steps=steps, sampler="dpmpp_2m",
                   prediction="x0", generator=torch.Generator().manual_seed(int(seed)))
        return to_uint8(x)


def judged(pipe, data_seed: int = 789) -> dict:
    "evaluate_pose_model at guidance 1 with the palette reads added (images dropped)."
    from zizi.evaluation import evaluate_pose_model
    r = evaluate_pose_model(pipe, n=128, steps=15, guidance=1.0, data_seed=data_seed, return_images=True)
    r["palette"] = {a: palette_read(r["generated"], r["renders"], r["attrs"], a) for a in COLOUR_ATTRS}
    for k in ("generated", "renders", "poses", "attrs", "attr_class_acc"): r.pop(k)
    return r


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, choices=(32, 64), default=32)
    ap.add_argument("--x0-scales", default="0.03,0.1,0.3,1")
    ap.add_argument("--noisy-scales", default="1,3,10,30")
    ap.add_argument("--noisy-steps", type=int, default=2000, help="training steps of the noise-aware critic (0: skip it)")
    ap.add_argument("--results", default="nbs/results/classifier_guidance.json")
    args = ap.parse_args()
    from zizi.pipeline import PosePipeline
    from zizi.judges import load_fid_judge
    name, t0 = f"pose{args.size}", time.time()
    pipe = PosePipeline.from_pretrained(name, device="cpu")
    def log(msg): print(f"[{time.time() - t0:5.0f} s] {msg}", flush=True)
    out = {"command": " ".join(["python", *sys.argv]), "conditions": 128, "steps": 15, "guidance": 1.0}
    out["heldout"] = judged(pipe)
    out["training_conditions"] = judged(pipe, data_seed=0)
    log(f"held-out {out['heldout']['attr_mean']:.3f}, training conditions {out['training_conditions']['attr_mean']:.3f}")
    rows = [{"kind": "none", "scale": 0.0, **out["heldout"]}]
    critic = load_fid_judge(args.size).eval().requires_grad_(False)
    for s in map(float, args.x0_scales.split(",")):
        rows.append({"kind": "x0", "scale": s, **judged(GuidedPipe(pipe, critic, "x0", s))})
        log(f"x0 guidance {s}: judge {rows[-1]['attr_mean']:.3f}, palette skin {rows[-1]['palette']['skin_tone']['accuracy']:.3f}")
    if args.noisy_steps:
        from zizi.schedules import NoiseSchedule
        abar = NoiseSchedule.from_kind(pipe.config.schedule, pipe.config.n_train_steps).alphas_cumprod.float()
        t1 = time.time()
        noisy = train_noise_aware_critic(args.size, abar, args.noisy_steps)
        out["noise_aware_critic"] = {"steps": args.noisy_steps, "minutes": round((time.time() - t1) / 60, 1)}
        for s in map(float, args.noisy_scales.split(",")):
            rows.append({"kind": "noisy", "scale": s, **judged(GuidedPipe(pipe, noisy, "noisy", s))})
            log(f"classifier guidance {s}: judge {rows[-1]['attr_mean']:.3f}, "
                f"palette skin {rows[-1]['palette']['skin_tone']['accuracy']:.3f}")
    out["rows"] = rows
    write_results(args.results, {
        "what": "attribute misses of the shipped pose models: training vs held-out conditions, a network-free palette "
                "read of skin and hair colour, and steering by a critic (x0 guidance) or a noise-aware critic "
                "(classifier guidance); 128 conditions, 15 DPM-Solver++ steps, guidance 1", "models": {name: out}}, merge=True)
    log(f"wrote {args.results}")


if __name__ == "__main__":
    main()
