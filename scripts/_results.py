"""The one way the scripts here write a results file: with the command that ran and the git commit it ran at."""
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def write_results(path, result: dict) -> Path:
    "Write `result` as JSON to `path` atomically, adding `command` (unless it has one) and `commit`."
    from zizi.recipes import git_commit
    path = Path(path)
    script = Path(sys.argv[0]).resolve()
    command = " ".join(["python", str(script.relative_to(ROOT)) if script.is_relative_to(ROOT) else sys.argv[0], *sys.argv[1:]])
    result = {**({} if "command" in result or "commands" in result else {"command": command}), **result,
              "commit": git_commit()}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    os.replace(tmp, path)
    return path
