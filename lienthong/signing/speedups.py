"""A hot spot of pyHanko's validation made faster, installed when the signing modules are imported.

- **Hex strings.** pyHanko reads a hex string ``<…>`` one byte at a time through a Python generator. A
  signature's ``/Contents`` is such a string of 10–30 thousand digits, and validating a file reads every
  signature's contents several times (the difference analysis walks all objects of every revision): on a document
  with two signatures that was a third of the validation time. Our reader takes the string in blocks up to its
  closing ``>`` and decodes it with one ``unhexlify``; results and errors are pyHanko's (the tests compare the
  two readers on random input).

Tried and not kept: a fast path for asn1crypto's comparison of certificate names (equal DER, equal names) — the
comparisons pyHanko makes are mostly between different names, and validation did not get faster.
"""

from __future__ import annotations

import binascii
import os
import re
from typing import IO, Any

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.misc import PdfStreamError

_WHITESPACE = b"\x00\t\n\x0c\r "
_HEX_DIGITS = re.compile(rb"[0-9A-Fa-f]*")
_BLOCK = 16384

original_read_hex_string = generic.read_hex_string_from_stream


def read_hex_string(stream: IO[bytes]) -> Any:
    """Read ``<hex digits>`` at the stream's position; whitespace inside is ignored, an odd digit count is
    padded with 0 (ISO 32000-1, 7.3.4.3)."""
    stream.read(1)  # the opening "<"
    chunks = []
    while True:
        block = stream.read(_BLOCK)
        if not block:
            raise PdfStreamError("Stream has ended unexpectedly")
        end = block.find(b">")
        if end >= 0:
            chunks.append(block[:end])
            stream.seek(end + 1 - len(block), os.SEEK_CUR)
            break
        chunks.append(block)
    digits = b"".join(chunks).translate(None, _WHITESPACE)
    if not _HEX_DIGITS.fullmatch(digits):
        bad = re.search(rb"[^0-9A-Fa-f]", digits)
        raise PdfStreamError("Unexpected token in hex string: " + repr(bad.group() if bad else digits[:1]))
    if len(digits) % 2:
        digits += b"0"
    return generic.pdf_string(binascii.unhexlify(digits))


def install() -> None:
    """Make pyHanko's object parser use :func:`read_hex_string` (idempotent)."""
    generic.read_hex_string_from_stream = read_hex_string
