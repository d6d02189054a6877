from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from cryptography.x509.oid import NameOID
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lienthong.core.errors import DomainError
from lienthong.signing import pades
from lienthong.signing.keys import KeyFile, load_pkcs12
from lienthong.signing.trust import load_pem_certificates
from lienthong.signing.validation import validate_pdf

# Exit codes of `pdf verify` (and of `pdf sign` for unusable input): scripts rely on them.
EXIT_NOT_ACCEPTED = 1
EXIT_BAD_INPUT = 2


def _read(path: str, what: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise CommandError(
            f"{path}: không đọc được {what} ({exc.strerror})", returncode=EXIT_BAD_INPUT
        ) from None


def _refused(error: DomainError) -> CommandError:
    where = f" [{error.field}: {error.rule}]" if error.field else f" [{error.rule}]"
    return CommandError(error.message + where, returncode=EXIT_BAD_INPUT)


def _box(text: str, page: int) -> pades.Box:
    try:
        x1, y1, x2, y2 = (float(v) for v in text.split(","))
    except ValueError:
        raise CommandError(
            "--box phải có dạng x1,y1,x2,y2 (điểm, gốc ở góc dưới trái trang)", returncode=EXIT_BAD_INPUT
        ) from None
    return pades.Box(page, x1, y1, x2, y2)


def _attribute(key: KeyFile, oid: Any) -> str:
    found = key.certificate.subject.get_attributes_for_oid(oid)
    return str(found[0].value) if found else ""


class Command(BaseCommand):
    help = (
        "Chữ ký PAdES trên PDF: 'pdf sign VÀO RA --p12 TỆP --password MẬT_KHẨU' ký (hiện hình với --visible), "
        "'pdf verify TỆP [--trust GỐC.pem] [--json]' kiểm tra mọi chữ ký: thoát 0 khi mọi chữ ký hợp lệ và tin "
        "cậy, 1 khi không (hoặc không có chữ ký), 2 khi tệp không phải PDF hay không đọc được."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sign = sub.add_parser("sign", help="Ký số một tệp PDF bằng khóa trong tệp PKCS#12")
        sign.add_argument("input", help="Tệp PDF cần ký")
        sign.add_argument("output", help="Tệp PDF đã ký (ghi mới hoặc ghi đè)")
        sign.add_argument("--p12", required=True, help="Tệp PKCS#12 (.p12, .pfx) chứa khóa và chứng thư")
        sign.add_argument("--password", default="", help="Mật khẩu tệp PKCS#12")
        sign.add_argument("--visible", action="store_true", help="Hiện hình chữ ký trên trang")
        sign.add_argument("--reason", default="", help="Lý do ký")
        sign.add_argument("--location", default="", help="Nơi ký")
        sign.add_argument(
            "--image", help="Ảnh PNG: chữ ký tay (chứng thư cá nhân) hoặc con dấu (chứng thư cơ quan)"
        )
        sign.add_argument("--page", type=int, help="Trang đặt hình chữ ký, đếm từ 1 (mặc định: trang cuối)")
        sign.add_argument("--box", help="Khung hình chữ ký x1,y1,x2,y2 theo điểm (mặc định: góc dưới phải)")
        sign.add_argument("--field", help="Tên trường chữ ký (mặc định Signature1, Signature2, …)")
        sign.add_argument(
            "--tsa", help="Địa chỉ dịch vụ dấu thời gian RFC 3161 (mặc định: LIENTHONG_TSA_URL)"
        )
        verify = sub.add_parser("verify", help="Kiểm tra mọi chữ ký trong một tệp PDF")
        verify.add_argument("file", help="Tệp PDF cần kiểm tra")
        verify.add_argument(
            "--trust",
            action="append",
            default=[],
            help="Chứng thư gốc tin cậy (tệp PEM hoặc thư mục *.pem); lặp lại được. Mặc định: LIENTHONG_TRUST_ANCHORS",
        )
        verify.add_argument("--json", action="store_true", help="In kết quả dạng JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "sign":
                self._sign(options)
            else:
                self._verify(options)
        except DomainError as error:
            raise _refused(error) from None

    def _sign(self, options: dict[str, Any]) -> None:
        pdf = _read(options["input"], "tệp PDF")
        key = load_pkcs12(_read(options["p12"], "tệp PKCS#12"), options["password"])
        signer = pades.signer_from_keyfile(key)
        reader = pades.open_pdf(pdf, "input")
        field = options["field"] or self._next_field_name(reader)
        image = _read(options["image"], "ảnh PNG") if options["image"] else None
        appearance: pades.SignerAppearance | pades.SealAppearance | None = None
        if options["visible"] or options["box"] or options["image"] or options["page"] is not None:
            count = pades.page_count(reader)
            page = count - 1 if options["page"] is None else options["page"] - 1
            if not 0 <= page < count:
                raise CommandError(
                    f"--page {options['page']}: tài liệu có {count} trang", returncode=EXIT_BAD_INPUT
                )
            box = _box(options["box"], page) if options["box"] else pades.default_box(pdf, page)
            # A personal certificate carries the holder's title; an agency's does not, and signs with its seal.
            title = _attribute(key, NameOID.TITLE)
            name = _attribute(key, NameOID.COMMON_NAME)
            if title:
                appearance = pades.SignerAppearance(box=box, title=title.upper(), name=name, image_png=image)
            else:
                appearance = pades.SealAppearance(box=box, image_png=image)
        signed = pades.sign_pdf(
            pdf,
            signer,
            field_name=field,
            appearance=appearance,
            reason=options["reason"],
            location=options["location"],
            timestamp_url=options["tsa"],
        )
        output = Path(options["output"])
        partial = output.with_name(output.name + ".part")
        try:
            partial.write_bytes(signed)
            os.replace(partial, output)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise CommandError(
                f"{output}: không ghi được ({exc.strerror})", returncode=EXIT_BAD_INPUT
            ) from None
        self.stdout.write(f"{output}: đã ký (trường {field})")

    @staticmethod
    def _next_field_name(reader: Any) -> str:
        taken = set(pades.form_fields(reader))
        number = 1
        while f"Signature{number}" in taken:
            number += 1
        return f"Signature{number}"

    def _verify(self, options: dict[str, Any]) -> None:
        pdf = _read(options["file"], "tệp PDF")
        trust = None
        if options["trust"]:
            paths: list[Path] = []
            for item in options["trust"]:
                path = Path(item)
                if not path.exists():
                    raise CommandError(f"{item}: không có tệp hay thư mục này", returncode=EXIT_BAD_INPUT)
                paths.extend(sorted(path.glob("*.pem")) if path.is_dir() else [path])
            trust = load_pem_certificates(paths, "trust")
        report = validate_pdf(pdf, trust)
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(report.as_text())
        if not report.all_valid_and_trusted:
            reason = (
                "không có chữ ký" if not report.signatures else "có chữ ký không hợp lệ hoặc không tin cậy"
            )
            raise CommandError(f"{options['file']}: {reason}", returncode=EXIT_NOT_ACCEPTED)
