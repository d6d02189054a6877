"""Demo procedures of justice: civil status, certification, criminal records, notaries."""

from __future__ import annotations

from .parts import (
    CIVIL_PAPERS,
    CONTRACT,
    FOREIGN_PAPERS,
    FORM,
    FREE,
    FULL,
    ID,
    INFO,
    MARRIAGE_AGE,
    ORIGINAL,
    PARTIAL,
    PASSPORT,
    PC,
    PHOTOS,
    PREMISES,
    PROXY,
    SAME_DAY,
    C,
    FieldSeed,
    P,
    Seed,
    cases,
    copy_of,
    fee,
    form,
    law,
    p,
    paper,
)

# fmt: off
HO_TICH = FieldSeed("H99-HT01", "Hộ tịch", 41, 3, (
    law("60/2014/QH13", "Luật Hộ tịch"),
    law("123/2015/NĐ-CP", "Nghị định quy định chi tiết một số điều và biện pháp thi hành Luật Hộ tịch"),
    law("04/2020/TT-BTP", "Thông tư quy định chi tiết thi hành Luật Hộ tịch và Nghị định 123/2015/NĐ-CP"),
    law("85/2019/TT-BTC", "Thông tư hướng dẫn về phí và lệ phí thuộc thẩm quyền của Hội đồng nhân dân tỉnh"),
))
# (event, its form, the paper proving it, what the registration gives)
EVENTS = (
    ("khai sinh",
     form("Tờ khai đăng ký khai sinh (theo mẫu)", "to-khai-dang-ky-khai-sinh.html"),
     paper("Giấy chứng sinh hoặc văn bản của người làm chứng xác nhận việc sinh"),
     "Giấy khai sinh (bản chính)"),
    ("kết hôn",
     form("Tờ khai đăng ký kết hôn (theo mẫu)", "to-khai-dang-ky-ket-hon.html"),
     paper("Giấy xác nhận tình trạng hôn nhân, khi hai bên cư trú ở hai xã khác nhau", required=False),
     "Giấy chứng nhận kết hôn (bản chính, mỗi bên một bản)"),
    ("khai tử",
     form("Tờ khai đăng ký khai tử (theo mẫu)", "to-khai-dang-ky-khai-tu.html"),
     paper("Giấy báo tử hoặc giấy tờ thay thế giấy báo tử"),
     "Trích lục khai tử (bản chính)"),
)
BIRTH, MARRIAGE, DEATH = EVENTS
LOST = (
    "đã được đăng ký tại cơ quan có thẩm quyền của Việt Nam nhưng sổ hộ tịch và bản chính giấy tờ hộ tịch "
    "đều bị mất."
)
MOBILE = (
    "Người yêu cầu ốm đau, khuyết tật, già yếu hoặc có lý do chính đáng khác không thể đến trụ sở Ủy ban nhân "
    "dân cấp xã."
)
ABROAD = "đã được giải quyết tại cơ quan có thẩm quyền của nước ngoài"
LINKED_FORM = form("Tờ khai liên thông (theo mẫu)")
HO_TICH_SEEDS = [
    p("Đăng ký khai sinh", C, "8h", FREE, FULL, (BIRTH[1], BIRTH[2], ID, PROXY), BIRTH[3], note=SAME_DAY),
    p("Đăng ký kết hôn", C, "8h", FREE, PARTIAL, (MARRIAGE[1], MARRIAGE[2], ID), MARRIAGE[3],
      eligibility=MARRIAGE_AGE, note="Giải quyết trong ngày; cần xác minh thì không quá 05 ngày làm việc."),
    p("Đăng ký khai tử", C, "8h", FREE, FULL, (DEATH[1], DEATH[2], ID, PROXY), DEATH[3], note=SAME_DAY),
    *[p(f"Đăng ký lại {event}", C, "5d", fee(5000), PARTIAL, (f, CIVIL_PAPERS, ID, PROXY), result,
        eligibility=f"Việc {event} {LOST}")
      for event, f, _doc, result in EVENTS],
    *[p(f"Đăng ký {event} có yếu tố nước ngoài", C, "10d" if event == "kết hôn" else "3d",
        fee(1000000 if event == "kết hôn" else 75000), PARTIAL, (f, doc, FOREIGN_PAPERS, PASSPORT), result)
      for event, f, doc, result in EVENTS],
    *[p(f"Đăng ký {event} lưu động", C, "5d", FREE, INFO, (f, doc, ID), result, eligibility=MOBILE)
      for event, f, doc, result in EVENTS],
    p("Đăng ký nhận cha, mẹ, con", C, "3d", fee(15000), PARTIAL,
      (FORM, paper("Văn bản hoặc chứng cứ chứng minh quan hệ cha, mẹ, con"), ID),
      "Trích lục đăng ký nhận cha, mẹ, con"),
    p("Đăng ký khai sinh kết hợp nhận cha, mẹ, con", C, "3d", fee(15000), PARTIAL,
      (FORM, BIRTH[2], paper("Chứng cứ chứng minh quan hệ cha, con hoặc mẹ, con"), ID),
      "Giấy khai sinh (bản chính)"),
    p("Đăng ký giám hộ", C, "3d", fee(15000), PARTIAL, (FORM, paper("Văn bản cử người giám hộ"), ID),
      "Trích lục đăng ký giám hộ"),
    p("Đăng ký chấm dứt giám hộ", C, "2d", fee(15000), PARTIAL, (FORM, CIVIL_PAPERS, ID),
      "Trích lục đăng ký chấm dứt giám hộ"),
    p("Đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch", C, "3d",
      cases(("Thay đổi, cải chính hộ tịch", 15000), ("Bổ sung thông tin hộ tịch", 0)), FULL,
      (FORM, copy_of("Giấy tờ làm căn cứ cho việc thay đổi, cải chính, bổ sung"), ID),
      "Trích lục thay đổi, cải chính, bổ sung thông tin hộ tịch"),
    p("Cấp Giấy xác nhận tình trạng hôn nhân", C, "3d", fee(10000), FULL,
      (form("Tờ khai cấp Giấy xác nhận tình trạng hôn nhân (theo mẫu)",
            "to-khai-xac-nhan-tinh-trang-hon-nhan.html"),
       copy_of("Bản án, quyết định ly hôn hoặc trích lục khai tử của vợ, chồng trước (nếu có)", required=False),
       ID),
      "Giấy xác nhận tình trạng hôn nhân"),
    p("Cấp bản sao trích lục hộ tịch", PC, "8h", cases(("Mỗi bản sao trích lục", 8000), kind="phí"), FULL,
      (FORM, ID, PROXY), "Bản sao trích lục hộ tịch", note=SAME_DAY),
    p(f"Ghi vào Sổ hộ tịch việc kết hôn của công dân Việt Nam {ABROAD}", C, "5d", fee(50000), PARTIAL,
      (FORM, FOREIGN_PAPERS, ID), "Trích lục ghi chú kết hôn"),
    p(f"Ghi vào Sổ hộ tịch việc ly hôn, hủy việc kết hôn {ABROAD}", C, "5d", fee(50000), PARTIAL,
      (FORM, FOREIGN_PAPERS, ID), "Trích lục ghi chú ly hôn"),
    p("Liên thông thủ tục hành chính về đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ "
      "em dưới 6 tuổi", C, "10d", FREE, FULL, (LINKED_FORM, BIRTH[2], ID),
      "Giấy khai sinh, xác nhận đăng ký thường trú và thẻ bảo hiểm y tế của trẻ"),
    p("Liên thông thủ tục hành chính về đăng ký khai tử, xóa đăng ký thường trú, hỗ trợ chi phí mai táng",
      C, "15d", FREE, FULL, (LINKED_FORM, DEATH[2], ID),
      "Trích lục khai tử, xác nhận xóa đăng ký thường trú và quyết định hỗ trợ chi phí mai táng"),
]

CHUNG_THUC = FieldSeed("H99-CT01", "Chứng thực", 43, 3, (
    law("23/2015/NĐ-CP", "Nghị định về cấp bản sao từ sổ gốc, chứng thực bản sao từ bản chính, chứng thực "
        "chữ ký và chứng thực hợp đồng, giao dịch"),
    law("01/2020/TT-BTP", "Thông tư quy định chi tiết và hướng dẫn thi hành Nghị định 23/2015/NĐ-CP"),
    law("226/2016/TT-BTC", "Thông tư quy định mức thu, chế độ thu, nộp, quản lý và sử dụng phí chứng thực"),
))
COPY_FEE = cases(("Trang thứ nhất, thứ hai", 2000), ("Từ trang thứ ba, mỗi trang", 1000),
                 ("Tối đa một bản", 200000), kind="phí")
SIGNATURE_FEE = cases(("Mỗi trường hợp", 10000), kind="phí")
CONTRACT_FEE = cases(("Mỗi hợp đồng, giao dịch, văn bản", 50000), kind="phí")
IN_HOURS = "Trong giờ làm việc, ngay khi tiếp nhận; nhận sau 15 giờ thì trả trong ngày làm việc tiếp theo."
CERTIFY_FORM = form("Phiếu yêu cầu chứng thực (theo mẫu)", "phieu-yeu-cau-chung-thuc.html")
OWNERSHIP = copy_of("Giấy tờ chứng minh quyền sở hữu, quyền sử dụng tài sản")
OWN_COPY = copy_of("Bản sao cần chứng thực (nếu người yêu cầu tự chuẩn bị)", required=False)
CONTRACTS = (
    "hợp đồng, giao dịch liên quan đến tài sản là động sản",
    "hợp đồng, giao dịch liên quan đến thực hiện quyền của người sử dụng đất",
    "hợp đồng, giao dịch về nhà ở",
    "di chúc",
    "văn bản thỏa thuận phân chia di sản mà di sản là động sản, quyền sử dụng đất, nhà ở",
    "văn bản khai nhận di sản mà di sản là động sản, quyền sử dụng đất, nhà ở",
)
CHUNG_THUC_SEEDS = [
    p("Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền của Việt Nam cấp hoặc "
      "chứng nhận", C, "4h", COPY_FEE, PARTIAL, (ORIGINAL, OWN_COPY), "Bản sao có chứng thực", note=IN_HOURS),
    p("Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền của nước ngoài cấp",
      C, "4h", COPY_FEE, INFO, (ORIGINAL,), "Bản sao có chứng thực", note=IN_HOURS),
    p("Chứng thực chữ ký trong các giấy tờ, văn bản (áp dụng cả trường hợp chứng thực điểm chỉ)", C, "4h",
      SIGNATURE_FEE, INFO, (paper("Giấy tờ, văn bản cần chứng thực chữ ký"), ID),
      "Giấy tờ, văn bản đã chứng thực chữ ký", note=IN_HOURS),
    p("Chứng thực chữ ký người dịch mà người dịch là cộng tác viên dịch thuật của Ủy ban nhân dân cấp xã",
      C, "4h", SIGNATURE_FEE, INFO, (paper("Bản dịch và giấy tờ, văn bản cần dịch"), ID),
      "Bản dịch đã chứng thực chữ ký", note=IN_HOURS),
    *[p(f"Chứng thực {what}", C, "2d", CONTRACT_FEE, INFO, (CERTIFY_FORM, CONTRACT, ID, OWNERSHIP),
        "Hợp đồng, văn bản đã được chứng thực",
        eligibility="Các bên có mặt và ký trước mặt người thực hiện chứng thực.")
      for what in CONTRACTS],
    p("Chứng thực việc sửa đổi, bổ sung, hủy bỏ hợp đồng, giao dịch", C, "2d",
      cases(("Mỗi văn bản", 30000), kind="phí"), INFO,
      (CONTRACT, paper("Hợp đồng, giao dịch đã được chứng thực"), ID),
      "Văn bản sửa đổi, bổ sung đã được chứng thực"),
    p("Sửa lỗi sai sót trong hợp đồng, giao dịch đã được chứng thực", C, "8h",
      cases(("Mỗi hợp đồng", 25000), kind="phí"), INFO, (paper("Hợp đồng, giao dịch có sai sót"), ID),
      "Hợp đồng, giao dịch đã được sửa lỗi"),
    p("Cấp bản sao có chứng thực từ bản chính hợp đồng, giao dịch đã được chứng thực", C, "8h", COPY_FEE,
      PARTIAL, (FORM, ID), "Bản sao có chứng thực hợp đồng, giao dịch", note=SAME_DAY),
]

LY_LICH = FieldSeed("H99-TP02", "Lý lịch tư pháp", 44, 3, (
    law("28/2009/QH12", "Luật Lý lịch tư pháp"),
    law("111/2010/NĐ-CP", "Nghị định quy định chi tiết một số điều của Luật Lý lịch tư pháp"),
    law("244/2016/TT-BTC", "Thông tư quy định mức thu, chế độ thu, nộp, quản lý và sử dụng phí cung cấp "
        "thông tin lý lịch tư pháp"),
))
LLTP_FORM = form("Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp (theo mẫu)",
                 "to-khai-yeu-cau-cap-phieu-ly-lich-tu-phap.html")
LLTP_FEE = cases(
    ("Mỗi lần yêu cầu", 200000),
    ("Sinh viên, người có công với cách mạng, thân nhân liệt sĩ", 100000),
    ("Trẻ em, người cao tuổi, người khuyết tật, người thuộc hộ nghèo", 0),
    ("Từ Phiếu thứ 3 trở đi, mỗi Phiếu", 5000),
    kind="phí",
)
LY_LICH_SEEDS = [
    p("Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam", P, "10d",
      LLTP_FEE, FULL, (LLTP_FORM, ID, PROXY), "Phiếu lý lịch tư pháp số 1 hoặc số 2",
      note="Trường hợp phải xác minh điều kiện đương nhiên xóa án tích thì không quá 15 ngày làm việc."),
    p("Cấp Phiếu lý lịch tư pháp theo yêu cầu của cơ quan tiến hành tố tụng", P, "10d", FREE, INFO,
      (paper("Văn bản yêu cầu của cơ quan tiến hành tố tụng"),), "Phiếu lý lịch tư pháp số 2"),
    p("Cấp Phiếu lý lịch tư pháp theo yêu cầu của cơ quan nhà nước, tổ chức chính trị, tổ chức chính trị – xã "
      "hội", P, "10d", FREE, PARTIAL, (paper("Văn bản yêu cầu ghi rõ mục đích sử dụng Phiếu"),),
      "Phiếu lý lịch tư pháp số 1"),
]

CONG_CHUNG = FieldSeed("H99-TP03", "Công chứng", 45, 3, (law("46/2024/QH15", "Luật Công chứng"),))
CONG_CHUNG_SEEDS = [
    p("Đăng ký hoạt động Văn phòng công chứng", P, "10d", fee(1000000, "phí"), PARTIAL,
      (FORM, copy_of("Quyết định cho phép thành lập Văn phòng công chứng"), PREMISES),
      "Giấy đăng ký hoạt động Văn phòng công chứng"),
    p("Thay đổi nội dung đăng ký hoạt động của Văn phòng công chứng", P, "10d", fee(500000, "phí"), PARTIAL,
      (FORM, copy_of("Giấy đăng ký hoạt động đã được cấp")),
      "Giấy đăng ký hoạt động Văn phòng công chứng (cấp lại)"),
    p("Đăng ký hành nghề và cấp Thẻ công chứng viên", P, "10d", fee(100000, "phí"), PARTIAL,
      (FORM, copy_of("Quyết định bổ nhiệm công chứng viên"), PHOTOS), "Thẻ công chứng viên"),
]
# fmt: on

CATALOGUE: tuple[tuple[FieldSeed, Seed], ...] = (
    *((HO_TICH, s) for s in HO_TICH_SEEDS),
    *((CHUNG_THUC, s) for s in CHUNG_THUC_SEEDS),
    *((LY_LICH, s) for s in LY_LICH_SEEDS),
    *((CONG_CHUNG, s) for s in CONG_CHUNG_SEEDS),
)
