"""The dashboard's files, read once and served from memory, gzip-compressed where it helps.

A phone's first visit asks for a dozen small files at once; answering each from memory (no
thread hop to read a file) with a precompressed body and an ETag (304 on the next visit) keeps
the first render fast on a small machine.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response

from hanport.web.errors import ApiError

__all__ = ["Assets"]

_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".svg": "image/svg+xml",
    ".webmanifest": "application/manifest+json",
    ".png": "image/png",
}


@dataclass(frozen=True)
class _Asset:
    body: bytes
    gzipped: bytes | None
    media_type: str
    etag: str


class Assets:
    def __init__(self, folder: Path) -> None:
        self._files: dict[str, _Asset] = {}
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.name != "LICENSE":
                self._files[path.relative_to(folder).as_posix()] = _load(path)

    def response(self, request: Request, name: str) -> Response:
        asset = self._files.get(name)
        if asset is None:
            raise ApiError(404, "web.no_file", name=name)
        headers = {"ETag": asset.etag, "Cache-Control": "no-cache", "Vary": "Accept-Encoding"}
        if request.headers.get("if-none-match") == asset.etag:
            return Response(status_code=304, headers=headers)
        if asset.gzipped is not None and "gzip" in request.headers.get("accept-encoding", ""):
            headers["Content-Encoding"] = "gzip"
            return Response(asset.gzipped, media_type=asset.media_type, headers=headers)
        return Response(asset.body, media_type=asset.media_type, headers=headers)


def _load(path: Path) -> _Asset:
    body = path.read_bytes()
    packed = gzip.compress(body, 9, mtime=0)
    media_type = _TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "text/plain"
    etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
    return _Asset(body, packed if len(packed) < len(body) * 0.9 else None, media_type, etag)
