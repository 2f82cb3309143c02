"""Turning a failed HTTP exchange into one of the SDK's exceptions."""

from __future__ import annotations

import json
import re

import httpx

from .types.exception import DragoneyeError

_MAX_DETAIL_CHARS = 500
_MAX_XML_FIELD_CHARS = 200
# The storage host (S3-style) answers errors with <Error><Code>..</Code><Message>..</Message></Error>.
_XML_FIELD = re.compile(r"<(Code|Message)>([^<]*)</\1>")


def response_detail(response: httpx.Response) -> str | None:
    """The server's `detail` message, or a short excerpt of a non-JSON body."""
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        text = response.text.strip()
        return xml_error_summary(text) or text[:_MAX_DETAIL_CHARS] or None
    detail = body.get("detail") if isinstance(body, dict) else None
    if isinstance(detail, str):
        return detail
    if isinstance(detail, list):  # a 422: one entry per problem
        messages = [str(item.get("msg", item)) if isinstance(item, dict) else str(item) for item in detail]
        return "; ".join(messages)[:_MAX_DETAIL_CHARS]
    return None


def xml_error_summary(text: str) -> str | None:
    """`Code: Message` of an XML error document (the storage host's), or None if it is not one."""
    if not text.startswith("<"):
        return None
    from html import unescape  # XML's five entities and character references; rarely needed, so not at import

    fields: dict[str, str] = {}
    for name, value in _XML_FIELD.findall(text[:100_000]):
        fields.setdefault(name, " ".join(unescape(value).split())[:_MAX_XML_FIELD_CHARS])
    summary = ": ".join(fields[name] for name in ("Code", "Message") if fields.get(name))
    return summary or None


def error_from_response(
    cls: type[DragoneyeError], action: str, response: httpx.Response, *, sent_api_key: bool = True
) -> DragoneyeError:
    """`cls` for a response whose status means `action` failed."""
    status = response.status_code
    detail = response_detail(response)
    if status in (401, 403) and sent_api_key:
        message = f"{action} failed: the API key was rejected (HTTP {status})"
    elif status == 403:
        message = f"{action} failed: the storage host refused the presigned upload (HTTP 403; expired or tampered)"
    elif status == 429:
        message = f"{action} failed: still rate limited (HTTP 429) after the allowed retries"
    else:
        message = f"{action} failed: HTTP {status}"
    if detail:
        message += f": {detail}"
    return cls(message, status_code=status, detail=detail)


def error_from_transport(cls: type[DragoneyeError], action: str, error: httpx.TransportError) -> DragoneyeError:
    """`cls` for a request that got no complete response."""
    reason = str(error) or "no details"
    return cls(f"{action} failed: {type(error).__name__} ({reason})")


def error_unreachable(cls: type[DragoneyeError], action: str, base_url: str, reason: str) -> DragoneyeError:
    """`cls` for an API host that refuses connections or whose name does not resolve."""
    return cls(
        f"{action} failed: cannot reach the Dragoneye API at {base_url} ({reason}); check that the API,"
        " or the emulator, is running at that URL (base_api_url / DRAGONEYE_BASE_URL)"
    )
