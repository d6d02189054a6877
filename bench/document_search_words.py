"""Word lists of the synthetic province for ``document_search.py``: agencies, issuers, document types, subject
templates, body sentences and the queries people type (our own lists)."""

# fmt: off
DEPARTMENTS: tuple[tuple[str, str], ...] = (
    ("Sở Nội vụ", "SNV"), ("Sở Tài chính", "STC"), ("Sở Kế hoạch và Đầu tư", "SKHĐT"),
    ("Sở Tài nguyên và Môi trường", "STNMT"), ("Sở Xây dựng", "SXD"), ("Sở Giao thông vận tải", "SGTVT"),
    ("Sở Giáo dục và Đào tạo", "SGDĐT"), ("Sở Y tế", "SYT"), ("Sở Lao động - Thương binh và Xã hội", "SLĐTBXH"),
    ("Sở Văn hóa, Thể thao và Du lịch", "SVHTTDL"), ("Sở Nông nghiệp và Phát triển nông thôn", "SNNPTNT"),
    ("Sở Công Thương", "SCT"), ("Sở Tư pháp", "STP"), ("Sở Thông tin và Truyền thông", "STTTT"),
    ("Sở Khoa học và Công nghệ", "SKHCN"), ("Thanh tra tỉnh", "TTr"), ("Văn phòng Ủy ban nhân dân tỉnh", "VP"),
    ("Ban Dân tộc", "BDT"), ("Ban Quản lý các khu công nghiệp", "BQLKCN"),
)
PLACES = (
    "Đông Lâm", "Tây Sơn", "Hòa Bình", "Phú Lộc", "Thạch Thất", "Quảng Điền", "Vĩnh Phúc", "Đức Trọng",
    "Hương Trà", "Cẩm Giàng", "Yên Thế", "Ngọc Lặc", "Bình Lục", "Tân Uyên", "Krông Bông", "Đắk Mil",
    "Mường Tè", "Nghĩa Đàn", "Lạc Dương", "Thới Bình", "Hải Hậu", "Kim Bôi", "Tiên Lữ", "Quỳnh Nhai",
    "Sìn Hồ", "Ba Tơ", "Trà Bồng", "Chợ Mới", "Lục Ngạn", "Tam Nông", "Cái Bè", "Gò Quao", "Tịnh Biên",
    "Đầm Hà", "Vân Đồn", "Bảo Lạc", "Na Rì", "Hữu Lũng", "Thanh Chương", "Kỳ Anh",
)
OUTSIDE_ISSUERS: tuple[tuple[str, str, str], ...] = (
    ("000.00.00.G22", "Văn phòng Chính phủ", "VPCP"), ("000.00.00.G09", "Bộ Nội vụ", "BNV"),
    ("000.00.00.G10", "Bộ Tài chính", "BTC"), ("000.00.00.G15", "Bộ Tài nguyên và Môi trường", "BTNMT"),
    ("000.00.00.G06", "Bộ Giáo dục và Đào tạo", "BGDĐT"), ("000.00.00.G20", "Bộ Y tế", "BYT"),
    ("", "Bảo hiểm xã hội tỉnh Thanh Lâm", "BHXH"), ("", "Công an tỉnh Thanh Lâm", "CAT"),
    ("", "Cục Thuế tỉnh Thanh Lâm", "CT"), ("", "Kho bạc Nhà nước tỉnh Thanh Lâm", "KBNN"),
    ("", "Bộ Chỉ huy Quân sự tỉnh Thanh Lâm", "BCHQS"), ("", "Ngân hàng Chính sách xã hội tỉnh", "NHCSXH"),
)
TYPES: tuple[tuple[str, str, int], ...] = (  # code, abbreviation in the notation, weight
    ("CV", "", 40), ("QĐ", "QĐ", 14), ("KH", "KH", 8), ("TB", "TB", 10), ("BC", "BC", 9), ("GM", "GM", 8),
    ("HD", "HD", 4), ("TTr", "TTr", 3), ("CT", "CT", 2), ("NQ", "NQ", 2),
)
TOPICS = (
    "phòng, chống thiên tai và tìm kiếm cứu nạn", "phòng, chống dịch bệnh truyền nhiễm", "cải cách hành chính",
    "chuyển đổi số và phát triển chính quyền số", "xây dựng nông thôn mới", "quản lý, sử dụng đất đai",
    "thu ngân sách nhà nước", "phòng cháy, chữa cháy và cứu nạn, cứu hộ", "bảo đảm trật tự an toàn giao thông",
    "bảo vệ môi trường và ứng phó biến đổi khí hậu", "giảm nghèo bền vững", "tuyển dụng công chức, viên chức",
    "đào tạo, bồi dưỡng cán bộ, công chức", "thực hành tiết kiệm, chống lãng phí", "phòng, chống tham nhũng",
    "tiếp công dân, giải quyết khiếu nại, tố cáo", "quản lý chất lượng công trình xây dựng",
    "giải ngân vốn đầu tư công", "phát triển kinh tế tập thể, hợp tác xã", "bảo hiểm xã hội, bảo hiểm y tế",
    "phổ biến, giáo dục pháp luật", "an toàn thực phẩm", "phát triển du lịch", "trồng rừng và bảo vệ rừng",
    "cấp giấy chứng nhận quyền sử dụng đất", "kiểm tra công tác văn thư, lưu trữ", "thi đua, khen thưởng",
    "quốc phòng, an ninh", "hỗ trợ doanh nghiệp nhỏ và vừa", "giáo dục nghề nghiệp và việc làm",
)
RARE_TOPICS = ("quản lý nhà nước về tín ngưỡng, tôn giáo", "bảo tồn di sản văn hóa phi vật thể ca trù")
ACTIONS = (
    "triển khai thực hiện", "tăng cường công tác", "tổ chức kiểm tra", "báo cáo tình hình", "đôn đốc thực hiện",
    "góp ý dự thảo quy định về", "ban hành quy chế về", "phân bổ kinh phí", "tổng kết công tác",
)
SUBJECTS: dict[str, tuple[str, ...]] = {
    "CV": ("V/v {action} {topic}", "V/v đề nghị cung cấp số liệu về {topic}", "V/v {action} {topic} năm {year}"),
    "QĐ": ("Về việc {action} {topic}", "Về việc thành lập Ban Chỉ đạo {topic}",
           "Về việc phê duyệt Kế hoạch {topic} năm {year}"),
    "KH": ("Kế hoạch {topic} năm {year}", "Kế hoạch {action} {topic} giai đoạn {year}-{next}"),
    "TB": ("Thông báo kết luận của Chủ tịch Ủy ban nhân dân tỉnh về {topic}", "Thông báo về {topic}"),
    "BC": ("Báo cáo kết quả {topic} {period}", "Báo cáo tình hình {topic} {period}"),
    "GM": ("Giấy mời dự hội nghị {action} {topic}",),
    "HD": ("Hướng dẫn {action} {topic}",),
    "TTr": ("Tờ trình về việc {action} {topic}",),
    "CT": ("Chỉ thị về {action} {topic}",),
    "NQ": ("Nghị quyết về {topic} năm {year}",),
}
PERIODS = ("quý I", "quý II", "quý III", "quý IV", "6 tháng đầu năm", "năm", "tháng 10")
BODY = (
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
    "Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh về {topic},",
    "Để kịp thời triển khai các nhiệm vụ trọng tâm, {agency} đề nghị các cơ quan, đơn vị quan tâm thực hiện.",
    "Giao {dept} chủ trì, phối hợp với các đơn vị liên quan {action} {topic}.",
    "Các cơ quan, đơn vị báo cáo kết quả thực hiện về {dept} trước ngày {day} tháng {month} năm {year}.",
    "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, đề nghị phản ánh kịp thời để tổng hợp, báo cáo.",
    "Tổ chức diễn tập phương án chữa cháy, cứu nạn, cứu hộ tại trụ sở cơ quan theo quy định.",
    "Kinh phí thực hiện từ nguồn ngân sách nhà nước được giao trong dự toán năm {year}.",
    "Yêu cầu thủ trưởng các cơ quan, đơn vị nghiêm túc thực hiện./.",
)
# What people type: a notation, subject phrases without diacritics, an issuing agency, a phrase of a body,
# the same with filters, a rare phrase and one that matches nothing. Filters: (type, days back, status).
QUERIES: tuple[tuple[str, str, str, int, str], ...] = (
    ("notation", "123/QĐ-UBND", "", 0, ""),
    ("subject phrase", "ke hoach phong chong", "", 0, ""),
    ("subject phrase + type + 1 year + status", "phong chong thien tai", "KH", 365, "{done}"),
    ("agency", "so tai nguyen va moi truong", "", 0, ""),
    ("body phrase", "dien tap phuong an chua chay", "", 0, ""),
    ("body phrase + 90 days", "giai ngan von dau tu cong", "", 90, ""),
    ("rare phrase", "tin nguong, ton giao", "", 0, ""),
    ("no match", "tau vu tru", "", 0, ""),
    ("filters only: type + 30 days", "", "QĐ", 30, ""),
)
# fmt: on
