"""The TikTok Content Posting API: Direct Post init (pull from URL) → status fetch."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings

from sinergi.channels.connectors.base import ConnectorError, ErrorKind, Transport

# developers.tiktok.com/doc/content-posting-api-reference-direct-post: error.code values.
_EXPIRED = {"access_token_invalid", "token_expired"}
_RATE = {"rate_limit_exceeded"}
_PERMISSION = {"scope_not_authorized", "scope_permission_missed"}
_TRANSIENT = {"internal_error"}


def tiktok_error(status: int, body: dict[str, Any]) -> ConnectorError:
    error = body.get("error") or {}
    code = str(error.get("code") or f"http_{status}")
    message = str(error.get("message") or code)
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


@dataclass
class TikTokClient:
    """A TikTok user's token; calls ``{SINERGI_TIKTOK_API_URL}/v2/…``."""

    token: str
    transport: Transport

    def call(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        url = f"{settings.SINERGI_TIKTOK_API_URL.rstrip('/')}/{path.lstrip('/')}"
        status, reply = self.transport("POST", url, token=self.token, json_body=body)
        if status >= 400 or (reply.get("error") or {}).get("code", "ok") != "ok":
            raise tiktok_error(status, reply)
        return dict(reply.get("data") or {})

    def video_init(self, *, title: str, video_url: str, privacy_level: str) -> str:
        data = self.call(
            "v2/post/publish/video/init/",
            {
                "post_info": {"title": title, "privacy_level": privacy_level},
                "source_info": {"source": "PULL_FROM_URL", "video_url": video_url},
            },
        )
        return str(data["publish_id"])

    def status_fetch(self, publish_id: str) -> dict[str, Any]:
        """``status`` is PROCESSING_DOWNLOAD, PROCESSING_UPLOAD, PUBLISH_COMPLETE or FAILED."""
        return self.call("v2/post/publish/status/fetch/", {"publish_id": publish_id})
