#!/usr/bin/env python
"""Time a from-scratch install exactly as the README says, in a throwaway venv.

    python bench/bench_install.py            # writes bench/results/install.json

Measures `python3 -m venv` + `pip install -e ".[dev]"` (pip's cache is disabled so every wheel is
installed anew; on this machine pip takes torch from local files) and the venv's size on disk.
"""
import json, platform, shutil, subprocess, sys, tempfile, time
from pathlib import Path

from zizi.results import write_results

ROOT = Path(__file__).resolve().parent.parent


def du_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink()) / 2**20


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="zizi-install-"))
    venv = tmp / "venv"
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    t1 = time.perf_counter()
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "--no-cache-dir", "-e", ".[dev]"], check=True, cwd=ROOT)
    t2 = time.perf_counter()
    ok = subprocess.run([str(venv / "bin" / "python"), "-c", "import zizi.core, torch, diffusers, accelerate"],
                        cwd=tmp).returncode == 0
    size = du_mb(venv)
    shutil.rmtree(tmp, ignore_errors=True)
    res = {"command": "python bench/bench_install.py", "python": platform.python_version(),
           "machine": platform.machine(), "venv_s": round(t1 - t0, 1), "pip_install_s": round(t2 - t1, 1),
           "total_s": round(t2 - t0, 1), "venv_mb": round(size), "imports_ok": ok,
           "results": [{"step": "python3 -m venv + pip install -e \".[dev]\"", "seconds": round(t2 - t0),
                        "venv_GB": round(size / 1024, 1), "imports_ok": ok}]}
    write_results(ROOT / "bench" / "results" / "install.json", res, indent=2)
    print(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
