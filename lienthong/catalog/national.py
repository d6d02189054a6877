"""Reading the national procedure record (CSDL quốc gia về TTHC, ``LayThuTuc``) into :class:`ProcedureRecord`.

Pure: no database. Input is the bytes of a JSON file — an array of records, or an object holding the array under
``data`` / ``result`` / ``items`` / ``records`` — using the national field names (``MATTHC``, ``TENTTHC``,
``LINHVUCTHUCHIEN``, ``CACHTHUCTHUCHIEN``, ``THANHPHANHOSO``, ``CANCUPHAPLY``…). Keys are matched without
regard to case (``MaTTHC`` = ``MATTHC``); a list of one element may also come as the bare object.

Every problem names the record (its number in the file, counting from 1, and its code) and the field, as a path
in the national names (``CACHTHUCTHUCHIEN[2].THOIGIAN.THOIGIANGIAIQUYET``: an index appears only where the list
has more than one element, counting from 1). The shapes accepted for values the national documents leave open
(``DONVITINH``, ``MUCDO``, ``CAPTHUCHIEN``, ``KENH``, money) are described in ``docs/thu-tuc-nhap.md``.

The types it produces and the value readers live in :mod:`lienthong.catalog.incoming`, shared with the XLSX
reader.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from lienthong.core.text import fold, nfc

from .incoming import (
    COMPONENT_OPTIONAL,
    FIELD_NAME_LIMIT,
    NAME_LIMIT,
    ImportFileError,
    ParsedRecord,
    ParseResult,
    RecordProblem,
    date_of,
    dedupe,
    money_of,
    number_of,
    online_level_of,
    status_of,
    tier_of,
    time_unit_of,
)
from .record import Component, Fee, LegalBasis, ProcedureRecord, Result

MAX_JSON_BYTES = 50 * 1024 * 1024
LIST_KEYS = ("data", "result", "items", "records")

# Record field → the national name shown in messages about it.
NATIONAL_LABELS: dict[str, str] = {
    "code": "MATTHC",
    "name": "TENTTHC",
    "field_code": "LINHVUCTHUCHIEN.MALINHVUC",
    "field_name": "LINHVUCTHUCHIEN.TENLINHVUC",
    "processing_value": "CACHTHUCTHUCHIEN.THOIGIAN.THOIGIANGIAIQUYET",
    "processing_unit": "CACHTHUCTHUCHIEN.THOIGIAN.DONVITINH",
    "processing_note": "CACHTHUCTHUCHIEN.THOIGIAN.MOTA",
    "fees": "CACHTHUCTHUCHIEN.PHILEPHI",
    "components": "THANHPHANHOSO.GIAYTO",
    "steps": "TRINHTUTHUCHIEN",
    "eligibility": "YEUCAU",
    "results": "KETQUATHUCHIEN",
    "legal_basis": "CANCUPHAPLY",
    "agencies": "COQUANTHUCHIEN",
    "tiers": "CAPTHUCHIEN",
    "online_level": "MUCDO",
    "status": "TRANGTHAI",
    "effective_from": "NGAYHIEULUC",
    "effective_to": "NGAYHETHIEULUC",
}


# --- the national JSON ---------------------------------------------------------------------------------------


def _upper_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k).strip().upper(): _upper_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_upper_keys(v) for v in value]
    return value


def load_records(content: bytes) -> list[Any]:
    """The list of raw records in a national JSON file; :class:`ImportFileError` when there is none."""
    if len(content) > MAX_JSON_BYTES:
        raise ImportFileError(_("Tệp JSON lớn hơn 50 MB; hãy chia thành nhiều tệp nhỏ hơn."), "file_size")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = content[: exc.start].count(b"\n") + 1
        raise ImportFileError(
            _("Tệp JSON phải mã hoá UTF-8 (lỗi ở dòng %(line)d).") % {"line": line}, "file_encoding"
        ) from exc
    if not text.strip():
        raise ImportFileError(_("Tệp rỗng."), "file_empty")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFileError(
            _("Tệp JSON sai cú pháp ở dòng %(line)d, cột %(column)d: %(reason)s.")
            % {"line": exc.lineno, "column": exc.colno, "reason": exc.msg},
            "json_syntax",
        ) from exc
    for _depth in range(3):  # {"result": {"data": [...]}} is as deep as real answers go
        if not isinstance(data, dict):
            break
        upper = {str(k).upper(): v for k, v in data.items()}
        if "MATTHC" in upper:
            return [data]
        inner = next((upper[k.upper()] for k in LIST_KEYS if k.upper() in upper), None)
        if inner is None:
            break
        data = inner
    if not isinstance(data, list):
        raise ImportFileError(
            _(
                "Không tìm thấy danh sách thủ tục: tệp phải là một mảng JSON, hoặc một đối tượng có mảng ở khóa "
                "“data” hay “result”."
            ),
            "json_shape",
        )
    if not data:
        raise ImportFileError(_("Tệp không có thủ tục nào."), "file_empty")
    return data


def parse_national(content: bytes) -> ParseResult:
    """Read every record of a national JSON file; problems come back per record and field."""
    raw = load_records(content)
    result = ParseResult(format="national", record_count=len(raw), labels=NATIONAL_LABELS)
    seen: dict[str, str] = {}
    for number, item in enumerate(raw, start=1):
        where = _("Bản ghi %(n)d") % {"n": number}
        reader = _RecordReader(where, _upper_keys(item))
        parsed = reader.read()
        result.warnings.extend(reader.warnings)
        if reader.code:
            result.codes.add(reader.code)
            if reader.code in seen:
                reader.error(
                    "MATTHC",
                    "duplicate",
                    _("mã %(code)s đã có ở %(where)s.") % {"code": reader.code, "where": seen[reader.code]},
                )
            else:
                seen[reader.code] = where
        result.errors.extend(reader.errors)
        if parsed is not None and not reader.errors:
            result.records.append(parsed)
    return result


_CHANNELS = {"1": "Trực tiếp", "2": "Trực tuyến", "3": "Dịch vụ bưu chính"}
_TEXT_KEYS = ("TENTRINHTU", "TRINHTU", "NOIDUNG", "TENYEUCAU", "YEUCAU", "TENKETQUA", "TEN", "MOTA")


def _path(parent: str, key: str, index: int, count: int) -> str:
    base = f"{parent}.{key}" if parent else key
    return f"{base}[{index + 1}]" if count > 1 else base


class _RecordReader:
    """Reads one national record, collecting its errors and warnings."""

    def __init__(self, where: str, data: Any) -> None:
        self.where = where
        self.data = data if isinstance(data, dict) else {}
        self.code = ""
        self.errors: list[RecordProblem] = []
        self.warnings: list[RecordProblem] = []
        self.provided: set[str] = {"code"}
        if not isinstance(data, dict):
            self.error("", "record_shape", _("bản ghi phải là một đối tượng JSON."))

    def error(self, path: str, rule: str, message: str) -> None:
        self.errors.append(RecordProblem(self.where, self.code, path, rule, message))

    def warn(self, path: str, rule: str, message: str) -> None:
        self.warnings.append(RecordProblem(self.where, self.code, path, rule, message))

    def text(self, obj: Mapping[str, Any], key: str, path: str, *, required: bool = False) -> str:
        value = obj.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.error(path, "required", _("không được để trống."))
            return ""
        if isinstance(value, bool | dict | list):
            self.error(path, "text", _("phải là chuỗi ký tự."))
            return ""
        return nfc(str(value).strip())

    def items(self, value: Any, path: str) -> list[tuple[str, dict[str, Any]]]:
        """``(path, object)`` for a list of objects (or one bare object)."""
        if value is None:
            return []
        values = value if isinstance(value, list) else [value]
        out: list[tuple[str, dict[str, Any]]] = []
        parent, _dot, key = path.rpartition(".")
        for index, item in enumerate(values):
            item_path = _path(parent, key, index, len(values))
            if isinstance(item, dict):
                out.append((item_path, item))
            else:
                self.error(item_path, "object", _("phải là một đối tượng JSON."))
        return out

    def long_text(self, value: Any, path: str) -> str:
        """Free text that may come as a string or as a list of strings or objects (one line each)."""
        if value is None:
            return ""
        if isinstance(value, str):
            return nfc(value.strip())
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        lines: list[str] = []
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict):
                parts = [str(item[k]).strip() for k in _TEXT_KEYS if item.get(k) not in (None, "")]
                line = parts[0] if parts else " ".join(str(v) for v in item.values() if isinstance(v, str))
            else:
                line = str(item)
            if line.strip():
                lines.append(nfc(line.strip()))
        return "\n".join(lines)

    def read(self) -> ParsedRecord | None:
        d = self.data
        self.code = self.text(d, "MATTHC", "MATTHC", required=True)
        if not self.data:
            return None
        values: dict[str, Any] = {"code": self.code}
        values["name"] = self.text(d, "TENTTHC", "TENTTHC", required=True)
        if len(values["name"]) > NAME_LIMIT:
            self.error("TENTTHC", "max_length", _("dài quá %(n)d ký tự.") % {"n": NAME_LIMIT})
        self.provided.add("name")
        self._field(values)
        self._channels(values)
        if "THANHPHANHOSO" in d:
            values["components"], unspecified = self._components(d["THANHPHANHOSO"])
            self.provided.add("components")
        else:
            unspecified = ()
        for key, target in (("TRINHTUTHUCHIEN", "steps"), ("YEUCAU", "eligibility")):
            if key in d:
                values[target] = self.long_text(d[key], key)
                self.provided.add(target)
        if "KETQUATHUCHIEN" in d:
            values["results"] = self._results(d["KETQUATHUCHIEN"])
            self.provided.add("results")
        if "CANCUPHAPLY" in d:
            values["legal_basis"] = self._legal_basis(d["CANCUPHAPLY"])
            self.provided.add("legal_basis")
        agencies, labels = self._agencies(d.get("COQUANTHUCHIEN"))
        values["agencies"] = agencies
        self._tiers(values)
        self._level_status_dates(values)
        if self.errors:
            return None
        record = ProcedureRecord(**values)
        return ParsedRecord(self.where, record, frozenset(self.provided), unspecified, labels)

    def _field(self, values: dict[str, Any]) -> None:
        fields = self.items(self.data.get("LINHVUCTHUCHIEN"), "LINHVUCTHUCHIEN")
        if not fields:
            self.error("LINHVUCTHUCHIEN", "required", _("thiếu lĩnh vực (MALINHVUC, TENLINHVUC)."))
            return
        path, first = fields[0]
        values["field_code"] = self.text(first, "MALINHVUC", f"{path}.MALINHVUC", required=True).upper()
        values["field_name"] = self.text(first, "TENLINHVUC", f"{path}.TENLINHVUC", required=True)
        if len(values["field_name"]) > FIELD_NAME_LIMIT:
            self.error(
                f"{path}.TENLINHVUC", "max_length", _("dài quá %(n)d ký tự.") % {"n": FIELD_NAME_LIMIT}
            )
        self.provided.update({"field_code", "field_name"})

    def _channels(self, values: dict[str, Any]) -> None:
        """Processing time from the direct channel (else the first one); fees from every channel."""
        if "CACHTHUCTHUCHIEN" not in self.data:
            return
        channels = self.items(self.data["CACHTHUCTHUCHIEN"], "CACHTHUCTHUCHIEN")
        channels.sort(key=lambda pc: 0 if self._channel_name(pc[1]) == "Trực tiếp" else 1)
        times = [
            (p, t) for path, ch in channels for p, t in self.items(ch.get("THOIGIAN"), f"{path}.THOIGIAN")
        ]
        if times:
            path, first = times[0]
            raw = first.get("THOIGIANGIAIQUYET")
            value = number_of(raw)
            if value is None:
                self.error(
                    f"{path}.THOIGIANGIAIQUYET",
                    "number",
                    _("phải là số không âm (nhận được %(value)s).")
                    % {"value": json.dumps(raw, ensure_ascii=False)},
                )
            unit_raw = first.get("DONVITINH")
            unit = time_unit_of(unit_raw)
            if unit_raw in (None, ""):
                unit = "working_days"
                self.warn(f"{path}.DONVITINH", "default", _("để trống; coi là ngày làm việc."))
            elif unit is None:
                self.error(
                    f"{path}.DONVITINH",
                    "time_unit",
                    _("'%(value)s' không phải đơn vị thời gian; dùng “Ngày làm việc”, “Giờ” hoặc “Ngày”.")
                    % {"value": unit_raw},
                )
            values["processing_value"] = value or 0.0
            values["processing_unit"] = unit or "working_days"
            values["processing_note"] = self.text(first, "MOTA", f"{path}.MOTA")
        else:
            self.warn(
                "CACHTHUCTHUCHIEN.THOIGIAN",
                "no_time",
                _("không có thời hạn giải quyết; ghi là 0 (không quy định)."),
            )
            values["processing_value"], values["processing_note"] = 0.0, _("Không quy định")
        self.provided.update({"processing_value", "processing_unit", "processing_note", "fees"})
        per_channel = [
            (self._channel_name(ch), self._fees(ch.get("PHILEPHI"), f"{path}.PHILEPHI"))
            for path, ch in channels
        ]
        distinct = {fees for _name, fees in per_channel}
        if len(distinct) <= 1:
            values["fees"] = per_channel[0][1] if per_channel else ()
        else:  # the channels charge differently (online is often cheaper): say which channel each line is for
            values["fees"] = dedupe(
                Fee(case=f"{name}: {fee.case}" if fee.case else name, amount=fee.amount, kind=fee.kind)
                for name, fees in per_channel
                for fee in fees
            )

    def _channel_name(self, channel: Mapping[str, Any]) -> str:
        raw = str(channel.get("KENH") if channel.get("KENH") is not None else "").strip()
        if raw in _CHANNELS:
            return _CHANNELS[raw]
        words = fold(raw)
        if "truc tiep" in words:
            return "Trực tiếp"
        if "truc tuyen" in words:
            return "Trực tuyến"
        if "buu chinh" in words:
            return "Dịch vụ bưu chính"
        return nfc(raw)

    def _fees(self, value: Any, path: str) -> tuple[Fee, ...]:
        fees: list[Fee] = []
        for item_path, item in self.items(value, path):
            case = self.text(item, "MOTA", f"{item_path}.MOTA")
            unit = fold(str(item.get("DONVI") or ""))
            raw = item.get("SOTIEN")
            kind = "phí" if fold(str(item.get("LOAIPHI") or "")).strip() == "phi" else "lệ phí"
            if unit in {"%", "phan tram"}:
                rate = number_of(raw)
                if rate is None:
                    self.error(f"{item_path}.SOTIEN", "number", _("phải là số phần trăm."))
                    continue
                share = f"{rate:g}".replace(".", ",")
                fees.append(Fee(case=f"{case} ({share}%)".strip(), amount=0, kind=kind))
                self.warn(
                    f"{item_path}.SOTIEN",
                    "percent",
                    _("thu theo tỷ lệ %(share)s%%; ghi vào diễn giải, số tiền 0.") % {"share": share},
                )
                continue
            amount = money_of(raw)
            if amount is None:
                self.error(
                    f"{item_path}.SOTIEN",
                    "money",
                    _("phải là số tiền bằng đồng (nhận được %(value)s).")
                    % {"value": json.dumps(raw, ensure_ascii=False)},
                )
                continue
            if unit in {"nghin dong", "nghin", "ngan dong", "1.000 dong"}:
                amount *= 1000
            elif unit not in {"", "dong", "vnd", "d", "vnđ"}:
                self.error(
                    f"{item_path}.DONVI",
                    "currency",
                    _("'%(value)s' không phải đơn vị tiền; dùng “Đồng”.") % {"value": item.get("DONVI")},
                )
                continue
            fees.append(Fee(case=case, amount=amount, kind=kind))
        return dedupe(fees)

    def _components(self, value: Any) -> tuple[tuple[Component, ...], tuple[frozenset[str], ...]]:
        components: list[Component] = []
        for group_path, group in self.items(value, "THANHPHANHOSO"):
            for path, paper in self.items(group.get("GIAYTO"), f"{group_path}.GIAYTO"):
                name = self.text(paper, "TENGIAYTO", f"{path}.TENGIAYTO", required=True)
                counts = []
                for key, default in (("SOBANCHINH", 1), ("SOBANSAO", 0)):
                    raw = paper.get(key)
                    number = default if raw in (None, "") else number_of(raw)
                    if number is None or number != int(number):
                        self.error(f"{path}.{key}", "count", _("phải là số nguyên không âm."))
                        number = default
                    counts.append(int(number))
                url = self.text(paper, "URL", f"{path}.URL")
                components.append(
                    Component(name=name, originals=counts[0], copies=counts[1], template_url=url)
                )
        unique = dedupe(components)
        return unique, tuple(
            COMPONENT_OPTIONAL - ({"template_url"} if c.template_url else set()) for c in unique
        )

    def _results(self, value: Any) -> tuple[Result, ...]:
        if isinstance(value, str | int | float) or value is None:
            names = [line.strip(" -+•\t") for line in self.long_text(value, "KETQUATHUCHIEN").splitlines()]
            return dedupe(Result(name=n) for n in names if n)
        results: list[Result] = []
        items = value if isinstance(value, list) else [value]
        for index, item in enumerate(items):
            if isinstance(item, dict):
                name = next(
                    (str(item[k]).strip() for k in ("TENKETQUA", "TENGIAYTO", "TEN") if item.get(k)), ""
                )
                kind_words = fold(str(item.get("LOAI") or item.get("HINHTHUC") or ""))
                kind = "electronic" if "dien tu" in kind_words or kind_words == "electronic" else "paper"
            else:
                name, kind = str(item or "").strip(), "paper"
            if not name:
                self.error(
                    _path("", "KETQUATHUCHIEN", index, len(items)),
                    "required",
                    _("kết quả không có tên (TENKETQUA)."),
                )
                continue
            results.append(Result(name=nfc(name), kind=kind))
        return dedupe(results)

    def _legal_basis(self, value: Any) -> tuple[LegalBasis, ...]:
        found: list[LegalBasis] = []
        for path, item in self.items(value, "CANCUPHAPLY"):
            number = self.text(item, "SOVANBAN", f"{path}.SOVANBAN")
            title = self.text(item, "TENVANBAN", f"{path}.TENVANBAN")
            if number or title:
                found.append(LegalBasis(number=number, title=title))
            else:
                self.warn(path, "empty", _("văn bản không có số hiệu và tên; bỏ qua."))
        return dedupe(found)

    def _agencies(self, value: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Agency codes as written (checked against the directory later), and labels for those without one."""
        codes: list[str] = []
        labels: list[str] = []
        if isinstance(value, str):
            codes = [c.strip() for c in re.split(r"[;,\n]", value) if c.strip()]
            return dedupe(codes), dedupe(codes)
        for item in value if isinstance(value, list) else ([] if value is None else [value]):
            if isinstance(item, dict):
                code = next(
                    (
                        str(item[k]).strip()
                        for k in ("MADONVI", "MACOQUAN", "MADINHDANH", "MA")
                        if item.get(k)
                    ),
                    "",
                )
                name = next(
                    (str(item[k]).strip() for k in ("TENDONVI", "TENCOQUAN", "TEN") if item.get(k)), ""
                )
                if code:
                    codes.append(code)
                labels.append(code or nfc(name))
            elif item not in (None, ""):
                codes.append(str(item).strip())
                labels.append(str(item).strip())
        return dedupe(codes), dedupe(label for label in labels if label)

    def _tiers(self, values: dict[str, Any]) -> None:
        raw = self.data.get("CAPTHUCHIEN")
        if raw is None:
            return
        words: list[str] = []
        for item in raw if isinstance(raw, list) else [raw]:
            if isinstance(item, dict):
                words.extend(
                    str(v) for k, v in item.items() if k in {"CAPTHUCHIEN", "TENCAP", "TEN", "MACAP"} and v
                )
            elif isinstance(item, str):
                words.extend(w for w in re.split(r"[;,\n]", item) if w.strip())
            elif item is not None:
                words.append(str(item))
        tiers = []
        for word in words:
            tier = tier_of(word)
            if tier is None:
                self.warn(
                    "CAPTHUCHIEN",
                    "tier",
                    _("'%(value)s' không phải cấp thực hiện đã biết; bỏ qua.") % {"value": word.strip()},
                )
            else:
                tiers.append(tier)
        if tiers:
            values["tiers"] = dedupe(tiers)
            self.provided.add("tiers")

    def _level_status_dates(self, values: dict[str, Any]) -> None:
        d = self.data
        if d.get("MUCDO") not in (None, ""):
            level = online_level_of(d["MUCDO"])
            if level is None:
                self.error(
                    "MUCDO",
                    "online_level",
                    _(
                        "'%(value)s' không phải mức độ trực tuyến; dùng “Toàn trình”, “Một phần”, “Cung cấp thông tin” hoặc 2, 3, 4."
                    )
                    % {"value": d["MUCDO"]},
                )
            else:
                values["online_level"] = level
                self.provided.add("online_level")
        status_key = next((k for k in ("TRANGTHAI", "TINHTRANG") if k in d), "")
        status = "active"
        if status_key:
            found = status_of(d[status_key])
            if found is None:
                self.error(
                    status_key,
                    "status",
                    _("'%(value)s' không phải trạng thái; dùng “Đang áp dụng”, “Tạm ngừng” hoặc “Đã bãi bỏ”.")
                    % {"value": d[status_key]},
                )
            status = found or "active"
        if d.get("DABAIBO") in (True, 1, "1", "true", "True"):
            status = "cancelled"
        if status_key or "DABAIBO" in d:
            self.provided.add("status")
        values["status"] = status
        for key, target in (("NGAYHIEULUC", "effective_from"), ("NGAYHETHIEULUC", "effective_to")):
            if d.get(key) in (None, ""):
                continue
            parsed = date_of(d[key])
            if parsed is None:
                self.error(
                    key,
                    "date",
                    _("'%(value)s' không phải ngày (dd/mm/yyyy, yyyy-mm-dd hoặc yyyyMMddHHmmss).")
                    % {"value": d[key]},
                )
            else:
                values[target] = parsed
                self.provided.add(target)
