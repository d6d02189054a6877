"""The demo's signing keys: one per leader and per agency with a clerk, trusted, drawn, and made only once."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from lienthong.audit.models import AuditEntry
from lienthong.core.demo import DemoReport
from lienthong.directory.demo_data import load_demo_directory
from lienthong.directory.models import Agency, Person, Role
from lienthong.signing import selectors, services
from lienthong.signing.demo import DEMO_PASSWORD, load_demo_keys, seal_png, signature_png
from lienthong.signing.models import Purpose, SigningKey
from lienthong.signing.pades import Box
from lienthong.signing.validation import validate_pdf

from .backend_helpers import small_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def data_dir(settings, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path
    settings.LIENTHONG_TRUST_ANCHORS = [str(tmp_path / "trust")]  # the default, under the moved DATA_DIR
    return tmp_path


def _load_demo() -> DemoReport:
    """The directory's demo and ours (the other apps' sample data plays no part here)."""
    report = DemoReport()
    load_demo_directory(report)
    load_demo_keys(report)
    return report


def _files(directory: Path) -> dict[str, int]:
    return {str(p.relative_to(directory)): p.stat().st_mtime_ns for p in directory.rglob("*") if p.is_file()}


def test_every_leader_and_every_agency_with_a_clerk_gets_a_key_file_key(data_dir: Path) -> None:
    report = _load_demo()

    leaders = Person.objects.filter(roles__role=Role.LEADER, roles__is_active=True).distinct()
    agencies = Agency.objects.filter(roles__role=Role.CLERK, roles__is_active=True).distinct()
    assert leaders.count() >= 2 and agencies.count() >= 2
    for leader in leaders:
        key = selectors.personal_key_for(leader)
        assert key is not None and key.backend == "keyfile", leader.username
        assert key.common_name == leader.full_name
        assert (data_dir / key.config["path"]).stat().st_mode & 0o777 == 0o600
        assert selectors.key_image(key) is not None
    for agency in agencies:
        key = selectors.agency_key_for(agency)
        assert key is not None and key.common_name == agency.name[:64], agency.code
    assert SigningKey.objects.count() == leaders.count() + agencies.count()
    assert (data_dir / "trust" / "demo-root-ca.pem").exists()
    note = next(n for n in report.notes if "Khóa ký số" in n)
    assert f"'{DEMO_PASSWORD}'" in note


def test_a_demo_leader_signs_and_the_demo_root_is_trusted_by_default(data_dir: Path) -> None:
    _load_demo()
    leader = Person.objects.get(username="thanhlam.chutich")

    signed = services.sign_pdf_as_person(
        person=leader, pdf=small_pdf(), secret=DEMO_PASSWORD, box=Box(0, 330, 120, 540, 230), title="CHỦ TỊCH"
    )

    report = validate_pdf(signed)  # the configured trust anchors: DATA_DIR/trust
    assert report.all_valid_and_trusted, report.as_text()


def test_running_the_demo_again_writes_nothing(data_dir: Path) -> None:
    _load_demo()
    rows, entries, files = SigningKey.objects.count(), AuditEntry.objects.count(), _files(data_dir / "pki")

    report = DemoReport()
    load_demo_keys(report)

    assert (SigningKey.objects.count(), AuditEntry.objects.count()) == (rows, entries)
    assert _files(data_dir / "pki") == files
    assert "không có gì thay đổi" in report.notes[-1]


def test_key_files_already_on_disk_are_reused_rather_than_issued_again(data_dir: Path) -> None:
    _load_demo()
    leader = Person.objects.get(username="thanhlam.chutich")
    old = selectors.personal_key_for(leader)
    assert old is not None
    services.deactivate_signing_key(actor=None, key=old)

    load_demo_keys(DemoReport())

    new = selectors.personal_key_for(leader)
    assert new is not None and new.pk != old.pk
    assert new.certificate_sha256 == old.certificate_sha256 and new.purpose == Purpose.PERSONAL


def _colours(png: bytes) -> tuple[Image.Image, tuple[float, float, float], float]:
    image = Image.open(io.BytesIO(png)).convert("RGBA")
    raw = image.tobytes()
    pixels = [raw[i : i + 4] for i in range(0, len(raw), 4)]
    inked = [p for p in pixels if p[3] > 128]
    mean = tuple(sum(p[i] for p in inked) / len(inked) for i in range(3))
    return image, mean, len(inked) / (image.width * image.height)  # type: ignore[return-value]


def test_the_signature_is_blue_ink_and_the_seal_a_red_disc_of_real_size_on_transparent_ground() -> None:
    signature, (r, g, b), inked = _colours(signature_png("Lương Văn Tài"))
    assert b > 100 and b > 2 * r and b > 2 * g and 0.01 < inked < 0.5
    assert signature.getpixel((0, 0))[3] == 0

    raw = seal_png("Ủy ban nhân dân phường Thành Lam", "000.00.31.H99")
    seal, (r, g, b), inked = _colours(raw)
    assert r > 150 and r > 3 * g and r > 3 * b and 0.05 < inked < 0.6
    assert seal.getpixel((2, 2))[3] == 0 and seal.getpixel((seal.width - 3, seal.height - 3))[3] == 0
    dpi = Image.open(io.BytesIO(raw)).info["dpi"]
    assert round(seal.width / dpi[0] * 25.4) == 36  # millimetres across
