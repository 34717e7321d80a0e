"""TikTok's official APIs: Login Kit tokens (OAuth v2), the Content Posting API (Direct Post
with a chunked file upload, status fetch, creator info) and the Display API (user info,
video metrics).

Every call goes to ``{SINERGI_TIKTOK_API_URL}/v2/…``; the answers are
``{"data": …, "error": {"code": "ok", "message", "log_id"}}``, except the token endpoint,
which answers flat JSON (``{"access_token", …}`` or ``{"error": "invalid_grant",
"error_description", "log_id"}``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from sinergi.channels.connectors.base import ConnectorError, ErrorKind, Transport

# developers.tiktok.com/doc/content-posting-api-reference-direct-post and the Display API:
# error.code values.
_EXPIRED = {"access_token_invalid", "token_expired"}
_RATE = {"rate_limit_exceeded", "spam_risk_too_many_posts", "spam_risk_too_many_pending_share"}
_PERMISSION = {"scope_not_authorized", "scope_permission_missed"}
_TRANSIENT = {"internal_error"}
# The token endpoint's ``error`` values: a refused grant means the shop must sign in again.
_OAUTH_EXPIRED = {"invalid_grant", "access_denied"}

# The Media Transfer Guide's chunk rules. "MB" is read as the stricter of MB and MiB on each
# side: chunks of at least 5 MiB and at most 64 MB; the final chunk takes the trailing bytes
# and may reach 128 MB; 1 to 1000 chunks.
CHUNK_MIN = 5 * 1024 * 1024
CHUNK_MAX = 64_000_000
FINAL_CHUNK_MAX = 128_000_000
MAX_CHUNKS = 1000
CHUNK_PREFERRED = 10 * 1024 * 1024


def tiktok_error(status: int, body: dict[str, Any]) -> ConnectorError:
    """Sort an API error ``{"error": {"code", "message", "log_id"}}`` by what to do."""
    raw = body.get("error")
    error: dict[str, Any] = raw if isinstance(raw, dict) else {"code": raw} if raw else {}
    code = str(error.get("code") or f"http_{status}")
    message = str(error.get("message") or body.get("error_description") or code)
    if code in _EXPIRED or status == 401:
        kind = ErrorKind.EXPIRED
    elif code in _RATE or status == 429:
        kind = ErrorKind.RATE_LIMITED
    elif code in _PERMISSION:
        kind = ErrorKind.PERMISSION
    elif code in _TRANSIENT or status >= 500:
        kind = ErrorKind.TRANSIENT
    else:
        kind = ErrorKind.PERMANENT
    return ConnectorError(kind, message, code=code, status=status)


def _oauth_error(status: int, body: dict[str, Any]) -> ConnectorError:
    code = str(body.get("error") or f"http_{status}")
    message = str(body.get("error_description") or code)
    if code in _OAUTH_EXPIRED:
        kind = ErrorKind.EXPIRED
    elif code == "rate_limit_exceeded" or status == 429:
        kind = ErrorKind.RATE_LIMITED
    elif status >= 500:
        kind = ErrorKind.TRANSIENT
    else:
        kind = ErrorKind.PERMANENT
    return ConnectorError(kind, message, code=code, status=status)


def _api_url(path: str) -> str:
    return f"{settings.SINERGI_TIKTOK_API_URL.rstrip('/')}/{path.lstrip('/')}"


def oauth_token(transport: Transport, form: dict[str, str]) -> dict[str, Any]:
    """``POST /v2/oauth/token/`` (form-encoded) for ``grant_type`` authorization_code or
    refresh_token, with the app's client key and secret added. Returns ``access_token``,
    ``expires_in``, ``refresh_token``, ``refresh_expires_in``, ``open_id`` and ``scope``."""
    app = {
        "client_key": settings.SINERGI_TIKTOK_CLIENT_KEY,
        "client_secret": settings.SINERGI_TIKTOK_CLIENT_SECRET,
    }
    status, body = transport("POST", _api_url("v2/oauth/token/"), token="", form_body=app | form)
    if status >= 400 or "error" in body or not body.get("access_token"):
        raise _oauth_error(status, body)
    return body


@dataclass(frozen=True)
class ChunkPlan:
    """How a video is cut for ``FILE_UPLOAD``: ``total_chunk_count`` chunks of
    ``chunk_size`` bytes, the last one carrying the trailing bytes too."""

    video_size: int
    chunk_size: int
    total_chunk_count: int

    def ranges(self) -> Iterator[tuple[int, int]]:
        """(first byte, last byte) of each chunk, inclusive, in upload order."""
        for index in range(self.total_chunk_count):
            first = index * self.chunk_size
            last = (
                self.video_size - 1
                if index == self.total_chunk_count - 1
                else first + self.chunk_size - 1
            )
            yield first, last


def chunk_plan(video_size: int, preferred: int = CHUNK_PREFERRED) -> ChunkPlan:
    """Cut ``video_size`` bytes by TikTok's rules: a video that fits one chunk (always one
    below 5 MB) goes whole; otherwise ``total_chunk_count = video_size // chunk_size`` and
    the final chunk takes the remainder; over 64 MB there are always several chunks.
    Raises ValueError for an empty or too large video."""
    if video_size <= 0:
        raise ValueError("the video is empty")
    needed = -(-video_size // MAX_CHUNKS)  # the chunk size that keeps to 1000 chunks
    chunk = min(max(preferred, CHUNK_MIN, needed), CHUNK_MAX)
    if video_size <= chunk:
        return ChunkPlan(video_size, video_size, 1)
    count = video_size // chunk
    if count == 1:
        if video_size <= CHUNK_MAX:  # one chunk is the whole video
            return ChunkPlan(video_size, video_size, 1)
        chunk, count = video_size // 2, 2  # over 64 MB takes several chunks
    if count > MAX_CHUNKS or video_size - (count - 1) * chunk > FINAL_CHUNK_MAX:
        raise ValueError("the video is too large for TikTok")
    return ChunkPlan(video_size, chunk, count)


@dataclass
class TikTokClient:
    """A TikTok user's access token; calls ``{SINERGI_TIKTOK_API_URL}/v2/…``."""

    token: str
    transport: Transport

    def call(
        self,
        path: str,
        body: dict[str, Any] | None = None,
        *,
        method: str = "POST",
        params: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        status, reply = self.transport(
            method, _api_url(path), token=self.token, params=params, json_body=body
        )
        error = reply.get("error")
        code = error.get("code", "ok") if isinstance(error, dict) else error or "ok"
        if status >= 400 or code != "ok":
            raise tiktok_error(status, reply)
        data = reply.get("data")
        return dict(data) if isinstance(data, dict) else {}

    def creator_info(self) -> dict[str, Any]:
        """``privacy_level_options``, ``max_video_post_duration_sec``, ``comment_disabled``…
        of the creator, to be read before every Direct Post."""
        return self.call("v2/post/publish/creator_info/query/")

    def video_init_upload(
        self, *, title: str, privacy_level: str, plan: ChunkPlan
    ) -> tuple[str, str]:
        """Direct Post init with ``source: FILE_UPLOAD``; returns (publish_id, upload_url)."""
        data = self.call(
            "v2/post/publish/video/init/",
            {
                "post_info": {"title": title, "privacy_level": privacy_level},
                "source_info": {
                    "source": "FILE_UPLOAD",
                    "video_size": plan.video_size,
                    "chunk_size": plan.chunk_size,
                    "total_chunk_count": plan.total_chunk_count,
                },
            },
        )
        return str(data["publish_id"]), str(data["upload_url"])

    def chunk_put(self, upload_url: str, chunk: bytes, *, first: int, total: int) -> None:
        """``PUT`` one chunk to the upload URL (pre-signed: no bearer token)."""
        last = first + len(chunk) - 1
        status, reply = self.transport(
            "PUT",
            upload_url,
            token="",
            raw_body=chunk,
            headers={"Content-Range": f"bytes {first}-{last}/{total}", "Content-Type": "video/mp4"},
        )
        if status >= 400:
            raise tiktok_error(status, reply)

    def status_fetch(self, publish_id: str) -> dict[str, Any]:
        """``status`` is PROCESSING_UPLOAD, PROCESSING_DOWNLOAD, SEND_TO_USER_INBOX,
        PUBLISH_COMPLETE or FAILED; ``publicaly_available_post_id`` (TikTok's spelling)
        lists the post's video id once it is public."""
        return self.call("v2/post/publish/status/fetch/", {"publish_id": publish_id})

    def user_info(self, fields: str) -> dict[str, Any]:
        """``GET /v2/user/info/?fields=…`` → the ``user`` object."""
        data = self.call("v2/user/info/", method="GET", params={"fields": fields})
        user = data.get("user")
        return dict(user) if isinstance(user, dict) else {}

    def video_query(self, video_ids: list[str]) -> list[dict[str, Any]]:
        """Counts of up to 20 of the user's videos (``POST /v2/video/query/``)."""
        if len(video_ids) > 20:
            raise ValueError("TikTok answers for at most 20 videos at a time")
        data = self.call(
            "v2/video/query/",
            {"filters": {"video_ids": video_ids}},
            params={"fields": "id,like_count,comment_count,share_count,view_count"},
        )
        return [v for v in data.get("videos") or [] if isinstance(v, dict)]
