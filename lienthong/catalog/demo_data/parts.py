"""Building blocks of the demo catalogue: fields, procedure seeds, fees and the dossier papers many share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lienthong.directory.demo_data import agency_code

from ..record import Component, Fee, LegalBasis

SOURCE = "Dữ liệu mẫu LiênThông"
EFFECTIVE_FROM = date(2025, 7, 1)
SERVICE_CENTRE = agency_code(20)
TEMPLATES = "/static/catalog/mau/"

FULL, PARTIAL, INFO = "full", "partial", "info"
P: tuple[str, ...] = ("province",)
C: tuple[str, ...] = ("commune",)
PC: tuple[str, ...] = ("province", "commune")
UNITS = {"d": "working_days", "h": "working_hours", "c": "calendar_days"}


# --- building blocks ------------------------------------------------------------------------------------


def law(number: str, title: str) -> LegalBasis:
    return LegalBasis(number=number, title=title)


def fee(amount: int, kind: str = "lệ phí") -> tuple[Fee, ...]:
    return (Fee(case="", amount=amount, kind=kind),)


def cases(*pairs: tuple[str, int], kind: str = "lệ phí") -> tuple[Fee, ...]:
    return tuple(Fee(case=case, amount=amount, kind=kind) for case, amount in pairs)


FREE: tuple[Fee, ...] = ()


def form(name: str, template: str = "") -> Component:
    """A form the applicant fills in; ``template`` names a file under ``static/catalog/mau/``."""
    url = f"{TEMPLATES}{template}" if template else ""
    return Component(name=name, template_url=url, file_types=("pdf", "docx", "jpg"))


def paper(name: str, originals: int = 1, copies: int = 0, required: bool = True) -> Component:
    return Component(name, originals, copies, required, "", ("pdf", "jpg", "png"))


def copy_of(name: str, required: bool = True) -> Component:
    return paper(name, originals=0, copies=1, required=required)


# The request form named after the procedure itself ("Đơn đề nghị cấp …", "Tờ khai đăng ký …").
FORM = Component(name="")

ID = paper(
    "Căn cước hoặc giấy tờ tùy thân có ảnh của người yêu cầu (xuất trình khi nộp trực tiếp; không phải nộp khi "
    "nộp trực tuyến bằng tài khoản định danh điện tử)"
)
PROXY = paper("Văn bản ủy quyền được chứng thực, khi người khác nộp hồ sơ thay", required=False)
PHOTOS = Component(
    "Hai ảnh màu cỡ 4 x 6 cm, nền trắng, chụp không quá 6 tháng", 2, 0, True, "", ("jpg", "png")
)
HEALTH = paper("Giấy chứng nhận sức khỏe do cơ sở khám bệnh, chữa bệnh cấp trong vòng 12 tháng")
PREMISES = copy_of(
    "Giấy tờ chứng minh quyền sử dụng hợp pháp địa điểm, mặt bằng (hợp đồng thuê, giấy chứng nhận)"
)
LAND_TITLE = paper(
    "Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất đã cấp (bản gốc)"
)
LAND_PAPERS = copy_of(
    "Một trong những giấy tờ chứng minh quyền sử dụng đất theo quy định của pháp luật về đất đai"
)
DRAWINGS = Component(
    "Hai bộ bản vẽ thiết kế xây dựng: mặt bằng, mặt cắt, mặt đứng, mặt bằng móng, sơ đồ đấu nối hạ tầng",
    2,
    0,
    True,
    "",
    ("pdf", "dwg"),
)
DIPLOMA = copy_of("Văn bằng, chứng chỉ chuyên môn phù hợp (bản sao có chứng thực hoặc bản sao điện tử)")
EXPERIENCE = paper("Giấy xác nhận quá trình thực hành, kinh nghiệm nghề nghiệp của cơ quan, tổ chức")
PASSPORT = copy_of("Hộ chiếu hoặc giấy tờ có giá trị đi lại quốc tế còn thời hạn")
FOREIGN_RECORD = paper(
    "Phiếu lý lịch tư pháp hoặc văn bản xác nhận không phải là người đang chấp hành hình phạt, do nước ngoài "
    "cấp trong vòng 6 tháng (đã hợp pháp hóa lãnh sự và dịch sang tiếng Việt)"
)
EQUIPMENT = paper("Danh mục thiết bị, máy móc kèm giấy tờ chứng minh quyền sở hữu hoặc quyền sử dụng")
FIRE_SAFETY = copy_of("Văn bản nghiệm thu hoặc chứng nhận đủ điều kiện về phòng cháy và chữa cháy")
SITE_PLAN = paper("Sơ đồ vị trí, mặt bằng địa điểm thực hiện")
CIVIL_PAPERS = copy_of("Giấy tờ, tài liệu có nội dung liên quan đến việc đăng ký (nếu có)", required=False)
FOREIGN_PAPERS = paper(
    "Giấy tờ do cơ quan có thẩm quyền nước ngoài cấp (đã hợp pháp hóa lãnh sự, dịch sang tiếng Việt và chứng "
    "thực bản dịch)"
)
ORIGINAL = paper("Bản chính giấy tờ, văn bản làm cơ sở để chứng thực (xuất trình)")
CONTRACT = paper("Dự thảo hợp đồng, giao dịch hoặc văn bản cần chứng thực", originals=1)
BUSINESS_ID = copy_of("Giấy chứng nhận đăng ký doanh nghiệp hoặc giấy tờ pháp lý tương đương")
REPORT = paper("Báo cáo, thuyết minh kèm theo hồ sơ")
CONTRACTS_WORK = copy_of("Hợp đồng lao động hoặc quyết định thôi việc, chấm dứt hợp đồng")
INSURANCE_BOOK = paper("Sổ bảo hiểm xã hội có xác nhận thời gian đóng bảo hiểm thất nghiệp")
ACHIEVEMENTS = paper("Báo cáo thành tích có xác nhận của cơ quan, đơn vị trình khen thưởng")


@dataclass(frozen=True)
class FieldSeed:
    code: str
    name: str
    number: int  # two digits in the national codes of this field's procedures
    agency: int  # level 2 of the department (sở) in charge of the province-tier procedures
    laws: tuple[LegalBasis, ...]


@dataclass(frozen=True)
class Seed:
    name: str
    tiers: tuple[str, ...]
    time: str  # "5d" working days, "8h" working hours, "30c" calendar days
    fees: tuple[Fee, ...]
    level: str
    components: tuple[Component, ...]
    result: str
    eligibility: str = ""
    note: str = ""


def p(
    name: str,
    tiers: tuple[str, ...],
    time: str,
    fees: tuple[Fee, ...],
    level: str,
    components: tuple[Component, ...],
    result: str,
    *,
    eligibility: str = "",
    note: str = "",
) -> Seed:
    return Seed(name, tiers, time, fees, level, components, result, eligibility, note)


SAME_DAY = "Giải quyết trong ngày; hồ sơ nhận sau 15 giờ được giải quyết trong ngày làm việc tiếp theo."
MARRIAGE_AGE = (
    "Nam từ đủ 20 tuổi, nữ từ đủ 18 tuổi; việc kết hôn do hai bên tự nguyện quyết định; không bị mất năng lực "
    "hành vi dân sự; không thuộc trường hợp cấm kết hôn. Hai bên phải có mặt khi đăng ký."
)
