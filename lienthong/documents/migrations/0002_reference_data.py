"""Seed the editable reference tables: document types (Decree 30/2020, Annex III), the exchange priority of each
urgency level, and retention periods. Administrators change them in the admin; this only fills empty tables
and never overwrites a row that exists."""

from django.db import migrations

# (code, name, abbreviation); a plain letter (công văn) has no abbreviation in its notation.
DOCUMENT_TYPES = [
    ("NQ", "Nghị quyết", "NQ"),
    ("QĐ", "Quyết định", "QĐ"),
    ("CT", "Chỉ thị", "CT"),
    ("QC", "Quy chế", "QC"),
    ("QyĐ", "Quy định", "QyĐ"),
    ("TC", "Thông cáo", "TC"),
    ("TB", "Thông báo", "TB"),
    ("HD", "Hướng dẫn", "HD"),
    ("CTr", "Chương trình", "CTr"),
    ("KH", "Kế hoạch", "KH"),
    ("PA", "Phương án", "PA"),
    ("ĐA", "Đề án", "ĐA"),
    ("DA", "Dự án", "DA"),
    ("BC", "Báo cáo", "BC"),
    ("BB", "Biên bản", "BB"),
    ("TTr", "Tờ trình", "TTr"),
    ("HĐ", "Hợp đồng", "HĐ"),
    ("CV", "Công văn", ""),
    ("CĐ", "Công điện", "CĐ"),
    ("GN", "Bản ghi nhớ", "GN"),
    ("TTh", "Bản thỏa thuận", "TTh"),
    ("GUQ", "Giấy ủy quyền", "GUQ"),
    ("GM", "Giấy mời", "GM"),
    ("GGT", "Giấy giới thiệu", "GGT"),
    ("GNP", "Giấy nghỉ phép", "GNP"),
    ("PG", "Phiếu gửi", "PG"),
    ("PC", "Phiếu chuyển", "PC"),
    ("PB", "Phiếu báo", "PB"),
]

# To verify against the exchange's current specification: kept as data so a correction needs no release.
PRIORITIES = [("normal", 0), ("urgent", 1), ("very_urgent", 2), ("flash", 3), ("flash_timed", 4)]

RETENTION = [("5 năm", 5), ("10 năm", 10), ("20 năm", 20), ("50 năm", 50), ("70 năm", 70), ("Vĩnh viễn", None)]


def seed(apps, schema_editor):
    DocumentType = apps.get_model("documents", "DocumentType")
    ExchangePriority = apps.get_model("documents", "ExchangePriority")
    RetentionPeriod = apps.get_model("documents", "RetentionPeriod")
    for rank, (code, name, abbreviation) in enumerate(DOCUMENT_TYPES, start=1):
        DocumentType.objects.get_or_create(
            code=code, defaults={"name": name, "abbreviation": abbreviation, "rank": rank * 10}
        )
    for urgency, priority in PRIORITIES:
        ExchangePriority.objects.get_or_create(urgency=urgency, defaults={"priority": priority})
    for rank, (name, years) in enumerate(RETENTION, start=1):
        RetentionPeriod.objects.get_or_create(name=name, defaults={"years": years, "rank": rank * 10})


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
