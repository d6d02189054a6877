"""``lienthong run`` on a fresh data directory: one real start and stop, as a newcomer's ``make run`` does.

Slow-ish (migrations, demo data, two child processes), so there is exactly one such test.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

START_TIMEOUT = 90  # migrate + demo province + gunicorn on a cold SQLite file; typically 15–25 s
STOP_TIMEOUT = 40


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(port: int, path: str) -> tuple[int, str, str]:
    """Status, Location header and body of a GET, without following redirects."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.getheader("Location") or "", response.read().decode(errors="replace")
    finally:
        connection.close()


def _children_of(pid: int) -> dict[int, str]:
    """``{pid: command line}`` of the live processes whose parent is ``pid`` (Linux /proc)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
        except OSError:
            continue
        # Fields after the parenthesised command name: state, ppid, ...
        state, ppid = stat.rsplit(")", 1)[1].split()[:2]
        if int(ppid) == pid and state != "Z":
            found[int(entry.name)] = cmdline
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads child processes from Linux /proc")
def test_run_serves_the_site_with_a_worker_and_stops_both_on_sigterm(tmp_path):
    port = _free_port()
    env = {**os.environ, "LIENTHONG_DATA_DIR": str(tmp_path / "data"), "PYTHONUNBUFFERED": "1"}
    env.pop("DATABASE_URL", None)  # the embedded default: SQLite under LIENTHONG_DATA_DIR
    log_path = tmp_path / "run.log"
    with log_path.open("wb") as log:
        run = subprocess.Popen(
            [sys.executable, "-m", "lienthong.cli", "run", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def log_text() -> str:
        return log_path.read_text(errors="replace")

    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            assert run.poll() is None, f"lienthong run exited early:\n{log_text()}"
            assert time.monotonic() < deadline, f"/healthz did not answer in {START_TIMEOUT} s:\n{log_text()}"
            try:
                if _get(port, "/healthz")[2] == "ok":
                    break
            except OSError:
                pass
            time.sleep(0.5)

        status, _, _ = _get(port, "/dang-nhap/")
        if status == 404:  # sign-in page not wired yet: the home page must at least send us to sign in
            status, location, _ = _get(port, "/")
            assert status == 302 and location, log_text()
        else:
            assert status == 200, log_text()

        status, _, _ = _get(port, "/static/lienthong/site.css")
        assert status == 200, "whitenoise serves the collected static files"

        children = _children_of(run.pid)
        workers = [pid for pid, cmd in children.items() if "lienthong.cli worker" in cmd]
        web = [pid for pid, cmd in children.items() if "gunicorn" in cmd]
        assert len(workers) == 1, children
        assert len(web) == 1, children
        gunicorn_workers = list(_children_of(web[0]))
        assert len(gunicorn_workers) == 2
        printed = time.monotonic() + 10  # run prints the accounts once *it* has seen /healthz answer
        while "LienThong@2026" not in log_text():
            assert time.monotonic() < printed, f"the demo accounts were not printed:\n{log_text()}"
            time.sleep(0.2)

        run.send_signal(signal.SIGTERM)
        assert run.wait(STOP_TIMEOUT) == 0, log_text()
        for pid in [*workers, *web, *gunicorn_workers]:
            assert not _alive(pid), f"process {pid} survived the stop:\n{log_text()}"
    finally:
        if run.poll() is None:  # a failed assertion above: stop it the way an operator would
            run.send_signal(signal.SIGTERM)
            try:
                run.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                run.kill()
                run.wait()


def test_worker_defaults_to_the_default_queue_without_autoreload_and_a_readable_id():
    from lienthong.core.management.commands.worker import Command

    options = Command().create_parser("lienthong", "worker").parse_args([])

    assert options.queue_name == "default"
    assert options.reload is False
    assert options.worker_id.startswith(socket.gethostname().split(".")[0][:40])
    assert len(options.worker_id) <= 64


def test_run_refuses_a_port_that_is_already_taken():
    from lienthong.core.management.commands.run import port_is_free

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert not port_is_free("127.0.0.1", port)
    assert port_is_free("127.0.0.1", port)
