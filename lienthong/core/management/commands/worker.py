"""``lienthong worker``: the background worker, django-tasks-db's ``db_worker`` with our defaults.

Run one beside every ``lienthong run``, or several on other machines that reach the same database: each
claims tasks with a row lock, so no task runs twice. Stop with SIGTERM or Ctrl-C: the running task finishes
first.
"""

from __future__ import annotations

import os
import socket
from argparse import ArgumentParser

from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

DEFAULT_QUEUE = "default"


def default_worker_id() -> str:
    """``host-pid-random``: unique across the pool, and says at a glance where a claimed task is running."""
    host = socket.gethostname().split(".")[0][:40] or "worker"
    return f"{host}-{os.getpid()}-{get_random_string(6)}"


class Command(DbWorkerCommand):
    help = (
        "Chạy tiến trình xử lý việc nền (hàng đợi trong CSDL, mặc định hàng đợi 'default'). "
        "Chạy thêm trên máy khác dùng chung CSDL để mở rộng."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        # Autoreload stops tasks mid-way; the worker of an installation is restarted by its supervisor instead.
        parser.set_defaults(queue_name=DEFAULT_QUEUE, worker_id=default_worker_id(), reload=False)
