"""The plain insert writes exactly what Model.save() would: defaults, auto_now_add, JSON and bytes."""

from __future__ import annotations

import pytest

from lienthong.catalog.models import CatalogImport
from lienthong.core.rows import insert


@pytest.mark.django_db
def test_an_inserted_row_reads_back_as_the_orm_would_have_written_it() -> None:
    row = insert(
        CatalogImport(
            file_name="danh-muc.xlsx",
            file_format="xlsx",
            sha256="ab" * 32,
            content=b"\x00\x01 d\xe1\xbb\xaf li\xe1\xbb\x87u",
            report={"rows": 3, "lỗi": ["dòng 2"]},
        )
    )
    assert row.pk is not None and not row._state.adding
    fresh = CatalogImport.objects.get(pk=row.pk)
    assert fresh.report == {"rows": 3, "lỗi": ["dòng 2"]}
    assert bytes(fresh.content) == b"\x00\x01 d\xe1\xbb\xaf li\xe1\xbb\x87u"
    assert fresh.created_at is not None and fresh.created_at == row.created_at
    assert fresh.applied_at is None and fresh.created_by == ""
