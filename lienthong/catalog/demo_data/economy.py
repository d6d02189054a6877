"""Demo procedures of the economy: businesses, investment, land, environment, building, transport, trade."""

from __future__ import annotations

from .parts import (
    BUSINESS_ID,
    DIPLOMA,
    DRAWINGS,
    EQUIPMENT,
    EXPERIENCE,
    FIRE_SAFETY,
    FORM,
    FREE,
    FULL,
    HEALTH,
    ID,
    INFO,
    LAND_PAPERS,
    LAND_TITLE,
    PARTIAL,
    PASSPORT,
    PHOTOS,
    PREMISES,
    PROXY,
    REPORT,
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
HO_KINH_DOANH = FieldSeed("H99-KD01", "Thành lập và hoạt động của hộ kinh doanh", 27, 4, (
    law("59/2020/QH14", "Luật Doanh nghiệp"),
    law("01/2021/NĐ-CP", "Nghị định về đăng ký doanh nghiệp"),
    law("02/2023/TT-BKHĐT", "Thông tư sửa đổi, bổ sung một số điều của Thông tư 01/2021/TT-BKHĐT hướng dẫn "
        "về đăng ký doanh nghiệp"),
))
HKD_FORM = form("Giấy đề nghị đăng ký hộ kinh doanh (theo mẫu)", "giay-de-nghi-dang-ky-ho-kinh-doanh.html")
HKD_FEE = cases(("Nộp hồ sơ trực tiếp", 100000), ("Nộp hồ sơ trực tuyến", 50000))
MEMBERS = copy_of("Biên bản họp thành viên hộ gia đình về việc đăng ký hộ kinh doanh", required=False)
HKD_CERTIFICATE = "Giấy chứng nhận đăng ký hộ kinh doanh"
HO_KINH_DOANH_SEEDS = [
    p("Đăng ký thành lập hộ kinh doanh", C, "3d", HKD_FEE, FULL, (HKD_FORM, ID, MEMBERS, PROXY),
      HKD_CERTIFICATE,
      eligibility="Ngành, nghề kinh doanh không bị cấm; tên hộ kinh doanh không trùng với tên hộ kinh doanh "
      "đã đăng ký trong phạm vi cấp xã."),
    p("Đăng ký thay đổi nội dung đăng ký hộ kinh doanh", C, "3d", HKD_FEE, FULL, (HKD_FORM, MEMBERS, PROXY),
      f"{HKD_CERTIFICATE} (cấp đổi)"),
    p("Tạm ngừng kinh doanh, tiếp tục kinh doanh trước thời hạn đã thông báo của hộ kinh doanh", C, "3d",
      FREE, FULL, (form("Thông báo tạm ngừng kinh doanh (theo mẫu)"), PROXY),
      "Giấy xác nhận về việc hộ kinh doanh đăng ký tạm ngừng kinh doanh"),
    p("Chấm dứt hoạt động hộ kinh doanh", C, "3d", FREE, FULL,
      (form("Thông báo chấm dứt hoạt động hộ kinh doanh (theo mẫu)"), paper(f"{HKD_CERTIFICATE} (bản gốc)")),
      "Thông báo về việc chấm dứt hoạt động hộ kinh doanh"),
    p("Cấp lại Giấy chứng nhận đăng ký hộ kinh doanh", C, "3d", HKD_FEE, FULL, (FORM, PROXY),
      f"{HKD_CERTIFICATE} (cấp lại)"),
]

HOP_TAC_XA = FieldSeed("H99-HTX01", "Thành lập và hoạt động của hợp tác xã", 30, 4, (
    law("17/2023/QH15", "Luật Hợp tác xã"),
))
CHARTER = paper("Điều lệ hợp tác xã và danh sách thành viên")
HOP_TAC_XA_SEEDS = [
    p("Đăng ký thành lập hợp tác xã", C, "3d", fee(100000), PARTIAL, (FORM, CHARTER, PROXY),
      "Giấy chứng nhận đăng ký hợp tác xã"),
    p("Đăng ký thay đổi tên, địa chỉ trụ sở chính, ngành, nghề kinh doanh, vốn điều lệ, người đại diện theo "
      "pháp luật của hợp tác xã", C, "3d", fee(100000), PARTIAL,
      (FORM, paper("Nghị quyết của đại hội thành viên về việc thay đổi")),
      "Giấy chứng nhận đăng ký hợp tác xã (cấp đổi)"),
    p("Giải thể tự nguyện hợp tác xã", C, "5d", FREE, PARTIAL,
      (FORM, paper("Nghị quyết của đại hội thành viên về việc giải thể")),
      "Thông báo về việc giải thể hợp tác xã"),
]

DOANH_NGHIEP = FieldSeed("H99-DN01", "Thành lập và hoạt động doanh nghiệp", 28, 4, (
    law("59/2020/QH14", "Luật Doanh nghiệp"),
    law("01/2021/NĐ-CP", "Nghị định về đăng ký doanh nghiệp"),
    law("47/2019/TT-BTC", "Thông tư quy định mức thu, chế độ thu, nộp, quản lý và sử dụng phí cung cấp thông "
        "tin doanh nghiệp, lệ phí đăng ký doanh nghiệp"),
))
DN_FEE = cases(("Nộp hồ sơ trực tiếp", 50000), ("Nộp hồ sơ qua mạng điện tử", 0))
DN_FORM = form("Giấy đề nghị đăng ký doanh nghiệp (theo mẫu)")
DN_CHANGE_FORM = form("Thông báo thay đổi nội dung đăng ký doanh nghiệp (theo mẫu)")
COMPANY_KINDS = (  # (kind, what its founders file)
    ("doanh nghiệp tư nhân", "Bản sao giấy tờ pháp lý của chủ doanh nghiệp tư nhân"),
    ("công ty trách nhiệm hữu hạn một thành viên", "Điều lệ công ty và giấy tờ pháp lý của chủ sở hữu"),
    ("công ty trách nhiệm hữu hạn hai thành viên trở lên", "Điều lệ công ty và danh sách thành viên"),
    ("công ty cổ phần", "Điều lệ công ty, danh sách cổ đông sáng lập và cổ đông là nhà đầu tư nước ngoài"),
    ("công ty hợp danh", "Điều lệ công ty và danh sách thành viên hợp danh"),
)
COMPANY_CHANGES = (  # (what changes, the decision behind it)
    ("địa chỉ trụ sở chính của doanh nghiệp", "Nghị quyết, quyết định của chủ sở hữu hoặc hội đồng thành viên"),
    ("người đại diện theo pháp luật của công ty trách nhiệm hữu hạn, công ty cổ phần",
     "Nghị quyết, quyết định về việc thay đổi người đại diện theo pháp luật"),
    ("vốn điều lệ, tỷ lệ vốn góp của công ty", "Nghị quyết, quyết định về việc thay đổi vốn điều lệ"),
    ("tên doanh nghiệp", "Nghị quyết, quyết định về việc đổi tên doanh nghiệp"),
)
DOANH_NGHIEP_SEEDS = [
    *[p(f"Đăng ký thành lập {kind}", P, "3d", DN_FEE, FULL, (DN_FORM, paper(papers), ID, PROXY),
        "Giấy chứng nhận đăng ký doanh nghiệp")
      for kind, papers in COMPANY_KINDS],
    *[p(f"Đăng ký thay đổi {what}", P, "3d", DN_FEE, FULL, (DN_CHANGE_FORM, paper(decision), PROXY),
        "Giấy chứng nhận đăng ký doanh nghiệp (cấp đổi)")
      for what, decision in COMPANY_CHANGES],
    p("Thông báo tạm ngừng kinh doanh, tiếp tục kinh doanh trước thời hạn đã thông báo của doanh nghiệp", P,
      "3d", FREE, FULL, (FORM, PROXY), "Giấy xác nhận về việc doanh nghiệp đăng ký tạm ngừng kinh doanh"),
    p("Giải thể doanh nghiệp", P, "5d", FREE, FULL,
      (FORM, paper("Quyết định giải thể và báo cáo thanh lý tài sản")),
      "Thông báo về việc giải thể doanh nghiệp"),
    p("Đăng ký hoạt động chi nhánh, văn phòng đại diện, địa điểm kinh doanh", P, "3d", DN_FEE, FULL,
      (FORM, PROXY), "Giấy chứng nhận đăng ký hoạt động chi nhánh, văn phòng đại diện"),
]

DAU_TU = FieldSeed("H99-DT01", "Đầu tư tại Việt Nam", 29, 4, (
    law("61/2020/QH14", "Luật Đầu tư"),
    law("31/2021/NĐ-CP", "Nghị định quy định chi tiết và hướng dẫn thi hành một số điều của Luật Đầu tư"),
))
PROJECT = paper("Đề xuất dự án đầu tư gồm mục tiêu, quy mô, vốn, tiến độ, nhu cầu sử dụng đất")
FINANCES = copy_of("Báo cáo tài chính 02 năm gần nhất hoặc cam kết hỗ trợ tài chính")
DAU_TU_SEEDS = [
    p("Chấp thuận chủ trương đầu tư của Ủy ban nhân dân cấp tỉnh", P, "35c", FREE, PARTIAL,
      (FORM, PROJECT, BUSINESS_ID, FINANCES), "Quyết định chấp thuận chủ trương đầu tư"),
    p("Cấp Giấy chứng nhận đăng ký đầu tư đối với dự án không thuộc diện chấp thuận chủ trương đầu tư", P,
      "15c", FREE, PARTIAL, (FORM, PROJECT, BUSINESS_ID), "Giấy chứng nhận đăng ký đầu tư"),
    p("Điều chỉnh Giấy chứng nhận đăng ký đầu tư", P, "10c", FREE, PARTIAL, (FORM, REPORT),
      "Giấy chứng nhận đăng ký đầu tư điều chỉnh"),
    p("Góp vốn, mua cổ phần, mua phần vốn góp của nhà đầu tư nước ngoài vào tổ chức kinh tế", P, "15c", FREE,
      PARTIAL, (FORM, PASSPORT, BUSINESS_ID), "Thông báo đáp ứng điều kiện góp vốn, mua cổ phần"),
]

DAT_DAI = FieldSeed("H99-DD01", "Đất đai", 62, 6, (
    law("31/2024/QH15", "Luật Đất đai"),
    law("101/2024/NĐ-CP", "Nghị định quy định về điều tra cơ bản đất đai; đăng ký, cấp Giấy chứng nhận quyền "
        "sử dụng đất, quyền sở hữu tài sản gắn liền với đất và hệ thống thông tin đất đai"),
    law("102/2024/NĐ-CP", "Nghị định quy định chi tiết thi hành một số điều của Luật Đất đai"),
))
LAND_FORM = form("Đơn đăng ký đất đai, tài sản gắn liền với đất (theo mẫu)")
TITLE = "Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất"
RIGHTS = "quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất"
TRANSFERS = (  # (how the land changed hands, the paper that proves it)
    ("chuyển nhượng", "Hợp đồng chuyển nhượng quyền sử dụng đất đã được công chứng hoặc chứng thực"),
    ("thừa kế", "Văn bản phân chia, khai nhận di sản thừa kế đã được công chứng hoặc chứng thực"),
    ("tặng cho", "Hợp đồng tặng cho quyền sử dụng đất đã được công chứng hoặc chứng thực"),
)
LOST_NOTICE = paper(
    "Giấy xác nhận của Ủy ban nhân dân cấp xã về việc đã niêm yết thông báo mất Giấy chứng nhận"
)
DAT_DAI_SEEDS = [
    p(f"Đăng ký đất đai, tài sản gắn liền với đất, cấp {TITLE} lần đầu", C, "20d",
      cases(("Cấp Giấy chứng nhận cho cá nhân tại phường", 100000), ("Tại xã", 50000)), PARTIAL,
      (LAND_FORM, LAND_PAPERS, copy_of("Chứng từ thực hiện nghĩa vụ tài chính (nếu có)", False)), TITLE),
    *[p(f"Đăng ký biến động {RIGHTS} do {how}", P, "10d",
        cases(("Có cấp mới Giấy chứng nhận", 50000), ("Chỉ xác nhận thay đổi trên Giấy chứng nhận", 30000)),
        PARTIAL, (LAND_FORM, LAND_TITLE, paper(papers)),
        "Giấy chứng nhận đã xác nhận thay đổi hoặc Giấy chứng nhận mới")
      for how, papers in TRANSFERS],
    p(f"Cấp đổi {TITLE}", P, "7d", fee(50000), PARTIAL, (LAND_FORM, LAND_TITLE), f"{TITLE} (cấp đổi)"),
    p(f"Cấp lại {TITLE} do bị mất", P, "10d", fee(50000), PARTIAL, (LAND_FORM, LOST_NOTICE),
      f"{TITLE} (cấp lại)"),
    p(f"Đính chính {TITLE} đã cấp", P, "5d", FREE, PARTIAL, (FORM, LAND_TITLE),
      "Giấy chứng nhận đã được đính chính"),
    p("Tách thửa hoặc hợp thửa đất", P, "15d", fee(50000), PARTIAL, (FORM, LAND_TITLE, SITE_PLAN),
      "Giấy chứng nhận cho các thửa đất sau khi tách, hợp thửa"),
    p("Chuyển mục đích sử dụng đất đối với cá nhân", C, "15d", FREE, PARTIAL, (FORM, LAND_TITLE),
      "Quyết định cho phép chuyển mục đích sử dụng đất",
      note="Không kể thời gian xác định giá đất và thời gian người sử dụng đất thực hiện nghĩa vụ tài chính."),
    p("Giao đất, cho thuê đất không thông qua đấu giá quyền sử dụng đất đối với cá nhân", C, "20d", FREE,
      PARTIAL, (FORM, SITE_PLAN), "Quyết định giao đất, cho thuê đất"),
    p("Gia hạn sử dụng đất nông nghiệp của cá nhân", C, "7d", FREE, PARTIAL, (FORM, LAND_TITLE),
      "Giấy chứng nhận đã xác nhận gia hạn"),
    p("Đăng ký thế chấp quyền sử dụng đất, tài sản gắn liền với đất", P, "8h", fee(80000, "phí"), FULL,
      (form("Phiếu yêu cầu đăng ký thế chấp (theo mẫu)"), LAND_TITLE, paper("Hợp đồng thế chấp")),
      "Giấy chứng nhận đã ghi nội dung đăng ký thế chấp", note=SAME_DAY),
    p("Xóa đăng ký thế chấp quyền sử dụng đất, tài sản gắn liền với đất", P, "8h", fee(20000, "phí"), FULL,
      (form("Phiếu yêu cầu xóa đăng ký (theo mẫu)"), LAND_TITLE),
      "Giấy chứng nhận đã ghi nội dung xóa đăng ký thế chấp"),
    p("Hòa giải tranh chấp đất đai tại Ủy ban nhân dân cấp xã", C, "30c", FREE, INFO,
      (form("Đơn đề nghị hòa giải tranh chấp đất đai"),
       copy_of("Giấy tờ liên quan đến thửa đất tranh chấp", False)),
      "Biên bản hòa giải thành hoặc không thành"),
]

MOI_TRUONG = FieldSeed("H99-MT01", "Môi trường", 63, 6, (
    law("72/2020/QH14", "Luật Bảo vệ môi trường"),
    law("08/2022/NĐ-CP", "Nghị định quy định chi tiết một số điều của Luật Bảo vệ môi trường"),
    law("28/2023/QH15", "Luật Tài nguyên nước"),
))
EIA_FEE = cases(("Dự án có tổng vốn dưới 50 tỷ đồng", 10000000), ("Từ 50 đến 200 tỷ đồng", 18000000),
                ("Trên 200 tỷ đồng", 25000000), kind="phí")
MOI_TRUONG_SEEDS = [
    p("Cấp giấy phép môi trường", P, "30c", fee(15000000, "phí"), PARTIAL,
      (FORM, paper("Báo cáo đề xuất cấp giấy phép môi trường"),
       copy_of("Quyết định phê duyệt kết quả thẩm định ĐTM (nếu có)", False)),
      "Giấy phép môi trường"),
    p("Cấp đổi giấy phép môi trường", P, "10c", FREE, PARTIAL, (FORM, copy_of("Giấy phép môi trường đã cấp")),
      "Giấy phép môi trường (cấp đổi)"),
    p("Thẩm định báo cáo đánh giá tác động môi trường", P, "45c", EIA_FEE, PARTIAL,
      (FORM, paper("Báo cáo đánh giá tác động môi trường"), copy_of("Báo cáo nghiên cứu khả thi của dự án")),
      "Quyết định phê duyệt kết quả thẩm định báo cáo đánh giá tác động môi trường"),
    p("Đăng ký môi trường", C, "15c", FREE, FULL, (form("Văn bản đăng ký môi trường (theo mẫu)"),),
      "Văn bản tiếp nhận đăng ký môi trường"),
    p("Cấp giấy phép khai thác nước dưới đất", P, "30c", fee(3000000, "phí"), PARTIAL,
      (FORM, REPORT, paper("Kết quả phân tích chất lượng nguồn nước")), "Giấy phép khai thác nước dưới đất"),
]

XAY_DUNG = FieldSeed("H99-XD01", "Hoạt động xây dựng", 71, 7, (
    law("50/2014/QH13", "Luật Xây dựng"),
    law("62/2020/QH14", "Luật sửa đổi, bổ sung một số điều của Luật Xây dựng"),
    law("175/2024/NĐ-CP", "Nghị định quy định chi tiết một số điều và biện pháp thi hành Luật Xây dựng về quản "
        "lý hoạt động xây dựng"),
))
GPXD_FORM = form("Đơn đề nghị cấp giấy phép xây dựng (theo mẫu)", "don-de-nghi-cap-giay-phep-xay-dung.html")
ISSUED = paper("Giấy phép xây dựng đã được cấp")
PERMITS = (  # (action, time for a house, time for a building, papers)
    ("Cấp giấy phép xây dựng mới", "15d", "20c", (GPXD_FORM, LAND_PAPERS, DRAWINGS)),
    ("Cấp giấy phép sửa chữa, cải tạo", "15d", "20c",
     (GPXD_FORM, LAND_PAPERS, DRAWINGS, paper("Ảnh chụp hiện trạng công trình"))),
    ("Cấp giấy phép di dời", "15d", "20c", (GPXD_FORM, LAND_PAPERS, paper("Phương án di dời"))),
    ("Điều chỉnh giấy phép xây dựng", "15d", "20c", (GPXD_FORM, ISSUED, DRAWINGS)),
    ("Gia hạn giấy phép xây dựng", "5d", "5d", (GPXD_FORM, ISSUED)),
    ("Cấp lại giấy phép xây dựng", "5d", "5d",
     (GPXD_FORM, paper("Giấy phép xây dựng bị rách, nát (nếu có)", required=False))),
)
BUILDINGS = "công trình không theo tuyến, công trình tín ngưỡng, tôn giáo"
XAY_DUNG_SEEDS = [
    *[p(f"{action} đối với nhà ở riêng lẻ", C, house, fee(75000), PARTIAL, papers, "Giấy phép xây dựng")
      for action, house, _building, papers in PERMITS],
    *[p(f"{action} đối với {BUILDINGS}", P, building, fee(150000), PARTIAL, papers, "Giấy phép xây dựng")
      for action, _house, building, papers in PERMITS],
    p("Cấp giấy phép xây dựng có thời hạn đối với nhà ở riêng lẻ", C, "15d", fee(75000), PARTIAL,
      (GPXD_FORM, LAND_PAPERS, DRAWINGS, paper("Cam kết tự phá dỡ công trình khi hết thời hạn")),
      "Giấy phép xây dựng có thời hạn"),
    p("Cấp chứng chỉ hành nghề hoạt động xây dựng hạng II, hạng III", P, "20d", fee(300000), PARTIAL,
      (FORM, PHOTOS, DIPLOMA, EXPERIENCE), "Chứng chỉ hành nghề hoạt động xây dựng"),
    p("Cấp chứng chỉ năng lực hoạt động xây dựng hạng II, hạng III", P, "20d", fee(1000000), PARTIAL,
      (FORM, BUSINESS_ID, paper("Danh sách nhân sự chủ chốt kèm chứng chỉ hành nghề"), EQUIPMENT),
      "Chứng chỉ năng lực hoạt động xây dựng"),
]

DUONG_BO = FieldSeed("H99-GT01", "Đường bộ", 72, 7, (
    law("35/2024/QH15", "Luật Đường bộ"),
    law("36/2024/QH15", "Luật Trật tự, an toàn giao thông đường bộ"),
    law("158/2024/NĐ-CP", "Nghị định quy định về hoạt động vận tải đường bộ"),
))
VEHICLE_PAPERS = paper("Chứng từ nguồn gốc, chứng từ chuyển quyền sở hữu và giấy chứng nhận chất lượng của xe")
BADGE = "Phù hiệu xe ô tô kinh doanh vận tải"
DUONG_BO_SEEDS = [
    p("Cấp Giấy phép kinh doanh vận tải bằng xe ô tô", P, "5d", fee(200000), FULL,
      (FORM, BUSINESS_ID, copy_of("Văn bằng, chứng chỉ của người điều hành vận tải")),
      "Giấy phép kinh doanh vận tải bằng xe ô tô"),
    p("Cấp phù hiệu xe ô tô kinh doanh vận tải", P, "2d", FREE, FULL,
      (FORM, copy_of("Giấy chứng nhận đăng ký xe ô tô")), BADGE),
    p("Cấp lại phù hiệu xe ô tô kinh doanh vận tải", P, "2d", FREE, FULL, (FORM,), f"{BADGE} (cấp lại)"),
    p("Đăng ký khai thác tuyến vận tải hành khách cố định bằng xe ô tô", P, "5d", FREE, PARTIAL,
      (FORM, paper("Phương án khai thác tuyến")), "Văn bản chấp thuận khai thác tuyến"),
    p("Cấp giấy phép thi công công trình trên đường tỉnh đang khai thác", P, "7d", FREE, PARTIAL,
      (FORM, DRAWINGS, paper("Phương án tổ chức giao thông trong thời gian thi công")), "Giấy phép thi công"),
    p("Đăng ký xe máy chuyên dùng lần đầu", P, "3d", fee(200000), PARTIAL, (FORM, VEHICLE_PAPERS, ID),
      "Giấy chứng nhận đăng ký và biển số xe máy chuyên dùng"),
    p("Đăng ký tạm thời xe máy chuyên dùng", P, "8h", fee(70000), PARTIAL, (FORM, VEHICLE_PAPERS),
      "Giấy chứng nhận đăng ký tạm thời xe máy chuyên dùng", note=SAME_DAY),
    p("Cấp giấy phép lưu hành xe quá tải trọng, xe quá khổ giới hạn trên đường bộ", P, "2d", FREE, FULL,
      (FORM, copy_of("Giấy chứng nhận đăng ký xe và giấy chứng nhận kiểm định")), "Giấy phép lưu hành xe"),
]

DUONG_THUY = FieldSeed("H99-GT02", "Đường thủy nội địa", 73, 7, (
    law("23/2004/QH11", "Luật Giao thông đường thủy nội địa"),
    law("48/2014/QH13", "Luật sửa đổi, bổ sung một số điều của Luật Giao thông đường thủy nội địa"),
))
BOAT_CERTIFICATE = "Giấy chứng nhận đăng ký phương tiện thủy nội địa"
DUONG_THUY_SEEDS = [
    p("Đăng ký lần đầu phương tiện thủy nội địa", C, "3d", fee(70000), PARTIAL, (FORM, VEHICLE_PAPERS, PHOTOS),
      BOAT_CERTIFICATE),
    p("Đăng ký lại phương tiện thủy nội địa", C, "3d", fee(70000), PARTIAL,
      (FORM, paper("Giấy chứng nhận đăng ký phương tiện đã cấp")), BOAT_CERTIFICATE),
    p("Xóa giấy chứng nhận đăng ký phương tiện thủy nội địa", C, "3d", FREE, PARTIAL, (FORM,),
      "Thông báo xóa đăng ký phương tiện"),
    p("Cấp đổi giấy chứng nhận khả năng chuyên môn thuyền trưởng, máy trưởng phương tiện thủy nội địa", P,
      "10d", fee(50000), PARTIAL, (FORM, PHOTOS, HEALTH, copy_of("Giấy chứng nhận khả năng chuyên môn đã cấp")),
      "Giấy chứng nhận khả năng chuyên môn (cấp đổi)"),
]

THUONG_MAI = FieldSeed("H99-LT01", "Lưu thông hàng hóa trong nước", 52, 5, (
    law("105/2017/NĐ-CP", "Nghị định về kinh doanh rượu"),
    law("67/2013/NĐ-CP", "Nghị định quy định chi tiết một số điều và biện pháp thi hành Luật Phòng, chống tác "
        "hại của thuốc lá về kinh doanh thuốc lá"),
    law("83/2014/NĐ-CP", "Nghị định về kinh doanh xăng dầu"),
))
RETAIL_FEE = cases(("Tại phường", 1200000), ("Tại xã", 600000), kind="phí")
THUONG_MAI_SEEDS = [
    p("Cấp Giấy phép bán lẻ rượu", C, "10d", RETAIL_FEE, PARTIAL, (FORM, BUSINESS_ID, PREMISES),
      "Giấy phép bán lẻ rượu"),
    p("Cấp Giấy phép sản xuất rượu thủ công nhằm mục đích kinh doanh", C, "10d", RETAIL_FEE, PARTIAL,
      (FORM, BUSINESS_ID, paper("Bản công bố sản phẩm rượu")), "Giấy phép sản xuất rượu thủ công"),
    p("Cấp Giấy phép bán lẻ sản phẩm thuốc lá", C, "10d", RETAIL_FEE, PARTIAL, (FORM, BUSINESS_ID, PREMISES),
      "Giấy phép bán lẻ sản phẩm thuốc lá"),
    p("Cấp Giấy phép bán buôn rượu trên địa bàn tỉnh", P, "10d", fee(2200000, "phí"), PARTIAL,
      (FORM, BUSINESS_ID, copy_of("Hợp đồng mua bán với nhà cung cấp")), "Giấy phép bán buôn rượu"),
    p("Cấp Giấy chứng nhận cửa hàng đủ điều kiện bán lẻ xăng dầu", P, "15d", fee(1200000, "phí"), PARTIAL,
      (FORM, BUSINESS_ID, FIRE_SAFETY, SITE_PLAN), "Giấy chứng nhận cửa hàng đủ điều kiện bán lẻ xăng dầu"),
]
# fmt: on


CATALOGUE: tuple[tuple[FieldSeed, Seed], ...] = (
    *((HO_KINH_DOANH, s) for s in HO_KINH_DOANH_SEEDS),
    *((HOP_TAC_XA, s) for s in HOP_TAC_XA_SEEDS),
    *((DOANH_NGHIEP, s) for s in DOANH_NGHIEP_SEEDS),
    *((DAU_TU, s) for s in DAU_TU_SEEDS),
    *((DAT_DAI, s) for s in DAT_DAI_SEEDS),
    *((MOI_TRUONG, s) for s in MOI_TRUONG_SEEDS),
    *((XAY_DUNG, s) for s in XAY_DUNG_SEEDS),
    *((DUONG_BO, s) for s in DUONG_BO_SEEDS),
    *((DUONG_THUY, s) for s in DUONG_THUY_SEEDS),
    *((THUONG_MAI, s) for s in THUONG_MAI_SEEDS),
)
