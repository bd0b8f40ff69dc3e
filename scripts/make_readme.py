#!/usr/bin/env python
"""Write README.md from nbs/index.ipynb (nbdev_readme needs quarto, which is not installable offline).

Markdown cells are copied; code cells are shown as ```python blocks with their saved outputs, except cells marked
`#| hide` (dropped) and `#| echo: false` (output only). Image links to `images/...` are rewritten to `nbs/images/...`
and links to sibling notebooks get the same prefix, so they resolve from the repository root. `--execute` re-runs the notebook first (refreshes e.g. the benchmark
table); `--check` only compares and exits 1 when README.md is out of date.
"""
import argparse, re, subprocess, sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NB, README = ROOT / "nbs" / "index.ipynb", ROOT / "README.md"
HEADER = "<!-- Generated from nbs/index.ipynb by scripts/make_readme.py: edit the notebook, not this file. -->\n\n"


def _directives(src: str) -> tuple[dict, str]:
    flags, body = {}, []
    for line in src.splitlines():
        m = re.match(r"^#\|\s*([\w-]+)\s*:?\s*(.*)$", line)
        if m: flags[m.group(1)] = m.group(2).strip() or True
        else: body.append(line)
    return flags, "\n".join(body).strip("\n")


def _fix_links(md: str) -> str:
    "Links relative to nbs/ (images/..., NN_name.ipynb) -> relative to the repository root."
    return re.sub(r"(\]\(|src=\")(images/|[\w-]+\.ipynb)", r"\1nbs/\2", md)


def _output_md(out) -> str:
    if out.output_type == "stream": return f"```text\n{out.text.rstrip()}\n```"
    data = out.get("data", {})
    if "text/markdown" in data: return _fix_links(data["text/markdown"]).strip()
    if "text/plain" in data: return f"```text\n{data['text/plain'].rstrip()}\n```"
    return ""


def render(nb) -> str:
    parts = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            parts.append(_fix_links(cell.source.strip()))
        elif cell.cell_type == "code":
            flags, src = _directives(cell.source)
            if "hide" in flags or "default_exp" in flags: continue
            if flags.get("echo") != "false" and src: parts.append(f"```python\n{src}\n```")
            parts += [o for o in (_output_md(out) for out in cell.get("outputs", [])) if o]
    return HEADER + "\n\n".join(p for p in parts if p) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--check", action="store_true", help="exit 1 if README.md differs; write nothing")
    ap.add_argument("--execute", action="store_true", help="re-execute nbs/index.ipynb in place first")
    args = ap.parse_args(argv)
    if args.execute:
        subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute", "--inplace",
                        str(NB)], check=True, cwd=NB.parent)
        clean = Path(sys.executable).with_name("nbdev_clean")     # the venv's script, even if the venv is not activated
        subprocess.run([str(clean) if clean.exists() else "nbdev_clean", "--fname", str(NB)], check=True)
    text = render(nbformat.read(NB, as_version=4))
    if args.check:
        if README.read_text(encoding="utf-8") != text:
            print("README.md is out of date: run `python scripts/make_readme.py`", file=sys.stderr); return 1
        return 0
    README.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
