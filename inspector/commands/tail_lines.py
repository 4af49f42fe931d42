"""What `tail` prints for one request: its line, and with `--follow-body` its body; and how
captured text is made safe for a terminal."""

from __future__ import annotations

import json
import unicodedata
from datetime import datetime
from typing import Any

REASON_CHARS = 80
BODY_CHARS = 2000

# What acts on a terminal or hides what it shows: C0, DEL and C1 controls (ESC starts the
# sequences that move the cursor, retitle the window or write the clipboard; U+009B is a
# one-character CSI), format characters (bidi overrides and isolates, zero-width ones),
# lone surrogates (which a UTF-8 terminal cannot be sent) and line/paragraph separators.
_ESCAPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_JOINERS = frozenset({"\u200c", "\u200d"})  # format characters that emoji and scripts need
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def terminal_safe(text: str) -> str:
    """`text` with every control and format character written as an escape (`\\x1b`,
    `\\u009b`, `\\u202e`, `\\n`), so that what a request carries can only be read."""
    if text.isprintable():
        return text
    return "".join(_escaped(char) for char in text)


def _escaped(char: str) -> str:
    if char in _JOINERS or unicodedata.category(char) not in _ESCAPED_CATEGORIES:
        return char
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x80 else f"\\u{code:04x}" if code < 0x10000 \
        else f"\\U{code:08x}"


def clock(received_at: str) -> str:
    """`HH:MM:SS` in the terminal's local time, from the summary's RFC 3339 UTC instant."""
    instant = datetime.fromisoformat(received_at.replace("Z", "+00:00"))
    return instant.astimezone().strftime("%H:%M:%S")


def worst_reason(signature: str | None, verdicts: list[dict[str, Any]]) -> str | None:
    """The reason of the first verdict with the summary's (worst) status."""
    return next((item["reason"] for item in verdicts
                 if item["status"] == signature and item.get("reason")), None)


def verdict_words(signature: str | None, reason: str | None) -> str | None:
    """`invalid: X-Hub-Signature-256 does not match HMAC-SHA256 of the raw body…`: the reason's
    first clause (its explanation follows a colon); a valid signature needs no reason."""
    if not signature:
        return None
    if signature == "valid" or not reason:
        return signature
    flat = " ".join(reason.split())
    head = flat.split(": ", 1)[0][:REASON_CHARS].rstrip()
    return f"{signature}: {head}" + ("…" if head != flat else "")


def first_error(conformance: dict[str, Any] | None) -> str | None:
    """`/telegram_id type`: the first error finding of a DETAIL's conformance, and how many
    more there are."""
    errors = [item for item in (conformance or {}).get("findings", ())
              if item.get("severity") == "error"]
    if not errors:
        return None
    more = f" (+{len(errors) - 1})" if len(errors) > 1 else ""
    return f"{errors[0]['path'] or '/'} {errors[0]['keyword']}{more}"


def conformance_words(status: str | None, finding: str | None) -> str | None:
    """`deviates: /telegram_id type`; nothing when no schema applies."""
    if status in (None, "no_schema"):
        return None
    return f"{status}: {finding}" if finding else status


def human_size(size: int) -> str:
    """`312 B`, `4.9 KB`, `1.4 MB` (1024-based), as the page shows sizes."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def format_line(summary: dict[str, Any], reason: str | None = None,
                finding: str | None = None) -> str:
    target = summary["path"] + ("?" + summary["query"] if summary["query"] else "")
    status = summary["response_status"]
    line = (f"#{summary['id']} {clock(summary['received_at'])} {summary['method']} {target} "
            f"{human_size(summary['body_size'])}")
    line += f" → {status}" if status is not None else " → (no answer)"
    groups = ["imported (HAR)" if summary.get("imported") else None,
              " ".join(str(part) for part in (summary.get("provider"), summary.get("event"))
                       if part),
              verdict_words(summary.get("signature"), reason),
              conformance_words(summary.get("conformance"), finding)]
    if route := summary.get("route"):
        held = summary.get("held")
        groups.append(f"route #{route['index']} {route['to']}" + (f" ({held})" if held else ""))
    if summary.get("duplicate_of"):
        groups.append(f"duplicate of #{summary['duplicate_of']}")
    if summary.get("error"):
        groups.append(str(summary["error"]))
    shown = [group for group in groups if group]
    return line + ("  " + "  ".join(shown) if shown else "")


def body_line(detail: dict[str, Any], limit: int = BODY_CHARS) -> str | None:
    """The body on one line: JSON compacted, other text as it is (printed through
    terminal_safe, which escapes its line breaks), binary as its size; cut after `limit`
    characters with a note of how much was left out."""
    decoded = detail.get("decoded") or {}
    text = decoded.get("body_text") if decoded.get("body_text") is not None \
        else detail.get("body_text")
    if text is None:
        size = decoded.get("size", detail["body_size"])
        return f"(binary body, {human_size(size)})" if size else None
    if not text:
        return None
    try:
        shown = json.dumps(json.loads(text), ensure_ascii=False, separators=(",", ":"))
    except (ValueError, RecursionError):
        shown = text  # its line breaks are escaped with the rest when it is printed
    if len(shown) <= limit:
        return shown
    return f"{shown[:limit]}… (cut: {len(shown) - limit} more characters)"

