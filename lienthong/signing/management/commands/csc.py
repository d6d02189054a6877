from __future__ import annotations

import json
import signal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lienthong.signing.csc_service import DemoCredential, DemoCscService
from lienthong.signing.demo import DEMO_PASSWORD, PKI_DIRECTORY
from lienthong.signing.keys import load_pkcs12


class Command(BaseCommand):
    help = (
        "Dịch vụ ký số từ xa thử nghiệm (CSC API v2): 'csc serve' phục vụ các khóa cá nhân của dữ liệu mẫu "
        "(LIENTHONG_DATA_DIR/pki/people/*.p12) để thử ký trên điện thoại, ký số đám mây; không dùng cho thật."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        serve = sub.add_parser("serve", help="Chạy dịch vụ CSC thử nghiệm tới khi nhấn Ctrl+C")
        serve.add_argument("--host", default="127.0.0.1")
        serve.add_argument("--port", type=int, default=8765)
        serve.add_argument(
            "--user", default="lienthong", help="Tài khoản của hệ thống tại dịch vụ (auth/login)"
        )
        serve.add_argument("--password", default=DEMO_PASSWORD, help="Mật khẩu tài khoản đó")
        serve.add_argument("--otp", default="123456", help="Mã OTP người ký nhập khi ký (mặc định 123456)")
        serve.add_argument(
            "--phone", action="store_true", help="Người ký xác nhận trên điện thoại thay vì nhập mã OTP"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        folder = Path(settings.DATA_DIR) / PKI_DIRECTORY / "people"
        credentials = []
        for path in sorted(folder.glob("*.p12")):
            key = load_pkcs12(path.read_bytes(), DEMO_PASSWORD)
            credentials.append(
                DemoCredential(
                    credential_id=path.stem,
                    owner=options["user"],
                    key=key.key,
                    certificate=key.certificate,
                    chain=list(key.chain),
                    code=None if options["phone"] else options["otp"],
                )
            )
        if not credentials:
            raise CommandError(f"{folder}: chưa có khóa mẫu; chạy 'lienthong demo' trước.")
        service = DemoCscService(credentials, users={options["user"]: options["password"]})
        with service.serve(options["host"], options["port"]) as url:
            self.stdout.write(f"Dịch vụ CSC thử nghiệm: {url}/csc/v2/ – {len(credentials)} khóa.")
            self.stdout.write("Cấu hình khóa (kiểu csc) cho từng lãnh đạo; đặt biến môi trường CSC_PASSWORD:")
            for credential in credentials:
                config = {
                    "url": url,
                    "credential_id": credential.credential_id,
                    "username": options["user"],
                    "password_env": "CSC_PASSWORD",
                }
                self.stdout.write(f"  {json.dumps(config, ensure_ascii=False)}")
            try:
                signal.pause()
            except KeyboardInterrupt:
                self.stdout.write("Đã dừng.")
