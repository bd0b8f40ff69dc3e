#!/usr/bin/env python
"""`zizi serve` under load: frames served per second against the Performer's own rate, pose-to-frame latency, memory.

    python bench/bench_serve.py                                  # writes bench/results/serve.json (about 1.5 min)
    python bench/bench_serve.py --serve-args "--threads 2"       # any `zizi serve` options, for servers and Performer alike
    python bench/bench_serve.py --compare-commit c690f3d --compare-args "--draw-in thread"   # three servers (about 3 min)

Starts `python -m zizi.cli serve` (the default model and options) on a free port of 127.0.0.1 — only there — and
measures, interleaved in `--rounds` (3) rounds so that the machine's drifting load falls on every row alike:

* **alone**: a process of its own builds the same `Performer` (the same `zizi serve` options, parsed by the same code)
  and steps it through the dance for `--alone-seconds` (5) at the start of each round and once more at the end: the
  frames per second the model draws with nothing else running, the most a server could serve;
* **served**: a block of `--seconds` / `--rounds` (10 s) on each server in turn (each round starting one server further):
  `--clients` (4) WebSocket clients send `--rate` (60) pose messages a second between them, evenly spaced (client k
  starts k/rate s after client 0: clients in step deliver poses in bursts, and a server that draws only new poses draws
  at most one frame a burst), one format per client (COCO-17 lists, OpenPose person dicts, MediaPipe landmarks,
  envelopes), while another client reads `/stream.mjpg`.

`--compare-commit C` adds a server running commit C's code (its `zizi/` taken with `git archive` into a temporary folder
that links this checkout's `data/`); each `--compare-args A` adds this checkout's server with the options A.

Reported per server: frames drawn per second under load (frame ids seen by the clients while all were sending) and
their ratio to the rate alone (goal >= 0.9), and to the most that can be drawn (the smaller of the rate alone and the
pose rate: only a new pose is drawn); the frames the MJPEG reader received; the pose-to-frame latency (from sending a
pose to the first frame event including it or a newer pose — with latest-pose-wins a superseded pose is on screen when
the newer one is), p50 and p99; resident memory of the server and of its drawing process before and after; where the
server's CPU went per frame (the drawing process, the generation (and receiving) and encoding threads, the rest: the
event loop) against the Performer's alone, and the drawing's wall time per frame (the generation thread's, or the drawing
process's); the load average, and the cores other processes kept busy meanwhile. Bounded: `--seconds` of load per server, every process stopped at the end.
"""
import argparse, asyncio, json, os, shlex, socket, subprocess, sys, tempfile, time
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402


def rss_mb(pid: int) -> float:
    "Resident memory of process `pid` in MB (from /proc)."
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"): return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def children(pid: int) -> list[int]:
    "The processes whose parent is `pid` (the server's drawing process)."
    out = []
    for d in Path("/proc").glob("[0-9]*"):
        try:
            if int((d / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid: out.append(int(d.name))
        except (OSError, ValueError, IndexError): pass
    return out


def cpu_seconds(pid: int) -> float:
    "User + system CPU seconds of process `pid` so far (from /proc)."
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_cpu() -> tuple[float, float]:
    "(busy, stolen) CPU seconds of the whole machine so far, all cores (from /proc/stat; stolen: taken by the hypervisor)."
    f = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:9]]
    tick = os.sysconf("SC_CLK_TCK")
    return (sum(f) - f[3] - f[4] - f[7]) / tick, f[7] / tick      # all - idle - iowait - steal; steal


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def dance() -> np.ndarray:
    from zizi.live import choreography
    return choreography(["stand", "vogue", "strike a pose", "high kick", "lunge"], frames_per_move=12)


def messages(kind: int, poses: np.ndarray) -> list[str]:
    "The poses as JSON messages in one format: 0 COCO-17 lists, 1 OpenPose person dicts, 2 MediaPipe landmarks, 3 envelopes."
    from zizi.pose import to_openpose
    from zizi.realtime import to_mediapipe
    kind %= 4
    if kind == 0: return [json.dumps(p.tolist()) for p in poses]
    if kind == 1: return [json.dumps({"pose_keypoints_2d": to_openpose(p, "BODY_25").tolist()}) for p in poses]
    if kind == 2: return [json.dumps({"pose_landmarks": to_mediapipe(p)}) for p in poses]
    return [json.dumps({"pose": p.tolist()}) for p in poses]


def alone_worker(serve_args: list[str]) -> None:
    """In its own process: build the Performer `zizi serve SERVE_ARGS` would build, warm it up, print "ready"; then for
    each number of seconds read from standard input, step it through the dance that long and print the measurement."""
    from zizi.cli import _parser, _performer_options
    from zizi.realtime import Performer
    args = _parser().parse_args(["serve", *serve_args])
    from zizi.serve import served_options
    performer = Performer.from_pretrained(args.model, args.device, **served_options(_performer_options(args)))
    poses = dance()
    for p in poses[:10]: performer.step(p)
    print("ready", flush=True)
    n = 0
    for line in sys.stdin:
        seconds, n0 = float(line), n
        t0, own0, busy0 = time.perf_counter(), time.process_time(), machine_cpu()[0]
        while time.perf_counter() - t0 < seconds:
            performer.step(poses[n % len(poses)])
            n += 1
        wall, own, busy = time.perf_counter() - t0, time.process_time() - own0, machine_cpu()[0] - busy0
        print(json.dumps({"frames": n - n0, "seconds": wall, "cpu_s": own, "other_cpu_s": busy - own, "performer": repr(performer)}), flush=True)


class Alone:
    "The Performer alone, in a process of its own kept between measurements (`measure(seconds)`)."
    def __init__(self, serve_args: list[str]):
        self.proc = subprocess.Popen([sys.executable, __file__, "--alone-worker", "--serve-args", shlex.join(serve_args)], cwd=ROOT,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        if self.proc.stdout.readline().strip() != "ready": raise RuntimeError("the Performer alone did not start")
        self.blocks = []

    def measure(self, seconds: float) -> dict:
        self.proc.stdin.write(f"{seconds}\n"); self.proc.stdin.flush()
        self.blocks.append(json.loads(self.proc.stdout.readline()))
        return self.blocks[-1]

    def close(self) -> None:
        self.proc.stdin.close(); self.proc.wait(30)


async def pose_client(url: str, msgs: list[str], rate: float, seconds: float, start: float, out: dict) -> None:
    """Send `rate` messages a second for `seconds` from time `start` (perf_counter); record each message's id and send
    time, and every frame event's arrival."""
    import websockets
    sent, acks, frames, errors = [], [], [], []
    async with websockets.connect(url, max_size=2**22) as ws:
        async def receive():
            async for raw in ws:
                m, t = json.loads(raw), time.perf_counter()
                if m["type"] == "ack": acks.append(m["id"])
                elif m["type"] == "frame": frames.append((t, m["message"], m["frame"]))
                else: errors.append(m.get("error"))
        rx = asyncio.create_task(receive())
        for i in range(int(rate * seconds)):
            await asyncio.sleep(max(0.0, start + i / rate - time.perf_counter()))
            await ws.send(msgs[i % len(msgs)])
            sent.append(time.perf_counter())
        await asyncio.sleep(1.0)                                           # the last frames
        rx.cancel()
    out.update(sent=sent, acks=acks, frames=frames, errors=errors)


async def mjpeg_reader(url: str, seconds: float, out: dict) -> None:
    "Read the MJPEG stream for `seconds`, counting the JPEG parts."
    import httpx
    n, t_end = 0, time.perf_counter() + seconds
    async with httpx.AsyncClient(timeout=None) as client:
        async with client.stream("GET", url) as r:
            async for chunk in r.aiter_bytes():
                n += chunk.count(b"\xff\xd9\r\n--frame")                     # a whole JPEG and the delimiter after it
                if time.perf_counter() > t_end: break
    out["mjpeg_frames"] = n


def latencies(client: dict) -> list[float]:
    "Per message: ms from sending it to the first frame event including it (or a newer message)."
    frames = client["frames"]
    out, j = [], 0
    for t_sent, mid in zip(client["sent"], client["acks"]):
        while j < len(frames) and (frames[j][1] < mid or frames[j][0] < t_sent): j += 1
        if j < len(frames): out.append(1e3 * (frames[j][0] - t_sent))
    return out


async def load(port: int, n_clients: int, rate: float, seconds: float) -> tuple[list[dict], dict]:
    poses = dance()
    clients = [{} for _ in range(n_clients)]
    reader = {}
    t0 = time.perf_counter() + 1.0                       # after connecting; client k sends k/rate s later than client 0,
    await asyncio.gather(*(pose_client(f"ws://127.0.0.1:{port}/ws", messages(k, np.roll(poses, 7 * k, 0)), rate / n_clients,
                                       seconds, t0 + k / rate, c) for k, c in enumerate(clients)),   # so poses arrive evenly
                         mjpeg_reader(f"http://127.0.0.1:{port}/stream.mjpg", seconds, reader))
    return clients, reader


def served_block(port: int, pid: int, n_clients: int, rate: float, seconds: float) -> dict:
    "One block of load on the server at `port` (process `pid`): what the clients saw, and the server's counters before and after."
    import httpx
    kids = children(pid)
    server_cpu = lambda: sum(cpu_seconds(q) for q in [pid, *kids])                      # the drawing process too
    before = httpx.get(f"http://127.0.0.1:{port}/state").json()
    t0, cpu0, own0, busy0 = time.perf_counter(), server_cpu(), time.process_time(), machine_cpu()[0]
    clients, reader = asyncio.run(load(port, n_clients, rate, seconds))
    wall, cpu, own, busy = time.perf_counter() - t0, server_cpu() - cpu0, time.process_time() - own0, machine_cpu()[0] - busy0
    after = httpx.get(f"http://127.0.0.1:{port}/state").json()
    t_first, t_last = max(c["sent"][0] for c in clients), min(c["sent"][-1] for c in clients)    # every client sending
    ids = {f for c in clients for t, _, f in c["frames"] if t_first <= t <= t_last}                  # frames drawn then
    return {"frames_in_window": max(ids) - min(ids) if ids else 0, "window_s": t_last - t_first, "latencies": [x for c in clients for x in latencies(c)],
            "sent": sum(len(c["sent"]) for c in clients), "acks": sum(len(c["acks"]) for c in clients),
            "errors": sum(len(c["errors"]) for c in clients), "mjpeg_frames": reader.get("mjpeg_frames", 0), "seconds": seconds,
            "wall": wall, "server_cpu": cpu, "own_cpu": own, "busy": busy, "before": before, "after": after}


def summarize_served(blocks: list[dict], rss: tuple, child_rss: tuple) -> dict:
    "One server's blocks together: frames per second, latency percentiles, CPU per frame by part, memory, others' load."
    frames = sum(b["after"]["counts"]["frames"] - b["before"]["counts"]["frames"] for b in blocks)
    lat, wall = [x for b in blocks for x in b["latencies"]], sum(b["wall"] for b in blocks)
    delta = lambda get: sum(get(b["after"]) - get(b["before"]) for b in blocks)
    cpu_ms = {}
    if "cpu_s" in blocks[0]["after"]:                                         # where the server's CPU went, per frame drawn
        d = {k: delta(lambda s, k=k: s["cpu_s"].get(k, 0.0)) for k in blocks[0]["after"]["cpu_s"]}
        gen = d["generate"] + d.get("receive", 0.0)      # the generation thread, and (drawing in a process) the thread receiving frames
        cpu_ms = {"drawing process": d.get("drawing process", 0.0), "generate": gen, "encode": d["encode"],
                  "event loop and the rest": d["process"] - gen - d["encode"], "drawing (wall)": delta(lambda s: s["drawing_s"])}
        cpu_ms = {k: round(1e3 * v / frames, 1) for k, v in cpu_ms.items()}
    last = blocks[-1]["after"]
    return {"frames_per_s": round(sum(b["frames_in_window"] for b in blocks) / sum(b["window_s"] for b in blocks), 2),
            "frames_per_s_by_block": [round(b["frames_in_window"] / b["window_s"], 2) for b in blocks],
            "messages_sent": sum(b["sent"] for b in blocks), "acks": sum(b["acks"] for b in blocks),
            "errors": sum(b["errors"] for b in blocks), "frames_drawn": frames,
            "mjpeg_frames_per_s": round(sum(b["mjpeg_frames"] for b in blocks) / sum(b["seconds"] for b in blocks), 2),
            "latency_p50_ms": round(float(np.percentile(lat, 50)), 1), "latency_p99_ms": round(float(np.percentile(lat, 99)), 1),
            "server_cpu_s": round(sum(b["server_cpu"] for b in blocks), 1), "server_cpu_ms_per_frame": cpu_ms,
            "clients_cpu_s": round(sum(b["own_cpu"] for b in blocks), 1),
            "other_processes_cores": round(sum(b["busy"] - b["server_cpu"] - b["own_cpu"] for b in blocks) / wall, 2),
            "rss_before_mb": rss[0], "rss_after_mb": rss[1], "child_rss_before_after_mb": list(child_rss),
            "server_ms": last["ms"], "performer": last["performer"], "runtime": last.get("runtime", "torch"),
            "draw_in": last.get("draw_in", "thread (event loop task)")}


@contextmanager
def server(root: Path, serve_args: list[str], log: Path):
    "`zizi serve` from the checkout `root` on a free port of 127.0.0.1, ready (its first frame drawn); yields (port, pid)."
    import httpx
    port = free_port()
    cmd = [sys.executable, "-m", "zizi.cli", "serve", "--host", "127.0.0.1", "--port", str(port), *serve_args]
    with open(log, "w") as out:
        proc = subprocess.Popen(cmd, cwd=root, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(root)})
    try:
        for _ in range(1500):
            try:
                if httpx.get(f"http://127.0.0.1:{port}/state", timeout=1).json()["frame"] >= 1: break
            except (httpx.HTTPError, ValueError, KeyError): pass
            if proc.poll() is not None: raise RuntimeError(f"the server exited: {log.read_text()[-3000:]}")
            time.sleep(0.2)
        yield port, proc.pid
    finally:
        proc.terminate()
        proc.wait(20)


@contextmanager
def checkout_of(commit: str):
    "The `zizi/` package of `commit` in a temporary folder beside a link to this checkout's data/ (for --compare-commit)."
    with tempfile.TemporaryDirectory(prefix="bench_serve_") as tmp:
        archive = subprocess.run(["git", "archive", commit, "zizi", "settings.ini"], cwd=ROOT, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        (Path(tmp) / "data").symlink_to(ROOT / "data")
        yield Path(tmp)


def family_rss(pid: int) -> tuple[float, float]:
    "Resident MB of the server process and of its children (the drawing process)."
    return rss_mb(pid), round(sum(rss_mb(k) for k in children(pid)), 1)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seconds", type=float, default=30.0, help="seconds of load on each server, in --rounds blocks")
    p.add_argument("--rounds", type=int, default=3, help="rounds: in each, the Performer alone, then a block of load on each server")
    p.add_argument("--clients", type=int, default=4, help="WebSocket clients sending poses")
    p.add_argument("--rate", type=float, default=60.0, help="pose messages per second, all clients together")
    p.add_argument("--alone-seconds", type=float, default=5.0, help="seconds of the Performer alone in each of the rounds + 1 blocks")
    p.add_argument("--serve-args", default="", help="options of `zizi serve` (quoted), e.g. \"--threads 2\"")
    p.add_argument("--compare-commit", default=None, help="also measure the server of this commit (e.g. c690f3d)")
    p.add_argument("--compare-args", action="append", default=[], help="also measure this checkout's server with these "
                   "options added (quoted, repeatable): e.g. \"--draw-in thread\"")
    p.add_argument("--alone-worker", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--out", default="serve", help="the results file's name in bench/results/")
    args = p.parse_args()
    serve_args = shlex.split(args.serve_args)
    if args.alone_worker: return alone_worker(serve_args)
    if not 1 <= args.clients <= 16 or not 0 < args.seconds <= 120 or not 0 < args.rate <= 600 or not 1 <= args.rounds <= 10:
        p.error("keep the load bounded: 1-16 clients, at most 120 s, at most 600 messages/s, 1-10 rounds")
    from _common import git_commit, machine_info, write_result
    machine, here = machine_info(), git_commit()
    servers = ([(f"server of {args.compare_commit}", args.compare_commit, [])] if args.compare_commit else []) + \
              [(f"server of {here} {extra}", None, shlex.split(extra)) for extra in args.compare_args] + [(f"server of {here}", None, [])]
    block = args.seconds / args.rounds
    with ExitStack() as stack, tempfile.TemporaryDirectory(prefix="bench_serve_logs_") as logs:
        running = []
        for i, (label, commit, extra) in enumerate(servers):
            root = stack.enter_context(checkout_of(commit)) if commit else ROOT
            port, pid = stack.enter_context(server(root, serve_args + extra, Path(logs) / f"server{i}.log"))
            running.append(dict(label=label, port=port, pid=pid, blocks=[], rss0=family_rss(pid)))
        alone = Alone(serve_args)
        stack.callback(alone.close)
        for r in range(args.rounds):                    # alone, then each server in turn (starting one further each round)
            alone.measure(args.alone_seconds)
            for s in running[r % len(running):] + running[:r % len(running)]:
                s["blocks"].append(served_block(s["port"], s["pid"], args.clients, args.rate, block))
                print(f"round {r + 1}: {s['label']}: {s['blocks'][-1]['frames_in_window'] / s['blocks'][-1]['window_s']:.1f} frames/s", flush=True)
        alone.measure(args.alone_seconds)
        for s in running: s["rss1"] = family_rss(s["pid"])
    a = alone.blocks
    alone_fps = sum(b["frames"] for b in a) / sum(b["seconds"] for b in a)
    rows = []
    for s in running:
        row = summarize_served(s["blocks"], (s["rss0"][0], s["rss1"][0]), (s["rss0"][1], s["rss1"][1]))
        rows.append({"server": s["label"], "clients": args.clients, "messages_per_s": args.rate, "seconds": args.seconds,
                     "rounds": args.rounds, "serve_args": args.serve_args or "(defaults)", "alone_frames_per_s": round(alone_fps, 2),
                     "alone_frames_per_s_by_block": [round(b["frames"] / b["seconds"], 2) for b in a],
                     "alone_cpu_ms_per_frame": round(1e3 * sum(b["cpu_s"] for b in a) / sum(b["frames"] for b in a), 1),
                     "alone_other_processes_cores": round(sum(b["other_cpu_s"] for b in a) / sum(b["seconds"] for b in a), 2),
                     "served_frames_per_s": row["frames_per_s"], "served_vs_alone": round(row["frames_per_s"] / alone_fps, 3),
                     "served_vs_most_possible": round(row["frames_per_s"] / min(alone_fps, args.rate), 3),
                     **{k: v for k, v in row.items() if k != "frames_per_s"}})
        print(json.dumps(rows[-1], indent=1), flush=True)
    bench_cmd = "python bench/bench_serve.py" + "".join(
        f" --{k.replace('_', '-')} {v:g}" for k, v in (("seconds", args.seconds), ("rounds", args.rounds), ("clients", args.clients),
                                                      ("rate", args.rate), ("alone_seconds", args.alone_seconds))
        if v != p.get_default(k)) + (f" --serve-args {shlex.quote(args.serve_args)}" if args.serve_args else "") + \
        (f" --compare-commit {args.compare_commit}" if args.compare_commit else "") + "".join(f" --compare-args {shlex.quote(a)}" for a in args.compare_args) + \
        (f" --out {args.out}" if args.out != p.get_default("out") else "")
    write_result(args.out, {"command": bench_cmd, "server_command": f"zizi serve --host 127.0.0.1 --port <free port> {args.serve_args}".strip(),
                            "machine": machine, "loadavg_at_end": list(os.getloadavg()), "results": [summary(r) for r in rows],
                            "details": rows})


def summary(row: dict) -> dict:
    "The columns of the README's table (every measurement is in the results file's `details`)."
    cpu = row["server_cpu_ms_per_frame"]
    return {"server": row["server"], "load": f"{row['clients']} clients, {row['messages_per_s']:g} poses/s, {row['seconds']:g} s + MJPEG",
            "frames/s alone": row["alone_frames_per_s"], "frames/s served": row["served_frames_per_s"],
            "served ÷ alone": row["served_vs_alone"], "p50 ms": row["latency_p50_ms"], "p99 ms": row["latency_p99_ms"],
            "CPU ms/frame drawing (alone)": f"{cpu.get('drawing process') or cpu.get('generate', float('nan')):.1f} ({row['alone_cpu_ms_per_frame']:.1f})" if cpu else f"– ({row['alone_cpu_ms_per_frame']:.1f})",
            "RSS MB before → after": f"{row['rss_before_mb']:.0f} → {row['rss_after_mb']:.0f}" + (
                f" + drawing process {row['child_rss_before_after_mb'][0]:.0f} → {row['child_rss_before_after_mb'][1]:.0f}" if row["child_rss_before_after_mb"][1] else ""),
            "other processes' cores": row["other_processes_cores"]}


if __name__ == "__main__":
    main()
