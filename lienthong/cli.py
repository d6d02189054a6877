"""The ``lienthong`` command: Django's manage.py with our settings, and a help page of our own commands."""

from __future__ import annotations

import os
import sys

# Our commands, in the order a newcomer meets them. Later capabilities add theirs here.
OUR_COMMANDS: list[tuple[str, str]] = [
    (
        "run [--port N]",
        "Cài đặt CSDL, nạp dữ liệu mẫu lần đầu, chạy tiến trình nền và phục vụ tại http://127.0.0.1:8000",
    ),
    (
        "demo",
        "Tạo (hoặc cập nhật) tỉnh mẫu: cơ quan, đơn vị, cán bộ, lịch, danh mục thủ tục hành chính; in tài khoản",
    ),
    ("worker", "Chạy tiến trình xử lý việc nền (hàng đợi trong CSDL); chạy thêm trên máy khác để mở rộng"),
    ("audit verify", "Kiểm tra chuỗi băm của nhật ký; thoát 0 khi nguyên vẹn, khác 0 và nêu bản ghi hỏng"),
    (
        "calendar seed [--years 2025-2030]",
        "Nạp ngày lễ, nghỉ bù, thứ Bảy làm bù từ thư viện holidays vào lịch",
    ),
    (
        "directory import FILE [--dry-run]",
        "Nhập danh bạ cơ quan, đơn vị từ CSV hoặc XLSX (lỗi một dòng thì không ghi gì)",
    ),
    ("directory export FILE [--format csv|xlsx]", "Xuất danh bạ cơ quan, đơn vị ra CSV hoặc XLSX"),
    ("catalog import FILE [--apply]", "Nhập thủ tục từ JSON quốc gia hoặc XLSX/CSV: chạy thử, rồi áp dụng"),
    ("catalog apply ID", "Áp dụng một lần nhập thủ tục đã chạy thử"),
    ("migrate", "Tạo hoặc nâng cấp cấu trúc CSDL"),
    ("createsuperuser", "Tạo tài khoản quản trị hệ thống"),
    (
        "pki demo DIR [--password PASS]",
        "Tạo hạ tầng khóa thử nghiệm: root-ca.pem, agency.p12, person.p12 (mật khẩu mặc định demo)",
    ),
    (
        "pdf sign INPUT OUTPUT --p12 FILE --password PASS [--visible] [--reason TEXT]",
        "Ký số PAdES tệp PDF (thêm --image PNG, --page N, --box x1,y1,x2,y2, --tsa URL)",
    ),
    (
        "pdf verify FILE [--trust CA.pem] [--json]",
        "Kiểm tra mọi chữ ký trong PDF; thoát 0 khi mọi chữ ký hợp lệ và tin cậy, 1 khi không, 2 khi tệp hỏng",
    ),
    (
        "csc serve [--host H] [--port N]",
        "Chạy dịch vụ ký số từ xa thử nghiệm theo CSC API v2 (ký bằng khóa thử nghiệm, mã OTP 123456)",
    ),
]


def _print_help() -> None:
    print("lienthong – công cụ quản trị nền tảng LiênThông\n")
    print("Cách dùng: lienthong <lệnh> [tuỳ chọn]\n")
    width = max(len(name) for name, _ in OUR_COMMANDS)
    for name, description in OUR_COMMANDS:
        print(f"  {name.ljust(width)}  {description}")
    print(
        "\n'lienthong <lệnh> --help' cho chi tiết một lệnh; 'lienthong help --all' liệt kê mọi lệnh của Django."
    )


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lienthong.settings")
    if len(args) < 2 or args[1] in {"-h", "--help"} or args[1:] == ["help"]:
        _print_help()
        return
    if args[1:] == ["help", "--all"]:
        args = [args[0], "help"]
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()
