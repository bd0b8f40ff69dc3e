"""Shared by the bench scripts: a description of the machine, the commit measured and an atomic JSON writer for bench/results/."""
import json, os, platform
from pathlib import Path

import numpy as np
import torch

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


def git_commit() -> str | None:
    "The checked-out commit ('-dirty' when tracked files differ), or None outside a git checkout: `zizi.recipes.git_commit`."
    from zizi.recipes import git_commit as commit
    return commit()


def write_result(name: str, result: dict, path: Path | None = None) -> Path:
    "Write `result` (with the git commit it came from) as bench/results/<name>.json (or `path`) atomically and print where it went."
    path = Path(path) if path else RESULTS / f"{name}.json"
    result = {**result, "commit": result.get("commit") or git_commit()}      # the code the numbers came from
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(result, indent=2) + "\n")
    os.replace(tmp, path)
    print(f"wrote {path}")
    return path
