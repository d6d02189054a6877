"""Demo procedures of society: education, labour, social protection, health, culture, press and publishing."""

from __future__ import annotations

from .parts import (
    ACHIEVEMENTS,
    BUSINESS_ID,
    CIVIL_PAPERS,
    CONTRACTS_WORK,
    DIPLOMA,
    EQUIPMENT,
    EXPERIENCE,
    FIRE_SAFETY,
    FOREIGN_PAPERS,
    FOREIGN_RECORD,
    FORM,
    FREE,
    FULL,
    HEALTH,
    ID,
    INFO,
    INSURANCE_BOOK,
    PARTIAL,
    PASSPORT,
    PC,
    PHOTOS,
    PREMISES,
    PROXY,
    SAME_DAY,
    SITE_PLAN,
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
GIAO_DUC = FieldSeed("H99-GD01", "Giáo dục và Đào tạo", 81, 10, (
    law("43/2019/QH14", "Luật Giáo dục"),
    law("125/2024/NĐ-CP", "Nghị định quy định về điều kiện đầu tư và hoạt động trong lĩnh vực giáo dục"),
    law("21/2019/TT-BGDĐT", "Thông tư ban hành Quy chế quản lý bằng tốt nghiệp trung học cơ sở, trung học phổ "
        "thông, văn bằng giáo dục đại học và chứng chỉ của hệ thống giáo dục quốc dân"),
))
SCHOOL = paper("Đề án hoạt động giáo dục, danh sách cán bộ quản lý, giáo viên và cơ sở vật chất")
TRANSFER = copy_of("Học bạ và giấy giới thiệu chuyển trường")
GIAO_DUC_SEEDS = [
    p("Cấp bản sao văn bằng, chứng chỉ từ sổ gốc", PC, "8h", FREE, FULL, (FORM, ID, PROXY),
      "Bản sao văn bằng, chứng chỉ từ sổ gốc", note=SAME_DAY),
    p("Chỉnh sửa nội dung văn bằng, chứng chỉ", PC, "5d", FREE, PARTIAL,
      (FORM, paper("Văn bằng, chứng chỉ đề nghị chỉnh sửa"), copy_of("Quyết định thay đổi, cải chính hộ tịch")),
      "Quyết định chỉnh sửa văn bằng, chứng chỉ"),
    p("Công nhận văn bằng tốt nghiệp các cấp học phổ thông do cơ sở giáo dục nước ngoài cấp", P, "20d", FREE,
      FULL, (FORM, FOREIGN_PAPERS), "Giấy công nhận văn bằng"),
    p("Chuyển trường đối với học sinh trung học phổ thông", P, "3d", FREE, FULL, (FORM, TRANSFER),
      "Giấy tiếp nhận học sinh chuyển trường"),
    p("Chuyển trường đối với học sinh trung học cơ sở", C, "3d", FREE, FULL, (FORM, TRANSFER),
      "Giấy tiếp nhận học sinh chuyển trường"),
    p("Cho phép trường mầm non, trường mẫu giáo, nhà trẻ hoạt động giáo dục", C, "20d", FREE, PARTIAL,
      (FORM, SCHOOL, FIRE_SAFETY), "Quyết định cho phép hoạt động giáo dục"),
    p("Thành lập nhóm trẻ, lớp mẫu giáo độc lập tư thục", C, "15d", FREE, PARTIAL, (FORM, SCHOOL, PREMISES),
      "Quyết định cho phép thành lập"),
    p("Cho phép trung tâm ngoại ngữ, tin học hoạt động giáo dục", P, "20d", FREE, PARTIAL,
      (FORM, SCHOOL, PREMISES), "Quyết định cho phép hoạt động giáo dục"),
]

VIEC_LAM = FieldSeed("H99-VL01", "Việc làm", 54, 2, (
    law("38/2013/QH13", "Luật Việc làm"),
    law("28/2015/NĐ-CP", "Nghị định quy định chi tiết thi hành một số điều của Luật Việc làm về bảo hiểm thất "
        "nghiệp"),
))
UNEMPLOYED_FORM = form("Đề nghị hưởng trợ cấp thất nghiệp (theo mẫu)")
VIEC_LAM_SEEDS = [
    p("Giải quyết hưởng trợ cấp thất nghiệp", P, "20d", FREE, PARTIAL,
      (UNEMPLOYED_FORM, CONTRACTS_WORK, INSURANCE_BOOK, ID), "Quyết định về việc hưởng trợ cấp thất nghiệp",
      eligibility="Đã chấm dứt hợp đồng lao động; đã đóng bảo hiểm thất nghiệp từ đủ 12 tháng trở lên trong 24 "
      "tháng trước khi chấm dứt; nộp hồ sơ trong 03 tháng kể từ ngày chấm dứt hợp đồng."),
    *[p(f"{what} hưởng trợ cấp thất nghiệp", P, "3d", FREE, PARTIAL, (FORM, ID),
        f"Quyết định về việc {what.lower()} hưởng trợ cấp thất nghiệp")
      for what in ("Tạm dừng", "Tiếp tục", "Chấm dứt")],
    p("Chuyển nơi hưởng trợ cấp thất nghiệp", P, "3d", FREE, FULL, (FORM, ID),
      "Giấy giới thiệu chuyển nơi hưởng trợ cấp thất nghiệp"),
    p("Cấp giấy phép hoạt động dịch vụ việc làm của doanh nghiệp", P, "7d", fee(1500000, "phí"), PARTIAL,
      (FORM, BUSINESS_ID, copy_of("Giấy chứng nhận đã thực hiện ký quỹ")),
      "Giấy phép hoạt động dịch vụ việc làm"),
]

LAO_DONG = FieldSeed("H99-LD01", "Lao động", 55, 2, (
    law("45/2019/QH14", "Bộ luật Lao động"),
    law("152/2020/NĐ-CP", "Nghị định quy định về người lao động nước ngoài làm việc tại Việt Nam và tuyển "
        "dụng, quản lý người lao động Việt Nam làm việc cho tổ chức, cá nhân nước ngoài tại Việt Nam"),
))
FOREIGN_WORKER = "cho người lao động nước ngoài làm việc tại Việt Nam"
WORK_PERMIT = (FORM, HEALTH, FOREIGN_RECORD, DIPLOMA, PHOTOS, PASSPORT)
LAO_DONG_SEEDS = [
    p(f"Cấp giấy phép lao động {FOREIGN_WORKER}", P, "5d", fee(600000), FULL, WORK_PERMIT, "Giấy phép lao động",
      eligibility="Đủ 18 tuổi trở lên, có năng lực hành vi dân sự đầy đủ; có trình độ chuyên môn, kinh nghiệm "
      "phù hợp; đủ sức khỏe; không phải là người đang chấp hành hình phạt."),
    p(f"Cấp lại giấy phép lao động {FOREIGN_WORKER}", P, "3d", fee(450000), FULL,
      (FORM, PHOTOS, paper("Giấy phép lao động đã được cấp (trừ trường hợp bị mất)", required=False)),
      "Giấy phép lao động (cấp lại)"),
    p(f"Gia hạn giấy phép lao động {FOREIGN_WORKER}", P, "5d", fee(450000), FULL,
      (FORM, HEALTH, PHOTOS, paper("Giấy phép lao động còn hiệu lực")), "Giấy phép lao động (gia hạn)"),
    p("Xác nhận người lao động nước ngoài không thuộc diện cấp giấy phép lao động", P, "3d", FREE, FULL,
      (FORM, PASSPORT), "Văn bản xác nhận không thuộc diện cấp giấy phép lao động"),
    p("Chấp thuận nhu cầu sử dụng người lao động nước ngoài", P, "10d", FREE, FULL,
      (form("Báo cáo giải trình nhu cầu sử dụng người lao động nước ngoài (theo mẫu)"),),
      "Văn bản chấp thuận nhu cầu"),
    p("Đăng ký nội quy lao động của doanh nghiệp", P, "7d", FREE, FULL,
      (FORM, paper("Nội quy lao động"), paper("Ý kiến của tổ chức đại diện người lao động tại cơ sở")),
      "Thông báo đăng ký nội quy lao động"),
]

BAO_TRO = FieldSeed("H99-BTXH01", "Bảo trợ xã hội", 34, 11, (
    law("20/2021/NĐ-CP", "Nghị định quy định chính sách trợ giúp xã hội đối với đối tượng bảo trợ xã hội"),
    law("51/2010/QH12", "Luật Người khuyết tật"),
))
DISABILITY = "Giấy xác nhận khuyết tật"
BAO_TRO_SEEDS = [
    p("Trợ cấp xã hội hàng tháng, hỗ trợ kinh phí chăm sóc, nuôi dưỡng hàng tháng", C, "15d", FREE, PARTIAL,
      (form("Tờ khai đề nghị trợ giúp xã hội (theo mẫu)"), CIVIL_PAPERS, ID),
      "Quyết định trợ cấp xã hội hàng tháng"),
    p(f"Xác định, xác định lại mức độ khuyết tật và cấp {DISABILITY}", C, "25d", FREE, PARTIAL,
      (FORM, copy_of("Bệnh án, giấy tờ khám, điều trị liên quan (nếu có)", False), ID), DISABILITY),
    p(f"Đổi, cấp lại {DISABILITY}", C, "5d", FREE, FULL, (FORM, ID), f"{DISABILITY} (cấp lại)"),
    p("Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội", C, "5d", FREE, PARTIAL,
      (FORM, copy_of("Giấy chứng tử hoặc trích lục khai tử")), "Quyết định hỗ trợ chi phí mai táng"),
    p("Trợ giúp xã hội khẩn cấp về hỗ trợ làm nhà ở, sửa chữa nhà ở", C, "10d", FREE, INFO, (FORM,),
      "Quyết định hỗ trợ"),
]

KHAM_CHUA_BENH = FieldSeed("H99-YT01", "Khám bệnh, chữa bệnh", 31, 11, (
    law("15/2023/QH15", "Luật Khám bệnh, chữa bệnh"),
    law("96/2023/NĐ-CP", "Nghị định quy định chi tiết một số điều của Luật Khám bệnh, chữa bệnh"),
))
DUOC = FieldSeed("H99-YT02", "Dược", 32, 11, (
    law("105/2016/QH13", "Luật Dược"),
    law("54/2017/NĐ-CP", "Nghị định quy định chi tiết một số điều và biện pháp thi hành Luật Dược"),
))
AN_TOAN_THUC_PHAM = FieldSeed("H99-YT03", "An toàn thực phẩm", 33, 11, (
    law("55/2010/QH12", "Luật An toàn thực phẩm"),
    law("15/2018/NĐ-CP", "Nghị định quy định chi tiết thi hành một số điều của Luật An toàn thực phẩm"),
))
MEALS_FEE = cases(("Phục vụ dưới 200 suất ăn", 700000), ("Từ 200 suất ăn trở lên", 1000000), kind="phí")
Y_TE_SEEDS = [
    (KHAM_CHUA_BENH,
     p("Cấp giấy phép hành nghề khám bệnh, chữa bệnh đối với chức danh bác sĩ, y sĩ, điều dưỡng, hộ sinh, kỹ "
       "thuật y", P, "20d", fee(360000, "phí"), PARTIAL, (FORM, DIPLOMA, HEALTH, PHOTOS),
       "Giấy phép hành nghề khám bệnh, chữa bệnh")),
    (KHAM_CHUA_BENH,
     p("Cấp giấy phép hoạt động đối với phòng khám", P, "60c", fee(5700000, "phí"), PARTIAL,
       (FORM, BUSINESS_ID, EQUIPMENT, paper("Danh sách người hành nghề")),
       "Giấy phép hoạt động khám bệnh, chữa bệnh")),
    (DUOC,
     p("Cấp chứng chỉ hành nghề dược", P, "20d", fee(500000, "phí"), PARTIAL,
       (FORM, DIPLOMA, EXPERIENCE, PHOTOS), "Chứng chỉ hành nghề dược")),
    (DUOC,
     p("Cấp Giấy chứng nhận đủ điều kiện kinh doanh dược đối với nhà thuốc", P, "20d", fee(1000000, "phí"),
       PARTIAL, (FORM, copy_of("Chứng chỉ hành nghề dược của người phụ trách chuyên môn"), PREMISES),
       "Giấy chứng nhận đủ điều kiện kinh doanh dược")),
    (AN_TOAN_THUC_PHAM,
     p("Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm đối với cơ sở kinh doanh dịch vụ ăn uống", P,
       "20d", MEALS_FEE, PARTIAL, (FORM, SITE_PLAN, HEALTH),
       "Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm")),
    (AN_TOAN_THUC_PHAM,
     p("Tiếp nhận bản tự công bố sản phẩm thực phẩm", P, "1d", FREE, FULL,
       (form("Bản tự công bố sản phẩm (theo mẫu)"), paper("Phiếu kết quả kiểm nghiệm sản phẩm")),
       "Bản tự công bố đã được đăng tải")),
]

VAN_HOA = FieldSeed("H99-VH01", "Văn hóa", 91, 9, (
    law("54/2019/NĐ-CP", "Nghị định quy định về kinh doanh dịch vụ karaoke, dịch vụ vũ trường"),
    law("144/2020/NĐ-CP", "Nghị định quy định về hoạt động nghệ thuật biểu diễn"),
    law("110/2018/NĐ-CP", "Nghị định quy định về quản lý và tổ chức lễ hội"),
))
KARAOKE_FEE = cases(("Từ 01 đến 03 phòng", 4000000), ("Từ 04 đến 05 phòng", 6000000),
                    ("Từ 06 phòng trở lên", 12000000), kind="phí")
KARAOKE = "Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke"
VAN_HOA_SEEDS = [
    p(f"Cấp {KARAOKE}", C, "5d", KARAOKE_FEE, PARTIAL, (FORM, BUSINESS_ID, FIRE_SAFETY), KARAOKE,
      eligibility="Phòng hát có diện tích sử dụng từ 20 m² trở lên, không kể công trình phụ; không đặt chốt "
      "cửa bên trong, không đặt thiết bị báo động."),
    p(f"Cấp Giấy phép điều chỉnh {KARAOKE}", C, "5d", cases(("Mỗi phòng tăng thêm", 2000000), kind="phí"),
      PARTIAL, (FORM,), "Giấy phép điều chỉnh"),
    p("Cấp Giấy phép đủ điều kiện kinh doanh dịch vụ vũ trường", P, "5d", fee(15000000, "phí"), PARTIAL,
      (FORM, BUSINESS_ID, FIRE_SAFETY), "Giấy phép đủ điều kiện kinh doanh dịch vụ vũ trường"),
    p("Tổ chức cuộc thi, liên hoan nghệ thuật biểu diễn trên địa bàn tỉnh", P, "5d", FREE, FULL,
      (FORM, paper("Đề án tổ chức cuộc thi, liên hoan")), "Văn bản chấp thuận tổ chức"),
    p("Thông báo tổ chức lễ hội cấp xã", C, "5d", FREE, FULL, (FORM,), "Văn bản tiếp nhận thông báo"),
    p("Thông báo thành lập thư viện cộng đồng", C, "15c", FREE, FULL, (FORM,), "Văn bản xác nhận thông báo"),
]

QUANG_CAO = FieldSeed("H99-VH02", "Quảng cáo", 92, 9, (
    law("16/2012/QH13", "Luật Quảng cáo"),
    law("181/2013/NĐ-CP", "Nghị định quy định chi tiết thi hành một số điều của Luật Quảng cáo"),
))
QUANG_CAO_SEEDS = [
    p("Tiếp nhận hồ sơ thông báo sản phẩm quảng cáo trên bảng quảng cáo, băng-rôn", P, "15c", FREE, FULL,
      (form("Văn bản thông báo sản phẩm quảng cáo (theo mẫu)"), paper("Ma-két sản phẩm quảng cáo in màu"),
       copy_of("Giấy tờ chứng minh sự hợp chuẩn, hợp quy của hàng hóa quảng cáo", False)),
      "Văn bản tiếp nhận thông báo"),
    p("Cấp giấy phép thành lập văn phòng đại diện của doanh nghiệp quảng cáo nước ngoài tại Việt Nam", P,
      "10d", fee(3000000), PARTIAL, (FORM, FOREIGN_PAPERS), "Giấy phép thành lập văn phòng đại diện"),
]

DU_LICH = FieldSeed("H99-DL01", "Du lịch", 93, 9, (
    law("09/2017/QH14", "Luật Du lịch"),
    law("168/2017/NĐ-CP", "Nghị định quy định chi tiết một số điều của Luật Du lịch"),
))
DU_LICH_SEEDS = [
    p("Cấp Giấy phép kinh doanh dịch vụ lữ hành nội địa", P, "10d", fee(3000000, "phí"), PARTIAL,
      (FORM, BUSINESS_ID, copy_of("Giấy chứng nhận ký quỹ kinh doanh dịch vụ lữ hành nội địa")),
      "Giấy phép kinh doanh dịch vụ lữ hành nội địa"),
    p("Cấp thẻ hướng dẫn viên du lịch nội địa", P, "10d", fee(650000, "phí"), PARTIAL,
      (FORM, DIPLOMA, HEALTH, PHOTOS), "Thẻ hướng dẫn viên du lịch nội địa"),
    p("Công nhận hạng cơ sở lưu trú du lịch hạng 1 sao, 2 sao, 3 sao", P, "30c",
      cases(("Hạng 1 sao, 2 sao", 1500000), ("Hạng 3 sao", 2000000), kind="phí"), PARTIAL,
      (FORM, paper("Bản tự đánh giá chất lượng cơ sở lưu trú du lịch")),
      "Quyết định công nhận hạng cơ sở lưu trú du lịch"),
]

XUAT_BAN = FieldSeed("H99-XB01", "Xuất bản, In và Phát hành", 94, 9, (
    law("19/2012/QH13", "Luật Xuất bản"),
    law("60/2014/NĐ-CP", "Nghị định quy định về hoạt động in"),
    law("25/2018/NĐ-CP", "Nghị định sửa đổi, bổ sung một số điều của Nghị định 60/2014/NĐ-CP quy định về hoạt "
        "động in"),
))
PRINTING_FORM = form("Đơn đề nghị cấp giấy phép hoạt động in (theo mẫu)",
                     "don-de-nghi-cap-giay-phep-hoat-dong-in.html")
PHOTOCOPY_FORM = form("Tờ khai đăng ký sử dụng máy photocopy màu, máy in có chức năng photocopy màu (theo mẫu)",
                      "to-khai-dang-ky-may-photocopy-mau.html")
COLOUR_COPIERS = "máy photocopy màu, máy in có chức năng photocopy màu"
PRINT_SHOP = "Giấy xác nhận đăng ký hoạt động cơ sở in"
XUAT_BAN_SEEDS = [
    p("Cấp giấy phép hoạt động in", P, "15c", FREE, PARTIAL, (PRINTING_FORM, BUSINESS_ID, EQUIPMENT, DIPLOMA),
      "Giấy phép hoạt động in",
      eligibility="Có thiết bị in phù hợp, mặt bằng sản xuất ngoài khu dân cư tập trung; người đứng đầu có "
      "trình độ cao đẳng chuyên ngành in trở lên hoặc đã qua lớp bồi dưỡng quản lý hoạt động in."),
    p("Cấp lại giấy phép hoạt động in", P, "7d", FREE, PARTIAL, (FORM,), "Giấy phép hoạt động in (cấp lại)"),
    p("Đăng ký hoạt động cơ sở in", P, "5d", FREE, FULL, (FORM, BUSINESS_ID, EQUIPMENT), PRINT_SHOP),
    p("Thay đổi thông tin đăng ký hoạt động cơ sở in", P, "5d", FREE, FULL, (FORM,), PRINT_SHOP),
    p(f"Đăng ký sử dụng {COLOUR_COPIERS}", P, "5d", FREE, FULL,
      (PHOTOCOPY_FORM, copy_of("Hóa đơn, chứng từ mua máy hoặc hợp đồng thuê máy"), BUSINESS_ID),
      "Giấy xác nhận đăng ký sử dụng máy photocopy màu"),
    p(f"Chuyển nhượng {COLOUR_COPIERS}", P, "5d", FREE, FULL,
      (form("Văn bản khai báo chuyển nhượng máy (theo mẫu)"),
       copy_of("Giấy xác nhận đăng ký sử dụng máy đã cấp")), "Văn bản xác nhận việc chuyển nhượng"),
    p("Cấp giấy phép xuất bản tài liệu không kinh doanh", P, "10d", FREE, PARTIAL,
      (FORM, paper("Hai bản thảo tài liệu đề nghị cấp phép")), "Giấy phép xuất bản tài liệu không kinh doanh"),
    p("Cấp giấy phép nhập khẩu xuất bản phẩm không kinh doanh", P, "5d", FREE, PARTIAL,
      (FORM, paper("Danh mục xuất bản phẩm nhập khẩu")), "Giấy phép nhập khẩu xuất bản phẩm"),
    p("Cấp giấy xác nhận đăng ký hoạt động phát hành xuất bản phẩm", P, "10d", FREE, FULL, (FORM, BUSINESS_ID),
      "Giấy xác nhận đăng ký hoạt động phát hành xuất bản phẩm"),
]

BAO_CHI = FieldSeed("H99-BC01", "Báo chí", 95, 9, (
    law("103/2016/QH13", "Luật Báo chí"),
    law("09/2017/NĐ-CP", "Nghị định quy định chi tiết việc phát ngôn và cung cấp thông tin cho báo chí của các "
        "cơ quan hành chính nhà nước"),
))
BAO_CHI_SEEDS = [
    p("Cấp giấy phép xuất bản bản tin", P, "30c", FREE, PARTIAL,
      (FORM, paper("Mẫu trình bày tên gọi và trang bìa bản tin")), "Giấy phép xuất bản bản tin"),
    p("Văn bản chấp thuận thay đổi nội dung ghi trong giấy phép xuất bản bản tin", P, "7d", FREE, PARTIAL,
      (FORM,), "Văn bản chấp thuận thay đổi"),
    p("Thông báo tổ chức họp báo", P, "2d", FREE, FULL, (form("Văn bản thông báo họp báo (theo mẫu)"),),
      "Văn bản trả lời của cơ quan quản lý nhà nước về báo chí"),
]

TON_GIAO = FieldSeed("H99-TG01", "Tín ngưỡng, tôn giáo", 23, 12, (
    law("02/2016/QH14", "Luật Tín ngưỡng, tôn giáo"),
    law("95/2023/NĐ-CP", "Nghị định quy định chi tiết Luật Tín ngưỡng, tôn giáo"),
))
TON_GIAO_SEEDS = [
    p("Đăng ký sinh hoạt tôn giáo tập trung", C, "20c", FREE, PARTIAL,
      (FORM, paper("Văn bản tóm tắt giáo lý, giáo luật, lễ nghi"), PREMISES),
      "Văn bản chấp thuận đăng ký sinh hoạt tôn giáo tập trung"),
    p("Đề nghị tổ chức cuộc lễ ngoài cơ sở tôn giáo có quy mô trong một xã", C, "15c", FREE, PARTIAL, (FORM,),
      "Văn bản chấp thuận tổ chức cuộc lễ"),
    p("Đăng ký thuyên chuyển chức sắc, chức việc, nhà tu hành", P, "20c", FREE, INFO, (FORM,),
      "Văn bản chấp thuận"),
]

THI_DUA = FieldSeed("H99-TDKT01", "Thi đua, khen thưởng", 21, 2, (
    law("06/2022/QH15", "Luật Thi đua, khen thưởng"),
    law("98/2023/NĐ-CP", "Nghị định quy định chi tiết thi hành Luật Thi đua, khen thưởng"),
))
AWARDS = (
    ("Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", P),
    ("Cờ thi đua của Ủy ban nhân dân tỉnh", P),
    ("danh hiệu Chiến sĩ thi đua cấp tỉnh", P),
    ("Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã", C),
)
THI_DUA_SEEDS = [
    p(f"Tặng {award}", tiers, "20d", FREE, INFO, (form("Tờ trình đề nghị khen thưởng"), ACHIEVEMENTS),
      f"Quyết định tặng {award}")
    for award, tiers in AWARDS
]
# fmt: on

CATALOGUE: tuple[tuple[FieldSeed, Seed], ...] = (
    *((GIAO_DUC, s) for s in GIAO_DUC_SEEDS),
    *((VIEC_LAM, s) for s in VIEC_LAM_SEEDS),
    *((LAO_DONG, s) for s in LAO_DONG_SEEDS),
    *((BAO_TRO, s) for s in BAO_TRO_SEEDS),
    *Y_TE_SEEDS,
    *((VAN_HOA, s) for s in VAN_HOA_SEEDS),
    *((QUANG_CAO, s) for s in QUANG_CAO_SEEDS),
    *((DU_LICH, s) for s in DU_LICH_SEEDS),
    *((XUAT_BAN, s) for s in XUAT_BAN_SEEDS),
    *((BAO_CHI, s) for s in BAO_CHI_SEEDS),
    *((TON_GIAO, s) for s in TON_GIAO_SEEDS),
    *((THI_DUA, s) for s in THI_DUA_SEEDS),
)
