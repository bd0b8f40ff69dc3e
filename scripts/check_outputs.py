#!/usr/bin/env python
"""Check that every notebook shows what it computed: each has saved outputs, and no saved output is a warning or an
error (anything written to stderr: library warnings, log lines, progress bars; error outputs). Exit 1 naming each notebook and cell that fails.

    python scripts/check_outputs.py [nbs/*.ipynb]
"""
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent


def problems(path: Path) -> list[str]:
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    out = [] if not code or any(c.get("outputs") for c in code) else ["no saved outputs: run scripts/run_notebook.py on it"]
    for i, c in enumerate(nb.cells):
        for o in c.get("outputs", []):
            if o.output_type == "error": out.append(f"cell {i}: a saved error ({o.get('ename')})")
            elif o.output_type == "stream" and o.name == "stderr":
                out.append(f"cell {i}: saved stderr: {(o.text.strip().splitlines() or [''])[0][:120]}")
    return out


def main(argv=None) -> int:
    paths = [Path(p) for p in (argv or sys.argv[1:])] or sorted((ROOT / "nbs").glob("*.ipynb"))
    bad = {p: problems(p) for p in paths}
    bad = {p: v for p, v in bad.items() if v}
    for p, v in bad.items():
        for line in v: print(f"{p.name}: {line}")
    print(f"{len(paths) - len(bad)} of {len(paths)} notebooks show their outputs cleanly")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
