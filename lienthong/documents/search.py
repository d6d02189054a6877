"""Document search (tra cứu văn bản): one phrase over number and notation, type, subject, issuing agency and the
text extracted from the PDF, diacritics and case ignored; filters by type, period and status; newest first.

Every document keeps ``search_text``: those parts folded by :func:`search_fold` (no diacritics, lower case,
punctuation at the edge of a word dropped, so "phòng, chống" is "phong chong" while "123/QĐ-UBND" stays the one
word "123/qd-ubnd"). The services refresh it whenever a searchable field changes (:func:`refresh_search_text`),
the text extraction task too.

The query is folded the same way. One word ("ubnd", "123/qd-ubnd") is found anywhere, inside longer words too,
so part of a notation finds it. Several words are a **phrase**: those whole words, in that order. Vietnamese
words are syllables: matching them one by one ("ke", "hoach", …) would find nearly every document that has a
body, so "ke hoach phong chong" means those four syllables in that order.

On PostgreSQL one word is served by the trigram GIN indexes of migration 0003. A phrase is checked as whole words
by ``lienthong_has_phrase`` (migration 0004), and found one of two ways, chosen per search (:func:`_rare_pairs`).
A phrase held by many documents: the newest documents are read in order (an agency's or a type's index) until the
page is full. A rare one: through the GIN index of **word pairs** ("tin nguong ton giao" holds the pairs "tin
nguong", "nguong ton", "ton giao"; a pair is far rarer than either of its syllables), which hands over the few
documents holding its rarest pairs, then fetched and sorted. The planner cannot choose between the two by
itself: it estimates a phrase as if its pairs were independent, so a phrase in 5 % of the documents looks like one
in a hundred thousand, and it read whole agencies for pages that take 15 ms in order. SQLite scans (the embedded
default's size).

The rows come from :func:`lienthong.documents.selectors.outgoing_documents` / ``incoming_documents``, so a
search never shows what the person may not see. Pages hold :data:`PAGE_SIZE` rows and say whether another
page follows; there is no total count, which on a million documents would cost more than the page itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from typing import Any

from django.db import connection, transaction
from django.db.models import BooleanField, F, Func, TextField, Value
from django.db.models.functions import Coalesce, Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from lienthong.core.errors import DomainError, FieldProblem
from lienthong.core.plans import planned_for_their_values
from lienthong.core.text import fold
from lienthong.directory.models import ApiCredential, Person, RoleAssignment
from lienthong.directory.selectors import Principal

from . import selectors
from .models import (
    Direction,
    DocumentType,
    IncomingDocument,
    IncomingStatus,
    OutgoingDocument,
    OutgoingStatus,
)

PAGE_SIZE = 20
#: Deeper pages are refused: nobody reads page 500 of a search, and the offset would cost a long walk.
MAX_PAGE = 250
MAX_QUERY_LENGTH = 200
MIN_PHRASE_LENGTH = 2
#: A phrase whose word pairs are all held by at most this many documents (of every agency) is read through the
#: pairs index; a commoner one by walking the newest documents. Either way about sqrt(21 x rows) documents are
#: read at this point (4,600 for a million): fewer matches make the walk longer, more make the bitmap larger.
RARE_PHRASE_DOCUMENTS = 5000

# Punctuation not between two word characters: "phòng, chống" loses its comma, "123/QĐ-UBND" keeps its marks.
_LOOSE_PUNCTUATION = re.compile(r"(?<!\w)[^\w\s]+|[^\w\s]+(?!\w)")
_SPACES = re.compile(r"\s+")
# The ASCII characters other than letters and digits, escaped to stand for themselves in a PostgreSQL regular
# expression (a backslash before a letter or digit would make an escape; letters beyond ASCII are literal as they are).
_LITERAL = re.compile(r"([\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f])")

# --- the folded text -------------------------------------------------------------------------------------


def search_fold(text: str) -> str:
    """``"Kế hoạch phòng, chống (thiên tai)"`` → ``"ke hoach phong chong thien tai"``; notations stay whole."""
    return _SPACES.sub(" ", _LOOSE_PUNCTUATION.sub(" ", fold(text))).strip()


def word_pairs(phrase: str) -> list[str]:
    """``"tin nguong ton giao"`` → ``["tin nguong", "nguong ton", "ton giao"]``: what migration 0004 indexes."""
    words = phrase.split(" ")
    return [f"{first} {second}" for first, second in pairwise(words)]


def compose_search_text(parts: Iterable[str | None]) -> str:
    """The folded search text of a document made of ``parts`` (empty parts skipped)."""
    return search_fold(" ".join(part for part in parts if part))


def outgoing_search_parts(document: OutgoingDocument) -> list[str]:
    type_name = document.document_type.name if document.document_type_id else ""
    return [
        document.number_notation,
        document.notation,
        type_name,
        document.subject,
        document.agency.name,
        document.extracted_text,
    ]


def incoming_search_parts(document: IncomingDocument) -> list[str]:
    type_name = document.document_type.name if document.document_type is not None else ""
    return [
        document.number_notation,
        type_name,
        document.subject,
        document.issuer_name,
        document.issuer_code,
        document.extracted_text,
    ]


def refresh_search_text(document: OutgoingDocument | IncomingDocument) -> str:
    """Set ``document.search_text`` from its current fields (the caller saves); returns the new text.

    Called by the services before every save that may change a number, notation, type, subject, agency or
    the extracted text, so the index never lags behind what the document says.
    """
    if isinstance(document, OutgoingDocument):
        document.search_text = compose_search_text(outgoing_search_parts(document))
    else:
        document.search_text = compose_search_text(incoming_search_parts(document))
    return document.search_text


# --- criteria --------------------------------------------------------------------------------------------

STATUSES: dict[str, tuple[str, ...]] = {
    Direction.OUTGOING: tuple(OutgoingStatus.values),
    Direction.INCOMING: tuple(IncomingStatus.values),
}


@dataclass(frozen=True)
class SearchCriteria:
    """What a person searches for. Empty strings and ``None`` mean "no filter"."""

    direction: str = Direction.INCOMING
    q: str = ""
    #: A :class:`DocumentType` code (``QĐ``, ``CV`` …).
    document_type: str = ""
    #: The period, both ends included: the arrival date of incoming documents, the issue date of outgoing
    #: ones (the creation date of a draft not issued yet).
    date_from: date | None = None
    date_to: date | None = None
    status: str = ""
    page: int = 1

    @property
    def phrase(self) -> str:
        return search_fold(self.q[:MAX_QUERY_LENGTH])

    def with_page(self, page: int) -> SearchCriteria:
        return replace(self, page=page)


def check(criteria: SearchCriteria) -> SearchCriteria:
    """``criteria`` if every field keeps its rule, else a :class:`DomainError` listing each broken rule."""
    problems: list[FieldProblem] = []
    if criteria.direction not in STATUSES:
        problems.append(
            FieldProblem(
                "direction",
                "direction_choice",
                _("Loại văn bản tra cứu phải là “incoming” (văn bản đến) hoặc “outgoing” (văn bản đi)."),
            )
        )
    if len(criteria.q) > MAX_QUERY_LENGTH:
        problems.append(
            FieldProblem(
                "q",
                "q_length",
                _("Từ khóa dài tối đa %(limit)s ký tự.") % {"limit": MAX_QUERY_LENGTH},
            )
        )
    elif criteria.q.strip() and len(criteria.phrase) < MIN_PHRASE_LENGTH:
        problems.append(
            FieldProblem(
                "q",
                "q_too_short",
                _("Từ khóa phải có ít nhất %(limit)s chữ hoặc số.") % {"limit": MIN_PHRASE_LENGTH},
            )
        )
    allowed = STATUSES.get(criteria.direction, ())
    if criteria.status and criteria.status not in allowed:
        problems.append(
            FieldProblem(
                "status",
                "status_choice",
                _("Trạng thái “%(status)s” không có ở loại văn bản này; chọn một trong: %(allowed)s.")
                % {"status": criteria.status[:40], "allowed": ", ".join(allowed)},
            )
        )
    if criteria.document_type and not DocumentType.objects.filter(code=criteria.document_type).exists():
        problems.append(
            FieldProblem(
                "document_type",
                "unknown_document_type",
                _("Không có loại văn bản mã “%(code)s”.") % {"code": criteria.document_type[:20]},
            )
        )
    if criteria.date_from and criteria.date_to and criteria.date_from > criteria.date_to:
        problems.append(
            FieldProblem("date_to", "period_order", _("Ngày kết thúc phải sau hoặc bằng ngày bắt đầu."))
        )
    if not 1 <= criteria.page <= MAX_PAGE:
        problems.append(
            FieldProblem(
                "page",
                "page_range",
                _("Trang phải từ 1 đến %(limit)s; hãy thu hẹp điều kiện tra cứu.") % {"limit": MAX_PAGE},
            )
        )
    if problems:
        raise DomainError(message=problems[0].message, rule=problems[0].rule, problems=problems)
    return criteria


def _date(raw: Mapping[str, Any], name: str, problems: list[FieldProblem]) -> date | None:
    value = str(raw.get(name) or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        problems.append(
            FieldProblem(name, "date_format", _("Ngày phải có dạng năm-tháng-ngày, ví dụ 2026-12-31."))
        )
        return None


def criteria_from(raw: Mapping[str, Any]) -> SearchCriteria:
    """Criteria from a search form's query string (strings), checked; :class:`DomainError` names each field."""
    problems: list[FieldProblem] = []
    page_text = str(raw.get("page") or "1").strip()
    page = int(page_text) if page_text.isdigit() else 0
    criteria = SearchCriteria(
        direction=str(raw.get("direction") or Direction.INCOMING).strip(),
        q=str(raw.get("q") or ""),
        document_type=str(raw.get("document_type") or "").strip(),
        date_from=_date(raw, "date_from", problems),
        date_to=_date(raw, "date_to", problems),
        status=str(raw.get("status") or "").strip(),
        page=page,
    )
    try:
        check(criteria)
    except DomainError as error:
        problems.extend(error.problems)
    if problems:
        raise DomainError(message=problems[0].message, rule=problems[0].rule, problems=problems)
    return criteria


# --- the search ------------------------------------------------------------------------------------------


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def _scope_agencies(principal: Principal) -> list[int] | None:
    """The agencies whose documents ``principal`` could see at all (``None``: every agency).

    The selectors' scope stays the rule; this list only narrows it again, as literal values the planner can
    match against an index at plan time (the scope's subqueries are known only while the query runs), so a
    clerk's search reads the trigram matches of their own agency instead of every agency's.
    """
    if isinstance(principal, ApiCredential):
        return [principal.agency_id]
    if isinstance(principal, Person) and principal.is_superuser:
        return None
    if not isinstance(principal, Person):
        return []
    return list(
        RoleAssignment.objects.filter(person=principal, is_active=True)
        .values_list("agency_id", flat=True)
        .distinct()
    )


class _Condition(Func):
    """A PostgreSQL condition on ``search_text`` with one parameter, written as ``template`` (``{}`` is the column).

    For the functions of migration 0004, written exactly as its indexes are, so PostgreSQL matches them."""

    output_field = BooleanField()

    def __init__(self, template: str, value: Any) -> None:
        super().__init__(F("search_text"))
        self.template_sql = template
        self.value = value

    def as_sql(  # type: ignore[override]
        self, compiler: Any, connection: Any, **extra_context: Any
    ) -> tuple[str, tuple[Any, ...]]:
        sql, params = compiler.compile(self.get_source_expressions()[0])
        return self.template_sql.format(sql), (*params, self.value)


def _has_phrase(phrase: str) -> _Condition:
    """The phrase as whole words of the text."""
    return _Condition("lienthong_has_phrase({}, %s)", phrase)


def _holds_word_pairs(pairs: list[str]) -> _Condition:
    """Every one of ``pairs`` among the text's word pairs: what the pairs index answers."""
    return _Condition("lienthong_word_pairs({}) @> %s::text[]", pairs)


_PAIRS_INDEX = {
    IncomingDocument._meta.db_table: "documents_in_search_pairs",
    OutgoingDocument._meta.db_table: "documents_out_search_pairs",
}
# The share of documents holding each pair, from the statistics ANALYZE keeps on the pairs index (the most common
# pairs with their frequencies; a pair not listed is rarer than every listed one), and the table's row count.
_PAIR_FREQUENCIES = """
SELECT t.reltuples, current_setting('enable_bitmapscan')::boolean, current_setting('enable_seqscan'),
       s.most_common_elem_freqs[cardinality(s.most_common_elem_freqs) - 2],
       (SELECT array_agg(e.share ORDER BY q.position) FROM unnest(%s::text[]) WITH ORDINALITY AS q(pair, position)
        LEFT JOIN unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS e(pair, share) USING (pair))
FROM pg_class AS t
LEFT JOIN pg_stats AS s
    ON s.schemaname = current_schema() AND s.tablename = %s AND s.attname = 'lienthong_word_pairs'
WHERE t.oid = %s::regclass
"""


def _rare_pairs(
    model: type[OutgoingDocument] | type[IncomingDocument],
    pairs: list[str],
    *,
    limit: int = RARE_PHRASE_DOCUMENTS,
) -> list[str]:
    """The rarest pairs of a phrase if at most ``limit`` documents hold them, else ``[]``.

    The statistics ANALYZE keeps on the pairs index list the most common pairs with their share of the documents
    (~1.5 ms to look up), down to a floor; a pair they do not list is rarer than the floor. When they list every
    pair, the rarest one's share answers; when the floor alone is low enough, it answers. Otherwise the documents
    holding the unlisted pairs are counted through the pairs index, stopping at the limit (a few milliseconds from
    memory; counting the documents of common pairs would not do: for pairs in half of all documents, 0.5 s).
    """
    table = model._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_PAIR_FREQUENCIES, [pairs, _PAIRS_INDEX[table], table])
        rows, bitmaps, seq_scans, floor, shares = cursor.fetchone()
        if not bitmaps:
            # The index cannot be read (the bench's baseline switches bitmaps off): never count by scanning.
            return []
        if rows <= 0:  # never analysed: the count below decides
            shares = None
        listed = {pair: share for pair, share in zip(pairs, shares or [], strict=False) if share is not None}
        unlisted = sorted({pair for pair in pairs if pair not in listed})
        if not unlisted:
            rarest = min(listed, key=listed.__getitem__)
            return [rarest] if listed[rarest] * rows <= limit else []
        if shares is not None and floor is not None and floor * rows <= limit:
            return unlisted
        # Read through the index: a sequential scan would compute the pairs of every row it passes. The setting
        # is put back at once (SET LOCAL would outlive this block inside a caller's transaction).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {table} "
            "WHERE lienthong_word_pairs(search_text) @> %s::text[] LIMIT %s) AS held",
            [unlisted, limit + 1],
        )
        (held,) = cursor.fetchone()
        cursor.execute("SELECT set_config('enable_seqscan', %s, true)", [seq_scans])
    return unlisted if held <= limit else []


@dataclass(frozen=True)
class _Search:
    rows: Any
    #: A rare phrase: plan it with the pairs index's bitmap, never an ordered walk.
    through_pairs: bool = False


def _prepare(principal: Principal, criteria: SearchCriteria) -> _Search:
    rows: Any
    agencies = _scope_agencies(principal)
    if criteria.direction == Direction.OUTGOING:
        # A draft has no issue moment yet: it stands where it was created.
        rows = selectors.outgoing_documents(principal).annotate(at=Coalesce(F("issued_at"), F("created_at")))
        moment = "at"
    else:
        rows = selectors.incoming_documents(principal)
        moment = "received_at"
    if agencies is not None and len(agencies) == 1:
        # One value, not IN (…): PostgreSQL 15 reads an (agency, moment) index in order only for equality.
        rows = rows.filter(agency_id=agencies[0])
    elif agencies is not None:
        rows = rows.filter(agency_id__in=agencies)
    through_pairs = False
    phrase = criteria.phrase
    if " " in phrase and connection.vendor == "postgresql":
        rows = rows.filter(_has_phrase(phrase))
        # A common phrase gets no pairs condition: the planner walks the newest documents, and the pairs function
        # (0.1 ms a row) is never run row by row. A rare one is read through the index of its rare pairs.
        rare = _rare_pairs(rows.model, word_pairs(phrase))
        if rare:
            through_pairs = True
            rows = rows.filter(_holds_word_pairs(rare))
    elif " " in phrase:
        # Whole words: the phrase between spaces in the text padded with spaces, so its first and last words count.
        padded = Concat(Value(" "), F("search_text"), Value(" "), output_field=TextField())
        rows = rows.alias(padded_text=padded).filter(padded_text__contains=f" {phrase} ")
    elif phrase and connection.vendor == "postgresql":
        # The same as ``contains``, as a regular expression of the literal word: pg_trgm then leaves out the
        # trigrams at the word's edges, which nearly every document holds ("  q", " qd", "qd "), and the index
        # reads about half as much (a notation: 1,463 → 789 index pages, 35 → 20 ms on a million documents).
        rows = rows.filter(search_text__regex=_LITERAL.sub(r"\\\1", phrase))
    elif phrase:
        rows = rows.filter(search_text__contains=phrase)
    if criteria.document_type:
        # The id, not a join on the code: the (type, moment) indexes need the value at plan time.
        rows = rows.filter(
            document_type_id=DocumentType.objects.filter(code=criteria.document_type)
            .values("id")[:1]
            .get()["id"]
        )
    if criteria.status:
        rows = rows.filter(status=criteria.status)
    if criteria.date_from:
        rows = rows.filter(**{f"{moment}__gte": _day_start(criteria.date_from)})
    if criteria.date_to:
        rows = rows.filter(**{f"{moment}__lt": _day_start(criteria.date_to + timedelta(days=1))})
    # ``search_text`` can be long (a whole PDF's text): never carry it to Python for a results page.
    ordered = rows.defer("search_text", "extracted_text").order_by(f"-{moment}", "-id")
    return _Search(rows=ordered, through_pairs=through_pairs)


@dataclass(frozen=True)
class SearchPage:
    """One page of results and whether there are more."""

    criteria: SearchCriteria
    items: Sequence[OutgoingDocument | IncomingDocument] = field(default_factory=list)
    has_next: bool = False

    @property
    def has_previous(self) -> bool:
        return self.criteria.page > 1

    @property
    def first_position(self) -> int:
        """The 1-based position of the first row of the page, for numbering the table."""
        return (self.criteria.page - 1) * PAGE_SIZE + 1


def _planned(search: _Search) -> AbstractContextManager[None]:
    """The page query planned the way :func:`_prepare` chose: for its own phrase and agency (a plan made once for
    any value ignored both: 17 ms became 700-850 ms), and for a rare phrase through the pairs' bitmap, never by a
    walk in order checking the phrase row by row."""
    return planned_for_their_values({"enable_indexscan": "off"} if search.through_pairs else None)


def search_documents(principal: Principal, criteria: SearchCriteria) -> SearchPage:
    """Page ``criteria.page`` of the documents matching ``criteria`` that ``principal`` may see."""
    check(criteria)
    start = (criteria.page - 1) * PAGE_SIZE
    search = _prepare(principal, criteria)
    with _planned(search):
        found: list[OutgoingDocument | IncomingDocument] = list(search.rows[start : start + PAGE_SIZE + 1])
    return SearchPage(criteria=criteria, items=found[:PAGE_SIZE], has_next=len(found) > PAGE_SIZE)


def explain_search(principal: Principal, criteria: SearchCriteria) -> str:
    """The database's plan for the first page of ``criteria``, as :func:`search_documents` runs it."""
    search = _prepare(principal, check(criteria))
    with _planned(search):
        return str(search.rows[: PAGE_SIZE + 1].explain())
