"""Requests per second and p99 latency of the deadline endpoint under gunicorn (2 workers).

Beside it, in the same run and the same conditions, the constant endpoint /healthz: the framework's ceiling on
this machine. Load comes from `wrk` in another process over loopback. Prints JSON.

    .venv/bin/python bench/deadline_http.py [--seconds 10] [--connections 8]

Uses DATABASE_URL when set (PostgreSQL), otherwise a throw-away SQLite database.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
DEADLINE_PATH = "/api/v1/worktime/deadline?start=2026-02-12T09:00:00%2B07:00&working_days=5"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_ready(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server did not answer at {url}")


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(number) * _UNITS[unit]


def run_wrk(url: str, seconds: int, connections: int) -> dict[str, float]:
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "requests_per_second": rps,
        "p50_ms": p50,
        "p99_ms": p99,
        "non_2xx": int(errors.group(1)) if errors else 0,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: `make bench` installs it (apt-get install wrk)")

    data_dir = tempfile.mkdtemp(prefix="lienthong-bench-")
    env = {**os.environ, "LIENTHONG_DATA_DIR": data_dir, "LIENTHONG_LOG_LEVEL": "WARNING"}
    lienthong = str(VENV_BIN / "lienthong")
    subprocess.run([lienthong, "migrate", "--noinput", "-v0"], check=True, env=env, cwd=ROOT)
    subprocess.run([lienthong, "calendar", "seed"], check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    port = _free_port()
    server = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "lienthong.wsgi:application",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(base + "/healthz")
        _wait_ready(base + DEADLINE_PATH)
        run_wrk(base + "/healthz", 2, args.connections)  # warm both workers
        baseline = run_wrk(base + "/healthz", args.seconds, args.connections)
        deadline = run_wrk(base + DEADLINE_PATH, args.seconds, args.connections)
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(data_dir, ignore_errors=True)
    vendor = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    print(
        json.dumps(
            {
                "benchmark": "deadline endpoint under gunicorn, 2 sync workers, wrk 1 thread",
                "database": vendor,
                "connections": args.connections,
                "seconds": args.seconds,
                "baseline_constant_endpoint": baseline,
                "deadline_endpoint": deadline,
                "ratio_to_baseline": round(
                    deadline["requests_per_second"] / baseline["requests_per_second"], 3
                ),
                "target_ratio": 0.5,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
