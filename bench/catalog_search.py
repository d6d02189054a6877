"""Catalogue search latency on PostgreSQL: p50 and p95 of the API's query over 20,000 synthetic procedures.

For each query the script times what ``GET /api/v1/procedures?q=…`` runs against the database — the
``lienthong.catalog.selectors.search_procedures`` query set, its ``count()`` and its first page of 20 — first as
PostgreSQL plans it (the trigram GIN index over the folded text), then, in the same run and the same session,
with index and bitmap scans switched off, i.e. the sequential scan a catalogue without the index would do.
Prints JSON.

    DATABASE_URL=postgresql://user@host:5432/db .venv/bin/python bench/catalog_search.py [--procedures 20000]
        [--runs 200]

Needs a PostgreSQL role allowed to create databases: it creates ``lienthong_bench_catalog`` (dropped at the
end), migrates it, bulk-creates the synthetic catalogue and runs VACUUM ANALYZE. Only the server and the
credentials of DATABASE_URL are used; nothing is written to its database.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import benchkit  # noqa: E402  (bench/ is on sys.path when a script in it runs)

BENCH_DB = "lienthong_bench_catalog"
PAGE = 20
TARGET_P95_MS = 20.0

# Realistic procedure names: an action, its object and a qualifier, per field (our own word lists).
# fmt: off
FIELDS: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("XD01", "Hoạt động xây dựng", (
        "Cấp giấy phép xây dựng mới", "Cấp giấy phép sửa chữa, cải tạo", "Điều chỉnh giấy phép xây dựng",
        "Gia hạn giấy phép xây dựng", "Cấp chứng chỉ hành nghề hoạt động xây dựng",
        "Thẩm định thiết kế xây dựng"),
        ("đối với nhà ở riêng lẻ", "đối với công trình cấp III", "đối với công trình tín ngưỡng, tôn giáo",
         "đối với công trình theo tuyến", "trong khu công nghiệp")),
    ("HT01", "Hộ tịch", (
        "Đăng ký khai sinh", "Đăng ký kết hôn", "Đăng ký khai tử", "Đăng ký lại khai sinh", "Đăng ký giám hộ",
        "Cấp bản sao trích lục hộ tịch"),
        ("có yếu tố nước ngoài", "lưu động", "cho người đã có hồ sơ, giấy tờ cá nhân",
         "tại khu vực biên giới")),
    ("KD01", "Thành lập và hoạt động của hộ kinh doanh", (
        "Đăng ký thành lập hộ kinh doanh", "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh",
        "Tạm ngừng kinh doanh của hộ kinh doanh", "Chấm dứt hoạt động hộ kinh doanh"),
        ("", "do chủ hộ là người nước ngoài", "có địa điểm kinh doanh ngoài trụ sở")),
    ("DD01", "Đất đai", (
        "Đăng ký biến động quyền sử dụng đất", "Cấp đổi Giấy chứng nhận quyền sử dụng đất",
        "Cấp lại Giấy chứng nhận quyền sử dụng đất", "Chuyển mục đích sử dụng đất", "Gia hạn sử dụng đất",
        "Tách thửa, hợp thửa đất"),
        ("đối với cá nhân", "đối với tổ chức", "do chuyển nhượng", "do thừa kế", "do tặng cho")),
    ("GT01", "Đường bộ", (
        "Cấp Giấy phép kinh doanh vận tải bằng xe ô tô", "Cấp phù hiệu xe ô tô kinh doanh vận tải",
        "Đăng ký xe máy chuyên dùng", "Cấp giấy phép lưu hành xe quá tải trọng", "Cấp giấy phép thi công"),
        ("lần đầu", "cấp lại", "trên đường tỉnh", "trên quốc lộ ủy thác")),
    ("GD01", "Giáo dục và Đào tạo", (
        "Cho phép hoạt động giáo dục", "Chuyển trường", "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc",
        "Công nhận văn bằng", "Thành lập trường"),
        ("đối với trường mầm non", "đối với học sinh trung học cơ sở", "đối với học sinh trung học phổ thông",
         "đối với trung tâm ngoại ngữ, tin học")),
    ("LD01", "Lao động", (
        "Cấp giấy phép lao động", "Gia hạn giấy phép lao động",
        "Xác nhận không thuộc diện cấp giấy phép lao động",
        "Đăng ký nội quy lao động"),
        ("cho người lao động nước ngoài", "của doanh nghiệp", "trong khu kinh tế")),
    ("VL01", "Việc làm", (
        "Giải quyết hưởng trợ cấp thất nghiệp", "Tạm dừng hưởng trợ cấp thất nghiệp",
        "Hỗ trợ học nghề", "Cấp giấy phép hoạt động dịch vụ việc làm"),
        ("", "cho người lao động", "cho doanh nghiệp")),
    ("VH01", "Văn hóa", (
        "Cấp Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke", "Cấp Giấy phép kinh doanh dịch vụ vũ trường",
        "Tổ chức biểu diễn nghệ thuật", "Thông báo tổ chức lễ hội", "Cấp phép quảng cáo"),
        ("", "điều chỉnh", "trên địa bàn tỉnh", "trên địa bàn xã")),
    ("XB01", "Xuất bản, In và Phát hành", (
        "Cấp giấy phép hoạt động in", "Đăng ký hoạt động cơ sở in",
        "Cấp giấy phép xuất bản tài liệu không kinh doanh",
        "Cấp giấy phép nhập khẩu xuất bản phẩm", "Đăng ký sử dụng máy photocopy màu"),
        ("", "cấp lại", "thay đổi thông tin")),
    ("CT01", "Chứng thực", (
        "Chứng thực bản sao từ bản chính", "Chứng thực chữ ký", "Chứng thực hợp đồng, giao dịch",
        "Chứng thực di chúc", "Chứng thực văn bản thỏa thuận phân chia di sản"),
        ("", "liên quan đến động sản", "liên quan đến quyền sử dụng đất", "liên quan đến nhà ở")),
    ("YT01", "Y tế", (
        "Cấp chứng chỉ hành nghề dược", "Cấp giấy phép hoạt động khám bệnh, chữa bệnh",
        "Cấp Giấy chứng nhận đủ điều kiện an toàn thực phẩm", "Cấp giấy phép hành nghề khám bệnh, chữa bệnh"),
        ("đối với phòng khám", "đối với nhà thuốc", "đối với cơ sở dịch vụ ăn uống", "đối với bác sĩ")),
    ("MT01", "Môi trường", (
        "Cấp giấy phép môi trường", "Đăng ký môi trường", "Thẩm định báo cáo đánh giá tác động môi trường",
        "Cấp giấy phép khai thác nước dưới đất"),
        ("", "thuộc thẩm quyền cấp tỉnh", "thuộc thẩm quyền cấp xã")),
)
SCOPES = (
    "", "", "", " trên địa bàn tỉnh", " thuộc thẩm quyền cấp tỉnh", " thuộc thẩm quyền cấp xã",
    " (thủ tục rút gọn)",
    " cho tổ chức", " cho cá nhân", " trong trường hợp bị mất", " theo quy định mới",
)
QUERIES: tuple[tuple[str, str], ...] = (
    ("cap phep xay dung", ""),
    ("dang ky khai sinh", ""),
    ("giay phep", ""),
    ("ho kinh doanh", ""),
    ("photocopy", ""),  # a rare word
    ("karaoke", ""),  # a one-word query
    ("dat", ""),  # a one-word query, three letters, common
    ("chung thuc hop dong", "H99-CT01"),  # with a field filter, as the portal's form sends it
    ("tau vu tru", ""),  # no match
)
# fmt: on


def _fail(message: str) -> None:
    sys.exit(f"catalog_search: {message}")


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url.replace("postgresql+psycopg://", "postgresql://", 1))
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


def _admin(url: str, sql: str) -> None:
    """Run ``sql`` outside a transaction from the server's maintenance database (as ``createdb`` does), or
    from the database in DATABASE_URL when the role may not connect to ``postgres``."""
    import psycopg

    try:
        conn = psycopg.connect(_with_database(url, "postgres"), autocommit=True)
    except psycopg.OperationalError:
        conn = psycopg.connect(_with_database(url, urlsplit(url).path.lstrip("/")), autocommit=True)
    with conn:
        conn.execute(sql)  # type: ignore[arg-type]


def _names(rng: random.Random, count: int) -> list[tuple[str, str, str]]:
    """``(name, field code, field name)`` for ``count`` synthetic procedures."""
    rows = []
    for _ in range(count):
        code, field, actions, qualifiers = rng.choice(FIELDS)
        qualifier = rng.choice(qualifiers)
        name = " ".join(part for part in (rng.choice(actions), qualifier) if part) + rng.choice(SCOPES)
        rows.append((name, f"H99-{code}", field))
    return rows


def _populate(count: int) -> None:
    from django.db import connection

    from lienthong.catalog.models import Field, Procedure, ProcedureVersion
    from lienthong.catalog.record import ProcedureRecord
    from lienthong.catalog.services import search_text_of

    rng = random.Random(2026)
    fields = {
        f"H99-{code}": Field.objects.create(code=f"H99-{code}", name=name) for code, name, _a, _q in FIELDS
    }
    procedures = []
    for index, (name, field_code, field_name) in enumerate(_names(rng, count)):
        code = f"{1 + index % 2}.{index // 2 + 100000:06d}"
        record = ProcedureRecord(
            code=code, name=name, field_code=field_code, field_name=field_name, processing_value=5
        )
        procedures.append(
            Procedure(
                code=code,
                name=name,
                field=fields[field_code],
                online_level=rng.choice(("full", "partial", "partial", "info")),
                status=rng.choices(("active", "suspended", "cancelled"), weights=(95, 2, 3))[0],
                tiers=[rng.choice(("province", "commune"))],
                processing_value=rng.choice((1, 3, 5, 10, 15, 20)),
                processing_unit="working_days",
                search_text=search_text_of(record),
            )
        )
    created = Procedure.objects.bulk_create(procedures, batch_size=2000)
    ProcedureVersion.objects.bulk_create(
        (ProcedureVersion(procedure=p, number=1, record={"code": p.code, "name": p.name}) for p in created),
        batch_size=2000,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE catalog_procedure p SET current_version_id = v.id FROM catalog_procedureversion v "
            "WHERE v.procedure_id = p.id"
        )
    # Autovacuum's state on a live catalogue: every procedure was written twice (current_version is set after
    # its version exists, as services.save_procedure does), so the dead row versions are cleared, not compacted.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def _api_query(q: str, field: str) -> Callable[[], int]:
    """What the list endpoint asks the database: the count, then the first page."""
    from lienthong.catalog.selectors import search_procedures

    def run() -> int:
        rows = search_procedures(q, field=field)
        count = rows.count()
        list(rows[:PAGE])
        return count

    return run


def _timings(run: Callable[[], int], runs: int) -> dict[str, float]:
    for _ in range(10):  # warm the caches and the connection
        run()
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        run()
        samples.append((time.perf_counter() - began) * 1000)
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return {
        "p50_ms": round(statistics.median(samples), 3),
        "p95_ms": round(cuts[94], 3),
        "max_ms": round(max(samples), 3),
    }


def _plan(q: str, field: str) -> str:
    """How PostgreSQL reads ``catalog_procedure`` for the search: the scan nodes on the table or its index."""
    from lienthong.catalog.selectors import search_procedures

    return benchkit.scan_nodes(search_procedures(q, field=field).explain(), "catalog_procedure")


def _measure(runs: int) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    for q, field in QUERIES:
        run = _api_query(q, field)
        results.append(
            {
                "q": q,
                "field": field or None,
                "matches": run(),
                "indexed": {**_timings(run, runs), "plan": _plan(q, field)},
            }
        )
    benchkit.set_index_scans(False)
    try:
        for row in results:
            run = _api_query(row["q"], row["field"] or "")
            row["unindexed"] = {**_timings(run, runs), "plan": _plan(row["q"], row["field"] or "")}
            row["speedup_p50"] = round(row["unindexed"]["p50_ms"] / row["indexed"]["p50_ms"], 1)
    finally:
        benchkit.set_index_scans(True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--procedures", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help=f"leave {BENCH_DB} in place to inspect plans")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://", "postgresql+psycopg://")):
        _fail("set DATABASE_URL=postgresql://user@host:5432/dbname (a role that may CREATE DATABASE)")

    try:
        _admin(url, f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        _admin(url, f"CREATE DATABASE {BENCH_DB}")
    except Exception as error:  # the bench explains any connection or permission problem in one line
        _fail(f"cannot create the database {BENCH_DB}: {error}")
    data_dir = tempfile.mkdtemp(prefix="lienthong-bench-")
    os.environ.update(
        DATABASE_URL=_with_database(url, BENCH_DB),
        LIENTHONG_DATA_DIR=data_dir,
        LIENTHONG_LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="lienthong.settings",
    )
    try:
        import django
        from django.core.management import call_command
        from django.db import connection, connections

        django.setup()
        call_command("migrate", verbosity=0, interactive=False)
        began = time.perf_counter()
        _populate(args.procedures)
        load_seconds = time.perf_counter() - began
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
        results = _measure(args.runs)
        connections.close_all()
    finally:
        if not args.keep:
            _admin(url, f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
    worst = max(row["indexed"]["p95_ms"] for row in results)
    print(
        json.dumps(
            {
                "benchmark": "catalogue search as the API runs it: search_procedures, count + first page of 20",
                "database": f"postgresql {version}",
                "procedures": args.procedures,
                "load_seconds": round(load_seconds, 1),
                "runs_per_query": args.runs,
                "queries": results,
                "target_p95_ms": TARGET_P95_MS,
                "worst_indexed_p95_ms": worst,
                "target_met": worst < TARGET_P95_MS,
            },
            ensure_ascii=False,
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
