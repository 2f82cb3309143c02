"""The emulated storage host: presigned uploads, answered the way S3 answers them."""

from __future__ import annotations

from xml.sax.saxutils import escape

import attrs
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route

from .state import TaskStateError, TaskStore, Upload
from .stats import EmulatorStats
from .storage import PolicyError, PolicySigner
from .upload import UploadFormError, receive_upload
from .validation import STORAGE_PATH


@attrs.define
class StorageHost:
    """POST /_storage/: stores (the digest of) a task's media; no API key."""

    signer: PolicySigner
    store: TaskStore
    stats: EmulatorStats

    def routes(self) -> list[Route]:
        """The upload route, with and without its trailing slash."""
        return [
            Route(STORAGE_PATH, self.upload, methods=["POST"]),
            Route(STORAGE_PATH.rstrip("/"), self.upload, methods=["POST"]),
        ]

    async def upload(self, request: Request) -> Response:
        """Check the presigned policy, hash the file part, and record it on its task."""
        if "content-length" not in request.headers:
            # S3 answers a chunked POST (no length) 411 without reading it.
            return _s3_error(411, "MissingContentLength", "You must provide the Content-Length HTTP header.")
        try:
            received = await receive_upload(request.headers.get("content-type"), request.stream())
        except UploadFormError as error:
            return _s3_error(400, "MalformedPOSTRequest", str(error))
        except ClientDisconnect:
            return _s3_error(400, "IncompleteBody", "the client went away before the upload was complete")
        try:
            policy = self.signer.verify(received.fields)
        except PolicyError as error:
            return _s3_error(403, error.code, error.message)
        if not received.has_file:
            return _s3_error(400, "InvalidArgument", "POST requires exactly one file upload per request (field 'file')")
        if received.size > policy.max_bytes:
            return _s3_error(400, "EntityTooLarge", "your proposed upload exceeds the maximum allowed size")
        task = self.store.by_blob_path(policy.key)
        if task is None:
            return _s3_error(403, "AccessDenied", "no prediction task owns this key")
        try:
            task.record_upload(Upload(sha256=received.sha256, size=received.size))
        except TaskStateError as error:
            return _s3_error(403, "AccessDenied", str(error))
        self.stats.add("uploads_completed")
        self.stats.add("upload_bytes", received.size)
        status = 201 if received.fields.get("success_action_status") == "201" else 204
        return Response(status_code=status)


def _s3_error(status: int, code: str, message: str) -> Response:
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{escape(code)}</Code><Message>{escape(message)}</Message></Error>"
    )
    return Response(body, status_code=status, media_type="application/xml")
