"""Vietnamese text normalisation for search and comparisons.

Searching "cap phep xay dung" must find "Cấp giấy phép xây dựng": fold case, strip tone and vowel marks,
and map đ to d (NFD does not decompose đ).
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower-case ``text`` without diacritics, with runs of whitespace collapsed to one space."""
    # Compatibility forms first (𝓐 → A), then case, then decompose again what case folding produced.
    decomposed = unicodedata.normalize(
        "NFKD", unicodedata.normalize("NFKD", text).casefold().replace("đ", "d")
    )
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped).strip()


def nfc(text: str) -> str:
    """Compose ``text`` to NFC, the form Vietnamese text is stored and compared in."""
    return unicodedata.normalize("NFC", text)
