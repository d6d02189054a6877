"""PAdES signatures and their validation per second (lienthong/signing/pades.py, validation.py), no database.

The document is the tests' two-page A4 decision (WeasyPrint, Liberation Serif). Figures, one operation at a time
in one process:

* the leader's visible signature with the handwritten image (after number and date fields were added);
* the clerk's agency signature with the seal at real size, filling number and date in the same update;
* an invisible signature;
* the same leader signature with pyHanko's plain SimpleSigner, which parses the private key again for every
  signature (what our KeyFileSigner avoids);
* validation of the issued document (two signatures, the first followed by form filling), per signature;
* the first visible signature of a fresh process (font subsetting, image decoding) — once.

Baseline in the same run: raw RSA-2048 PKCS#1 v1.5 SHA-256 signatures with ``cryptography`` over 32 bytes.
Prints JSON.

    .venv/bin/python bench/signatures.py [--seconds 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lienthong.settings")
os.environ.setdefault("LIENTHONG_DATA_DIR", tempfile.mkdtemp(prefix="lienthong-bench-"))
os.environ.setdefault("LIENTHONG_LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from cryptography.hazmat.primitives import hashes  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import padding  # noqa: E402
from pyhanko.sign.signers import SimpleSigner  # noqa: E402

from lienthong.signing.keys import load_pkcs12  # noqa: E402
from lienthong.signing.pades import (  # noqa: E402
    SealAppearance,
    SignerAppearance,
    add_designated_fields,
    seal_box_over,
    sign_pdf,
    signer_from_keyfile,
)
from lienthong.signing.tests.pades_helpers import (  # noqa: E402
    DATE_BOX,
    NUMBER_BOX,
    PASSWORD,
    SIGNER_BOX,
    document_pdf,
    make_pki,
    seal_png,
    signature_png,
)
from lienthong.signing.validation import validate_pdf  # noqa: E402

TITLE = "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"


def _measure(step: Callable[[], object], seconds: float, minimum: int = 20) -> dict[str, float]:
    """Wall time of each call (p50, p95), and CPU time of this process per call — the figure that does not
    move when other programs share the two cores."""
    samples: list[float] = []
    began = time.perf_counter()
    cpu_began = time.process_time()
    while len(samples) < minimum or time.perf_counter() - began < seconds:
        start = time.perf_counter()
        step()
        samples.append((time.perf_counter() - start) * 1000)
    cpu_ms = (time.process_time() - cpu_began) * 1000 / len(samples)
    samples.sort()
    return {
        "per_second": round(len(samples) / (sum(samples) / 1000), 1),
        "mean_ms": round(statistics.fmean(samples), 2),
        "p50_ms": round(samples[len(samples) // 2], 2),
        "p95_ms": round(samples[int(len(samples) * 0.95) - 1], 2),
        "cpu_ms": round(cpu_ms, 2),
        "runs": len(samples),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()

    keys = make_pki(Path(tempfile.mkdtemp(prefix="lienthong-bench-pki-")))
    document = document_pdf()
    prepared = add_designated_fields(document, {"so_ky_hieu": NUMBER_BOX, "ngay_ban_hanh": DATE_BOX})
    leader = SignerAppearance(SIGNER_BOX, TITLE, "Lương Văn Tài", signature_png())
    seal = SealAppearance(seal_box_over(SIGNER_BOX, seal_png()), seal_png())
    fill = {"so_ky_hieu": "Số: 15/QĐ-UBND", "ngay_ban_hanh": "Thành Lam, ngày 06 tháng 12 năm 2026"}

    began = time.perf_counter()
    personal = sign_pdf(prepared, keys.person, field_name="ChuKyLanhDao", appearance=leader)
    first_ms = (time.perf_counter() - began) * 1000
    issued = sign_pdf(personal, keys.agency, field_name="ChuKyCoQuan", appearance=seal, fill=fill)
    report = validate_pdf(issued, [keys.anchor])
    assert report.all_valid_and_trusted, report.as_text()
    assert [s.changes_after for s in report.signatures] == ["form_filling", "none"]

    plain_signer = SimpleSigner.load_pkcs12(str(keys.directory / "person.p12"), passphrase=PASSWORD.encode())
    assert plain_signer is not None
    private_key = keys.root.key  # any RSA-2048 key: the baseline is the bare operation
    message = b"\x00" * 32

    results: dict[str, Any] = {
        "benchmark": "PAdES signing and validation with pyHanko on a 2-page A4 decision, one at a time",
        "python": sys.version.split()[0],
        "document_bytes": len(document),
        "issued_document_bytes": len(issued),
        "first_visible_signature_in_process_ms": round(first_ms, 1),
    }
    results["leader_visible_with_image"] = _measure(
        lambda: sign_pdf(prepared, keys.person, field_name="ChuKyLanhDao", appearance=leader), args.seconds
    )
    results["agency_seal_with_fill"] = _measure(
        lambda: sign_pdf(personal, keys.agency, field_name="ChuKyCoQuan", appearance=seal, fill=fill),
        args.seconds,
    )
    # What the key-file back-end does for every signature: open the PKCS#12 file with the password the person
    # types, then sign. Opening it has OpenSSL check the RSA key (most of the cost), once per signature.
    person_p12 = (keys.directory / "person.p12").read_bytes()
    results["leader_visible_opening_the_key_file"] = _measure(
        lambda: sign_pdf(
            prepared,
            signer_from_keyfile(load_pkcs12(person_p12, PASSWORD)),
            field_name="ChuKyLanhDao",
            appearance=leader,
        ),
        args.seconds,
    )
    results["opening_the_key_file_alone"] = _measure(lambda: load_pkcs12(person_p12, PASSWORD), args.seconds)
    results["invisible"] = _measure(
        lambda: sign_pdf(document, keys.agency, field_name="Signature1"), args.seconds
    )
    results["leader_visible_with_pyhanko_simplesigner"] = _measure(
        lambda: sign_pdf(prepared, plain_signer, field_name="ChuKyLanhDao", appearance=leader), args.seconds
    )
    validation = _measure(lambda: validate_pdf(issued, [keys.anchor]), args.seconds)
    signatures = len(report.signatures)
    results["validation_of_issued_document"] = validation
    results["validation_per_signature"] = {
        "p50_ms": round(validation["p50_ms"] / signatures, 2),
        "mean_ms": round(validation["mean_ms"] / signatures, 2),
        "cpu_ms": round(validation["cpu_ms"] / signatures, 2),
    }
    results["baseline_raw_rsa2048_pkcs1v15_sha256"] = _measure(
        lambda: private_key.sign(message, padding.PKCS1v15(), hashes.SHA256()), args.seconds, minimum=200
    )
    results["targets"] = {
        "visible_signature_ms_at_most": 100,
        "validation_per_signature_ms_at_most": 20,
        "leader_visible_p50_ms": results["leader_visible_with_image"]["p50_ms"],
        "agency_seal_p50_ms": results["agency_seal_with_fill"]["p50_ms"],
        "leader_visible_opening_the_key_file_p50_ms": results["leader_visible_opening_the_key_file"][
            "p50_ms"
        ],
        "validation_per_signature_p50_ms": results["validation_per_signature"]["p50_ms"],
    }
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
