"""Server strings made safe for a terminal or a picture: control characters escaped, length capped."""

from __future__ import annotations

import re

MAX_LABEL_CHARS = 80
"""The longest server string drawn on a picture; longer ones end in an ellipsis."""

# C0 and C1 controls (ESC starts terminal escape sequences, CSI is 0x9b), DEL,
# and the Unicode line separators and bidirectional overrides that reorder text.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """`text` with every control character written as a visible escape (`\\x1b`)."""
    return _UNSAFE.sub(_escape, text)


def json_safe(line: str) -> str:
    """A JSON text with the controls json.dumps leaves raw (DEL, C1, bidi) as \\u escapes."""
    return _UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", line)


def label(text: str, limit: int = MAX_LABEL_CHARS) -> str:
    """`text` escaped and cut to `limit` characters, for drawing."""
    text = printable(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
