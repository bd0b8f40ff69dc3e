"""Checks in a real browser: headless Chromium (Debian's `chromium` package, driven by playwright) does what a person does.

    python scripts/browser_check.py nbs/04_schedules.ipynb nbs/09d_live.ipynb    # the widget notebooks
    python scripts/browser_check.py --serve                                       # the `zizi serve` page

Notebook mode: JupyterLab on 127.0.0.1 (a free port, a random token) over a temporary copy of the repository's `nbs/`
(the repository is never written), the notebook opened and run with Run > Run All Cells, the errors counted (in the
page, and in the notebook as the browser saved it), then the slider of the first widget that shows an image is dragged
with the mouse and the image must change. Serve mode: `zizi serve` on 127.0.0.1 (a free port), its page opened, poses
sent with the page's own preset dropdown and by HTTP POST /pose from this script, then an attribute and the seed
changed on the page: after each, the page's <img> must show the server's newest frame (/frame.jpg, compared pixel by
pixel), which must differ from the one before; the skeleton must move for a pose and stay for a look. Then, as OBS's
browser source (Chromium too), the stream and the page are opened with OBS's user agent (recording the headers the
browser sent: no Origin); a page of another site (`evil.example`, mapped to 127.0.0.1 by Chromium's host resolver, on a
port of its own) tries the WebSocket and both kinds of POST, and must be refused; and the server's own port under that
name (DNS rebinding) must get 403. Screenshots go to --out (default /tmp/browser_check); one summary line per check; the
exit code is non-zero on any failure. Every server this starts is stopped, with its kernels. Nothing leaves 127.0.0.1:
the browser aborts (and reports) any other request.

Needs `apt-get install chromium` (never `playwright install`) and `pip install -e ".[dev]"` (playwright, jupyterlab).
Run it with `OMP_NUM_THREADS=1` on a busy machine; the kernels and the server inherit the environment.
"""
from __future__ import annotations

import argparse
import base64
import io
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager, suppress
from pathlib import Path

import numpy as np
from PIL import Image

REPO = Path(__file__).resolve().parent.parent
CHROMIUM_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser")


# ---------------------------------------------------------------- helpers

def find_chromium(given: str | None) -> str:
    for p in ([given] if given else []) + [os.environ.get("ZIZI_CHROMIUM", "")] + list(CHROMIUM_PATHS):
        if p and Path(p).exists(): return p
    sys.exit("browser_check: no Chromium found; install Debian's package (apt-get install -y chromium) or pass --chromium PATH")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, proc: subprocess.Popen, timeout: float, log: Path) -> None:
    t0 = time.time()
    while time.time() - t0 < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with code {proc.returncode} before listening; its log:\n{log.read_text()[-3000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), 0.5): return
        except OSError: time.sleep(0.2)
    raise RuntimeError(f"nothing listened on 127.0.0.1:{port} within {timeout:.0f} s; log: {log}")


def _children(pid: int) -> list[int]:
    "PIDs of the processes whose parent is `pid` (Linux /proc; empty elsewhere)."
    out = []
    for d in Path("/proc").glob("[0-9]*"):
        try:
            if int((d / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid: out.append(int(d.name))
        except (OSError, ValueError, IndexError): pass
    return out


def _descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        kids = _children(todo.pop())
        out += kids; todo += kids
    return out


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError: return False
    except PermissionError: return True
    try: return (Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]) != "Z"
    except OSError: return True


@contextmanager
def server_process(cmd: list[str], log: Path, env: dict, cwd: Path, first_signal=signal.SIGTERM):
    """A server started in a session of its own. On exit it gets `first_signal` (a graceful shutdown: JupyterLab stops
    its kernels, uvicorn its connections); whatever it started and is still alive 20 s later gets SIGKILL. Yields the Popen."""
    with open(log, "w") as f:
        proc = subprocess.Popen(cmd, stdout=f, stderr=subprocess.STDOUT, env=env, cwd=cwd, start_new_session=True)
        try:
            yield proc
        finally:
            family = [proc.pid] + _descendants(proc.pid)         # kernels run in sessions of their own: found now, by parent
            if proc.poll() is None:
                proc.send_signal(first_signal)
                try: proc.wait(20)
                except subprocess.TimeoutExpired: pass
            t0 = time.time()
            while time.time() - t0 < 10 and any(_alive(p) for p in family[1:]): time.sleep(0.2)
            for p in family:
                if _alive(p):
                    print(f"  (pid {p} was still alive after the shutdown: killed)", flush=True)
                    with suppress(ProcessLookupError): os.kill(p, signal.SIGKILL)
            with suppress(ProcessLookupError, PermissionError): os.killpg(proc.pid, signal.SIGKILL)   # the rest of its session
            proc.wait()
            time.sleep(0.2)
            left = [p for p in family if _alive(p)]
            if left: raise RuntimeError(f"processes left behind: {left}")


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(np.int16)


def change(a: bytes, b: bytes) -> float:
    "Mean absolute pixel difference of two screenshots (inf when their sizes differ)."
    x, y = pixels(a), pixels(b)
    return float("inf") if x.shape != y.shape else float(np.abs(x - y).mean())


class Offline:
    "Route handler for a browser context: requests to the server's origin pass; anything else is aborted and recorded."
    def __init__(self, origin: str):
        self.origin, self.blocked = origin, []

    def __call__(self, route):
        url = route.request.url
        if url.startswith((self.origin, "data:", "blob:")): return route.continue_()
        self.blocked.append(url)
        return route.abort()


def offline_page(browser, origin: str, width: int, height: int):
    "A new page of `width`×`height` whose requests may reach only `origin` (the returned `Offline` router records the rest)."
    ctx = browser.new_context(viewport={"width": width, "height": height})
    offline = Offline(origin)
    ctx.route("**/*", offline)
    page = ctx.new_page()
    page.set_default_timeout(120_000)
    return page, offline


def launch(pw, chromium: str, extra: list[str] = ()):
    args = ["--no-sandbox"] if os.geteuid() == 0 else []      # Chromium refuses to run as root with its sandbox
    return pw.chromium.launch(executable_path=chromium, args=args + ["--disable-gpu", "--no-first-run", *extra])


# ---------------------------------------------------------------- notebook mode

LAB_SETTINGS = {   # a fresh, offline JupyterLab: no news or update checks, every cell in the page (no windowing)
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}

STATE_JS = """() => {
  const prompts = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputArea-prompt')].map(e => e.textContent.trim());
  const ind = document.querySelector('.jp-Notebook-ExecutionIndicator');
  const stderr = [...document.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')];
  // an error output is rendered like stderr; it differs by its traceback (IPython colours the exception's name)
  const errors = stderr.filter(e => e.textContent.includes('Traceback (most recent call last)') || e.querySelector('.ansi-red-fg'));
  return {prompts, status: ind ? ind.getAttribute('data-status') : null, stderr: stderr.length,
          errors: errors.map(e => e.textContent.trim().split('\\n').filter(l => l.trim()).slice(-1)[0] || '')};
}"""

# the first output holding an ipywidgets slider and an image (or canvas): tagged so that locators can reach it
TARGET_JS = """() => {
  for (const out of document.querySelectorAll('.jp-OutputArea-output')) {
    const handle = out.querySelector('.widget-slider .noUi-handle');
    const img = out.querySelector('img.widget-image') || out.querySelector('canvas');
    if (handle && img) {
      out.setAttribute('data-browser-check', 'widget');
      img.setAttribute('data-browser-check', 'image');
      handle.setAttribute('data-browser-check', 'handle');
      const slider = handle.closest('.widget-slider');
      slider.setAttribute('data-browser-check', 'slider');
      const label = slider.querySelector('.widget-label');
      return {label: label ? label.textContent.trim() : '', n_sliders: out.querySelectorAll('.widget-slider').length};
    }
  }
  return null;
}"""


def temp_repo(tmp: Path) -> Path:
    "A copy of nbs/ beside links to the rest of the repository, so that notebooks find ../data and ../bench but write only here."
    root = tmp / "repo"
    root.mkdir()
    for p in REPO.iterdir():
        if p.name == "nbs" or p.name.startswith("."): continue
        (root / p.name).symlink_to(p)
    shutil.copytree(REPO / "nbs", root / "nbs", ignore=shutil.ignore_patterns(".ipynb_checkpoints", "_proc"))
    return root


KERNEL_DIALOG = ".jp-Dialog:has-text('Select Kernel')"
IDLE = '.jp-Notebook-ExecutionIndicator[data-status="idle"]'


def accept_kernel_dialog(page) -> bool:
    "Accept JupyterLab's 'Select Kernel' dialog (its preselected kernel: this environment's python3) if it is open."
    dialog = page.locator(KERNEL_DIALOG)
    if not dialog.is_visible(): return False
    dialog.locator(".jp-Dialog-button.jp-mod-accept").click()
    dialog.wait_for(state="hidden")
    return True


def kernel_ready(page, timeout: float) -> None:
    """Wait until the notebook's kernel has been idle for 3 s with no dialog open. A notebook saved by nbdev names its
    kernel "python3" without its display name, and JupyterLab may ask which kernel to start: the dialog is accepted."""
    t0, calm = time.time(), 0
    while time.time() - t0 < timeout:
        calm = 0 if accept_kernel_dialog(page) or not page.locator(IDLE).count() else calm + 1
        if calm >= 6: return
        time.sleep(0.5)
    raise TimeoutError(f"the kernel was not idle within {timeout:.0f} s")


def wait_run_all(page, timeout: float, shot: Path | None = None) -> dict:
    "Poll the notebook until no cell is queued or running and the kernel is idle (twice in a row); returns the last state."
    t0, calm, started, st = time.time(), 0, False, None
    while time.time() - t0 < timeout:
        accept_kernel_dialog(page)
        st = page.evaluate(STATE_JS)
        busy = any("*" in p for p in st["prompts"])
        started = started or busy or any(p.strip("[]: ") for p in st["prompts"])
        calm = calm + 1 if started and not busy and st["status"] == "idle" else 0
        if calm >= 2: return st
        time.sleep(1.0)
    if shot: page.screenshot(path=str(shot))
    raise TimeoutError(f"the notebook was still running after {timeout:.0f} s (prompts: {st and st['prompts'][:50]}; "
                       f"kernel {st and st['status']}){f'; screenshot {shot}' if shot else ''}")


def saved_errors(path: Path) -> tuple[list[str], int, int]:
    "From the notebook as the browser saved it: the error outputs ('ename: evalue' in cell n), code cells, cells not run."
    nb = json.loads(path.read_text())
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    errs = [f"cell {i}: {o.get('ename')}: {str(o.get('evalue'))[:200]}" for i, c in enumerate(nb["cells"])
            for o in c.get("outputs", []) if o.get("output_type") == "error"]
    return errs, len(code), sum(c.get("execution_count") is None and "".join(c["source"]).strip() != "" for c in code)


def check_notebook(nb: Path, args, chromium: str) -> tuple[bool, str]:
    from playwright.sync_api import sync_playwright
    t0 = time.time()
    out = Path(args.out); out.mkdir(parents=True, exist_ok=True)
    stem = nb.stem
    rel = nb.resolve().relative_to(REPO / "nbs")
    with tempfile.TemporaryDirectory(prefix="browser_check_") as td:
        tmp = Path(td)
        root = temp_repo(tmp)
        settings = tmp / "lab-settings"
        for name, value in LAB_SETTINGS.items():
            (settings / name).parent.mkdir(parents=True, exist_ok=True)
            (settings / name).write_text(json.dumps(value))
        port, token = free_port(), secrets.token_urlsafe(24)
        env = {**os.environ, "JUPYTER_CONFIG_DIR": str(tmp / "config"), "JUPYTER_RUNTIME_DIR": str(tmp / "runtime"),
               "IPYTHONDIR": str(tmp / "ipython")}
        env.setdefault("OMP_NUM_THREADS", "1")
        cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}", "--ServerApp.port_retries=0",
               f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}", "--LabApp.news_url=",
               "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate", "--LabApp.extension_manager=readonly",
               f"--LabApp.user_settings_dir={settings}", f"--LabApp.workspaces_dir={tmp / 'workspaces'}"]
        cmd += ["--allow-root"] if os.geteuid() == 0 else []
        log = out / f"{stem}_jupyterlab.log"
        with server_process(cmd, log, env, root) as proc, sync_playwright() as pw:
            wait_port(port, proc, 120, log)
            origin = f"http://127.0.0.1:{port}"
            browser = launch(pw, chromium)
            try:
                page, offline = offline_page(browser, origin, 1400, 1000)
                page.goto(f"{origin}/lab/tree/nbs/{rel.as_posix()}?token={token}")
                page.wait_for_selector(".jp-Notebook .jp-Cell")
                kernel_ready(page, 300)
                page.get_by_role("menuitem", name="Run", exact=True).click()
                page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
                t_run = time.time()
                st = wait_run_all(page, args.timeout, out / f"{stem}_timeout.png")
                t_run = time.time() - t_run
                page.keyboard.press("Control+s")                                      # save, then read what ran
                page.wait_for_function("() => !document.querySelector('.jp-mod-current.jp-mod-dirty, .lm-TabBar-tab.jp-mod-current.jp-mod-dirty')",
                                       timeout=60_000)
                time.sleep(1)
                errs, n_code, not_run = saved_errors(root / "nbs" / rel)
                page.screenshot(path=str(out / f"{stem}_after_run.png"))
                problems = []
                if errs: problems.append(f"{len(errs)} error output(s): {errs[0]}")
                if st["errors"] and not errs: problems.append(f"{len(st['errors'])} traceback(s) in the page: {st['errors'][0]}")
                if not_run: problems.append(f"{not_run} code cell(s) not run")
                # the widget: drag its slider with the mouse, and the image must change
                target = page.evaluate(TARGET_JS)
                widget = "no widget with a slider and an image"
                if target is None: problems.append(widget)
                else:
                    img, handle = page.locator('[data-browser-check="image"]'), page.locator('[data-browser-check="handle"]')
                    slider = page.locator('[data-browser-check="slider"]')
                    readout = slider.locator(".widget-readout")
                    img.scroll_into_view_if_needed()
                    slider.scroll_into_view_if_needed()
                    page.wait_for_function("() => document.querySelector('[data-browser-check=\"image\"]').complete !== false")
                    src0, value0 = img.get_attribute("src"), readout.inner_text().strip()
                    shot0 = img.screenshot(path=str(out / f"{stem}_before.png"))
                    track = slider.locator(".noUi-target").bounding_box()
                    h = handle.bounding_box()
                    hx, hy = h["x"] + h["width"] / 2, h["y"] + h["height"] / 2
                    dx = 0.35 * track["width"] * (-1 if hx > track["x"] + track["width"] / 2 else 1)   # towards the emptier side
                    page.mouse.move(hx, hy); page.mouse.down()
                    page.mouse.move(hx + dx, hy, steps=12); page.mouse.up()
                    t_drag = time.time()
                    try:
                        page.wait_for_function("s => { const i = document.querySelector('[data-browser-check=\"image\"]');"
                                               " return i.tagName !== 'IMG' || (i.getAttribute('src') !== s && i.complete); }",
                                               arg=src0, timeout=min(args.timeout, 300) * 1000)
                    except Exception: pass                                            # judged by the screenshots below
                    wait_run_all(page, args.timeout, out / f"{stem}_timeout.png")
                    t_drag = time.time() - t_drag
                    time.sleep(0.5)
                    img.scroll_into_view_if_needed()
                    value1 = readout.inner_text().strip()
                    shot1 = img.screenshot(path=str(out / f"{stem}_after.png"))
                    page.screenshot(path=str(out / f"{stem}_widget.png"))
                    d = change(shot0, shot1)
                    widget = (f"slider {target['label']!r} {value0} -> {value1}, image "
                              f"{'changed' if d > 0.5 else 'UNCHANGED'} (mean |diff| {d:.1f}, {t_drag:.1f} s)")
                    if value1 == value0: problems.append(f"the slider {target['label']!r} did not move ({value0})")
                    if not d > 0.5: problems.append("the image did not change after the slider moved")
                    st2 = page.evaluate(STATE_JS)
                    if len(st2["errors"]) > len(st["errors"]): problems.append(f"the slider raised: {st2['errors'][-1]}")
                if offline.blocked: problems.append(f"{len(offline.blocked)} request(s) off 127.0.0.1 blocked, e.g. {offline.blocked[0]}")
            finally:
                browser.close()
    ok = not problems
    line = (f"{nb}: {'ok' if ok else 'FAILED'}: {n_code} code cells run in {t_run:.0f} s, {len(errs)} errors, "
            f"{st['stderr']} stderr outputs; {widget}; {time.time() - t0:.0f} s in all"
            + ("" if ok else "\n  " + "\n  ".join(problems)))
    return ok, line


# ---------------------------------------------------------------- serve mode

def _get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=30) as r: return json.loads(r.read())


def _png(jpeg: bytes) -> bytes:
    buf = io.BytesIO()
    Image.open(io.BytesIO(jpeg)).convert("RGB").save(buf, "PNG")
    return buf.getvalue()


PAGE_FRAME_JS = """() => { const i = document.getElementById('live');
  if (!i.complete || !i.naturalWidth) return null;
  const c = document.createElement('canvas'); c.width = i.naturalWidth; c.height = i.naturalHeight;
  c.getContext('2d').drawImage(i, 0, 0); return c.toDataURL('image/png'); }"""


def _post_pose(url: str, pose) -> dict:
    req = urllib.request.Request(url, data=json.dumps(pose).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=120) as r: return json.loads(r.read())


OBS_USER_AGENT = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/127.0.0.0 "
                  "Safari/537.36 OBS/31.1.1")                 # OBS Studio's browser source (CEF) announces itself so
EVIL = "evil.example"                                      # another site; Chromium's host resolver maps it to 127.0.0.1

EVIL_PAGE = """<!doctype html><title>another site</title><script>
window.result = {ws: "pending", plain: "pending", json: "pending"};
const pose = JSON.stringify(__POSE__), server = "127.0.0.1:__PORT__";
const ws = new WebSocket("ws://" + server + "/ws");
ws.onopen = () => { result.ws = "OPENED"; ws.send(pose); };
ws.onclose = () => { if (result.ws === "pending") result.ws = "refused"; };
fetch("http://" + server + "/pose", {method: "POST", mode: "no-cors", headers: {"Content-Type": "text/plain"}, body: pose})
  .then(() => result.plain = "sent (an opaque answer)", e => result.plain = "failed: " + e);
fetch("http://" + server + "/pose", {method: "POST", headers: {"Content-Type": "application/json"}, body: pose})
  .then(r => result.json = "ANSWERED " + r.status, () => result.json = "refused");
</script>"""


@contextmanager
def page_server(html: str):
    """A one-page HTTP server on a free port of 127.0.0.1 (another site's page, under another name); yields its port and
    the headers of every request it got, as received."""
    import http.server, threading
    body, seen = html.encode(), []
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append(dict(self.headers.items()))
            self.send_response(200); self.send_header("Content-Type", "text/html"); self.send_header("Content-Length", str(len(body)))
            self.end_headers(); self.wfile.write(body)
        def log_message(self, *a): pass
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    t = threading.Thread(target=srv.serve_forever, daemon=True); t.start()
    try: yield srv.server_address[1], seen
    finally: srv.shutdown(); srv.server_close()


def check_obs(browser, origin: str, problems: list[str], out: Path) -> str:
    """OBS's browser source is Chromium given a URL: open /stream.mjpg and / with OBS's user agent; the stream must show a
    frame, the page must run (its WebSocket accepted). First the same URL path on a one-page server records the headers
    such a navigation carries. Returns what the browser sent."""
    ctx = browser.new_context(viewport={"width": 400, "height": 400}, user_agent=OBS_USER_AGENT)
    page = ctx.new_page()
    page.set_default_timeout(60_000)
    with page_server("<!doctype html><title>headers</title>") as (echo_port, seen):
        page.goto(f"http://127.0.0.1:{echo_port}/stream.mjpg")
    ctx.close()
    sent = {k.lower(): v for k, v in seen[0].items()}
    ctx = browser.new_context(viewport={"width": 400, "height": 400}, user_agent=OBS_USER_AGENT)
    offline = Offline(origin)
    ctx.route("**/*", offline)
    page = ctx.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto(origin + "/stream.mjpg", wait_until="commit")
        try: page.wait_for_function("() => document.images.length > 0 && document.images[0].naturalWidth > 0")
        except Exception: problems.append("OBS: /stream.mjpg opened as a page shows no frame")
        page.screenshot(path=str(out / "serve_obs_stream.png"))
        page.goto(origin + "/", wait_until="domcontentloaded")
        try: page.wait_for_function("() => document.getElementById('status').textContent.startsWith('frame ')")
        except Exception: problems.append(f"OBS: the page's status line says {page.locator('#status').inner_text()!r} (its WebSocket refused?)")
        page.screenshot(path=str(out / "serve_obs_page.png"))
    finally:
        ctx.close()
    if "origin" in sent: problems.append(f"OBS: the browser sent Origin {sent['origin']!r} loading the stream")
    if offline.blocked: problems.append(f"OBS: {len(offline.blocked)} request(s) off 127.0.0.1 blocked, e.g. {offline.blocked[0]}")
    return (f"as OBS's browser source: stream and page shown; opening a URL the browser sends Host {sent.get('host')!r}, "
            f"Origin {sent.get('origin', '(none)')!r}, Sec-Fetch-Site {sent.get('sec-fetch-site')!r}, "
            f"Sec-Fetch-Mode {sent.get('sec-fetch-mode')!r}")


def check_foreign(browser, origin: str, port: int, log: Path, problems: list[str], out: Path) -> str:
    """Another site's page (evil.example on a port of its own) tries the WebSocket, a text/plain POST and a JSON POST;
    then the server's own port under that name (DNS rebinding). Nothing may reach the performer."""
    from zizi.live import controls_to_pose
    pose = np.round(controls_to_pose().astype(float), 4).tolist()
    received = _get_json(origin + "/state")["received"]
    n_log = log.read_text().count("refused")
    ctx = browser.new_context(viewport={"width": 400, "height": 300})    # no routing: every name but evil.example is unresolved
    page = ctx.new_page()
    page.set_default_timeout(60_000)
    try:
        with page_server(EVIL_PAGE.replace("__POSE__", json.dumps(pose)).replace("__PORT__", str(port))) as (evil_port, _):
            page.goto(f"http://{EVIL}:{evil_port}/")
            page.wait_for_function("() => Object.values(window.result).every(v => v !== 'pending')")
            result = page.evaluate("() => window.result")
        resp = page.goto(f"http://{EVIL}:{port}/state")                  # DNS rebinding: the server's port, the other name
        rebound, rebound_text = resp.status, resp.text()
    finally:
        ctx.close()
    time.sleep(0.5)
    refusals = log.read_text().count("refused") - n_log
    got = _get_json(origin + "/state")["received"] - received
    if result["ws"] != "refused": problems.append(f"another site's page: its WebSocket {result['ws']}")
    if result["json"] != "refused": problems.append(f"another site's page: its JSON POST was {result['json']}")
    if got: problems.append(f"another site's page: {got} message(s) reached the performer")
    if rebound != 403 or "not a name of this machine" not in rebound_text:
        problems.append(f"DNS rebinding: http://{EVIL}:{port}/state answered {rebound}: {rebound_text[:200]}")
    if refusals < 4: problems.append(f"the server's log has {refusals} refusal line(s) for 4 refused requests")
    return (f"another site's page: WebSocket {result['ws']}, text/plain POST {result['plain']}, JSON POST {result['json']}, "
            f"{got} message(s) received; DNS rebinding answered {rebound}; {refusals} refusal lines in the server's log")


def check_serve(args, chromium: str) -> tuple[bool, str]:
    from playwright.sync_api import sync_playwright
    t0 = time.time()
    out = Path(args.out); out.mkdir(parents=True, exist_ok=True)
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    zizi = Path(sys.executable).with_name("zizi")
    cmd = ([str(zizi)] if zizi.exists() else [sys.executable, "-m", "zizi.cli"]) + ["serve", "--host", "127.0.0.1", "--port", str(port)]
    cmd += ["--model", args.model] if args.model else []
    env = dict(os.environ)
    env.setdefault("OMP_NUM_THREADS", "1")
    log = out / "serve.log"
    problems, steps = [], []
    with server_process(cmd, log, env, REPO, first_signal=signal.SIGINT) as proc, sync_playwright() as pw:
        wait_port(port, proc, 300, log)
        browser = launch(pw, chromium, [f"--host-resolver-rules=MAP {EVIL} 127.0.0.1"])
        try:
            page, offline = offline_page(browser, origin, 900, 900)
            console = []
            page.on("console", lambda m: m.type == "error" and console.append(m.text))
            page.on("pageerror", lambda e: console.append(str(e)))
            page.goto(origin + "/", wait_until="domcontentloaded")                 # "load" is checked below
            live, skel = page.locator("#live"), page.locator("#skel")

            def on_page() -> bytes | None:
                "The frame the page's <img> shows now, as PNG bytes (drawn into a canvas), or None before its first frame."
                url = page.evaluate(PAGE_FRAME_JS)
                return base64.b64decode(url.split(",", 1)[1]) if url else None

            def current(timeout: float) -> tuple[float, float]:
                "Wait until the page shows the server's newest frame; returns (mean |page - server| pixel difference, seconds)."
                t, d = time.time(), float("inf")
                while time.time() - t < timeout:
                    with urllib.request.urlopen(origin + "/frame.jpg", timeout=30) as r: server = r.read()
                    shown_now = on_page()
                    d = float("inf") if shown_now is None else change(shown_now, _png(server))
                    if d < 2: break
                    time.sleep(0.25)
                return d, time.time() - t

            d0, t_first = current(30)
            page.screenshot(path=str(out / "serve_0_start.png"))
            steps.append(f"open: the page shows the server's frame {'at once' if d0 < 2 else 'NOT'} ({t_first:.1f} s)")
            if not d0 < 2: problems.append(f"the page does not show the server's current frame (mean |diff| {d0:.1f}) after {t_first:.0f} s")
            prev = {"live": live.screenshot(), "skel": skel.screenshot()}

            def shown(name: str, action, expect_skeleton: bool) -> None:
                """Do `action`, wait for a new frame on the server and for the page to show it; the frame must differ from the
                one before, the skeleton must move (a pose) or stay (a look). Records the step and a screenshot."""
                t = time.time()
                frame0 = _get_json(origin + "/state")["frame"]
                action()
                while time.time() - t < args.timeout and _get_json(origin + "/state")["frame"] <= frame0: time.sleep(0.2)
                dserver, _ = current(30)
                time.sleep(0.3)                                                      # the skeleton is drawn on the frame event
                now = {"live": live.screenshot(), "skel": skel.screenshot()}
                d, dskel = change(prev["live"], now["live"]), change(prev["skel"], now["skel"])
                slug = "".join(ch if ch.isalnum() else "_" for ch in name).strip("_")
                page.screenshot(path=str(out / f"serve_{len(steps)}_{slug}.png"))
                steps.append(f"{name}: frame {'changed' if d > 0.5 else 'UNCHANGED'} ({d:.1f}), skeleton "
                             f"{'moved' if dskel > 0.1 else 'still'} ({time.time() - t:.1f} s)")
                if not dserver < 2: problems.append(f"{name}: the page does not show the server's newest frame (mean |diff| {dserver:.1f})")
                if not (d > 0.5 and (dskel > 0.1) == expect_skeleton):
                    problems.append(f"{name}: the frame on the page changed by {d:.2f} (needs > 0.5), the skeleton by {dskel:.2f} "
                                    f"({'should move' if expect_skeleton else 'should stay'})")
                prev.update(now)

            preset = page.locator("#controls select").first
            for name in ("vogue", "high kick"):                                         # the page's own preset dropdown
                shown(f"preset {name}", lambda name=name: preset.select_option(name), True)
            from zizi.live import PRESET_POSES, controls_to_pose                      # a pose from outside, by HTTP
            pose = np.round(controls_to_pose(PRESET_POSES["lunge"]).astype(float), 4).tolist()
            shown("POST /pose lunge", lambda: _post_pose(origin + "/pose", pose), True)
            try:                                                                     # a pose from elsewhere: back to "(camera)"
                page.wait_for_function("() => document.querySelector('#controls select').value === '(camera)'", timeout=10_000)
            except Exception: problems.append(f"after a pose from elsewhere the preset dropdown still says {preset.input_value()!r}")
            shown("preset high kick again", lambda: preset.select_option("high kick"), True)
            look0 = _get_json(origin + "/state")["look"]
            background = page.locator("#controls div", has=page.locator("label", has_text="background")).locator("select")
            new_bg = next(v for v in ("teal", "rose", "cream") if v != look0["background"])
            shown(f"attribute background={new_bg}", lambda: background.select_option(new_bg), False)
            look1 = _get_json(origin + "/state")["look"]
            steps[-1] += f", /state look background {look0['background']} -> {look1['background']}"
            if look1["background"] != new_bg: problems.append(f"the look's background is {look1['background']}, not {new_bg}")
            seed = page.locator("#controls input[type=number]")
            shown("seed 7", lambda: (seed.fill("7"), seed.press("Enter"), seed.blur()), False)
            err = page.locator("#err").inner_text().strip()
            if err: problems.append(f"the page shows an error: {err}")
            ready = page.evaluate("() => document.readyState")
            if ready != "complete": problems.append(f"the page never finished loading (document.readyState {ready!r})")
            status = page.locator("#status").inner_text().strip()
            if not status.startswith("frame "): problems.append(f"the page's status line says {status!r}")
            if console: problems.append(f"{len(console)} error(s) in the browser console, e.g. {console[0]}")
            if offline.blocked: problems.append(f"{len(offline.blocked)} request(s) off 127.0.0.1 blocked, e.g. {offline.blocked[0]}")
            steps.append(check_obs(browser, origin, problems, out))
            steps.append(check_foreign(browser, origin, port, log, problems, out))
        finally:
            browser.close()
    ok = not problems
    line = (f"zizi serve: {'ok' if ok else 'FAILED'}: " + "; ".join(steps) + f"; status line {status!r}; {time.time() - t0:.0f} s in all"
            + ("" if ok else "\n  " + "\n  ".join(problems)))
    return ok, line


# ---------------------------------------------------------------- main

def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("notebooks", nargs="*", type=Path, help="notebooks to run in JupyterLab (e.g. nbs/04_schedules.ipynb)")
    p.add_argument("--serve", action="store_true", help="check the `zizi serve` page instead")
    p.add_argument("--model", default=None, help="--serve: the pose model to serve (default: zizi serve's)")
    p.add_argument("--out", default="/tmp/browser_check", help="folder for the screenshots and server logs")
    p.add_argument("--timeout", type=float, default=1800, help="seconds a notebook's Run All (or one served frame) may take")
    p.add_argument("--chromium", default=None, help=f"the Chromium binary (default: $ZIZI_CHROMIUM or {CHROMIUM_PATHS[0]})")
    args = p.parse_args(argv)
    if not args.notebooks and not args.serve: p.error("give notebooks, or --serve")
    for nb in args.notebooks:
        if not nb.exists() or nb.resolve().parent != (REPO / "nbs").resolve(): p.error(f"{nb}: not a notebook in {REPO / 'nbs'}")
    chromium = find_chromium(args.chromium)
    results = []
    checks = [(str(nb), lambda nb=nb: check_notebook(nb, args, chromium)) for nb in args.notebooks]
    checks += [("zizi serve", lambda: check_serve(args, chromium))] if args.serve else []
    for name, check in checks:
        t0 = time.time()
        try: ok, line = check()
        except Exception as e:                                                     # one failed check does not stop the others
            ok, line = False, f"{name}: FAILED: {type(e).__name__}: {str(e)[:2000]}"
        print(line, flush=True)
        results.append((ok, time.time() - t0))
    n_bad = sum(not ok for ok, _ in results)
    print(f"browser_check: {len(results) - n_bad} passed, {n_bad} failed in {sum(t for _, t in results):.0f} s; screenshots in {args.out}")
    return 1 if n_bad else 0


if __name__ == "__main__":
    sys.exit(main())
