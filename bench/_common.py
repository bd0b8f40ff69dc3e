"""Shared by the bench scripts: a description of the machine, and where their results go (written by `zizi.results`)."""
import os, platform
from pathlib import Path

import numpy as np
import torch

from zizi.results import git_commit, write_results  # noqa: F401  (git_commit: for the benches that record it at their start)

RESULTS = Path(__file__).resolve().parent / "results"


def machine_info() -> dict:
    "Versions, CPU model, core count, torch threads and the load average when the benchmark started."
    cpuinfo = Path("/proc/cpuinfo")
    cpu = next((l.split(":", 1)[1].strip() for l in cpuinfo.read_text().splitlines() if l.startswith("model name")),
               platform.processor()) if cpuinfo.exists() else platform.processor()
    return {"python": platform.python_version(), "numpy": np.__version__, "torch": torch.__version__,
            "platform": platform.platform(), "cpu": cpu, "cpu_count": os.cpu_count(),
            "loadavg_at_start": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
            "threads": torch.get_num_threads()}


def write_result(name: str, result: dict, path: Path | None = None) -> Path:
    "`zizi.results.write_results` into bench/results/<name>.json (or `path`), printing where it went."
    path = write_results(Path(path) if path else RESULTS / f"{name}.json", result, indent=2)
    print(f"wrote {path}")
    return path
