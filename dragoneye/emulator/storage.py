"""Presigned POST policies for the emulated storage host, S3-style.

The begin response hands out `fields`: `key` (the blob path), `policy`
(base64 JSON naming the key, an expiry and a size limit),
`x-dragoneye-signature` (HMAC-SHA256 of the policy under a server secret) and
`success_action_status`. The upload must carry them back unchanged.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
import time
from datetime import UTC, datetime

import attrs

BUCKET = "dragoneye-emulator"
SIGNATURE_FIELD = "x-dragoneye-signature"
SUCCESS_STATUS = "201"


class PolicyError(Exception):
    """The upload's policy or signature does not allow it (403 on the wire)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@attrs.frozen
class Policy:
    """A verified policy."""

    key: str
    expires_at: float
    max_bytes: int


class PolicySigner:
    """Signs and verifies presigned upload policies with a per-emulator secret."""

    def __init__(self, secret: bytes | None = None) -> None:
        self._secret = secret if secret is not None else secrets.token_bytes(32)

    def fields(self, key: str, *, ttl_seconds: float, max_bytes: int) -> dict[str, str]:
        """The form fields an upload of `key` must carry."""
        expires_at = int(time.time() + ttl_seconds)
        document = {
            "expiration": datetime.fromtimestamp(expires_at, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "expires_at": expires_at,
            "conditions": [
                {"bucket": BUCKET},
                {"key": key},
                ["content-length-range", 0, max_bytes],
                {"success_action_status": SUCCESS_STATUS},
            ],
        }
        policy = base64.b64encode(json.dumps(document, separators=(",", ":")).encode()).decode("ascii")
        return {
            "key": key,
            "policy": policy,
            SIGNATURE_FIELD: self._sign(policy),
            "success_action_status": SUCCESS_STATUS,
        }

    def verify(self, fields: dict[str, str], *, now: float | None = None) -> Policy:
        """The policy of an upload's fields; PolicyError when forged, altered or expired."""
        policy, signature, key = fields.get("policy"), fields.get(SIGNATURE_FIELD), fields.get("key")
        if not policy or not signature:
            raise PolicyError("AccessDenied", f"the upload must carry the 'policy' and '{SIGNATURE_FIELD}' fields")
        if not hmac.compare_digest(self._sign(policy), signature):
            raise PolicyError(
                "SignatureDoesNotMatch", "the request signature we calculated does not match the signature you provided"
            )
        try:
            document = json.loads(base64.b64decode(policy, validate=True))
            expires_at = float(document["expires_at"])
            conditions = document["conditions"]
            policy_key = next(item["key"] for item in conditions if isinstance(item, dict) and "key" in item)
            max_bytes = next(
                int(item[2]) for item in conditions if isinstance(item, list) and item[0] == "content-length-range"
            )
        except (binascii.Error, ValueError, KeyError, TypeError, StopIteration, IndexError):
            raise PolicyError("InvalidPolicyDocument", "the policy is not a valid policy document") from None
        if key != policy_key:
            raise PolicyError("AccessDenied", "invalid according to policy: the 'key' field does not match the policy")
        if (time.time() if now is None else now) > expires_at:
            raise PolicyError("AccessDenied", "invalid according to policy: policy expired")
        return Policy(key=policy_key, expires_at=expires_at, max_bytes=max_bytes)

    def _sign(self, policy: str) -> str:
        return hmac.new(self._secret, policy.encode("ascii", "replace"), hashlib.sha256).hexdigest()
