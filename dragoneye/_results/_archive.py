"""Reading the members of a results archive, within a budget of inflated bytes."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence

from .._wire import PREDICTIONS_MEMBER
from ._diagnostics import Unavailable, describe

__all__ = ["read_archive"]

# Limits against archives that inflate far beyond their size. Members are
# normally STORED, so a member is never larger than the body itself.
_MAX_INFLATE_RATIO = 32
_MIN_INFLATE_LIMIT = 64 << 20
_MAX_INFLATED_BYTES = 128 << 20  # the members of the largest real archives are a few MB
_READ_CHUNK = 1 << 20
_ZIP_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


def read_archive(body: bytes, names: Sequence[str]) -> dict[str, bytes]:
    """The members of the archive among `names`; predictions.parquet is required."""
    members: dict[str, bytes] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            infos = {info.filename: info for info in archive.infolist()}
            if PREDICTIONS_MEMBER not in infos:
                raise Unavailable(f"results archive lacks {PREDICTIONS_MEMBER}")
            budget = min(len(body) * _MAX_INFLATE_RATIO + _MIN_INFLATE_LIMIT, _MAX_INFLATED_BYTES)
            for name in names:
                info = infos.get(name)
                if info is None:
                    continue
                if info.compress_type not in _ZIP_METHODS:
                    raise Unavailable(
                        f"results archive member {name} uses unsupported compression {info.compress_type}"
                    )
                members[name] = _read_member(archive, info, budget)
                budget -= len(members[name])
    except Unavailable:
        raise
    except Exception as exc:  # zipfile, zlib and the OS fail in many ways on bad input
        raise Unavailable(f"results archive is not a valid ZIP: {describe(exc)}") from exc
    return members


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int) -> bytes:
    # Read in chunks: the declared size of a deflated member may lie.
    chunks: list[bytes] = []
    size = 0
    with archive.open(info) as member:
        while chunk := member.read(_READ_CHUNK):
            size += len(chunk)
            if size > budget:
                raise Unavailable(f"results archive member {info.filename} inflates to more than {budget} bytes")
            chunks.append(chunk)
    return b"".join(chunks)
