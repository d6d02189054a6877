"""Demo signing keys: a test PKI under ``DATA_DIR/pki``, a key file for every leader and every agency with a clerk.

The loader issues one personal certificate per person holding the leader role and one agency certificate per
agency that has a clerk, registers them as key-file keys (password ``demo``) through the services, draws a blue
handwritten-looking signature per leader and a red round seal per agency, and puts the demo root in
``DATA_DIR/trust/demo-root-ca.pem`` so validation trusts it. Files already there are reused (a fresh database on an
old data directory costs no key generation) and a second run writes nothing. Never for real documents.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import itertools
import math
import os
import random
from collections.abc import Callable
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont

from lienthong.core.demo import DemoReport
from lienthong.directory.models import Agency, Person, Role, RoleAssignment

from . import pki, services
from .models import SigningKey
from .selectors import agency_key_for, personal_key_for

DEMO_PASSWORD = pki.DEFAULT_PASSWORD
PKI_DIRECTORY = "pki"
TRUST_FILE = "demo-root-ca.pem"
DPI = 300
SEAL_MM = 36.0  # the round seal of a People's Committee is about 35–36 mm across
SIGNATURE_MM = (50.0, 22.0)
INK_BLUE = (16, 42, 140)
SEAL_RED = (214, 24, 32)
FONT_DIRS = (Path("/usr/share/fonts/truetype/liberation2"), Path("/usr/share/fonts/truetype/dejavu"))


def _pixels(mm: float) -> int:
    return round(mm / 25.4 * DPI)


def _font(names: tuple[str, ...], size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for directory in FONT_DIRS:
        for name in names:
            if (directory / name).exists():
                return ImageFont.truetype(str(directory / name), size)
    return ImageFont.load_default(size)


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(DPI, DPI))
    return out.getvalue()


# --- images ---------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=256)
def signature_png(full_name: str) -> bytes:
    """A blue, slanted, handwritten-looking signature of ``full_name`` on a transparent background."""
    scale = 3  # drawn large and reduced, so the strokes come out smooth
    width, height = (_pixels(mm) * scale for mm in SIGNATURE_MM)
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    rng = random.Random(hashlib.sha256(full_name.encode()).digest())
    given = full_name.split()[-1] if full_name.split() else "A"
    initials = "".join(word[0] for word in full_name.split()[:-1])
    font = _font(("LiberationSerif-Italic.ttf", "DejaVuSerif-Italic.ttf"), int(height * 0.42))
    text = f"{initials[:2]}. {given}" if initials else given
    text_layer = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    ImageDraw.Draw(text_layer).text((width * 0.12, height * 0.14), text, font=font, fill=(*INK_BLUE, 255))
    # Lean the writing forward, as a hand does.
    slant = 0.32
    text_layer = text_layer.transform(
        text_layer.size,
        Image.Transform.AFFINE,
        (1, slant, -slant * height * 0.5, 0, 1, 0),
        Image.Resampling.BICUBIC,
    )
    image.alpha_composite(text_layer)
    # A flourish under the name: a sweep with a loop, thicker in the middle like a pen pressed harder.
    points = []
    left, right = width * 0.08, width * 0.92
    base = height * (0.78 + rng.uniform(-0.03, 0.03))
    loop_at = rng.uniform(0.55, 0.75)
    steps = 1200
    for i in range(steps + 1):
        t = i / steps
        x = left + (right - left) * t
        y = base - math.sin(t * math.pi) * height * 0.12
        if abs(t - loop_at) < 0.08:
            phase = (t - loop_at + 0.08) / 0.16 * 2 * math.pi
            x -= math.sin(phase) * width * 0.085
            y -= (1 - math.cos(phase)) * height * 0.06
        points.append((x, y))
    for i, ((x0, y0), (x, y)) in enumerate(itertools.pairwise(points)):
        radius = scale * (1.2 + 2.8 * math.sin(i / steps * math.pi))
        draw.line((x0, y0, x, y), fill=(*INK_BLUE, 255), width=round(2 * radius))
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=(*INK_BLUE, 255))
    return _png(image.resize((width // scale, height // scale), Image.Resampling.LANCZOS))


def _star(centre: tuple[float, float], outer: float) -> list[tuple[float, float]]:
    inner = outer * 0.382
    return [
        (
            centre[0] + (outer if i % 2 == 0 else inner) * math.sin(i * math.pi / 5),
            centre[1] - (outer if i % 2 == 0 else inner) * math.cos(i * math.pi / 5),
        )
        for i in range(10)
    ]


@functools.lru_cache(maxsize=256)
def seal_png(name: str, centre_text: str) -> bytes:
    """A red round seal, 36 mm at 300 dpi: ``name`` in capitals around the ring, a star and ``centre_text``."""
    scale = 2
    size = _pixels(SEAL_MM) * scale
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    ink = (*SEAL_RED, 255)
    middle = size / 2
    for radius, width in ((size * 0.49, size * 0.018), (size * 0.33, size * 0.008)):
        draw.ellipse(
            (middle - radius, middle - radius, middle + radius, middle + radius),
            outline=ink,
            width=round(width),
        )
    draw.polygon(_star((middle, middle - size * 0.06), size * 0.085), fill=ink)
    text = name.upper()
    font = _font(("LiberationSans-Bold.ttf", "DejaVuSans-Bold.ttf"), max(8, int(size * 0.062)))
    ring = size * 0.405
    gap = 1.08
    widths = [draw.textlength(ch, font=font) * gap for ch in text]
    # Clockwise along the top of the ring, centred on top (-90° in image coordinates), at most 330° long.
    sweep = min(2 * math.pi * 0.92, sum(widths) / ring)
    per_pixel = sweep / sum(widths)
    angle = -math.pi / 2 - sweep / 2
    box = int(font.size * 1.6)  # type: ignore[union-attr]
    for ch, w in zip(text, widths, strict=True):
        theta = angle + w * per_pixel / 2
        glyph = Image.new("RGBA", (box, box), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((box / 2, box / 2), ch, font=font, fill=ink, anchor="mm")
        # The letter's top faces outwards: upright at the top of the ring, turned with it elsewhere.
        glyph = glyph.rotate(
            -math.degrees(theta + math.pi / 2), resample=Image.Resampling.BICUBIC, expand=True
        )
        x = middle + ring * math.cos(theta) - glyph.width / 2
        y = middle + ring * math.sin(theta) - glyph.height / 2
        image.alpha_composite(glyph, (round(x), round(y)))
        angle += w * per_pixel
    small = _font(("LiberationSans-Bold.ttf", "DejaVuSans-Bold.ttf"), max(8, int(size * 0.07)))
    draw.text((middle, middle + size * 0.12), centre_text, font=small, fill=ink, anchor="mm")
    return _png(image.resize((size // scale, size // scale), Image.Resampling.LANCZOS))


# --- the PKI --------------------------------------------------------------------------------------------


def _write_private(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)


def _root(directory: Path, now: dt.datetime) -> pki.Issued:
    """The demo root CA kept under ``directory`` (its key encrypted with the demo password), made once."""
    certificate_path, key_path = directory / "root-ca.pem", directory / "root-ca-key.pem"
    if certificate_path.exists() and key_path.exists():
        certificate = x509.load_pem_x509_certificate(certificate_path.read_bytes())
        key = serialization.load_pem_private_key(key_path.read_bytes(), DEMO_PASSWORD.encode())
        if isinstance(key, rsa.RSAPrivateKey) and certificate.not_valid_after_utc > now + dt.timedelta(
            days=30
        ):
            return pki.Issued(key, certificate)
    root = pki.make_root(now)
    directory.mkdir(parents=True, exist_ok=True)
    certificate_path.write_bytes(root.certificate.public_bytes(serialization.Encoding.PEM))
    encryption = serialization.BestAvailableEncryption(DEMO_PASSWORD.encode())
    _write_private(
        key_path,
        root.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption),
    )
    return root


def _subject(common: str, agency: Agency, title: str = "") -> x509.Name:
    parts = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "Tỉnh Sông Lam"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, agency.name[:64]),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, f"MĐĐT:{agency.code}"),
    ]
    if title:
        parts.append(x509.NameAttribute(NameOID.TITLE, title[:64]))
    parts.append(x509.NameAttribute(NameOID.COMMON_NAME, common[:64]))
    return x509.Name(parts)


def _key_file(path: Path, root: pki.Issued, subject: x509.Name, now: dt.datetime) -> None:
    """Keep the key file at ``path`` if it holds a live certificate from ``root`` for ``subject``; else issue.

    The certificate is also kept beside it in PEM: opening the PKCS#12 file costs ~40 ms (key checks), which the
    demo would pay on every fresh database.
    """
    pem = path.with_suffix(".pem")
    if path.exists() and pem.exists():
        try:
            held = x509.load_pem_x509_certificate(pem.read_bytes())
            held.verify_directly_issued_by(root.certificate)
            if held.subject == subject and held.not_valid_after_utc > now + dt.timedelta(days=30):
                return
        except (ValueError, TypeError, InvalidSignature):
            pass  # unusable: issue a new one
    issued = pki.issue_signing(root, subject, now)
    _write_private(path, pki.pkcs12_bytes(issued, root, subject.rfc4514_string()[:60], DEMO_PASSWORD))
    pem.write_bytes(issued.certificate.public_bytes(serialization.Encoding.PEM))


def _image(path: Path, make: Callable[..., bytes], *arguments: str) -> bytes:
    """The demo image kept at ``path``, drawn once (drawing a signature takes a few hundred milliseconds)."""
    if path.exists():
        return path.read_bytes()
    data = make(*arguments)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return data


def _trust(root: pki.Issued) -> None:
    path = Path(settings.DATA_DIR) / "trust" / TRUST_FILE
    pem = root.certificate.public_bytes(serialization.Encoding.PEM)
    if not path.exists() or path.read_bytes() != pem:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pem)


def _leaders() -> list[tuple[Person, Agency, str]]:
    """``(person, agency, position)`` for each active person holding the leader role (their first agency)."""
    seen: dict[int, tuple[Person, Agency, str]] = {}
    for role in (
        RoleAssignment.objects.filter(role=Role.LEADER, is_active=True, person__is_active=True)
        .select_related("person", "agency", "position")
        .order_by("person__username", "agency__code")
    ):
        seen.setdefault(
            role.person_id, (role.person, role.agency, role.position.name if role.position else "")
        )
    return list(seen.values())


def _agencies_with_clerks() -> list[Agency]:
    ids = RoleAssignment.objects.filter(role=Role.CLERK, is_active=True).values("agency_id")
    return list(Agency.objects.filter(pk__in=ids, is_active=True).order_by("code"))


def load_demo_keys(report: DemoReport) -> None:
    """Give every demo leader and every agency with a clerk a key-file key; change nothing when they have one."""
    data = Path(settings.DATA_DIR)
    directory = data / PKI_DIRECTORY
    now = dt.datetime.now(dt.UTC)
    people = [(p, a, t) for p, a, t in _leaders() if personal_key_for(p) is None]
    agencies = [a for a in _agencies_with_clerks() if agency_key_for(a) is None]
    trust_present = (data / "trust" / TRUST_FILE).exists()
    if people or agencies or not trust_present:
        root = _root(directory, now)
        _trust(root)
        for person, agency, title in people:
            path = directory / "people" / f"{person.get_username()}.p12"
            _key_file(path, root, _subject(person.full_name or person.get_username(), agency, title), now)
            name = person.full_name or person.get_username()
            services.register_signing_key(
                actor=None,
                person=person,
                backend="keyfile",
                config={"path": str(path.relative_to(data))},
                secret=DEMO_PASSWORD,
                image_png=_image(directory / "images" / f"{person.get_username()}.png", signature_png, name),
            )
        for agency in agencies:
            path = directory / "agencies" / f"{agency.code}.p12"
            _key_file(path, root, _subject(agency.name, agency), now)
            services.register_signing_key(
                actor=None,
                agency=agency,
                backend="keyfile",
                config={"path": str(path.relative_to(data))},
                secret=DEMO_PASSWORD,
                image_png=_image(
                    directory / "images" / f"{agency.code}.png", seal_png, agency.name, agency.code
                ),
            )
    state = (
        _("%(people)s khóa cá nhân, %(agencies)s khóa cơ quan mới")
        % {"people": len(people), "agencies": len(agencies)}
        if people or agencies
        else _("không có gì thay đổi")
    )
    report.notes.append(
        _(
            "Khóa ký số thử nghiệm (tệp PKCS#12 trong %(dir)s, mật khẩu '%(password)s') cho %(leaders)s lãnh đạo và "
            "%(count)s cơ quan có văn thư; chứng thư gốc thử nghiệm đặt làm điểm tin cậy – %(state)s."
        )
        % {
            "dir": directory,
            "password": DEMO_PASSWORD,
            "leaders": SigningKey.objects.filter(purpose="personal", is_active=True).count(),
            "count": SigningKey.objects.filter(purpose="agency", is_active=True).count(),
            "state": state,
        }
    )


def has_demo_keys() -> bool:
    return SigningKey.objects.exists()
