"""Dossiers accepted per second through ``POST /api/v1/dossiers`` under gunicorn (2 workers) on PostgreSQL.

The caller is an external system with an API credential of one agency; every dossier comes in at the desk
(channel ``desk``), so it is accepted at once with its appointment. Measured in one run, same server, same
database:

* **peak rate** (wrk, 1 thread, 8 connections, closed loop) of the intake without components, with two
  ~100 KB PDF components (every request carries different bytes, so every file is stored anew), and of the
  minimal endpoint ``POST /bench/insert`` of :mod:`benchsite` (JSON body → one INSERT → 201): the
  framework's ceiling for a write on this machine;
* **the ratio of the two peaks**, from ``--ratio-rounds`` intake runs alternated with minimal-endpoint runs
  (M I M I … M), each intake run against the mean of its two neighbours, the median of the rounds: one pair of
  runs is not enough on a VM whose speed moves from one minute to the next;
* **latency at half the peak** (constant rate, open loop, :func:`benchkit.paced`): p50 and p99 counted from
  the moment each request was due to leave, the seconds of the run in which the requests over 50 ms were due,
  and whether autovacuum ran on the bench database meanwhile (a stall, or slowness spread over the run);
* **raw PostgreSQL**: single-row INSERT commits per second with psycopg in autocommit, one and two
  connections — the database's own ceiling for one commit per request;
* **where the time goes** (in this process, through Django's test client, no HTTP): how long each intake holds
  the agency's code counter row and the audit chain's advisory lock (from acquiring to commit), the queries it
  sends, and a cProfile of the request;
* **what PostgreSQL backends were doing** during each peak run, sampled from ``pg_stat_activity`` every 10 ms
  (running, idle, waiting for the advisory lock or a row lock), and autovacuum workers by the table they work on.

Prints JSON.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/dossier_intake.py \
        [--seconds 10] [--paced-seconds 20] [--connections 8] [--profile-requests 300] [--ratio-rounds 3]

Creates ``lienthong_bench_intake`` on DATABASE_URL's server (dropped at the end unless ``--keep``).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import shutil
import statistics
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchkit

BENCH_DB = "lienthong_bench_intake"
PROVINCE = "000.00.00.H99"
AGENCY = "000.00.01.H99"
PROCEDURE = "1.009001"
API_PATH = "/api/v1/dossiers"
MINIMAL_PATH = "/bench/insert"
PDF_BYTES = 100 * 1024
UNIQUE_WIDTH = 16  # decimal digits spliced into each PDF's base64: 16 characters = 12 bytes of the padding
TARGETS = {
    "no_components_per_second": 300,
    "ratio_to_minimal": 0.5,
    "with_components_per_second": 150,
    "p99_at_half_load_ms": 50,
}

APPLICANT = {"kind": "person", "name": "Đỗ Văn Minh", "id_number": "038095001234", "phone": "0912345678"}


# --- a real PDF -----------------------------------------------------------------------------------------


def make_pdf(size: int, seed: int) -> tuple[bytes, int]:
    """A valid one-page PDF of about ``size`` bytes, and the offset (a multiple of 3) of 12 bytes inside its
    padding stream that may be replaced by anything: base64 characters 4k/3 … 4k/3+16 encode exactly them.

    The padding is an unreferenced binary stream object (random, so incompressible) — legal PDF, shown by no
    reader — and the file ends with its xref table, ``startxref`` and ``%%EOF`` as a real file does.
    """
    rng = random.Random(seed)
    content = b"BT /F1 18 Tf 72 770 Td (To khai - ho so thu nghiem) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    head = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    overhead = len(head) + sum(len(o) + 20 for o in objects) + 400
    padding = rng.randbytes(max(1024, size - overhead))
    objects.append(b"<< /Length %d >>\nstream\n" % len(padding) + padding + b"\nendstream")
    out = bytearray(head)
    offsets = []
    padding_at = 0
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        prefix = b"%d 0 obj\n" % number
        if number == len(objects):
            padding_at = len(out) + len(prefix) + body.index(b"stream\n") + len(b"stream\n")
        out += prefix + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    slot = padding_at + 64 + (-(padding_at + 64) % 3)  # well inside the padding, 3-aligned
    return bytes(out), slot


MARK = "@@UNIQUE@@"


def _marked_base64(pdf: bytes, slot: int) -> str:
    text = base64.b64encode(pdf).decode("ascii")
    at = slot * 4 // 3
    return text[:at] + MARK + text[at + UNIQUE_WIDTH :]


def intake_body(components: list[tuple[str, str, bytes, int]] | None, agency: str = AGENCY) -> str:
    """The JSON body; with components, each file's base64 holds :data:`MARK` where a unique number goes."""
    body: dict[str, Any] = {
        "procedure_code": PROCEDURE,
        "agency": agency,
        "applicant": APPLICANT,
        "channel": "desk",
    }
    if components:
        body["components"] = [
            {"title": title, "file_name": name, "content_base64": _marked_base64(pdf, slot)}
            for title, name, pdf, slot in components
        ]
    return json.dumps(body, ensure_ascii=False)


def components() -> list[tuple[str, str, bytes, int]]:
    first, slot1 = make_pdf(PDF_BYTES, 1)
    second, slot2 = make_pdf(PDF_BYTES, 2)
    return [("Tờ khai", "to-khai.pdf", first, slot1), ("Bản sao giấy tờ tùy thân", "cccd.pdf", second, slot2)]


def fill(body: str, number: int) -> bytes:
    """The body with every mark replaced by a distinct 16-digit number (so each file differs)."""
    pieces = body.split(MARK)
    out = [pieces[0]]
    for k, piece in enumerate(pieces[1:]):
        out.append(f"{number * 8 + k:0{UNIQUE_WIDTH}d}")
        out.append(piece)
    return "".join(out).encode()


# --- the world ------------------------------------------------------------------------------------------


def build_world() -> str:
    """A province, one receiving agency with its desk officer, one procedure (3 working days), the calendar,
    an API credential; returns the bearer token."""
    from datetime import date

    from benchsite_urls import TABLE_SQL
    from django.core.management import call_command
    from django.db import connection

    from lienthong.catalog.record import ProcedureRecord
    from lienthong.catalog.services import save_procedure
    from lienthong.directory import services as directory
    from lienthong.directory.models import Role
    from lienthong.worktime.services import seed_calendar

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    year = date.today().year
    seed_calendar([year, year + 1])
    province = directory.create_agency(
        actor=None, code=PROVINCE, name="Ủy ban nhân dân tỉnh Thử Nghiệm", short_name="UBND", tier="province"
    )
    agency = directory.create_agency(
        actor=None, code=AGENCY, name="Sở Tư pháp", short_name="STP", tier="province", parent=province
    )
    officer = directory.create_person(actor=None, username="motcua", full_name="Nguyễn Thị Hoa")
    directory.grant_role(actor=None, person=officer, agency=agency, role=Role.ONESTOP_OFFICER)
    save_procedure(
        actor=None,
        record=ProcedureRecord(
            code=PROCEDURE,
            name="Cấp bản sao trích lục hộ tịch",
            field_code="H99-HT01",
            field_name="Hộ tịch",
            processing_value=3,
            processing_unit="working_days",
            agencies=(AGENCY,),
        ),
    )
    _, token = directory.create_api_credential(actor=None, agency=agency, name="Cổng dịch vụ công (bench)")
    with connection.cursor() as cursor:
        cursor.execute(TABLE_SQL)
    return token


# --- raw PostgreSQL -------------------------------------------------------------------------------------


def raw_inserts(database_url: str, connections: int, seconds: float) -> dict[str, float]:
    """Single-row INSERT commits per second, psycopg autocommit, ``connections`` threads."""
    import psycopg
    from benchsite_urls import INSERT_SQL

    counts = [0] * connections
    stop = time.monotonic() + seconds

    def run(k: int) -> None:
        with psycopg.connect(database_url, autocommit=True) as conn:
            body = json.dumps({"name": "raw"})
            while time.monotonic() < stop:
                conn.execute(INSERT_SQL, ["raw", body])
                counts[k] += 1

    began = time.monotonic()
    threads = [threading.Thread(target=run, args=(k,)) for k in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - began
    return {"connections": connections, "commits_per_second": round(sum(counts) / elapsed, 1)}


# --- what the backends do under load --------------------------------------------------------------------


class ActivitySampler:
    """Samples ``pg_stat_activity`` of the bench database every ``interval`` seconds while a load runs.

    The client backends by what they wait for, and autovacuum workers by what they vacuum or analyse: on two
    cores an autovacuum pass over the dossier tables competes with the load, and a stall in the latencies may
    be one.
    """

    def __init__(self, database_url: str, interval: float = 0.01):
        self.url = database_url
        self.interval = interval
        self.counts: Counter[str] = Counter()
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with self.conn:
            while not self._stop.is_set():
                rows = self.conn.execute(
                    "SELECT backend_type, state, wait_event_type, wait_event, query FROM pg_stat_activity "
                    "WHERE datname = current_database() "
                    "AND backend_type IN ('client backend', 'autovacuum worker') AND pid <> pg_backend_pid()"
                ).fetchall()
                self.samples += 1
                for backend_type, state, wait_type, wait_event, query in rows:
                    if backend_type == "autovacuum worker":
                        label = "autovacuum: " + ((query or "").removeprefix("autovacuum: ") or "starting")
                    elif state != "active":
                        label = "idle in transaction" if state and "transaction" in state else "idle"
                    elif wait_type == "Lock" and wait_event == "advisory":
                        label = "waiting: audit advisory lock"
                    elif wait_type == "Lock":
                        label = f"waiting: {wait_event} lock ({' '.join(query.split()[:3])}…)"
                    elif wait_type:
                        label = f"active, {wait_type}: {wait_event}"
                    else:
                        label = "active, on CPU"
                    self.counts[label] += 1
                time.sleep(self.interval)

    def __enter__(self) -> ActivitySampler:
        import psycopg

        self.conn = psycopg.connect(self.url, autocommit=True)
        self.pid = self.conn.info.backend_pid
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def report(self) -> dict[str, Any]:
        busy = {k: v for k, v in self.counts.items() if k != "idle"}
        return {
            "samples": self.samples,
            "mean_backends_per_sample": {
                k: round(v / max(self.samples, 1), 2) for k, v in sorted(busy.items(), key=lambda kv: -kv[1])
            },
        }


# --- in-process: lock holds, queries, profile -----------------------------------------------------------


def in_process(token: str, body: str, requests: int, profile: bool) -> dict[str, Any]:
    """Intakes through Django's test client, one at a time: lock holds, queries, and optionally a profile."""
    from django.db import connection, transaction
    from django.test import Client

    client = Client(headers={"Authorization": f"Bearer {token}"})
    marks: dict[str, float] = {}
    queries: list[tuple[str, float]] = []

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        began = time.perf_counter()
        result = execute(sql, params, many, context)
        now = time.perf_counter()
        queries.append((sql, now - began))
        # The counter row is locked by the intake's first write (one statement with the dossier's insert and,
        # on PostgreSQL, audit_append(), which takes the chain's advisory lock); both until commit.
        if "dossiercodecounter" in sql and "ON CONFLICT" in sql:
            marks.setdefault("counter_lock", began)
        if "audit_append" in sql or "pg_advisory_xact_lock" in sql:
            marks.setdefault("audit_lock", began)
        locked = "counter_lock" in marks or "audit_lock" in marks
        if locked and not connection.in_atomic_block:
            # Autocommit (an intake without files is one statement): the statement's end is its commit.
            marks.setdefault("commit", now)
        elif locked and "_hook" not in marks:
            marks["_hook"] = 1
            transaction.on_commit(lambda: marks.setdefault("commit", time.perf_counter()))
        return result

    def one(i: int) -> float:
        marks.clear()
        began = time.perf_counter()
        response = client.post(API_PATH, data=fill(body, 10**9 + i), content_type="application/json")
        took = time.perf_counter() - began
        if response.status_code != 201:
            raise RuntimeError(f"intake answered {response.status_code}: {response.content[:500]!r}")
        return took

    for i in range(20):  # warm caches
        one(i)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = int(cursor.fetchone()[0])
    python_cpu = time.process_time()
    postgres_cpu = benchkit.process_cpu(backend)
    total: list[float] = []
    counter_hold: list[float] = []
    audit_hold: list[float] = []
    before_lock: list[float] = []
    query_counts: list[int] = []
    sql_time: list[float] = []
    slowest: dict[str, float] = {}
    with connection.execute_wrapper(wrapper):
        for i in range(requests):
            queries.clear()
            began = time.perf_counter()
            total.append(one(1000 + i) * 1000)
            commit = marks.get("commit")
            if commit is not None and "counter_lock" in marks:
                counter_hold.append((commit - marks["counter_lock"]) * 1000)
                before_lock.append((marks["counter_lock"] - began) * 1000)
            if commit is not None and "audit_lock" in marks:
                audit_hold.append((commit - marks["audit_lock"]) * 1000)
            query_counts.append(len(queries))
            sql_time.append(sum(t for _, t in queries) * 1000)
            for sql, t in queries:
                key = " ".join(sql.split())[:90]
                slowest[key] = slowest.get(key, 0.0) + t * 1000 / requests
    python_cpu = time.process_time() - python_cpu
    postgres_cpu = benchkit.process_cpu(backend) - postgres_cpu
    result: dict[str, Any] = {
        "requests": requests,
        "request_ms": benchkit.summary_ms(total),
        "python_cpu_ms_per_request": round(python_cpu * 1000 / requests, 2),
        "postgres_cpu_ms_per_request": round(postgres_cpu * 1000 / requests, 2),
        "queries_per_request": round(sum(query_counts) / len(query_counts), 1),
        "sql_ms_per_request": benchkit.summary_ms(sql_time),
        "until_counter_lock_ms": benchkit.summary_ms(before_lock) if before_lock else None,
        "counter_row_lock_held_ms": benchkit.summary_ms(counter_hold) if counter_hold else None,
        "audit_advisory_lock_held_ms": benchkit.summary_ms(audit_hold) if audit_hold else None,
        "queries_by_time_ms": [
            {"sql": sql, "ms_per_request": round(ms, 3)}
            for sql, ms in sorted(slowest.items(), key=lambda kv: -kv[1])[:12]
        ],
    }
    if counter_hold:
        result["serial_ceiling_per_agency_per_second"] = round(1000 / (sum(counter_hold) / len(counter_hold)))
    if audit_hold:
        result["serial_ceiling_all_audited_writes_per_second"] = round(
            1000 / (sum(audit_hold) / len(audit_hold))
        )
    if profile:
        result["profile"] = benchkit.profile(lambda i: one(5000 + i), requests)
    return result


# --- the ratio, measured in alternation ------------------------------------------------------------------


def ratio_rounds(
    base: str, scripts: dict[str, tuple[str, str]], rounds: int, seconds: int, connections: int
) -> dict[str, Any]:
    """The intake's peak against the minimal endpoint's, ``rounds`` times in alternation: M I M I … M.

    On this VM the same code's peak moves by a third from one minute to the next (the first runs of one night
    gave ratios from 0.35 to 0.60), so each intake run is set beside the mean of the minimal runs just before and
    just after it, and the median of the rounds is the figure.
    """
    minimal_path, minimal_script = scripts["minimal_insert_endpoint"]
    intake_path, intake_script = scripts["intake_no_components"]

    def minimal_peak() -> float:
        return float(
            benchkit.run_wrk(base + minimal_path, seconds, connections, minimal_script)["requests_per_second"]
        )

    minimal_rates = [minimal_peak()]
    intake_rates: list[float] = []
    for _ in range(rounds):
        intake_rates.append(
            float(
                benchkit.run_wrk(base + intake_path, seconds, connections, intake_script)[
                    "requests_per_second"
                ]
            )
        )
        minimal_rates.append(minimal_peak())
    ratios = [
        round(rate / ((minimal_rates[i] + minimal_rates[i + 1]) / 2), 3)
        for i, rate in enumerate(intake_rates)
    ]
    return {
        "minimal_per_second": minimal_rates,
        "intake_no_components_per_second": intake_rates,
        "ratios": ratios,
        "median_ratio": statistics.median(ratios),
    }


# --- main -----------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10, help="length of each peak (wrk) run")
    parser.add_argument("--paced-seconds", type=float, default=20, help="length of each half-load run")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--profile-requests", type=int, default=300)
    parser.add_argument("--keep", action="store_true", help=f"leave {BENCH_DB} in place")
    parser.add_argument(
        "--ratio-rounds",
        type=int,
        default=3,
        help="intake runs alternated with minimal-endpoint runs for the ratio",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=2,
        help="gunicorn sync workers (2: `lienthong run`; docs suggest 2 x cores + 1)",
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: `make bench` installs it (apt-get install wrk)")
    url = benchkit.postgres_url_or_exit("dossier_intake")
    db_url = benchkit.recreate_database(url, BENCH_DB)
    data_dir = benchkit.setup_django(db_url)
    from django.db import connection, connections

    from lienthong.audit.selectors import verify_chain
    from lienthong.onestop.models import Dossier

    out: dict[str, Any] = {
        "benchmark": f"dossier intake POST /api/v1/dossiers, gunicorn {args.workers} sync workers"
    }
    try:
        token = build_world()
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            out["database"] = f"postgresql {cursor.fetchone()[0]}"
            cursor.execute("SHOW synchronous_commit")
            out["synchronous_commit"] = cursor.fetchone()[0]
        connections.close_all()
        plain = intake_body(None)
        with_files = intake_body(components())
        out["component_pdf_bytes"] = [len(pdf) for _t, _n, pdf, _s in components()]
        out["request_body_bytes"] = {
            "no_components": len(fill(plain, 0)),
            "with_components": len(fill(with_files, 0)),
        }
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        minimal_body = json.dumps({"name": APPLICANT["name"], "applicant": APPLICANT}, ensure_ascii=False)
        env = {
            **os.environ,
            "DATABASE_URL": db_url,
            "LIENTHONG_DATA_DIR": data_dir,
            "LIENTHONG_LOG_LEVEL": "WARNING",
        }
        server = benchkit.Gunicorn(env, settings_module="benchsite", workers=args.workers)
        try:
            base = server.base
            benchkit.run_wrk(base + "/healthz", 2, args.connections)  # warm both workers

            def probe(body: str) -> tuple[int, str]:
                import urllib.error
                import urllib.request

                req = urllib.request.Request(
                    base + API_PATH, data=fill(body, 1), headers=headers, method="POST"
                )
                try:
                    with urllib.request.urlopen(req, timeout=30) as response:
                        return response.status, ""
                except urllib.error.HTTPError as error:
                    return error.code, error.read().decode()[:300]

            status, _ = probe(plain)
            if status != 201:
                raise RuntimeError(f"intake without components answered {status}")
            files_status, files_problem = probe(with_files)
            with_components = files_status == 201
            if not with_components:
                out["with_components_skipped"] = f"the API answered {files_status}: {files_problem}"

            scenarios: list[tuple[str, str, str, int]] = [
                ("minimal_insert_endpoint", MINIMAL_PATH, minimal_body, 0),
                ("intake_no_components", API_PATH, plain, 0),
            ]
            if with_components:
                scenarios.append(("intake_two_100kb_components", API_PATH, with_files, UNIQUE_WIDTH))
            scripts: dict[str, tuple[str, str]] = {}
            for name, path, body, width in scenarios:
                hdrs = headers if path == API_PATH else {"Content-Type": "application/json"}
                script = benchkit.wrk_post_script(path, hdrs, body.split(MARK), width)
                scripts[name] = (path, script)
                benchkit.run_wrk(base + path, 2, args.connections, script)  # warm
                with (
                    ActivitySampler(db_url) as sampler,
                    benchkit.CpuMeter(server, db_url, (sampler.pid,)) as cpu,
                ):
                    peak = benchkit.run_wrk(base + path, args.seconds, args.connections, script)
                half = peak["requests_per_second"] / 2
                offset = 3 * 10**8 + len(name) * 10**7

                def request(
                    i: int,
                    path: str = path,
                    body: str = body,
                    hdrs: dict[str, str] = hdrs,
                    offset: int = offset,
                ) -> Any:
                    return "POST", path, hdrs, fill(body, offset + i)

                with ActivitySampler(db_url, interval=0.05) as half_sampler:
                    at_half = benchkit.paced(base, request, half, args.paced_seconds)
                at_half["backends"] = half_sampler.report()
                out[name] = {
                    "peak_wrk": peak,
                    "cpu_during_peak": cpu.report(peak["requests"]),
                    "backends_during_peak": sampler.report(),
                    "at_half_peak": at_half,
                }
            out["ratio_rounds"] = ratio_rounds(
                base, scripts, args.ratio_rounds, args.seconds, args.connections
            )
        finally:
            server.stop()

        out["raw_postgresql_insert_commits"] = [raw_inserts(db_url, n, 5) for n in (1, 2)]
        out["in_process_no_components"] = in_process(token, plain, args.profile_requests, profile=True)
        if with_components:
            out["in_process_two_100kb_components"] = in_process(
                token, with_files, args.profile_requests, profile=True
            )
        out["dossiers_stored"] = Dossier.objects.count()
        entries, broken = verify_chain()
        out["audit_chain"] = {"entries": entries, "intact": broken is None}
        connections.close_all()
    finally:
        connections.close_all()
        if not args.keep:
            benchkit.drop_database(url, BENCH_DB)
        shutil.rmtree(data_dir, ignore_errors=True)

    minimal = out["minimal_insert_endpoint"]["peak_wrk"]["requests_per_second"]
    plain_rate = out["intake_no_components"]["peak_wrk"]["requests_per_second"]
    out["ratio_to_minimal_first_runs"] = round(plain_rate / minimal, 3)
    out["ratio_to_minimal"] = out["ratio_rounds"]["median_ratio"]
    out["targets"] = TARGETS
    met = {
        "no_components_per_second": plain_rate >= TARGETS["no_components_per_second"],
        "ratio_to_minimal": out["ratio_to_minimal"] >= TARGETS["ratio_to_minimal"],
        "p99_at_half_load_no_components": out["intake_no_components"]["at_half_peak"]["p99_ms"]
        <= TARGETS["p99_at_half_load_ms"],
    }
    if "intake_two_100kb_components" in out:
        files = out["intake_two_100kb_components"]
        met["with_components_per_second"] = (
            files["peak_wrk"]["requests_per_second"] >= TARGETS["with_components_per_second"]
        )
        met["p99_at_half_load_with_components"] = (
            files["at_half_peak"]["p99_ms"] <= TARGETS["p99_at_half_load_ms"]
        )
    out["targets_met"] = met
    print(json.dumps(out, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
