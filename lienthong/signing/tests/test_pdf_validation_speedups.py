"""Our faster reader of PDF hex strings gives what pyHanko's own reader gives, values and errors alike."""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pyhanko.pdf_utils.misc import PdfStreamError

from lienthong.signing.speedups import original_read_hex_string, read_hex_string

hex_digit = st.sampled_from("0123456789abcdefABCDEF")
whitespace = st.sampled_from(["", " ", "\n", "\r\n", "\t", "\x00", "\x0c"])


def _both(data: bytes) -> tuple[object, object]:
    results: list[object] = []
    for reader in (original_read_hex_string, read_hex_string):
        stream = io.BytesIO(data)
        try:
            value = reader(stream)
            results.append((type(value), bytes(value.original_bytes), stream.tell()))
        except PdfStreamError:
            results.append("error")
    return results[0], results[1]


@given(st.lists(st.tuples(hex_digit, whitespace), max_size=400), st.binary(max_size=20))
def test_any_hex_string_with_whitespace_reads_the_same(parts: list[tuple[str, str]], after: bytes) -> None:
    text = "".join(d + w for d, w in parts)
    original, ours = _both(b"<" + text.encode() + b">" + after)
    assert original == ours


@pytest.mark.parametrize("data", [b"<12 3G>", b"<0102", b"<>", b"<7>", b"<FEFF0054>rest"])
def test_bad_and_edge_cases_read_the_same(data: bytes) -> None:
    original, ours = _both(data)
    assert original == ours


def test_a_long_signature_sized_string_is_read_whole() -> None:
    digits = b"3082" + b"00" * 20000
    stream = io.BytesIO(b"<" + digits + b">\n/ByteRange")
    value = read_hex_string(stream)
    assert bytes(value.original_bytes) == bytes.fromhex(digits.decode())
    assert stream.read() == b"\n/ByteRange"
