#!/usr/bin/env python
"""`zizi serve` under load: three WebSocket clients sending 60 poses a second between them, and an MJPEG viewer.

    python bench/bench_serve.py               # writes bench/results/serve.json (about 40 s)

Starts `python -m zizi.cli serve` (the default model, 1 sampler step) on a free port of 127.0.0.1 — only there —
then for `--seconds` (20) three clients each send `--rate` (20) pose messages a second over `/ws`, one in each
format the server reads (COCO-17 lists, OpenPose person dicts, MediaPipe landmarks), while a fourth client reads
`/stream.mjpg`. Reported: messages sent and acknowledged, frames drawn and frames the MJPEG viewer received,
the pose-to-frame latency (from sending a pose to receiving the first frame event that includes it or a newer pose:
with latest-pose-wins a superseded pose is on screen when the newer one is), p50 and p99, and the server's resident
memory before and after the load (a growing queue would show here).
"""
import argparse, asyncio, json, os, socket, subprocess, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402


def rss_mb(pid: int) -> float:
    "Resident memory of process `pid` in MB (from /proc)."
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"): return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def messages(kind: int, poses: np.ndarray) -> list[str]:
    "The poses as JSON messages in one format: 0 COCO-17 lists, 1 OpenPose person dicts, 2 MediaPipe landmarks."
    from zizi.pose import to_openpose
    from zizi.realtime import to_mediapipe
    if kind == 0: return [json.dumps(p.tolist()) for p in poses]
    if kind == 1: return [json.dumps({"pose_keypoints_2d": to_openpose(p, "BODY_25").tolist()}) for p in poses]
    return [json.dumps({"pose_landmarks": to_mediapipe(p)}) for p in poses]


async def pose_client(url: str, msgs: list[str], rate: float, seconds: float, out: dict) -> None:
    "Send `rate` messages a second for `seconds`; record each message's id and send time, and every frame event's arrival."
    import websockets
    sent, acks, frames, errors = [], [], [], []
    async with websockets.connect(url, max_size=2**22) as ws:
        async def receive():
            async for raw in ws:
                m, t = json.loads(raw), time.perf_counter()
                if m["type"] == "ack": acks.append(m["id"])
                elif m["type"] == "frame": frames.append((t, m["message"]))
                else: errors.append(m.get("error"))
        rx = asyncio.create_task(receive())
        t0 = time.perf_counter()
        for i in range(int(rate * seconds)):
            await asyncio.sleep(max(0.0, t0 + i / rate - time.perf_counter()))
            await ws.send(msgs[i % len(msgs)])
            sent.append(time.perf_counter())
        await asyncio.sleep(2.0)                                           # the last frames
        rx.cancel()
    out.update(sent=sent, acks=acks, frames=frames, errors=errors)


async def mjpeg_viewer(url: str, seconds: float, out: dict) -> None:
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


async def load(port: int, rate: float, seconds: float) -> tuple[list[dict], dict]:
    from zizi.live import choreography
    poses = choreography(["stand", "vogue", "strike a pose", "high kick", "lunge"], frames_per_move=12)
    clients = [{} for _ in range(3)]
    viewer = {}
    await asyncio.gather(*(pose_client(f"ws://127.0.0.1:{port}/ws", messages(k, np.roll(poses, 7 * k, 0)), rate, seconds, c)
                           for k, c in enumerate(clients)),
                         mjpeg_viewer(f"http://127.0.0.1:{port}/stream.mjpg", seconds, viewer))
    return clients, viewer


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seconds", type=float, default=20.0)
    p.add_argument("--rate", type=float, default=20.0, help="messages per second per client (3 clients)")
    p.add_argument("--model", default=None)
    args = p.parse_args()
    import httpx
    from _common import machine_info, write_result
    port = free_port()
    cmd = [sys.executable, "-m", "zizi.cli", "serve", "--host", "127.0.0.1", "--port", str(port)] + \
          (["--model", args.model] if args.model else [])
    server = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        for _ in range(600):
            try:
                if httpx.get(f"http://127.0.0.1:{port}/state", timeout=1).json()["frame"] >= 1: break
            except (httpx.HTTPError, ValueError, KeyError): pass
            if server.poll() is not None: raise RuntimeError(f"the server exited: {server.stdout.read()}")
            time.sleep(0.2)
        rss_before = rss_mb(server.pid)
        before = httpx.get(f"http://127.0.0.1:{port}/state").json()
        t0 = time.perf_counter()
        clients, viewer = asyncio.run(load(port, args.rate, args.seconds))
        wall = time.perf_counter() - t0
        after = httpx.get(f"http://127.0.0.1:{port}/state").json()
        rss_after = rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(10)
    lat = [x for c in clients for x in latencies(c)]
    frames = after["counts"]["frames"] - before["counts"]["frames"]
    row = {"clients": len(clients), "messages_per_s": round(args.rate * len(clients), 1), "seconds": args.seconds,
           "messages_sent": sum(len(c["sent"]) for c in clients), "acks": sum(len(c["acks"]) for c in clients),
           "errors": sum(len(c["errors"]) for c in clients), "frames_drawn": frames,
           "frames_per_s": round(frames / wall, 2), "mjpeg_frames_served": viewer.get("mjpeg_frames", 0),
           "latency_p50_ms": round(float(np.percentile(lat, 50)), 1), "latency_p99_ms": round(float(np.percentile(lat, 99)), 1),
           "rss_before_mb": rss_before, "rss_after_mb": rss_after, "server": after["performer"]}
    print(row)
    bench_cmd = "python bench/bench_serve.py" + ("" if args.seconds == 20 else f" --seconds {args.seconds:g}") + \
                ("" if args.rate == 20 else f" --rate {args.rate:g}") + (f" --model {args.model}" if args.model else "")
    write_result("serve", {"command": bench_cmd, "server_command": "zizi serve --host 127.0.0.1 --port <free port>",
                           "machine": machine_info(), "results": [row]})


if __name__ == "__main__":
    main()
