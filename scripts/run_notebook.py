#!/usr/bin/env python
"""Execute notebooks in place and keep their outputs, as a reader's JupyterLab would (a real kernel, cwd = nbs/), so the
page on GitHub shows what each notebook computed.

Cells nbdev_test skips are skipped here too (`#|slow`-style flags from settings.ini's `tst_flags`, `#| eval: false`,
`nbdev_export()`), and keep whatever output they had; `--flags slow` runs them. Progress bars are off (TQDM_DISABLE=1)
so the saved page has no progress noise. The notebook is cleaned with nbdev_clean afterwards.

    python scripts/run_notebook.py nbs/03_norm.ipynb [nbs/04_schedules.ipynb ...] [--flags slow] [--timeout 1800]
"""
import argparse, os, re, subprocess, sys, time
from configparser import ConfigParser
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent


def _flags(src: str) -> dict:
    out = {}
    for line in src.splitlines():
        m = re.match(r"^#\|\s*([\w-]+:?)\s*(.*)$", line.strip())
        if m: out[m.group(1)] = m.group(2).strip()
        elif line.strip(): break          # directives sit at the top of a cell
    return out


def skipped(cell, skip: set[str]) -> bool:
    "The cells nbdev_test would not run."
    if cell.cell_type != "code": return True
    if "nbdev_export" + "(" in cell.source: return True
    d = _flags(cell.source)
    if d.get("eval:", "").lower() == "false": return True
    return bool(skip & set(d))


# Run first in the kernel, then taken out of the notebook: TQDM_DISABLE does not reach a bar whose caller passes
# `disable=False` explicitly (the CLI's `progress=True`), so bars are turned off at the class for the saved page.
NO_BARS = """import tqdm.std as _rn_std
_rn_init = _rn_std.tqdm.__init__
def _rn_quiet(self, *a, **k): k["disable"] = True; _rn_init(self, *a, **k)
_rn_std.tqdm.__init__ = _rn_quiet"""


class SkippingClient(NotebookClient):
    skip: set = set()
    async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
        if skipped(cell, self.skip): return cell
        return await super().async_execute_cell(cell, cell_index, execution_count, store_history)


def run(path: Path, flags: set[str], timeout: int) -> float:
    cfg = ConfigParser(); cfg.read(ROOT / "settings.ini")
    skip = set(cfg["DEFAULT"].get("tst_flags", "").split()) - flags
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(NO_BARS))
    client = SkippingClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    client.skip = skip
    t0 = time.time()
    client.execute()
    nb.cells.pop(0)
    nbformat.write(nb, path)
    subprocess.run(["nbdev_clean", "--fname", str(path)], check=True, cwd=ROOT)
    return time.time() - t0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("notebooks", nargs="+", type=Path)
    ap.add_argument("--flags", nargs="*", default=[], help="run cells with these flags too (e.g. slow)")
    ap.add_argument("--timeout", type=int, default=1800, help="seconds per cell")
    args = ap.parse_args(argv)
    os.environ.setdefault("TQDM_DISABLE", "1")
    for p in args.notebooks:
        print(f"{p}: {run(p.resolve(), set(args.flags), args.timeout):.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
