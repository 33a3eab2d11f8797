"""Decode instrument text files and catch a file cut off in the middle of a number.

Shared by the cycling loader (:mod:`assb_model.data.readers`) and the spectrum reader
(:mod:`assb_model.ecm.io`); plain functions on bytes and strings, no I/O.

Encodings
---------
UTF-8 (with or without BOM) first, then UTF-16 (with a BOM, or recognised by NUL bytes in
every other position, as Windows tools write "Unicode text"), then Windows-1252 and
Latin-1. Content with NUL bytes that is not UTF-16 is binary.

Truncated last line
-------------------
Instruments write every number of a column in one format (EC-Lab: ``-4.6123456E-003``). A
file copied or downloaded only in part ends inside a number, and the cut-off text may still
parse (``-4.6123456E-003`` -> ``-4.6``, a value a thousand times too large). EC-Lab's own
exports do not end with a line break, so a missing final line break alone proves nothing;
:func:`truncated_last_line` therefore compares the last field of the last line with the same
field of the lines above: if those share one format (same exponent style, same number of
decimals and exponent digits) and the last one differs, the file is cut off.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

#: Encodings tried in order after UTF-8 and UTF-16.
FALLBACK_ENCODINGS = ("cp1252", "latin-1")

#: A number as an instrument writes it: sign, mantissa, optional exponent.
_NUMBER = re.compile(r"^([+-]?)(\d*)([.,]?)(\d*)(?:([eE])([+-]?)(\d+))?$")

#: How many lines above the last one must share its format for a mismatch to count.
FORMAT_LINES = 3


class BinaryContentError(ValueError):
    """The bytes are not text in any encoding tried."""


def decode_text(raw: bytes) -> tuple[str, str]:
    """Decode a text file's bytes; return ``(text, encoding)``.

    Parameters
    ----------
    raw : bytes
        The file content.

    Returns
    -------
    tuple of (str, str)
        The text (without BOM) and the encoding used.

    Raises
    ------
    BinaryContentError
        If the content holds NUL bytes and is not UTF-16.
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _utf16(raw, "utf-16")
    head = raw[:4096]
    if b"\x00" in head:
        encoding = _utf16_without_bom(head)
        if encoding is None:
            raise BinaryContentError("not a text file (binary content)")
        return _utf16(raw, encoding)
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    for encoding in FALLBACK_ENCODINGS:
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes any byte string")  # pragma: no cover


def _utf16_without_bom(head: bytes) -> str | None:
    """``"utf-16-le"``/``"utf-16-be"`` if NULs fill every other byte (ASCII text in UTF-16)."""
    even, odd = head[0::2], head[1::2]
    n = min(len(even), len(odd))
    if n < 2:
        return None
    if odd[:n].count(0) >= 0.9 * n and even[:n].count(0) <= 0.1 * n:
        return "utf-16-le"
    if even[:n].count(0) >= 0.9 * n and odd[:n].count(0) <= 0.1 * n:
        return "utf-16-be"
    return None


def _utf16(raw: bytes, encoding: str) -> tuple[str, str]:
    try:
        return raw.decode(encoding), encoding
    except UnicodeDecodeError as exc:
        raise BinaryContentError(f"not a text file (invalid {encoding}: {exc.reason})") from exc


def number_format(token: str) -> tuple[bool, int, bool, int] | None:
    """The format of a written number, or ``None`` if ``token`` is not one.

    Returns ``(has decimal separator, decimals, has exponent, exponent digits)``; the
    integer digits are not part of the format (they vary with the value).
    """
    match = _NUMBER.match(token.strip())
    if match is None or not (match.group(2) or match.group(4)):
        return None
    _, _, point, decimals, exponent, _, exponent_digits = match.groups()
    return (bool(point), len(decimals), bool(exponent), len(exponent_digits or ""))


def truncated_last_line(
    lines: Sequence[tuple[int, Sequence[str]]], ends_with_newline: bool
) -> str | None:
    """Why the last line looks cut off, or ``None``.

    Parameters
    ----------
    lines : sequence of (int, sequence of str)
        The data lines as ``(1-based line number, fields)``, in file order (at least the
        last :data:`FORMAT_LINES` + 1).
    ends_with_newline : bool
        Whether the file ends with a line break (then nothing was cut).

    Returns
    -------
    str or None
        A message naming the line, e.g. ``"file ends mid-line: line 130 ..."``.
    """
    if ends_with_newline or len(lines) < 2:
        return None
    number, last = lines[-1]
    above = [fields for _, fields in lines[-1 - FORMAT_LINES : -1]]
    counts = {len(fields) for fields in above}
    if len(counts) == 1 and len(last) < counts.pop():
        return (
            f"file ends mid-line: line {number} has {len(last)} fields, the lines above have "
            f"{len(above[-1])} (the file looks cut off; complete or delete that line)"
        )
    index = len(last) - 1
    if index < 0 or any(len(fields) <= index for fields in above):
        return None
    formats = {number_format(fields[index]) for fields in above}
    if len(formats) != 1 or None in formats:
        return None
    expected = formats.pop()
    written = number_format(last[index])
    if written is not None and written != expected:
        return (
            f"file ends mid-line: the last value on line {number}, {last[index].strip()!r}, is "
            f"written shorter than the same column above ({above[-1][index].strip()!r}); the "
            "file looks cut off (complete or delete that line)"
        )
    return None
