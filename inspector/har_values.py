"""The values of a HAR entry read and checked one field at a time: what the request's and the
answer's readers (`har_import`, `har_answer`) share. Pure; a HarError names the field."""

from __future__ import annotations

import binascii
import re
from collections.abc import Iterator
from typing import Any

from .har_text import HarError
from .pieces import PIECE, Text
from .steps import Steps

TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
# HTTP/2 and HTTP/3 pseudo-headers (`:authority`, `:path`...) are not headers.
_PSEUDO = ":"
# What our own export writes beside a body it had to give as base64.
_BASE64_COMMENT = "base64-encoded"


def plain(value: Any) -> Any:
    """A string decoded apart (a long one, `json_values`) as one string."""
    return "".join(value) if isinstance(value, Text) else value


def field(table: dict[str, Any], name: str, kind: type, where: str,
          default: Any = None) -> Any:
    value = plain(table.get(name, default))
    if not isinstance(value, kind):
        shown = "missing" if name not in table else f"expected {kind.__name__}"
        raise HarError(f"{where}.{name}: {shown}")
    return value


def headers_of(headers: list[Any], where: str) -> Iterator[tuple[str, str, str]]:
    """Each header's name, value and place (`where[3]`), its name checked; pseudo-headers
    left out."""
    for index, header in enumerate(headers):
        at = f"{where}[{index}]"
        if not isinstance(header, dict):
            raise HarError(f"{at}: expected an object")
        name, value = field(header, "name", str, at), field(header, "value", str, at)
        if name.startswith(_PSEUDO):
            continue
        if not TOKEN.fullmatch(name):
            raise HarError(f"{at}.name: not a header name: {name[:40]!r}")
        yield name, value, at


def text_bytes(holder: dict[str, Any], where: str) -> Steps[bytes]:
    """`holder["text"]` (a request's postData, an answer's content) as bytes, base64 decoded
    when it is marked so, a piece at a time (a 10 MiB body in one call holds the loop
    30-90 ms); a long text comes as the pieces it was decoded in."""
    found = holder.get("text")
    texts = found if isinstance(found, Text) else [field(holder, "text", str, where)]
    encoded = plain(holder.get("encoding")) == "base64" or \
        str(plain(holder.get("comment", ""))).startswith(_BASE64_COMMENT)
    pieces, carry = [], ""
    for text in texts:
        for at in range(0, len(text), PIECE):
            piece = carry + text[at:at + PIECE]
            whole = len(piece) - len(piece) % 4 if encoded else len(piece)  # base64 quads
            pieces.append(_base64(piece[:whole], where) if encoded else
                          utf8(piece, f"{where}.text"))
            carry = piece[whole:]
            yield
    if carry:
        pieces.append(_base64(carry, where))
    return b"".join(pieces)


def _base64(text: str, where: str) -> bytes:
    try:
        return binascii.a2b_base64(text, strict_mode=True)
    except (binascii.Error, ValueError):  # ValueError: not ASCII
        raise HarError(f"{where}.text: marked base64 but not valid base64") from None


def utf8(text: str, where: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate (`\\ud800`) has no UTF-8 form
        raise HarError(f"{where}: a lone surrogate is not text") from None
