"""The English catalogue: complete, compiled, and reachable through the language switcher.

The msgids are Vietnamese (the source language); ``lienthong/locale/en/LC_MESSAGES/django.po`` holds the
English text. Update it with ``lienthong makemessages -l en`` (ignoring .venv, var, bench and tests),
translate every new entry, then ``lienthong compilemessages --ignore=.venv``.
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "lienthong" / "locale" / "en" / "LC_MESSAGES"
PO_FILE = LOCALE_DIR / "django.po"
MO_FILE = LOCALE_DIR / "django.mo"

_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+"(.*)"$')
_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")
_TEMPLATE_LITERAL = re.compile(r"""\{%\s*(?:translate|trans)\s+(["'])(.+?)\1|\b_\((["'])(.+?)\3\)""")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), text)


def read_po(path: Path) -> list[Entry]:
    """A small reader for the subset of the PO format that GNU gettext writes (no obsolete entries kept)."""
    entries: list[Entry] = []
    entry = Entry()
    target: tuple[str, int] | None = None
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, raw in enumerate([*lines, ""], start=1):
        line = raw.strip()
        if not line:
            if target is not None:
                entries.append(entry)
            entry, target = Entry(), None
        elif line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif match := _KEYWORD.match(line):
            keyword, index, text = match.groups()
            target = (keyword, int(index or 0))
            _append(entry, target, _unescape(text))
        elif line.startswith('"') and target is not None:
            _append(entry, target, _unescape(line[1:-1]))
        else:
            raise AssertionError(f"{path.name}:{number}: unreadable line {raw!r}")
    return entries


def _append(entry: Entry, target: tuple[str, int], text: str) -> None:
    keyword, index = target
    if keyword == "msgid":
        entry.msgid += text
    elif keyword == "msgid_plural":
        entry.msgid_plural = (entry.msgid_plural or "") + text
    elif keyword == "msgctxt":
        entry.msgctxt = (entry.msgctxt or "") + text
    else:
        entry.msgstr[index] = entry.msgstr.get(index, "") + text


def _messages() -> list[Entry]:
    return [entry for entry in read_po(PO_FILE) if entry.msgid]


def _placeholders(text: str) -> set[str]:
    return {a or b for a, b in _PLACEHOLDER.findall(text)}


def test_english_catalogue_has_no_untranslated_or_fuzzy_entry():
    entries = read_po(PO_FILE)
    header = entries[0]
    assert header.msgid == "", "the catalogue starts with its header"
    assert "Language: en\n" in header.msgstr[0]
    messages = [entry for entry in entries if entry.msgid]
    assert len(messages) > 300, "makemessages collected the project's strings"
    fuzzy = [entry.msgid for entry in entries if "fuzzy" in entry.flags]
    untranslated = [
        entry.msgid
        for entry in messages
        if not entry.msgstr
        or any(not text.strip() for text in entry.msgstr.values())
        or (entry.msgid_plural is not None and sorted(entry.msgstr) != [0, 1])
    ]
    assert fuzzy == [], f"fuzzy entries: {fuzzy}"
    assert untranslated == [], f"untranslated entries: {untranslated}"


def test_english_translations_keep_every_placeholder():
    wrong = [
        (entry.msgid, text)
        for entry in _messages()
        for text in entry.msgstr.values()
        if _placeholders(text) != _placeholders(entry.msgid)
    ]
    assert wrong == []


def test_compiled_catalogue_matches_the_po_file():
    with MO_FILE.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in _messages():
        msgid = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.msgid_plural is None:
            got = [compiled.gettext(msgid)]
            want = [entry.msgstr[0]]
        else:
            got = [compiled.ngettext(msgid, entry.msgid_plural, n) for n in (1, 2)]
            want = [entry.msgstr[0], entry.msgstr[1]]
        if got != want:
            stale.append(entry.msgid)
    assert stale == [], f"django.mo is older than django.po; run compilemessages. Differs for: {stale[:5]}"


def test_every_literal_string_in_the_templates_is_in_the_english_catalogue():
    known = {entry.msgid for entry in _messages()}
    missing = set()
    for template in (ROOT / "lienthong").glob("**/templates/**/*.html"):
        if "tests" in template.parts:
            continue
        for match in _TEMPLATE_LITERAL.finditer(template.read_text(encoding="utf-8")):
            text = match.group(2) or match.group(4)
            if text not in known:
                missing.add(f"{template.relative_to(ROOT)}: {text}")
    assert sorted(missing) == [], "run makemessages -l en and translate the new entries"


@pytest.mark.django_db
def test_language_switcher_shows_the_sign_in_page_in_english_and_back_in_vietnamese(client):
    page = client.get("/dang-nhap/").content.decode()
    assert '<html lang="vi">' in page
    assert "<title>Đăng nhập · LiênThông</title>" in page

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/dang-nhap/"})
    assert response.status_code == 302
    assert response["Location"] == "/dang-nhap/"
    page = client.get("/dang-nhap/").content.decode()
    assert '<html lang="en">' in page
    assert "<title>Sign in · LiênThông</title>" in page
    assert "Forgot your password or is your account locked?" in page
    assert "Username" in page and "Password" in page
    assert "Đăng nhập" not in page

    client.post("/i18n/setlang/", {"language": "vi", "next": "/dang-nhap/"})
    page = client.get("/dang-nhap/").content.decode()
    assert '<html lang="vi">' in page
    assert "<title>Đăng nhập · LiênThông</title>" in page
    assert "Sign in" not in page
