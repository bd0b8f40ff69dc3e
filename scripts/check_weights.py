#!/usr/bin/env python
"""Never commit an unchanged checkpoint: check the weights files a commit changes under data/pretrained (CI runs it).

    python scripts/check_weights.py                # the last commit, against its first parent
    python scripts/check_weights.py main..HEAD     # every commit of a range

A shipped model is replaced only when a headline number moved, and `zizi train KIND --ship` writes its metrics.json
each time. So a commit fails the check when, for any `data/pretrained/<name>/**.safetensors` it adds or changes,
* the metrics.json of the folder that ships it (`data/pretrained/<name>/`, or a component's own, such as
  `<name>/vae_live/`) is not changed in the same commit (a checkpoint shipped without its measurement), or
* the file's tensors are the same as before the commit (new bytes, same weights: history grows for nothing; `--ship`
  keeps the old file in that case).
The weights files already in the history (about 130 MB of a 153 MB clone) stay: history is not rewritten.
"""
import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def git(*args: str, root: Path = ROOT) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout


def blob(commit: str, path: str, root: Path = ROOT) -> bytes:
    return subprocess.run(["git", "show", f"{commit}:{path}"], cwd=root, capture_output=True, check=True).stdout


def problems(commit: str, root: Path = ROOT) -> list[str]:
    "What is wrong with the weights files `commit` adds or changes under data/pretrained ([] when nothing is)."
    try: parent = git("rev-parse", "--verify", "--quiet", f"{commit}^1", root=root).strip()
    except subprocess.CalledProcessError: return []               # a first commit (or a shallow clone): nothing to compare
    changes = [line.split("\t") for line in git("diff", "--name-status", "--no-renames", parent, commit, "--",
                                                  "data/pretrained", root=root).splitlines()]
    changed = {path for status, path in changes if status != "D"}
    out = []
    for status, path in changes:
        if status == "D" or not path.endswith(".safetensors"): continue
        metrics = _metrics_of(commit, path, root)
        if metrics not in changed:
            out.append(f"{commit[:9]}: {path} changed but {metrics} did not: ship a model with `zizi train ... --ship`, "
                       "which measures it and records the command")
        if status == "M" and _same_tensors(blob(parent, path, root), blob(commit, path, root)):
            out.append(f"{commit[:9]}: {path} holds the same tensors as before: an unchanged checkpoint committed again "
                       f"(restore it: git checkout {parent[:9]} -- {path})")
    return out


def _metrics_of(commit: str, path: str, root: Path = ROOT) -> str:
    """The metrics.json that measures a weights file: of the nearest folder above it that has one at `commit` (a
    component shipped on its own, such as a fast decoder in `<model>/vae_live/`), else of its model's folder."""
    parts = Path(path).relative_to("data/pretrained").parts
    for k in range(len(parts) - 1, 0, -1):
        candidate = "/".join(("data/pretrained", *parts[:k], "metrics.json"))
        if subprocess.run(["git", "cat-file", "-e", f"{commit}:{candidate}"], cwd=root, capture_output=True).returncode == 0:
            return candidate
    return f"data/pretrained/{parts[0]}/metrics.json"


def _same_tensors(a: bytes, b: bytes) -> bool:
    from zizi.weights import same_tensors
    with tempfile.TemporaryDirectory() as d:
        (Path(d) / "a.safetensors").write_bytes(a); (Path(d) / "b.safetensors").write_bytes(b)
        return same_tensors(Path(d) / "a.safetensors", Path(d) / "b.safetensors")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("commits", nargs="?", default="HEAD", help="a commit (default HEAD) or a range A..B")
    ap.add_argument("--root", default=str(ROOT), help="the repository (default: this checkout)")
    args = ap.parse_args(argv)
    root = Path(args.root)
    commits = git("rev-list", "--reverse", args.commits, root=root).split() if ".." in args.commits else \
        [git("rev-parse", args.commits, root=root).strip()]
    found = [p for c in commits for p in problems(c, root)]
    print("\n".join(found) if found else f"check_weights: {len(commits)} commit(s), no unchanged or unmeasured checkpoint")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
