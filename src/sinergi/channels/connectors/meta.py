"""The Meta Graph API: Instagram content publishing, Facebook Pages, Messenger/IG messages."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from sinergi.channels.connectors.base import ConnectorError, ErrorKind, Transport, graph_error


@dataclass
class GraphClient:
    """Calls ``{SINERGI_META_GRAPH_URL}/{path}`` with a Page or Instagram user token."""

    token: str
    transport: Transport

    def call(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json_body: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        url = f"{settings.SINERGI_META_GRAPH_URL.rstrip('/')}/{path.lstrip('/')}"
        status, body = self.transport(
            method, url, token=self.token, params=params, json_body=json_body
        )
        if status >= 400 or "error" in body:
            raise graph_error(status, body)
        return body


@dataclass
class InstagramClient(GraphClient):
    """Instagram content publishing: container → status → media_publish, plus insights."""

    ig_user_id: str = ""

    def publishing_limit(self) -> tuple[int, int]:
        """(posts published in the last 24 h, allowed in 24 h), read from the API."""
        body = self.call(
            "GET",
            f"{self.ig_user_id}/content_publishing_limit",
            params={"fields": "quota_usage,config"},
        )
        row = (body.get("data") or [{}])[0]
        return int(row.get("quota_usage", 0)), int(row.get("config", {}).get("quota_total", 50))

    def container_create(self, *, caption: str, image_url: str = "", video_url: str = "") -> str:
        params: dict[str, Any] = {"caption": caption}
        if video_url:
            params |= {"media_type": "REELS", "video_url": video_url}
        else:
            params["image_url"] = image_url
        return str(self.call("POST", f"{self.ig_user_id}/media", params=params)["id"])

    def carousel_item_create(self, *, image_url: str = "", video_url: str = "") -> str:
        """One item of a carousel: a container with ``is_carousel_item`` and no caption."""
        params: dict[str, Any] = {"is_carousel_item": "true"}
        if video_url:
            params |= {"media_type": "VIDEO", "video_url": video_url}
        else:
            params["image_url"] = image_url
        return str(self.call("POST", f"{self.ig_user_id}/media", params=params)["id"])

    def carousel_create(self, *, caption: str, children: list[str]) -> str:
        """The carousel container over finished item containers (2 to 10, in order)."""
        params = {"media_type": "CAROUSEL", "caption": caption, "children": ",".join(children)}
        return str(self.call("POST", f"{self.ig_user_id}/media", params=params)["id"])

    def container_status(self, container_id: str) -> str:
        """FINISHED, IN_PROGRESS, ERROR, EXPIRED or PUBLISHED."""
        body = self.call("GET", container_id, params={"fields": "status_code,status"})
        return str(body.get("status_code", ""))

    def media_publish(self, container_id: str) -> str:
        body = self.call(
            "POST", f"{self.ig_user_id}/media_publish", params={"creation_id": container_id}
        )
        return str(body["id"])

    def media_recent(self) -> list[dict[str, Any]]:
        body = self.call(
            "GET",
            f"{self.ig_user_id}/media",
            params={"fields": "id,caption,permalink,timestamp", "limit": 25},
        )
        return list(body.get("data", []))

    def media_permalink(self, media_id: str) -> str:
        return str(self.call("GET", media_id, params={"fields": "permalink"}).get("permalink", ""))

    def media_insights(self, media_id: str) -> dict[str, int]:
        body = self.call(
            "GET",
            f"{media_id}/insights",
            params={"metric": "reach,views,likes,comments,shares,saved"},
        )
        return _insight_values(body)

    def followers(self) -> int:
        return int(
            self.call("GET", self.ig_user_id, params={"fields": "followers_count"}).get(
                "followers_count", 0
            )
        )


@dataclass
class FacebookPageClient(GraphClient):
    """A Facebook Page: feed posts, photo posts, recent feed (for reconciling), insights."""

    page_id: str = ""

    def feed_post(self, *, message: str, link: str = "", photo_ids: list[str] | None = None) -> str:
        """A feed post; ``photo_ids`` (unpublished photos) make it a multi-photo post."""
        params: dict[str, Any] = {"message": message} | ({"link": link} if link else {})
        for index, photo_id in enumerate(photo_ids or []):
            params[f"attached_media[{index}]"] = json.dumps({"media_fbid": photo_id})
        return str(self.call("POST", f"{self.page_id}/feed", params=params)["id"])

    def photo_post(self, *, caption: str, url: str) -> str:
        body = self.call("POST", f"{self.page_id}/photos", params={"url": url, "caption": caption})
        return str(body.get("post_id") or body["id"])

    def photo_upload_unpublished(self, *, url: str) -> str:
        """A photo uploaded with ``published=false``: invisible until a feed post attaches it."""
        body = self.call(
            "POST", f"{self.page_id}/photos", params={"url": url, "published": "false"}
        )
        return str(body["id"])

    def video_post(self, *, description: str, file_url: str) -> str:
        """``POST /{page-id}/videos`` (non-resumable, the platform fetches ``file_url``)."""
        body = self.call(
            "POST",
            f"{self.page_id}/videos",
            params={"file_url": file_url, "description": description},
        )
        return str(body["id"])

    def video_status(self, video_id: str) -> dict[str, Any]:
        """The video's ``status`` (``video_status``, phases), its post id and permalink."""
        return self.call("GET", video_id, params={"fields": "status,post_id,permalink_url"})

    def videos_recent(self) -> list[dict[str, Any]]:
        body = self.call(
            "GET",
            f"{self.page_id}/videos",
            params={"fields": "id,description,created_time", "limit": 25},
        )
        return list(body.get("data", []))

    def feed_recent(self) -> list[dict[str, Any]]:
        body = self.call(
            "GET",
            f"{self.page_id}/feed",
            params={"fields": "id,message,permalink_url,created_time", "limit": 25},
        )
        return list(body.get("data", []))

    def post_insights(self, post_id: str) -> dict[str, int]:
        body = self.call(
            "GET",
            f"{post_id}/insights",
            params={
                "metric": "post_impressions,post_impressions_unique,post_reactions_by_type_total"
            },
        )
        return _insight_values(body)

    def followers(self) -> int:
        return int(
            self.call("GET", self.page_id, params={"fields": "followers_count"}).get(
                "followers_count", 0
            )
        )


@dataclass
class MessengerClient(GraphClient):
    """Replies to Facebook/Instagram direct messages through the Send API."""

    sender_id: str = ""

    def text_send(self, *, recipient_id: str, text: str, human_agent: bool = False) -> str:
        body: dict[str, Any] = {"recipient": {"id": recipient_id}, "message": {"text": text}}
        if human_agent:
            body |= {"messaging_type": "MESSAGE_TAG", "tag": "HUMAN_AGENT"}
        else:
            body["messaging_type"] = "RESPONSE"
        return str(self.call("POST", f"{self.sender_id}/messages", json_body=body)["message_id"])


@dataclass
class WhatsAppClient(GraphClient):
    """WhatsApp Cloud API: ``POST /{phone-number-id}/messages``."""

    phone_number_id: str = ""

    def text_send(self, *, to: str, text: str) -> str:
        body = {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": to.lstrip("+"),
            "type": "text",
            "text": {"preview_url": True, "body": text},
        }
        reply = self.call("POST", f"{self.phone_number_id}/messages", json_body=body)
        messages = reply.get("messages") or []
        if not messages:
            raise ConnectorError(ErrorKind.PERMANENT, "WhatsApp returned no message id")
        return str(messages[0]["id"])


# Graph insight names → the names of PostMetric fields.
_INSIGHT_FIELDS = {
    "reach": "reach",
    "post_impressions_unique": "reach",
    "impressions": "impressions",
    "post_impressions": "impressions",
    "views": "video_views",
    "likes": "likes",
    "comments": "comments",
    "shares": "shares",
    "saved": "saves",
}


def _insight_values(body: dict[str, Any]) -> dict[str, int]:
    values: dict[str, int] = {}
    for row in body.get("data", []):
        name = row.get("name", "")
        raw = (row.get("values") or [{}])[0].get("value", row.get("total_value", {}).get("value"))
        if name == "post_reactions_by_type_total" and isinstance(raw, dict):
            values["likes"] = int(sum(raw.values()))
        elif name in _INSIGHT_FIELDS and isinstance(raw, int | float):
            values[_INSIGHT_FIELDS[name]] = int(raw)
    return values
