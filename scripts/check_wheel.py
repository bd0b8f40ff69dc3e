#!/usr/bin/env python
"""Check that a plain (non-editable) install works: build the wheel, check it carries the package and every shipped
model, install it (no dependencies: they are the checkout's) into a temporary folder, and from another folder run
`zizi info`, `zizi generate` and `PosePipeline.from_pretrained()` against that copy alone.

    python scripts/check_wheel.py            # ~1 minute; CI runs it

Exits non-zero, naming what is missing, if the installed copy does not find its data.
"""
import json, os, shutil, subprocess, sys, tempfile, zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(cmd: list[str], **kw) -> str:
    res = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if res.returncode: sys.exit(f"failed: {' '.join(cmd)}\n{res.stdout[-2000:]}\n{res.stderr[-2000:]}")
    return res.stdout


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="zizi-wheel-"))
    try: check(tmp)
    finally: shutil.rmtree(tmp, ignore_errors=True)


def check(tmp: Path) -> None:
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp / "dist"), str(ROOT)])
    wheel = next((tmp / "dist").glob("zizi-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {f"zizi/{p.name}" for p in (ROOT / "zizi").glob("*.py")}
    expected |= {f"zizi/_data/{p.relative_to(ROOT / 'data').as_posix()}" for p in (ROOT / "data").rglob("*") if p.is_file()}
    if missing := sorted(expected - names): sys.exit(f"{wheel.name} lacks {len(missing)} files, e.g. {missing[:5]}")
    print(f"{wheel.name}: {len(names)} files, {wheel.stat().st_size / 2**20:.1f} MiB, every module and data file present")

    target = tmp / "site"
    run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)])
    env = {**os.environ, "PYTHONPATH": str(target)}
    env.pop("ZIZI_DATA", None)
    outside = tmp / "elsewhere"; outside.mkdir()
    probe = ("import json, zizi; from zizi.core import data_dir; from zizi.pipeline import PosePipeline; "
             "pipe = PosePipeline.from_pretrained(); import numpy as np; "
             "img = pipe(np.load('pose.npy'), steps=2); "
             "print(json.dumps({'zizi': zizi.__file__, 'data': str(data_dir()), 'shape': list(img.shape)}))")
    import numpy as np
    from zizi.choreography import sample_pose                      # the checkout's copy, only to write a pose file
    np.save(outside / "pose.npy", sample_pose(np.random.default_rng(0))[None])
    got = json.loads(run([sys.executable, "-c", probe], cwd=outside, env=env).strip().splitlines()[-1])
    for key in ("zizi", "data"):
        if not got[key].startswith(str(target)): sys.exit(f"the installed copy used {key} from {got[key]}, not from {target}")
    info = run(["zizi", "info"], cwd=outside, env=env)
    if str(target) not in info: sys.exit(f"`zizi info` did not report the installed data folder:\n{info}")
    run(["zizi", "generate", "pose.npy", "--out", "frames", "--steps", "2"], cwd=outside, env=env)
    if not list((outside / "frames").glob("*.png")): sys.exit("`zizi generate` wrote no frame")
    print(f"installed copy in {target}: import, data_dir, PosePipeline.from_pretrained() -> {got['shape']}, "
          "`zizi info` and `zizi generate` work from another folder")


if __name__ == "__main__":
    main()
