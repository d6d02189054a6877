"""``lienthong run``: everything a single machine needs, in one command.

Brings the database up to date, collects static files, loads the demo province on the first start, then
runs two child processes — the background worker (``lienthong worker``) and the web server (gunicorn) —
until Ctrl-C or SIGTERM, when it stops both cleanly. A larger installation runs the same two programs
itself, several of each, on several machines (``docs/van-hanh/mo-rong.md``).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from types import FrameType
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.utils.translation import gettext as _

from lienthong.core.demo import accounts_table, database_is_empty, demo_accounts, load_demo
from lienthong.core.errors import DomainError

READY_TIMEOUT_SECONDS = 60
STOP_TIMEOUT_SECONDS = 35  # gunicorn waits up to 30 s (its graceful timeout) for requests in flight


def port_number(value: str) -> int:
    port = int(value)
    if not 1 <= port <= 65535:
        raise ValueError(value)
    return port


def browse_host(host: str) -> str:
    """The host to type into a browser: a wildcard bind is reached on the loopback address."""
    if host in {"", "0.0.0.0"}:
        return "127.0.0.1"
    if host == "::":
        return "[::1]"
    return f"[{host}]" if ":" in host else host


def bind_address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def port_is_free(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno in {errno.EADDRINUSE, errno.EACCES}:
                return False
            raise
    return True


PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def _stop_with_parent(parent_pid: int) -> Callable[[], None]:
    """A ``preexec_fn``: on Linux the child gets SIGTERM if this process dies without stopping it (SIGKILL)."""

    def arrange() -> None:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent_pid:  # the parent died before prctl took effect
            os.kill(os.getpid(), signal.SIGTERM)

    return arrange


class Children:
    """The worker and the web server, each in its own process group so a terminal's Ctrl-C reaches only
    this process, which then stops them once, in order."""

    def __init__(self) -> None:
        self.processes: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str, command: list[str]) -> subprocess.Popen[bytes]:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        process = subprocess.Popen(
            command,
            env=env,
            start_new_session=True,
            preexec_fn=_stop_with_parent(os.getpid()) if sys.platform == "linux" else None,
        )
        self.processes[name] = process
        return process

    def exited(self) -> tuple[str, int] | None:
        """The first child that has stopped on its own, with its exit code."""
        for name, process in self.processes.items():
            code = process.poll()
            if code is not None:
                return name, code
        return None

    def stop(self, timeout: float = STOP_TIMEOUT_SECONDS) -> None:
        """SIGTERM to every child still running; SIGKILL to its whole group after ``timeout`` seconds."""
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for process in self.processes.values():
            try:
                process.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()


class Command(BaseCommand):
    help = (
        "Cập nhật CSDL, thu gom tệp tĩnh, nạp dữ liệu mẫu ở lần chạy đầu, chạy tiến trình nền và máy chủ "
        "web (gunicorn). Dừng bằng Ctrl-C hoặc SIGTERM."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=port_number, default=8000, help="Cổng phục vụ (mặc định 8000).")
        parser.add_argument(
            "--host",
            default="127.0.0.1",
            help="Địa chỉ lắng nghe (mặc định 127.0.0.1; 0.0.0.0 để máy khác trong mạng truy cập).",
        )
        parser.add_argument(
            "--web-workers", type=int, default=2, help="Số tiến trình gunicorn phục vụ web (mặc định 2)."
        )
        parser.add_argument(
            "--no-demo",
            action="store_true",
            help="Không nạp tỉnh mẫu kể cả khi CSDL còn trống (cài đặt thật).",
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Không chạy tiến trình nền ở đây (khi đã chạy 'lienthong worker' ở máy khác).",
        )

    def say(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()

    def handle(self, *args: Any, **options: Any) -> None:
        host: str = options["host"]
        port: int = options["port"]
        if not port_is_free(host, port):
            raise CommandError(
                _(
                    "Cổng %(port)s trên %(host)s đang được chương trình khác dùng; chọn cổng khác, ví dụ "
                    "'lienthong run --port 8123' hoặc 'make run PORT=8123'."
                )
                % {"port": port, "host": host}
            )
        self.prepare(load_demo_data=not options["no_demo"], verbosity=options["verbosity"])
        accounts = demo_accounts()
        connections.close_all()  # the children open their own connections; hold no SQLite lock meanwhile

        children = Children()
        stopping: list[int] = []

        def on_signal(signum: int, frame: FrameType | None) -> None:
            stopping.append(signum)

        previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
        failed: tuple[str, int] | None = None
        try:
            if not options["no_worker"]:
                children.start("worker", [sys.executable, "-m", "lienthong.cli", "worker"])
            children.start(
                "web",
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "lienthong.wsgi:application",
                    "--workers",
                    str(options["web_workers"]),
                    "--bind",
                    bind_address(host, port),
                    # One control socket per user by default: two installations on a machine would collide.
                    "--no-control-socket",
                    # Applying a whole province's directory file takes tens of seconds on a busy machine.
                    "--timeout",
                    "120",
                ],
            )
            url = f"http://{browse_host(host)}:{port}/"
            if self.wait_until_ready(url, children, stopping):
                self.say("")
                self.say(_("LiênThông đang chạy tại %(url)s  (Ctrl-C để dừng)") % {"url": url})
                if accounts:
                    self.say(_("Tài khoản mẫu (mật khẩu dùng chung, nếu chưa đổi):"))
                    self.say(accounts_table(accounts))
                self.supervise(children, stopping)
            failed = None if stopping else children.exited()
        finally:
            self.say(_("Đang dừng máy chủ web và tiến trình nền…"))
            children.stop()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        if failed is not None:
            name, code = failed
            raise CommandError(
                _("Tiến trình '%(name)s' dừng bất thường (mã %(code)s).") % {"name": name, "code": code}
            )
        self.say(_("Đã dừng."))

    def prepare(self, *, load_demo_data: bool, verbosity: int) -> None:
        self.say(_("Cập nhật cấu trúc CSDL…"))
        call_command("migrate", interactive=False, verbosity=max(0, verbosity - 1))
        call_command("createcachetable", verbosity=max(0, verbosity - 1))
        call_command("collectstatic", interactive=False, verbosity=0)
        if load_demo_data and database_is_empty():
            self.say(_("Lần chạy đầu: nạp tỉnh mẫu (có thể mất nửa phút)…"))
            try:
                report = load_demo()
            except DomainError as exc:
                raise CommandError(_("Không nạp được dữ liệu mẫu: %(error)s") % {"error": exc}) from exc
            for note in report.notes:
                self.say(note)

    def wait_until_ready(self, url: str, children: Children, stopping: list[int]) -> bool:
        """Poll ``/healthz`` until it answers; False when a child died or a stop signal came first."""
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if stopping or children.exited():
                return False
            try:
                with urllib.request.urlopen(url + "healthz", timeout=2) as response:
                    if response.status == 200:
                        return True
            except urllib.error.HTTPError as exc:  # it answers, but refuses us: say why, and carry on
                if exc.code == 400:
                    self.stderr.write(
                        _("Trang từ chối tên máy '%(host)s': thêm nó vào LIENTHONG_ALLOWED_HOSTS.")
                        % {"host": urllib.parse.urlsplit(url).hostname}
                    )
                return True
            except OSError:  # not listening yet (URLError is an OSError)
                pass
            time.sleep(0.3)
        self.stderr.write(
            _("Máy chủ web chưa trả lời sau %(seconds)s giây; vẫn tiếp tục chờ.")
            % {"seconds": READY_TIMEOUT_SECONDS}
        )
        return True

    def supervise(self, children: Children, stopping: list[int]) -> None:
        """Wait for a stop signal, or for a child to stop on its own (then the other is stopped too)."""
        while not stopping:
            if children.exited() is not None:
                return
            time.sleep(0.3)
