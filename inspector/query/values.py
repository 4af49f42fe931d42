"""The ordered values a query can name: numbers, sizes, statuses and times, each a Bound.
Each reader returns None when the text is not one, and the parser says what was expected;
OutOfRange when it is one too large to represent."""

from __future__ import annotations

import datetime
import math
import re

from .nodes import Bound

_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_SIZE = re.compile(r"(\d+(?:\.\d+)?)(b|kb|kib|k|mb|mib|m|gb|gib|g)?", re.IGNORECASE)
_SIZE_UNITS = {"b": 1, "k": 1024, "m": 1024**2, "g": 1024**3}
_STATUS = re.compile(r"([1-5])(\d\d|xx)", re.IGNORECASE)
_AGO = re.compile(r"now(?:-(\d+)([smhd]))?")
_AGO_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
LARGEST = 2**63  # about what a SQLite integer holds: ids, sizes and seconds ago stay within
_LARGEST_DIGITS = len(str(LARGEST))
_ISO = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d)(?::(\d\d)(?::(\d\d)(\.\d+)?)?)?)?"
    r"(Z|[+-]\d\d:?\d\d)?", re.IGNORECASE)


class OutOfRange(ValueError):
    """A number too large to represent; says what the limit is."""


def _within_largest(value: float) -> float:
    if not value <= LARGEST:  # inf and nan too
        raise OutOfRange("at most 2^63")
    return value


def number(text: str) -> Bound | None:
    if not _NUMBER.fullmatch(text):
        return None
    value = float(text)
    if not math.isfinite(value):
        raise OutOfRange("a number a 64-bit float holds")
    return Bound(value)


def whole_number(text: str) -> Bound | None:
    return Bound(_within_largest(float(text))) if text.isascii() and text.isdigit() else None


def size(text: str) -> Bound | None:
    found = _SIZE.fullmatch(text)
    if found is None:
        return None
    unit = (found.group(2) or "b")[0].lower()
    return Bound(float(int(_within_largest(float(found.group(1)) * _SIZE_UNITS[unit]))))


def status(text: str) -> Bound | None:
    """`404`, or a class: `5xx` is 500 to 599."""
    found = _STATUS.fullmatch(text)
    if found is None:
        return None
    if found.group(2).lower() == "xx":
        return Bound(int(found.group(1)) * 100.0, 100.0)
    return Bound(float(text))


def _offset(text: str | None) -> datetime.timezone:
    if text is None or text.upper() == "Z":
        return datetime.UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    minutes = int(digits[:2]) * 60 + int(digits[2:])
    return datetime.timezone(sign * datetime.timedelta(minutes=minutes))


def time(text: str) -> Bound | None:
    """`now`, `now-15m` (s, m, h, d), or ISO 8601 (UTC unless an offset is given), as wide
    as it is precise: `2026-11-22` is that whole day."""
    ago = _AGO.fullmatch(text)
    if ago is not None:
        digits = ago.group(1) or "0"
        if len(digits.lstrip("0")) > _LARGEST_DIGITS:  # int() refuses over 4,300 digits
            raise OutOfRange("at most 2^63 seconds")
        seconds = _within_largest(int(digits) * _AGO_UNITS[ago.group(2) or "s"])
        return Bound(float(seconds), 0.0, before_now=True)
    found = _ISO.fullmatch(text)
    if found is None:
        return None
    year, month, day, hour, minute, second, fraction, offset = found.groups()
    try:
        moment = datetime.datetime(int(year), int(month), int(day), int(hour or 0),
                                   int(minute or 0), int(second or 0), tzinfo=_offset(offset))
    except ValueError:  # a day, an hour or an offset out of range
        return None
    start = moment.timestamp() + float(fraction or 0)
    span = 0.0 if fraction else 1.0 if second else 60.0 if minute else \
        3600.0 if hour else 86400.0
    return Bound(start, span)
