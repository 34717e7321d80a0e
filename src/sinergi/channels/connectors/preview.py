"""The preview connection: records exactly what would be sent, answers like the platform.

The demo and shops trying Sinergi out use it; nothing leaves the server. Each request is kept
as a :class:`~sinergi.channels.models.PreviewDelivery` that the post and inbox pages show.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sinergi.channels.models import ConnectedAccount, PreviewDelivery


@dataclass
class PreviewTransport:
    account: ConnectedAccount

    def __call__(
        self,
        method: str,
        url: str,
        *,
        token: str,
        params: dict[str, Any] | None = None,
        json_body: dict[str, Any] | None = None,
        form_body: dict[str, Any] | None = None,
        raw_body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, Any]]:
        path = urlsplit(url).path
        body = dict(params or {}) | dict(json_body or {}) | dict(form_body or {})
        if raw_body is not None:  # a video chunk: what was sent, not the bytes themselves
            body |= {"bytes": len(raw_body)} | dict(headers or {})
        delivery = PreviewDelivery.objects.create(
            organisation_id=self.account.organisation_id,
            account=self.account,
            method=method,
            path=path,
            body=body,
        )
        return 200, self._answer(method, path, body, f"preview-{delivery.pk}")

    def _answer(  # noqa: PLR0911  (one answer per platform endpoint)
        self, method: str, path: str, body: dict[str, Any], new_id: str
    ) -> dict[str, Any]:
        if path.endswith("/content_publishing_limit"):
            return {"data": [{"quota_usage": 0, "config": {"quota_total": 50}}]}
        if path.endswith("/media_publish"):
            return {"id": f"{new_id}-media"}
        if path.endswith("/messages"):
            if "messaging_product" in body:
                return {"messages": [{"id": f"wamid.{new_id}"}]}
            return {"recipient_id": body.get("recipient", {}).get("id"), "message_id": new_id}
        if path.endswith("/insights"):
            return {"data": []}
        if path.endswith("/creator_info/query/"):
            return {
                "data": {
                    "privacy_level_options": ["SELF_ONLY"],
                    "max_video_post_duration_sec": 600,
                },
                "error": {"code": "ok"},
            }
        if path.endswith("/video/init/"):
            return {
                "data": {
                    "publish_id": f"v_pub_{new_id}",
                    "upload_url": f"https://open-upload.tiktokapis.com/video/?upload_id={new_id}",
                },
                "error": {"code": "ok"},
            }
        if method == "PUT":  # a TikTok video chunk
            return {}
        if path.endswith("/status/fetch/"):
            return {
                "data": {"status": "PUBLISH_COMPLETE", "publicaly_available_post_id": [new_id]},
                "error": {"code": "ok"},
            }
        if method == "GET" and str(body.get("fields", "")).startswith("status,post_id"):
            # A Facebook video's processing state: the preview "processes" it at once.
            return {"status": {"video_status": "ready"}, "post_id": path.rsplit("/", 1)[-1]}
        if method == "GET" and re.search(r"/preview-\d+$", path):
            published = PreviewDelivery.objects.filter(
                account=self.account,
                path__endswith="/media_publish",
                body__creation_id=path.rsplit("/", 1)[-1],
            ).exists()
            return {"status_code": "PUBLISHED" if published else "FINISHED"}
        if method == "GET":
            return {"data": [], "followers_count": 0, "permalink": ""}
        return {"id": new_id, "post_id": new_id}
