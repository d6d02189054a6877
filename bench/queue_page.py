"""The one-stop officer's queue page (``GET /ho-so/?hang=…``) with 100,000 dossiers on PostgreSQL.

The page shows a tab per queue with its count and 50 dossiers of the chosen queue: every request runs the
counts of :func:`lienthong.onestop.selectors.queue_counts` and one page of
:func:`~lienthong.onestop.selectors.officer_queue`, renders the template, and saves the session (the settings
save it on every request). Measured under gunicorn (2 sync workers) over loopback, in one run:

* **one officer at a time**: each tab requested ``--runs`` times in a row on one connection (p50/p95/p99),
  for a desk officer of one agency (40 % of the dossiers) and for a system administrator (all agencies); plus
  the last page of the largest queue (deep OFFSET);
* **a busy office**: the tabs in turn at a constant ``--busy-rate`` pages per second (open loop, latency from
  the moment each request was due);
* **baseline, same run, same session**: the officer's home page (sign-in check, session save, template) and
  ``/healthz``;
* **where the time goes**: the SQL of each tab timed in this process (the tabs' counts and the page), with the
  plan PostgreSQL chose; two tabs rendered in this process with their CPU (Python and PostgreSQL), queries by
  kind and a cProfile;
* **candidate indexes** (:data:`CANDIDATE_INDEXES`, not in the application's schema): the tabs again after
  adding them, so their effect is measured in the same run (``--no-candidate-indexes`` skips this).

The dossiers are synthetic and bulk-inserted (no timeline events or audit entries: the page reads neither;
dossiers being processed get their open step, which the "mine" tab and the rows' assignee column read):
four agencies (40/25/20/15 %), national statuses in the proportions of a year of work (two thirds returned),
running dossiers received over the last 40 days so that their appointments spread from a month ago to weeks
ahead. Prints JSON.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/queue_page.py \
        [--dossiers 100000] [--runs 200] [--busy-rate 20]

Creates ``lienthong_bench_queue`` on DATABASE_URL's server (dropped at the end unless ``--keep``).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import time
import urllib.request
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchkit

BENCH_DB = "lienthong_bench_queue"
PROVINCE = "000.00.00.H99"
#: (code, name, short name, share of the dossiers in %)
AGENCIES: tuple[tuple[str, str, str, int], ...] = (
    ("000.00.01.H99", "Sở Tư pháp", "STP", 40),
    ("000.00.02.H99", "Sở Xây dựng", "SXD", 25),
    ("000.00.03.H99", "Sở Tài nguyên và Môi trường", "STNMT", 20),
    ("000.00.04.H99", "Sở Y tế", "SYT", 15),
)
TARGET_P95_MS = 100.0

# (national status, share in ‰) — a year of a department's dossiers: most returned, a working set open.
STATUS_WEIGHTS = ((1, 20), (2, 60), (3, 10), (4, 120), (5, 30), (6, 10), (7, 10), (8, 10), (9, 50), (10, 680))
RUNNING = {2, 4}
PAUSED = {5, 6, 8}
FAMILY = (
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
)
MIDDLE = ("Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quốc", "Xuân", "Hoài")
GIVEN: tuple[str, ...] = (
    "An",
    "Bình",
    "Chi",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hoa",
    "Hùng",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
)
GIVEN += ("Phúc", "Quang", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Vy", "Yến")
PROCEDURE_NAMES = (
    "Cấp bản sao trích lục hộ tịch",
    "Đăng ký khai sinh có yếu tố nước ngoài",
    "Cấp giấy phép xây dựng nhà ở riêng lẻ",
    "Điều chỉnh giấy phép xây dựng",
    "Đăng ký biến động quyền sử dụng đất",
    "Cấp đổi Giấy chứng nhận quyền sử dụng đất",
    "Cấp giấy phép môi trường",
    "Cấp chứng chỉ hành nghề dược",
    "Cấp giấy phép hoạt động khám bệnh, chữa bệnh",
    "Chứng thực hợp đồng, giao dịch liên quan đến nhà ở",
    "Cấp phiếu lý lịch tư pháp",
    "Đăng ký hoạt động văn phòng công chứng",
)


# --- the world ------------------------------------------------------------------------------------------


def _build_directory() -> tuple[Any, Any]:
    """Agencies, procedures, an officer of the first agency and a system administrator."""
    from django.core.management import call_command

    from lienthong.catalog.record import ProcedureRecord
    from lienthong.catalog.services import save_procedure
    from lienthong.directory import services as directory
    from lienthong.directory.models import Agency, Role
    from lienthong.worktime.services import seed_calendar

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    year = date.today().year
    seed_calendar([year - 1, year, year + 1])
    province = directory.create_agency(
        actor=None, code=PROVINCE, name="Ủy ban nhân dân tỉnh Thử Nghiệm", short_name="UBND", tier="province"
    )
    for code, name, short_name, _share in AGENCIES:
        directory.create_agency(
            actor=None, code=code, name=name, short_name=short_name, tier="province", parent=province
        )
    codes = tuple(code for code, *_rest in AGENCIES)
    for k, name in enumerate(PROCEDURE_NAMES):
        save_procedure(
            actor=None,
            record=ProcedureRecord(
                code=f"1.{9100 + k:06d}",
                name=name,
                field_code="H99-TH01",
                field_name="Tổng hợp",
                processing_value=(3, 5, 7, 10, 15, 20)[k % 6],
                processing_unit="working_days",
                agencies=codes,
            ),
        )
    first = Agency.objects.get(code=AGENCIES[0][0])
    officer = directory.create_person(actor=None, username="motcua", full_name="Nguyễn Thị Hoa")
    directory.grant_role(actor=None, person=officer, agency=first, role=Role.ONESTOP_OFFICER)
    for code, *_rest in AGENCIES:
        agency = Agency.objects.get(code=code)
        for k in range(3):
            specialist = directory.create_person(
                actor=None, username=f"chuyenvien.{code[7:9]}.{k}", full_name=f"Chuyên viên {k + 1}"
            )
            directory.grant_role(actor=None, person=specialist, agency=agency, role=Role.SPECIALIST)
    admin = directory.create_person(
        actor=None, username="quantri", full_name="Phạm Văn Bình", is_superuser=True
    )
    return officer, admin


def _populate(count: int, now: datetime, officer: Any) -> None:
    """``count`` synthetic dossiers, bulk-inserted; those being processed (statuses 4–6) get their open step,
    assigned to a specialist of the agency (one in ten of the first agency's to ``officer``)."""
    from decimal import Decimal

    from django.db import connection

    from lienthong.catalog.models import Procedure
    from lienthong.directory.models import Agency, Role, RoleAssignment
    from lienthong.onestop.models import Dossier, DossierStep
    from lienthong.onestop.timeliness import VN_TZ

    rng = random.Random(2026)
    agencies = [(Agency.objects.get(code=code), share) for code, _n, _s, share in AGENCIES]
    procedures = list(Procedure.objects.select_related("current_version").order_by("code"))
    statuses = [s for s, _w in STATUS_WEIGHTS]
    status_weights = [w for _s, w in STATUS_WEIGHTS]
    numbers: dict[tuple[int, date], int] = {}
    batch: list[Dossier] = []
    specialists: dict[int, list[Any]] = {}
    for assignment in RoleAssignment.objects.filter(role=Role.SPECIALIST).select_related("person"):
        specialists.setdefault(assignment.agency_id, []).append(assignment.person)
    for _ in range(count):
        agency = rng.choices([a for a, _s in agencies], weights=[s for _a, s in agencies])[0]
        procedure = rng.choice(procedures)
        status = rng.choices(statuses, weights=status_weights)[0]
        days = int(procedure.processing_value or 5)
        if status == 1:
            received = now - timedelta(hours=rng.uniform(0, 72))
        elif status in RUNNING or status in PAUSED:
            received = now - timedelta(days=rng.uniform(0, 40))
        else:
            received = now - timedelta(days=rng.uniform(3, 365))
        received = received.astimezone(VN_TZ)
        day = received.date()
        key = (agency.pk, day)
        numbers[key] = numbers.get(key, 0) + 1
        accepted = None if status in (1, 3) else received + timedelta(minutes=rng.uniform(0, 90))
        due = None if accepted is None else accepted + timedelta(days=days * 7 / 5 + rng.uniform(-1, 1))
        finished = None
        if status in (9, 10) and accepted is not None and due is not None:
            finished = min(now, accepted + (due - accepted) * rng.uniform(0.3, 1.3))
        paused = (
            received + (now - received) * rng.uniform(0.2, 0.9) if status in PAUSED and accepted else None
        )
        batch.append(
            Dossier(
                code=f"{agency.code}-{day:%y%m%d}-{numbers[key]:04d}",
                procedure=procedure,
                procedure_version=procedure.current_version,
                agency=agency,
                handling_agency=agency,
                applicant_kind="person",
                applicant_name=f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
                applicant_id_number=f"{rng.randrange(10**11, 10**12):012d}",
                applicant_phone=f"09{rng.randrange(10**8):08d}",
                channel=rng.choice(("online", "desk", "desk", "postal")),
                received_at=received,
                accepted_at=accepted,
                due_at=due,
                national_status=status,
                paused_at=paused,
                finished_at=finished,
                returned_at=finished + timedelta(days=1) if status == 10 and finished else None,
            )
        )
    created = Dossier.objects.bulk_create(batch, batch_size=5000)
    steps = []
    for dossier in created:
        if dossier.national_status not in (4, 5, 6) or dossier.accepted_at is None or dossier.due_at is None:
            continue
        people = specialists[dossier.agency_id]
        assignee = (
            officer if dossier.agency_id == agencies[0][0].pk and rng.random() < 0.1 else rng.choice(people)
        )
        steps.append(
            DossierStep(
                dossier=dossier,
                sequence=1,
                step_order=1,
                title="Thẩm định hồ sơ",
                agency_id=dossier.agency_id,
                role=Role.SPECIALIST,
                assignee=assignee,
                allowance_hours=Decimal("16.00"),
                started_at=dossier.accepted_at,
                due_at=dossier.accepted_at + (dossier.due_at - dossier.accepted_at) * 0.6,
            )
        )
    DossierStep.objects.bulk_create(steps, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def _session_cookie(person: Any) -> str:
    """A signed-in session for ``person``, stored in the database like one made by the sign-in page."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(person)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


# --- measuring ------------------------------------------------------------------------------------------


def _sequential(base: str, path: str, cookie: str, runs: int) -> dict[str, Any]:
    """``runs`` GETs of ``path`` one after another; refuses anything but a 200 page."""
    samples = []
    size = 0
    for i in range(runs + 5):
        request = urllib.request.Request(base + path, headers={"Cookie": cookie})
        began = time.perf_counter()
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
            if response.status != 200 or response.url != base + path:
                raise RuntimeError(f"{path} answered {response.status} at {response.url}")
        took = (time.perf_counter() - began) * 1000
        if i >= 5:  # the first few warm the worker's caches
            samples.append(took)
        size = len(body)
    return {**benchkit.summary_ms(samples), "bytes": size}


def _sql_of_tabs(principal: Any, runs: int) -> list[dict[str, Any]]:
    """Each tab's SQL timed in this process: the tabs' counts, the page of 50, and the plan of the page."""
    from django.utils import timezone

    from lienthong.onestop import selectors

    rows = []
    for queue in selectors.QUEUE_LABELS:
        count_times, page_times = [], []
        for _ in range(runs):
            now = timezone.now()
            began = time.perf_counter()
            selectors.queue_counts(principal, now)
            counted = time.perf_counter()
            list(selectors.officer_queue(principal, queue, now)[:50])  # the view reuses the tab's count
            done = time.perf_counter()
            count_times.append((counted - began) * 1000)
            page_times.append((done - counted) * 1000)
        query = selectors.officer_queue(principal, queue)[:50]
        plan = query.explain(analyze=True)
        rows.append(
            {
                "queue": queue,
                "rows": selectors.officer_queue(principal, queue).count(),
                "all_tab_counts": benchkit.summary_ms(count_times),
                "page_of_50": benchkit.summary_ms(page_times),
                "page_plan": [line.strip() for line in plan.splitlines() if "Scan" in line or "Sort" in line][
                    :6
                ],
                "page_execution_ms": float(plan.rsplit("Execution Time:", 1)[1].split()[0]),
            }
        )
    return rows


def _kind_of(sql: str) -> str:
    if "django_session" in sql:
        return "session"
    if sql.startswith("SELECT COUNT(*)") or "COUNT(*)" in sql[:40]:
        return "count"
    if 'FROM "onestop_dossier"' in sql:
        return "page of dossiers"
    return "other: " + sql[:60]


def _page_breakdown(person: Any, queue: str, runs: int) -> dict[str, Any]:
    """The page rendered in this process (Django's test client, no HTTP): its time, its queries by kind
    (time per page), and a cProfile of it."""
    from django.db import connection
    from django.test import Client

    client = Client()
    client.force_login(person)
    path = f"/ho-so/?hang={queue}"
    for _ in range(5):
        client.get(path)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = int(cursor.fetchone()[0])
    python_cpu = time.process_time()
    postgres_cpu = benchkit.process_cpu(backend)
    totals: list[float] = []
    by_kind: dict[str, list[float]] = {}
    counts: list[int] = []
    for _ in range(runs):
        log = benchkit.QueryLog()
        with connection.execute_wrapper(log):
            began = time.perf_counter()
            response = client.get(path)
            totals.append((time.perf_counter() - began) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
        counts.append(len(log.queries))
        for sql, ms in log.queries:
            by_kind.setdefault(_kind_of(sql), []).append(ms)
    python_cpu = time.process_time() - python_cpu
    postgres_cpu = benchkit.process_cpu(backend) - postgres_cpu
    sql_ms = {kind: round(sum(values) / runs, 2) for kind, values in by_kind.items()}
    return {
        "queue": queue,
        "page_ms": benchkit.summary_ms(totals),
        "python_cpu_ms_per_page": round(python_cpu * 1000 / runs, 2),
        "postgres_cpu_ms_per_page": round(postgres_cpu * 1000 / runs, 2),
        "queries_per_page": round(sum(counts) / runs, 1),
        "sql_ms_per_page_by_kind": dict(sorted(sql_ms.items(), key=lambda kv: -kv[1])),
        "profile": benchkit.profile(lambda _i: client.get(path), runs, keep=30),
    }


#: Indexes the page could use, tried at the end of the run (not part of the application's schema), as
#: ``CREATE INDEX …`` statements. Empty now: the two that won on 2026-12-06 (open dossiers and results to return
#: in order across every agency) became ``dossier_open_due_all`` and ``dossier_to_return_all``.
CANDIDATE_INDEXES: tuple[str, ...] = ()


def _with_candidate_indexes(
    database_url: str, base: str, cookies: dict[str, str], sizes: dict[str, dict[str, int]], runs: int
) -> dict[str, Any]:
    """The tabs again, one officer at a time, after adding :data:`CANDIDATE_INDEXES`."""
    import psycopg

    from lienthong.onestop import selectors

    with psycopg.connect(database_url, autocommit=True) as conn:
        for sql in CANDIDATE_INDEXES:
            conn.execute(sql)
        conn.execute("ANALYZE onestop_dossier")
        conn.execute("ANALYZE onestop_dossierstep")
    pages: dict[str, Any] = {}
    for who, cookie in cookies.items():
        tabs = {
            queue: _sequential(base, f"/ho-so/?hang={queue}", cookie, runs)
            for queue in selectors.QUEUE_LABELS
        }
        largest = max(sizes[who].items(), key=lambda kv: kv[1])[0]
        tabs[f"{largest}_last_page"] = _sequential(base, f"/ho-so/?hang={largest}&trang=999999", cookie, runs)
        pages[who] = tabs
    return {
        "indexes": list(CANDIDATE_INDEXES),
        "queue_page": pages,
        "worst_p95_ms": max(tab["p95_ms"] for tabs in pages.values() for tab in tabs.values()),
    }


def _load() -> str:
    with open("/proc/loadavg") as handle:
        return " ".join(handle.read().split()[:3])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=200, help="requests per tab, one after another")
    parser.add_argument("--busy-rate", type=float, default=20, help="pages per second in the busy-office run")
    parser.add_argument("--busy-seconds", type=float, default=20)
    parser.add_argument("--keep", action="store_true", help=f"leave {BENCH_DB} in place")
    parser.add_argument(
        "--no-candidate-indexes", action="store_true", help="skip the re-run with CANDIDATE_INDEXES added"
    )
    args = parser.parse_args()
    url = benchkit.postgres_url_or_exit("queue_page")
    db_url = benchkit.recreate_database(url, BENCH_DB)
    data_dir = benchkit.setup_django(db_url)
    from django.db import connection, connections
    from django.utils import timezone

    from lienthong.onestop import selectors

    out: dict[str, Any] = {"benchmark": "officer queue page GET /ho-so/?hang=…, gunicorn 2 sync workers"}
    try:
        officer, admin = _build_directory()
        began = time.perf_counter()
        _populate(args.dossiers, timezone.now(), officer)
        out["load_seconds"] = round(time.perf_counter() - began, 1)
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            out["database"] = f"postgresql {cursor.fetchone()[0]}"
        out["dossiers"] = args.dossiers
        principals = {"officer_one_agency": officer, "system_admin_all_agencies": admin}
        out["queue_sizes"] = {
            who: selectors.queue_counts(person, timezone.now()) for who, person in principals.items()
        }
        cookies = {who: _session_cookie(person) for who, person in principals.items()}
        connections.close_all()
        env = {
            **os.environ,
            "DATABASE_URL": db_url,
            "LIENTHONG_DATA_DIR": data_dir,
            "LIENTHONG_LOG_LEVEL": "WARNING",
        }
        out["load_average_before"] = _load()
        server = benchkit.Gunicorn(env)
        try:
            base = server.base
            out["baseline"] = {
                "healthz": _sequential(base, "/healthz", "", args.runs),
                "home_page_signed_in": _sequential(base, "/", cookies["officer_one_agency"], args.runs),
            }
            pages: dict[str, Any] = {}
            for who, cookie in cookies.items():
                tabs = {}
                for queue in selectors.QUEUE_LABELS:
                    tabs[queue] = _sequential(base, f"/ho-so/?hang={queue}", cookie, args.runs)
                largest = max(out["queue_sizes"][who].items(), key=lambda kv: kv[1])[0]
                tabs[f"{largest}_last_page"] = _sequential(
                    base, f"/ho-so/?hang={largest}&trang=999999", cookie, args.runs
                )
                pages[who] = tabs
            out["queue_page"] = pages
            queues = list(selectors.QUEUE_LABELS)
            officer_cookie = cookies["officer_one_agency"]

            def request(i: int) -> tuple[str, str, dict[str, str], None]:
                return "GET", f"/ho-so/?hang={queues[i % len(queues)]}", {"Cookie": officer_cookie}, None

            with benchkit.CpuMeter(server, db_url) as cpu:
                busy = benchkit.paced(
                    base, request, args.busy_rate, args.busy_seconds, threads=8, expect=(200,)
                )
            out["busy_office_officer_one_agency"] = {**busy, "cpu": cpu.report(busy["requests"])}
            # In this process, the server idle, with the application's own indexes only.
            out["sql_in_process_officer_one_agency"] = _sql_of_tabs(officer, 50)
            out["sql_in_process_system_admin"] = _sql_of_tabs(admin, 50)
            out["page_in_process_officer"] = [
                _page_breakdown(officer, queue, 50) for queue in ("receive", "processing")
            ]
            connections.close_all()
            if CANDIDATE_INDEXES and not args.no_candidate_indexes:
                out["with_candidate_indexes"] = _with_candidate_indexes(
                    db_url, base, cookies, out["queue_sizes"], max(args.runs // 2, 20)
                )
        finally:
            server.stop()
        out["load_average_after"] = _load()
        connections.close_all()
    finally:
        connections.close_all()
        if not args.keep:
            benchkit.drop_database(url, BENCH_DB)
        shutil.rmtree(data_dir, ignore_errors=True)

    worst = max(tab["p95_ms"] for tabs in out["queue_page"].values() for tab in tabs.values())
    out["target_p95_ms"] = TARGET_P95_MS
    out["worst_p95_ms"] = worst
    out["target_met"] = worst <= TARGET_P95_MS
    if "with_candidate_indexes" in out:
        out["target_met_with_candidate_indexes"] = (
            out["with_candidate_indexes"]["worst_p95_ms"] <= TARGET_P95_MS
        )
    print(json.dumps(out, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
