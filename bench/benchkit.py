"""Shared machinery of the HTTP benchmarks: a throw-away PostgreSQL database, gunicorn, wrk, a paced load.

Two ways of loading a server, because they answer different questions:

* :func:`run_wrk` — wrk keeps a fixed number of connections busy (closed loop): the **peak rate** the server
  sustains. Its latencies are those of a saturated server.
* :func:`paced` — requests leave at a **constant rate** on a fixed schedule (open loop), whatever the server
  does. Each latency is counted from the moment the request was *due to leave*, so a server that stalls is
  charged for the requests queued behind the stall (no "coordinated omission"). This is what wrk2 does; wrk2 is
  not packaged for Debian, so this small threaded generator stands in for it at the rates we need (hundreds per
  second).

Nothing here imports Django: the drivers set Django up themselves.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
VENV_BIN = Path(sys.executable).parent


# --- database -------------------------------------------------------------------------------------------


def postgres_url_or_exit(script: str) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(
            f"{script}: set DATABASE_URL=postgresql://user@host:5432/dbname (a role that may CREATE DATABASE)"
        )
    return url


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


def admin_sql(url: str, sql: str) -> None:
    """Run ``sql`` outside a transaction from the maintenance database (or DATABASE_URL's own database)."""
    import psycopg

    try:
        conn = psycopg.connect(with_database(url, "postgres"), autocommit=True)
    except psycopg.OperationalError:
        conn = psycopg.connect(url, autocommit=True)
    with conn:
        conn.execute(sql)


def recreate_database(url: str, name: str) -> str:
    """Drop and create ``name`` on DATABASE_URL's server; return its URL."""
    admin_sql(url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin_sql(url, f"CREATE DATABASE {name}")
    return with_database(url, name)


def drop_database(url: str, name: str) -> None:
    admin_sql(url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def setup_django(database_url: str, settings_module: str = "lienthong.settings") -> str:
    """Point this process at ``database_url`` with a throw-away data folder, and set Django up."""
    data_dir = tempfile.mkdtemp(prefix="lienthong-bench-")
    os.environ.update(
        DATABASE_URL=database_url,
        LIENTHONG_DATA_DIR=data_dir,
        LIENTHONG_LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE=settings_module,
    )
    for path in (str(ROOT), str(BENCH_DIR)):
        if path not in sys.path:
            sys.path.insert(0, path)
    import django

    django.setup()
    return data_dir


# --- server ---------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_ready(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server did not answer at {url}")


class Gunicorn:
    """gunicorn with 2 sync workers, as ``lienthong run`` starts it, on a free loopback port."""

    def __init__(self, env: Mapping[str, str], settings_module: str = "lienthong.settings", workers: int = 2):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "lienthong.wsgi:application",
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--pythonpath",
                f"{ROOT},{BENCH_DIR}",
                "--no-control-socket",
                "--timeout",
                "120",
                "--log-level",
                "warning",
            ],
            env={**env, "DJANGO_SETTINGS_MODULE": settings_module},
            cwd=ROOT,
        )
        wait_ready(self.base + "/healthz")

    def worker_pids(self) -> list[int]:
        out = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(self.process.pid)], capture_output=True, text=True, check=False
        ).stdout
        return [int(pid) for pid in out.split()]

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


# --- CPU accounting -------------------------------------------------------------------------------------

_TICK = os.sysconf("SC_CLK_TCK")


def process_cpu(pid: int) -> float:
    """User + system CPU seconds of ``pid`` so far (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICK


def _machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return (sum(values[:8]) - idle) / _TICK, sum(values[:8]) / _TICK


def _backend_pids(database_url: str) -> list[int]:
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
        ).fetchall()
    return [int(row[0]) for row in rows]


class CpuMeter:
    """CPU spent during a block by the gunicorn workers, the PostgreSQL backends of the database, the load
    generator (wrk, a finished child process) and everything else on the machine — so a figure can be judged
    apart from what other programs did to the shared cores."""

    def __init__(self, server: Gunicorn, database_url: str, exclude: tuple[int, ...] = ()):
        self.server = server
        self.url = database_url
        self.exclude = set(exclude)

    def __enter__(self) -> CpuMeter:
        import resource

        self.workers = self.server.worker_pids()
        self.backends = {pid: process_cpu(pid) for pid in _backend_pids(self.url)}
        self.worker_start = sum(process_cpu(pid) for pid in self.workers)
        self.children_start = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.machine_start = _machine_cpu()
        self.began = time.monotonic()
        return self

    def __exit__(self, *exc: object) -> None:
        import resource

        self.elapsed = time.monotonic() - self.began
        machine_end = _machine_cpu()
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.worker_cpu = sum(process_cpu(pid) for pid in self.workers) - self.worker_start
        backends = set(_backend_pids(self.url)) - self.exclude
        self.backend_cpu = sum(process_cpu(pid) - self.backends.get(pid, 0.0) for pid in backends)
        self.generator_cpu = (children.ru_utime + children.ru_stime) - (
            self.children_start.ru_utime + self.children_start.ru_stime
        )
        self.machine_busy = machine_end[0] - self.machine_start[0]

    def report(self, requests: int) -> dict[str, float]:
        cores = os.cpu_count() or 1
        ours = self.worker_cpu + self.backend_cpu + self.generator_cpu
        per = max(requests, 1)
        return {
            "gunicorn_workers_cpu_ms_per_request": round(self.worker_cpu * 1000 / per, 2),
            "postgres_backends_cpu_ms_per_request": round(self.backend_cpu * 1000 / per, 2),
            "load_generator_cpu_ms_per_request": round(self.generator_cpu * 1000 / per, 2),
            "machine_busy_share": round(self.machine_busy / (self.elapsed * cores), 2),
            "other_programs_share_of_machine": round(
                max(self.machine_busy - ours, 0.0) / (self.elapsed * cores), 2
            ),
            "cpu_bound_ceiling_per_second": round(
                cores / max((self.worker_cpu + self.backend_cpu) / per, 1e-9)
            ),
        }


# --- closed loop: wrk -----------------------------------------------------------------------------------

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(number) * _UNITS[unit]


def run_wrk(url: str, seconds: int, connections: int, script: str | None = None) -> dict[str, Any]:
    """wrk with one thread and ``connections`` connections for ``seconds``; ``script`` is Lua source."""
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    with tempfile.TemporaryDirectory(prefix="lienthong-wrk-") as folder:
        if script is not None:
            script_path = Path(folder) / "load.lua"
            script_path.write_text(script)
            command += ["-s", str(script_path)]
        done = subprocess.run([*command, url], check=True, capture_output=True, text=True)
    if done.stderr.strip():  # a script that does not load makes wrk fall back to plain GETs
        raise RuntimeError(f"wrk: {done.stderr.strip()}")
    out = done.stdout
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {
        "requests": requests,
        "requests_per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "p50_ms": _ms(re.search(r"\s50%\s+(\S+)", out).group(1)),  # type: ignore[union-attr]
        "p99_ms": _ms(re.search(r"\s99%\s+(\S+)", out).group(1)),  # type: ignore[union-attr]
        "non_2xx": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1).strip() if socket_errors else "",
    }


_LUA_REQUEST = """
local counter = math.floor(os.time() % 100000) * 100000
if width == 0 then
  local body = table.concat(parts)
  request = function() return wrk.format("POST", PATH, headers, body) end
else
  local fmt = "%0" .. width .. "d"
  request = function()
    local pieces = {}
    for i = 1, #parts - 1 do
      counter = counter + 1
      pieces[#pieces + 1] = parts[i]
      pieces[#pieces + 1] = string.format(fmt, counter)
    end
    pieces[#pieces + 1] = parts[#parts]
    return wrk.format("POST", PATH, headers, table.concat(pieces))
  end
end
"""


def wrk_post_script(
    path: str, headers: Mapping[str, str], body_parts: list[str], unique_width: int = 0
) -> str:
    """Lua for wrk: POST ``path`` with ``headers``; the body is ``body_parts`` joined, and with
    ``unique_width`` > 0 a fresh decimal counter of that width goes between each pair of parts, so every
    request carries different bytes (different files, when the counter sits inside base64 file content)."""

    def lua_string(text: str) -> str:
        return "[==[" + text + "]==]"

    lines = [f"local parts = {{{', '.join(lua_string(p) for p in body_parts)}}}"]
    lines.append("local headers = {")
    lines += [f"  [ {lua_string(k)} ] = {lua_string(v)}," for k, v in headers.items()]
    lines.append("}")
    lines.append(f"local width = {unique_width}")
    lines.append(_LUA_REQUEST.replace("PATH", lua_string(path)))
    return "\n".join(lines)


# --- open loop: constant rate ---------------------------------------------------------------------------


def percentile(samples: list[float], q: float) -> float:
    """The ``q``-th percentile (0–100) with linear interpolation."""
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def paced(
    base: str,
    request: Callable[[int], tuple[str, str, dict[str, str], bytes | None]],
    rate: float,
    seconds: float,
    threads: int = 16,
    expect: tuple[int, ...] = (200, 201),
    late_ms: float = 50,
) -> dict[str, Any]:
    """Send ``rate`` requests per second for ``seconds`` on a fixed schedule and measure their latency.

    ``request(i)`` gives ``(method, path, headers, body)`` of the i-th request. The i-th request is due at
    ``start + i / rate``; its latency runs from then to the end of its response, so time spent waiting for a
    free sender (the server being slow) counts. ``service`` latency runs from the actual send.

    Requests slower than ``late_ms`` are also counted by the second of the run they were due in, so a high p99
    shows whether it was one stall (all in a second or two) or slowness spread over the run.
    """
    parts = urlsplit(base)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    total = int(rate * seconds)
    latency: list[float | None] = [None] * total
    service: list[float | None] = [None] * total
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    next_index = iter(range(total))
    start = time.monotonic() + 0.2
    give_up = (
        start + 2 * seconds + 10
    )  # a server far slower than the rate: stop sending, report what came back

    def sender() -> None:
        conn: http.client.HTTPConnection | None = None
        while True:
            with lock:
                i = next(next_index, None)
            if i is None or time.monotonic() > give_up:
                break
            due = start + i / rate
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            method, path, headers, body = request(i)
            sent = time.monotonic()
            try:
                if conn is None:
                    conn = http.client.HTTPConnection(host, port, timeout=30)
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
                if response.will_close:
                    conn.close()
                    conn = None
            except OSError:
                status = 0
                if conn is not None:
                    conn.close()
                conn = None
            done = time.monotonic()
            latency[i] = (done - due) * 1000
            service[i] = (done - sent) * 1000
            with lock:
                statuses[status] = statuses.get(status, 0) + 1

    workers = [threading.Thread(target=sender, daemon=True) for _ in range(threads)]
    cpu_before = time.process_time()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.monotonic() - start
    generator_cpu = time.process_time() - cpu_before
    lat = [x for x in latency if x is not None]
    srv = [x for x in service if x is not None]
    failures = sum(n for code, n in statuses.items() if code not in expect)
    late_by_second: Counter[int] = Counter(
        int(i / rate) for i, x in enumerate(latency) if x is not None and x > late_ms
    )
    return {
        "target_rate": round(rate, 1),
        "achieved_rate": round(len(lat) / elapsed, 1),
        "requests": len(lat),
        "not_sent": total - len(lat),
        "failures": failures,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "p50_ms": round(percentile(lat, 50), 2),
        "p95_ms": round(percentile(lat, 95), 2),
        "p99_ms": round(percentile(lat, 99), 2),
        "max_ms": round(max(lat), 2) if lat else None,
        "service_p50_ms": round(percentile(srv, 50), 2),
        "service_p99_ms": round(percentile(srv, 99), 2),
        f"over_{late_ms:g}_ms": {
            "requests": sum(late_by_second.values()),
            "worst_seconds_of_the_run": dict(late_by_second.most_common(3)),
        },
        # This generator shares the machine's cores with the server: at high rates its own CPU is a cost too.
        "generator_cpu_ms_per_request": round(generator_cpu * 1000 / max(len(lat), 1), 2),
    }


def scan_nodes(plan: str, table: str) -> str:
    """The scan lines of an EXPLAIN ``plan`` that read ``table`` or its indexes, joined (else the plan's top)."""
    scans = [
        line.strip().removeprefix("->").strip().split("  (")[0]
        for line in plan.splitlines()
        if "Scan" in line and table in line
    ]
    return "; ".join(scans) or plan.splitlines()[0]


def set_index_scans(enabled: bool) -> None:
    """Switch PostgreSQL's index and bitmap scans for this session (off: the sequential-scan baseline)."""
    from django.db import connection

    value = "on" if enabled else "off"
    with connection.cursor() as cursor:
        for setting in ("enable_bitmapscan", "enable_indexscan", "enable_indexonlyscan"):
            cursor.execute(f"SET {setting} = {value}")
        # A prepared statement's generic plan, once PostgreSQL keeps one, is not made again when these settings
        # change: the baseline would still run on the indexes. Back on: the connection's own mode.
        cursor.execute("SET plan_cache_mode = force_custom_plan" if not enabled else "RESET plan_cache_mode")


def summary_ms(samples: list[float]) -> dict[str, float]:
    return {
        "n": len(samples),
        "mean_ms": round(statistics.fmean(samples), 3),
        "p50_ms": round(percentile(samples, 50), 3),
        "p95_ms": round(percentile(samples, 95), 3),
        "p99_ms": round(percentile(samples, 99), 3),
        "max_ms": round(max(samples), 3),
    }


# --- where the time goes --------------------------------------------------------------------------------


def profile(run: Callable[[int], Any], calls: int, keep: int = 45) -> list[dict[str, Any]]:
    """cProfile of ``run(0)`` … ``run(calls - 1)``: our functions with their cumulative share of the whole, and
    any function (ours or not) that spends at least 1 % in its own body. Profiling slows pure Python more than
    waiting on the database, so read shares as an order, not as milliseconds."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for i in range(calls):
        run(i)
    profiler.disable()
    entries = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    whole = sum(tt for (_cc, _nc, tt, _ct, _callers) in entries.values())
    site = str(VENV_BIN.parent) + "/lib/python3.11/site-packages/"
    rows = []
    for (file, line, name), (_cc, count, tt, ct, _callers) in entries.items():
        ours = "/lienthong/" in file and site not in file
        if not (ours and ct / whole >= 0.01) and tt / whole < 0.01:
            continue
        where = file.replace(site, "").replace(str(ROOT) + "/", "")
        rows.append(
            {
                "function": f"{where}:{line}:{name}" if file != "~" else name,
                "calls_per_run": round(count / calls, 2),
                "cumulative_share": round(ct / whole, 3),
                "own_share": round(tt / whole, 3),
            }
        )
    rows.sort(key=lambda r: (-r["cumulative_share"], -r["own_share"]))
    return rows[:keep]


class QueryLog:
    """Every query a block sends, with its time (a Django connection execute wrapper)."""

    def __init__(self) -> None:
        self.queries: list[tuple[str, float]] = []

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append((" ".join(sql.split()), (time.perf_counter() - began) * 1000))
