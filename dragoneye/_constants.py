"""Every default of the SDK, in one place."""

from __future__ import annotations

import httpx

from .types.common import BASE_API_URL

DEFAULT_BASE_URL = BASE_API_URL
API_KEY_ENV = "DRAGONEYE_API_KEY"
BASE_URL_ENV = "DRAGONEYE_BASE_URL"

DEFAULT_MAX_RETRIES = 10
DEFAULT_MAX_BACKOFF_TIME = 120

# Backoff for retries: full jitter over min(cap, base * 2**attempt).
BACKOFF_BASE_SECONDS = 0.5
BACKOFF_CAP_SECONDS = 30.0
# A refused connection or an unresolvable host name on the API is retried for
# at most this long (a server restarting), then fails: nothing is listening.
UNREACHABLE_RETRY_SECONDS = 3.0
# A Retry-After longer than this is not honoured as given: the wait is capped.
MAX_RETRY_AFTER_SECONDS = 60.0

# Polling: the first status check POLL_FIRST_CHECK after /predict, the kth
# about POLL_FIRST_CHECK * POLL_GROWTH**k after it (each wait is half the time
# waited so far), no wait longer than the client's max_poll_interval. A task is
# seen done at most half its time late; checks at once and at 50 ms found next
# to nothing done and cost two calls a prediction.
POLL_FIRST_CHECK = 0.15
POLL_GROWTH = 1.5
DEFAULT_MAX_POLL_INTERVAL = 2.0
# A task whose unfinished status does not change for this long is reported as
# failed: no real task runs for hours, so the server is broken.
MAX_UNCHANGED_STATUS_SECONDS = 6 * 3600.0

# Uploads may be large and slow: a long write timeout; the rest stay short.
DEFAULT_TIMEOUT = httpx.Timeout(connect=10.0, read=60.0, write=60.0, pool=30.0)
UPLOAD_WRITE_TIMEOUT = 600.0
DEFAULT_LIMITS = httpx.Limits(max_connections=64, max_keepalive_connections=32, keepalive_expiry=30.0)

DEFAULT_FRAMES_PER_SECOND = 1

# Response bodies are read against budgets of decoded bytes. JSON answers are a
# few hundred bytes; of an error body only an excerpt is shown. A results
# archive of 500 objects tracked over 600 frames is about 1.2 MB.
MAX_JSON_BODY_BYTES = 1 << 20
MAX_ERROR_BODY_BYTES = 64 << 10
DEFAULT_MAX_RESULTS_BYTES = 64 << 20
# Decoding holds about 90 bytes per value (a timestamp, coordinate, score, id or
# name): 2.5 million values stay under 256 MiB. The 500-object, 600-frame video
# has 1.7 million.
DEFAULT_MAX_RESULT_VALUES = 2_500_000
# Content-Encodings the SDK asks for (and decodes itself, within budget).
ACCEPTED_ENCODINGS = "gzip, deflate"
