"""Local fake servers of the Meta Graph API and the TikTok Content Posting API.

They follow the official request/response shapes and error bodies closely enough for the
connectors to be exercised end to end over real HTTP on 127.0.0.1:

* Graph errors: ``{"error": {"message", "type": "OAuthException", "code", "error_subcode",
  "fbtrace_id"}}`` — 190 expired token, 4/17/32/613 rate limits, 10/200 permissions.
* Instagram: ``POST /{ig}/media`` → container; ``GET /{container}?fields=status_code``
  (IN_PROGRESS → FINISHED → PUBLISHED); ``POST /{ig}/media_publish?creation_id=``;
  ``GET /{ig}/content_publishing_limit``; ``GET /{ig}/media``; insights.
* Facebook Page ``/feed`` and ``/photos``; Messenger and WhatsApp ``/{id}/messages``.
* Instagram carousels: item containers (``is_carousel_item=true``) and a ``media_type=CAROUSEL``
  container over 2 to 10 finished items of the same account (``children``).
* Facebook multi-photo posts: ``POST /{page}/photos`` with ``published=false`` and
  ``POST /{page}/feed`` with ``attached_media[i]={"media_fbid": …}``; videos:
  ``POST /{page}/videos`` (``file_url``, ``description``), ``GET /{video}?fields=status``
  (``video_status`` processing → ready), ``GET /{page}/videos``.
* WhatsApp Embedded Signup: ``GET /debug_token`` (``granular_scopes`` with ``target_ids``),
  ``GET /{waba}/phone_numbers``, ``POST /{waba}/subscribed_apps``,
  ``POST /{phone-number-id}/register`` (``messaging_product``, 6-digit ``pin``; 133005 for a PIN
  that is not the number's two-step PIN).
* TikTok ``/v2/post/publish/video/init/`` and ``/v2/post/publish/status/fetch/`` with
  ``{"data": …, "error": {"code": "ok", "message", "log_id"}}``; ``FILE_UPLOAD`` inits are
  checked against the chunk rules and answer an ``upload_url`` here that takes
  ``PUT`` chunks with ``Content-Range`` (206, then 201 for the last); a video is posted only
  once all its bytes arrived. ``creator_info/query``, ``GET /v2/user/info/``,
  ``POST /v2/video/query/`` (at most 20 ids). Errors ``{"error": {"code":
  "access_token_invalid" | "rate_limit_exceeded" | …}}``.
* TikTok ``POST /v2/oauth/token/`` (form-encoded): ``authorization_code`` and
  ``refresh_token`` grants; refresh tokens rotate (each works once), a refused grant answers
  ``{"error": "invalid_grant", "error_description", "log_id"}``.

Tests steer it: ``fail(path_suffix, status, body)`` queues an error answer, ``expired_tokens``
makes a token answer 190, ``hold_after_publish`` holds the answer of a publish that has taken
effect (for crash tests), ``processing_polls`` keeps new containers IN_PROGRESS for a while.
"""

from __future__ import annotations

import html
import itertools
import json
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

GRAPH_PREFIX = "/v21.0"
TIKTOK_OK = {"code": "ok", "message": "", "log_id": "202611280000"}


def graph_error(code: int, message: str, subcode: int | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {
        "message": message,
        "type": "OAuthException",
        "code": code,
        "fbtrace_id": "AbCdEf123",
    }
    if subcode is not None:
        error["error_subcode"] = subcode
    return {"error": error}


EXPIRED = graph_error(
    190, "Error validating access token: Session has expired on Friday, 27-Nov-26.", 463
)
RATE_LIMITED = graph_error(4, "Application request limit reached")
PAGE_RATE_LIMITED = graph_error(32, "Page request limit reached")
PERMISSION = graph_error(10, "Application does not have permission for this action")
TRANSIENT = graph_error(2, "An unexpected error has occurred. Please retry your request later.")
ASPECT = graph_error(36003, "The aspect ratio is not supported.", 2207009)


@dataclass
class FakeState:
    valid_tokens: set[str] = field(
        default_factory=lambda: {
            "good-token",
            "long-user-token",
            "wa-business-token",
            "app-id|test-app-secret",
        }
    )
    oauth_codes: set[str] = field(default_factory=lambda: {"good-code"})
    whatsapp_codes: set[str] = field(default_factory=lambda: {"wa-code"})
    declined: set[str] = field(default_factory=set)
    pages: list[dict[str, Any]] = field(
        default_factory=lambda: [
            {
                "id": "104000000000777",
                "name": "Batik Siti",
                "access_token": "good-token",
                "instagram_business_account": {"id": "17841400000000777", "username": "batiksiti"},
            }
        ]
    )
    expired_tokens: set[str] = field(default_factory=set)
    requests: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    failures: dict[str, list[tuple[int, dict[str, Any]]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    containers: dict[str, dict[str, Any]] = field(default_factory=dict)
    media: list[dict[str, Any]] = field(default_factory=list)
    publishes: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    feed: list[dict[str, Any]] = field(default_factory=list)
    photos: dict[str, dict[str, Any]] = field(default_factory=dict)  # unpublished page photos
    videos: dict[str, dict[str, Any]] = field(default_factory=dict)
    video_polls: int = 1  # status reads a new video stays "processing"
    hold_after_video: threading.Event | None = None
    video_seen: threading.Event = field(default_factory=threading.Event)
    granted_wabas: list[str] = field(default_factory=lambda: ["102290129340398"])
    waba_numbers: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {
            "102290129340398": [
                {
                    "id": "106540352242999",
                    "display_phone_number": "+62 812-3456-7890",
                    "verified_name": "Batik Siti",
                    "platform_type": "NOT_APPLICABLE",
                    "status": "PENDING",
                    "quality_rating": "UNKNOWN",
                }
            ]
        }
    )
    subscribed_wabas: list[str] = field(default_factory=list)
    number_pins: dict[str, str] = field(default_factory=dict)  # numbers' two-step PINs
    registered: dict[str, str] = field(default_factory=dict)  # number id → PIN registered with
    sent_messages: list[dict[str, Any]] = field(default_factory=list)
    tiktok: dict[str, dict[str, Any]] = field(default_factory=dict)
    tiktok_codes: set[str] = field(default_factory=lambda: {"tiktok-code"})
    tiktok_scope: str = "user.info.basic,user.info.stats,video.publish,video.upload,video.list"
    tiktok_open_id: str = "_000tiktokOpenId777"
    tiktok_display_name: str = "Batik Siti TikTok"
    tiktok_refresh_tokens: set[str] = field(default_factory=set)
    tiktok_refresh_hold: float = 0.0  # seconds a refresh answer is held (concurrency tests)
    tiktok_expires_in: int = 86400
    tiktok_privacy_options: list[str] = field(
        default_factory=lambda: ["PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "SELF_ONLY"]
    )
    tiktok_max_duration: int = 600
    tiktok_videos: dict[str, dict[str, int]] = field(default_factory=dict)
    tiktok_followers: int = 4321
    hold_on_tiktok_status: threading.Event | None = None
    tiktok_status_seen: threading.Event = field(default_factory=threading.Event)
    quota_usage: int = 0
    quota_total: int = 50
    processing_polls: int = 0
    followers: int = 1234
    hold_after_publish: threading.Event | None = None
    hold_on_status: threading.Event | None = None
    status_seen: threading.Event = field(default_factory=threading.Event)
    publish_seen: threading.Event = field(default_factory=threading.Event)
    ids: Any = field(default_factory=lambda: itertools.count(17841400000000001))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next_id(self) -> str:
        return str(next(self.ids))

    def fail(self, path_suffix: str, status: int, body: dict[str, Any], times: int = 1) -> None:
        self.failures[path_suffix] += [(status, body)] * times

    def calls(self, path_suffix: str, method: str = "") -> int:
        return sum(
            1 for m, path, _b in self.requests if path.endswith(path_suffix) and method in ("", m)
        )


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        return  # keep test output quiet

    def _answer(self, status: int, body: dict[str, Any]) -> None:
        raw = json.dumps(body).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client was killed while we held the answer

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PUT(self) -> None:
        self._tiktok_chunk()

    def _dispatch(self, method: str) -> None:  # noqa: PLR0912  (one branch per kind of request)
        parts = urlsplit(self.path)
        params: dict[str, Any] = dict(parse_qsl(parts.query))
        length = int(self.headers.get("Content-Length") or 0)
        if length and "x-www-form-urlencoded" in self.headers.get("Content-Type", ""):
            params |= dict(parse_qsl(self.rfile.read(length).decode()))
        elif length:
            try:
                params |= json.loads(self.rfile.read(length))
            except ValueError:
                self._answer(400, graph_error(100, "Invalid JSON body"))
                return
        state = self.server.state
        token = self.headers.get("Authorization", "").removeprefix("Bearer ")
        path = parts.path
        with state.lock:
            state.requests.append((method, path, params))
            for suffix, queued in state.failures.items():
                if queued and path.endswith(suffix):
                    status, body = queued.pop(0)
                    self._answer(status, body)
                    return
        if path.endswith("/oauth/access_token"):
            self._oauth(params)
            return
        if path == "/v2/oauth/token/":
            self._tiktok_token(params)
            return
        if path == "/v2/auth/authorize/":
            self._tiktok_authorize(params)
            return
        tiktok = path.startswith("/v2/")
        if token in state.expired_tokens or token not in state.valid_tokens:
            if tiktok:
                self._answer(
                    401,
                    {
                        "error": {
                            "code": "access_token_invalid",
                            "message": "The access token is invalid or not found in the request.",
                            "log_id": "202611280000",
                        }
                    },
                )
            else:
                self._answer(400, EXPIRED)
            return
        if tiktok:
            self._tiktok(path, params)
        elif path.startswith(GRAPH_PREFIX + "/"):
            self._graph(method, path.removeprefix(GRAPH_PREFIX + "/").strip("/").split("/"), params)
        else:
            self._answer(404, graph_error(100, "Unknown path"))

    # --- Graph ----------------------------------------------------------------------------

    def _oauth(self, params: dict[str, Any]) -> None:
        """``GET /oauth/access_token``: code → user token; fb_exchange_token → long-lived."""
        state = self.server.state
        if params.get("client_id") != "app-id" or params.get("client_secret") != "test-app-secret":
            self._answer(
                400, graph_error(101, "Error validating application. Invalid application ID.")
            )
        elif params.get("grant_type") == "fb_exchange_token":
            self._answer(
                200,
                {"access_token": "long-user-token", "token_type": "bearer", "expires_in": 5183944},
            )
        elif params.get("code") in state.whatsapp_codes and params.get("redirect_uri"):
            # Embedded Signup's code → the business integration system user token.
            self._answer(200, {"access_token": "wa-business-token", "token_type": "bearer"})
        elif params.get("code") in state.oauth_codes and params.get("redirect_uri"):
            self._answer(
                200,
                {"access_token": "short-user-token", "token_type": "bearer", "expires_in": 5400},
            )
        else:
            self._answer(400, graph_error(100, "Invalid verification code format.", 36007))

    def _graph(  # noqa: PLR0912  (one branch per Graph endpoint, as the API lists them)
        self, method: str, segments: list[str], params: dict[str, Any]
    ) -> None:
        state = self.server.state
        head, edge = segments[0], (segments[1] if len(segments) > 1 else "")
        if method == "GET" and edge == "content_publishing_limit":
            self._answer(
                200,
                {
                    "data": [
                        {
                            "quota_usage": state.quota_usage,
                            "config": {"quota_total": state.quota_total, "quota_duration": 86400},
                        }
                    ]
                },
            )
        elif method == "POST" and edge == "media" and params.get("media_type") == "CAROUSEL":
            self._carousel_create(head, params)
        elif method == "POST" and edge == "media":
            if not (params.get("image_url") or params.get("video_url")):
                self._answer(400, graph_error(100, "The parameter image_url is required"))
                return
            container = state.next_id()
            with state.lock:
                state.containers[container] = {
                    "owner": head,
                    "caption": params.get("caption", ""),
                    "polls_left": state.processing_polls,
                    "status": "IN_PROGRESS",
                    "carousel_item": params.get("is_carousel_item") == "true",
                    "url": params.get("image_url") or params.get("video_url"),
                }
            self._answer(200, {"id": container})
        elif method == "POST" and edge == "media_publish":
            self._media_publish(head, str(params.get("creation_id", "")))
        elif method == "GET" and edge == "media":
            owned = [m for m in state.media if m["owner"] == head]
            self._answer(
                200,
                {
                    "data": [
                        {k: v for k, v in m.items() if k not in ("owner", "children")}
                        for m in owned
                    ]
                },
            )
        elif method == "GET" and edge == "insights":
            self._answer(
                200,
                {
                    "data": [
                        {"name": name, "period": "lifetime", "values": [{"value": value}]}
                        for name, value in (
                            ("reach", 900),
                            ("views", 1500),
                            ("likes", 120),
                            ("comments", 14),
                            ("shares", 9),
                            ("saved", 30),
                        )
                    ]
                },
            )
        elif method == "POST" and edge == "feed" and "attached_media[0]" in params:
            self._feed_with_photos(head, params)
        elif method == "POST" and edge == "feed":
            post_id = f"{head}_{state.next_id()}"
            with state.lock:
                state.feed.append(
                    {
                        "id": post_id,
                        "message": params.get("message", ""),
                        "created_time": "2026-11-28T00:00:00+0000",
                        "permalink_url": f"https://www.facebook.com/{post_id}",
                    }
                )
            self._answer(200, {"id": post_id})
        elif method == "GET" and edge == "feed":
            self._answer(200, {"data": [p for p in state.feed if p["id"].startswith(head)]})
        elif method == "POST" and edge == "photos" and params.get("published") == "false":
            photo = state.next_id()
            with state.lock:
                state.photos[photo] = {"page": head, "url": params.get("url"), "attached": False}
            self._answer(200, {"id": photo})
        elif method == "POST" and edge == "videos":
            self._video_upload(head, params)
        elif method == "GET" and edge == "videos":
            owned = [
                {k: v[k] for k in ("id", "description", "created_time")}
                for v in state.videos.values()
                if v["page"] == head
            ]
            self._answer(200, {"data": owned})
        elif method == "GET" and head == "debug_token":
            self._debug_token(params)
        elif method == "GET" and edge == "phone_numbers":
            self._answer(200, {"data": state.waba_numbers.get(head, [])})
        elif method == "POST" and edge == "subscribed_apps":
            if head not in state.granted_wabas:
                self._answer(403, graph_error(200, "Permissions error"))
                return
            with state.lock:
                state.subscribed_wabas.append(head)
            self._answer(200, {"success": True})
        elif method == "POST" and edge == "register":
            self._register(head, params)
        elif method == "POST" and edge == "photos":
            photo, post_id = state.next_id(), f"{head}_{state.next_id()}"
            with state.lock:
                state.feed.append(
                    {
                        "id": post_id,
                        "message": params.get("caption", ""),
                        "created_time": "2026-11-28T00:00:00+0000",
                    }
                )
            self._answer(200, {"id": photo, "post_id": post_id})
        elif method == "POST" and edge == "messages":
            self._messages(head, params)
        elif method == "POST" and edge in ("replies", "comments"):
            self._answer(200, {"id": state.next_id()})
        elif method == "GET" and head == "me" and edge == "permissions":
            from sinergi.channels.services.oauth import META_SCOPES  # noqa: PLC0415

            self._answer(
                200,
                {
                    "data": [
                        {
                            "permission": name,
                            "status": "declined" if name in state.declined else "granted",
                        }
                        for name in META_SCOPES
                    ]
                },
            )
        elif method == "GET" and head == "me" and edge == "accounts":
            self._answer(
                200, {"data": state.pages, "paging": {"cursors": {"before": "a", "after": "b"}}}
            )
        elif method == "GET" and not edge:
            self._node(head, params)
        else:
            self._answer(
                400, graph_error(100, f"Unsupported request {method} {'/'.join(segments)}")
            )

    def _media_publish(self, owner: str, creation_id: str) -> None:
        state = self.server.state
        with state.lock:
            container = state.containers.get(creation_id)
            if container is None or container["owner"] != owner:
                answer = (400, graph_error(100, "Invalid parameter", 2207027))
            elif container["status"] == "PUBLISHED":
                state.publishes[creation_id] += 1  # counted: a second publish is the bug
                answer = (400, graph_error(9007, "The media is already published", 2207020))
            elif container["status"] != "FINISHED" or container.get("carousel_item"):
                answer = (400, graph_error(9007, "Media ID is not available", 2207027))
            else:
                media_id = state.next_id()
                container["status"] = "PUBLISHED"
                state.publishes[creation_id] += 1
                state.media.append(
                    {
                        "owner": owner,
                        "id": media_id,
                        "children": container.get("children", []),
                        "caption": container["caption"],
                        "permalink": f"https://www.instagram.com/p/{media_id}/",
                        "timestamp": "2026-11-28T00:00:00+0000",
                    }
                )
                answer = (200, {"id": media_id})
        state.publish_seen.set()
        if state.hold_after_publish is not None and answer[0] == 200:
            state.hold_after_publish.wait(30)  # the platform has published; the answer is late
        self._answer(*answer)

    def _node(self, node: str, params: dict[str, Any]) -> None:
        state = self.server.state
        video = state.videos.get(node)
        if video is not None:
            with state.lock:
                if video["polls_left"] > 0:
                    video["polls_left"] -= 1
                    phase = "in_progress"
                else:
                    phase = "complete"
            status = {
                "video_status": "ready" if phase == "complete" else "processing",
                "uploading_phase": {"status": "complete"},
                "processing_phase": {"status": phase},
                "publishing_phase": {
                    "status": "complete" if phase == "complete" else "not_started"
                },
            }
            self._answer(
                200,
                {
                    "id": node,
                    "status": status,
                    "post_id": video["post_id"],
                    "permalink_url": f"/{video['page']}/videos/{node}/",
                },
            )
            return
        container = state.containers.get(node)
        if container is not None:
            state.status_seen.set()
            if state.hold_on_status is not None:
                state.hold_on_status.wait(30)  # the platform is slow to answer
            with state.lock:
                if container["status"] == "IN_PROGRESS":
                    if container["polls_left"] > 0:
                        container["polls_left"] -= 1
                    else:
                        container["status"] = "FINISHED"
            self._answer(
                200, {"id": node, "status_code": container["status"], "status": container["status"]}
            )
            return
        for media in state.media:
            if media["id"] == node:
                self._answer(200, {"id": node, "permalink": media["permalink"]})
                return
        self._answer(200, {"id": node, "followers_count": state.followers})

    def _messages(self, sender: str, params: dict[str, Any]) -> None:
        state = self.server.state
        with state.lock:
            state.sent_messages.append({"from": sender} | params)
        if params.get("messaging_product") == "whatsapp":
            if not params.get("to") or params.get("type") != "text":
                self._answer(400, graph_error(100, "Invalid parameter"))
                return
            self._answer(
                200,
                {
                    "messaging_product": "whatsapp",
                    "contacts": [{"input": params["to"], "wa_id": params["to"]}],
                    "messages": [{"id": f"wamid.HBgL{state.next_id()}"}],
                },
            )
        else:
            self._answer(
                200,
                {"recipient_id": params["recipient"]["id"], "message_id": f"m_{state.next_id()}"},
            )

    # --- Carousels, Page videos, WhatsApp Embedded Signup -----------------------------------

    def _carousel_create(self, owner: str, params: dict[str, Any]) -> None:
        state = self.server.state
        children = [c for c in str(params.get("children", "")).split(",") if c]
        with state.lock:
            items = [state.containers.get(c) for c in children]
            if not 2 <= len(children) <= 10:
                answer = (400, graph_error(100, "The carousel must have 2 to 10 children", 2207030))
            elif any(i is None or i["owner"] != owner or not i.get("carousel_item") for i in items):
                answer = (400, graph_error(100, "Invalid parameter: children", 2207027))
            elif any(i is not None and i["status"] != "FINISHED" for i in items):
                answer = (400, graph_error(9007, "Media ID is not available", 2207027))
            else:
                container = state.next_id()
                state.containers[container] = {
                    "owner": owner,
                    "caption": params.get("caption", ""),
                    "polls_left": state.processing_polls,
                    "status": "IN_PROGRESS",
                    "children": children,
                }
                answer = (200, {"id": container})
        self._answer(*answer)

    def _feed_with_photos(self, page: str, params: dict[str, Any]) -> None:
        state = self.server.state
        photo_ids: list[str] = []
        index = 0
        while f"attached_media[{index}]" in params:
            try:
                photo_ids.append(str(json.loads(params[f"attached_media[{index}]"])["media_fbid"]))
            except (ValueError, KeyError, TypeError):
                self._answer(400, graph_error(100, "Invalid parameter: attached_media"))
                return
            index += 1
        with state.lock:
            photos = [state.photos.get(p) for p in photo_ids]
            if any(p is None or p["page"] != page or p["attached"] for p in photos):
                answer = (400, graph_error(100, "Invalid parameter: attached_media", 1366046))
            else:
                post_id = f"{page}_{state.next_id()}"
                for photo in photos:
                    if photo is not None:
                        photo["attached"] = True
                state.feed.append(
                    {
                        "id": post_id,
                        "message": params.get("message", ""),
                        "attached": photo_ids,
                        "created_time": "2026-11-28T00:00:00+0000",
                        "permalink_url": f"https://www.facebook.com/{post_id}",
                    }
                )
                answer = (200, {"id": post_id})
        self._answer(*answer)

    def _video_upload(self, page: str, params: dict[str, Any]) -> None:
        state = self.server.state
        if not params.get("file_url"):
            self._answer(400, graph_error(100, "Invalid parameter: file_url or source is required"))
            return
        with state.lock:
            video_id = state.next_id()
            state.videos[video_id] = {
                "id": video_id,
                "page": page,
                "description": params.get("description", ""),
                "file_url": params["file_url"],
                "created_time": time.strftime("%Y-%m-%dT%H:%M:%S+0000", time.gmtime()),
                "post_id": f"{page}_{state.next_id()}",
                "polls_left": state.video_polls,
            }
        state.video_seen.set()
        if state.hold_after_video is not None:
            state.hold_after_video.wait(30)  # the video exists; the answer is late
        self._answer(200, {"id": video_id})

    def _debug_token(self, params: dict[str, Any]) -> None:
        state = self.server.state
        if params.get("input_token") != "wa-business-token":
            self._answer(400, graph_error(190, "Invalid OAuth access token - Cannot parse"))
            return
        granular = [
            {"scope": scope, "target_ids": list(state.granted_wabas)}
            for scope in ("whatsapp_business_management", "whatsapp_business_messaging")
            if state.granted_wabas
        ]
        self._answer(
            200,
            {
                "data": {
                    "app_id": "app-id",
                    "type": "SYSTEM_USER",
                    "application": "Sinergi",
                    "data_access_expires_at": 0,
                    "expires_at": 0,
                    "is_valid": True,
                    "scopes": [
                        "whatsapp_business_management",
                        "whatsapp_business_messaging",
                        "public_profile",
                    ],
                    "granular_scopes": granular,
                    "user_id": "10222270944537964",
                }
            },
        )

    def _register(self, number: str, params: dict[str, Any]) -> None:
        state = self.server.state
        pin = str(params.get("pin", ""))
        known = any(n["id"] == number for rows in state.waba_numbers.values() for n in rows)
        if params.get("messaging_product") != "whatsapp" or len(pin) != 6 or not pin.isdigit():
            self._answer(400, graph_error(100, "Invalid parameter"))
        elif not known:
            self._answer(400, graph_error(100, "Unsupported post request.", 33))
        elif number in state.number_pins and state.number_pins[number] != pin:
            body = graph_error(133005, "Two step verification PIN Mismatch")
            body["error"]["error_data"] = {
                "messaging_product": "whatsapp",
                "details": "Two step verification PIN incorrect",
            }
            self._answer(400, body)
        else:
            with state.lock:
                state.registered[number] = pin
                state.number_pins.setdefault(number, pin)
            self._answer(200, {"success": True})

    # --- TikTok ---------------------------------------------------------------------------

    def _tiktok_fail(self, status: int, code: str, message: str) -> None:
        self._answer(status, {"error": {"code": code, "message": message, "log_id": "1"}})

    def _tiktok(self, path: str, params: dict[str, Any]) -> None:
        state = self.server.state
        ok = TIKTOK_OK
        if path == "/v2/post/publish/creator_info/query/":
            self._answer(
                200,
                {
                    "data": {
                        "creator_username": "batiksiti",
                        "creator_nickname": state.tiktok_display_name,
                        "privacy_level_options": state.tiktok_privacy_options,
                        "comment_disabled": False,
                        "duet_disabled": False,
                        "stitch_disabled": True,
                        "max_video_post_duration_sec": state.tiktok_max_duration,
                    },
                    "error": ok,
                },
            )
        elif path == "/v2/post/publish/video/init/":
            self._tiktok_init(params)
        elif path == "/v2/post/publish/status/fetch/":
            self._tiktok_status(params)
        elif path == "/v2/user/info/":
            user = {
                "open_id": state.tiktok_open_id,
                "display_name": state.tiktok_display_name,
                "follower_count": state.tiktok_followers,
            }
            fields = str(params.get("fields", "")).split(",")
            self._answer(
                200, {"data": {"user": {k: v for k, v in user.items() if k in fields}}, "error": ok}
            )
        elif path == "/v2/video/query/":
            ids = (params.get("filters") or {}).get("video_ids") or []
            if not ids or len(ids) > 20:
                self._tiktok_fail(400, "invalid_params", "video_ids must list 1 to 20 ids")
                return
            videos = [{"id": i} | state.tiktok_videos[i] for i in ids if i in state.tiktok_videos]
            self._answer(
                200, {"data": {"videos": videos, "cursor": 0, "has_more": False}, "error": ok}
            )
        else:
            self._tiktok_fail(404, "invalid_params", "unknown")

    def _tiktok_init(self, params: dict[str, Any]) -> None:
        state = self.server.state
        source = params.get("source_info", {})
        post_info = params.get("post_info", {})
        if post_info.get("privacy_level") not in state.tiktok_privacy_options:
            self._tiktok_fail(400, "invalid_params", "privacy_level is not an option")
            return
        item: dict[str, Any] = {"polls": 1, "title": post_info.get("title", "")}
        data: dict[str, Any] = {}
        if source.get("source") == "PULL_FROM_URL" and source.get("video_url"):
            item["complete"] = True
        elif source.get("source") == "FILE_UPLOAD":
            size, chunk, count = (
                int(source.get(k) or 0) for k in ("video_size", "chunk_size", "total_chunk_count")
            )
            problem = chunk_rules_problem(size, chunk, count)
            if problem:
                self._tiktok_fail(400, "invalid_params", problem)
                return
            item |= {"size": size, "chunk": chunk, "count": count, "received": bytearray()}
            item["complete"] = False
        else:
            self._tiktok_fail(400, "invalid_params", "video_url or FILE_UPLOAD is required")
            return
        publish_id = f"v_pub_file~v2.{state.next_id()}"
        with state.lock:
            state.tiktok[publish_id] = item
        if "size" in item:
            host, port = self.server.server_address[:2]
            data["upload_url"] = f"http://{host}:{port}/upload/?upload_id={publish_id}"
        self._answer(200, {"data": {"publish_id": publish_id} | data, "error": TIKTOK_OK})

    def _tiktok_status(self, params: dict[str, Any]) -> None:
        state = self.server.state
        ok = TIKTOK_OK
        item = state.tiktok.get(params.get("publish_id", ""))
        if item is None:
            self._tiktok_fail(400, "invalid_publish_id", "publish_id not found")
            return
        state.tiktok_status_seen.set()
        if state.hold_on_tiktok_status is not None:
            state.hold_on_tiktok_status.wait(30)  # the upload is in; the worker waits
        data: dict[str, Any] = {}
        with state.lock:
            if not item["complete"]:
                status = "PROCESSING_UPLOAD"
                data["uploaded_bytes"] = len(item["received"])
            else:
                item["polls"] -= 1
                status = "PROCESSING_DOWNLOAD" if item["polls"] >= 0 else "PUBLISH_COMPLETE"
            if status == "PUBLISH_COMPLETE" and "video_id" not in item:
                posted = sum(1 for other in state.tiktok.values() if "video_id" in other)
                item["video_id"] = 7446000000000000001 + posted  # each post its own id
        data["status"] = status
        if status == "PUBLISH_COMPLETE":
            data["publicaly_available_post_id"] = [item["video_id"]]
        self._answer(200, {"data": data, "error": ok})

    def _tiktok_chunk(self) -> None:
        """``PUT {upload_url}``: chunks in order, each as the init announced."""
        state = self.server.state
        publish_id = dict(parse_qsl(urlsplit(self.path).query)).get("upload_id", "")
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        rng = self.headers.get("Content-Range", "")
        with state.lock:
            state.requests.append(("PUT", urlsplit(self.path).path, {"Content-Range": rng}))
            for suffix, queued in state.failures.items():
                if queued and "/upload/".endswith(suffix):
                    self._answer(*queued.pop(0))
                    return
            item = state.tiktok.get(publish_id)
            if item is None or "size" not in item or item["complete"]:
                self._tiktok_fail(404, "invalid_params", "unknown or finished upload")
                return
            try:
                unit, _, span = rng.partition(" ")
                first_last, _, total = span.partition("/")
                first, last = (int(x) for x in first_last.split("-"))
                problem = ""
                if unit != "bytes" or int(total) != item["size"]:
                    problem = "Content-Range total is not video_size"
            except ValueError:
                problem = "bad Content-Range"
            if not problem:
                index = first // item["chunk"]
                final = index == item["count"] - 1
                expected_last = item["size"] - 1 if final else first + item["chunk"] - 1
                if self.headers.get("Content-Type") != "video/mp4":
                    problem = "Content-Type must be the video's"
                elif first != len(item["received"]) or first != index * item["chunk"]:
                    problem = "chunks must be sent in order"
                elif last != expected_last or len(raw) != last - first + 1:
                    problem = "chunk size does not match the init"
            if problem:
                self._tiktok_fail(400, "invalid_params", problem)
                return
            item["received"] += raw
            if final:
                item["complete"] = True
                state.publishes[publish_id] += 1
        self._answer(201 if final else 206, {})

    def _tiktok_authorize(self, params: dict[str, Any]) -> None:
        """TikTok's authorize page: "Authorize" returns to ``redirect_uri`` with a code."""
        back = urlencode({"code": "tiktok-code", "scopes": self.server.state.tiktok_scope})
        back += "&" + urlencode({"state": params.get("state", "")})
        target = html.escape(f"{params.get('redirect_uri', '')}?{back}")
        raw = (
            "<!doctype html><title>TikTok</title><h1>Sinergi would like to access your TikTok "
            f"account</h1><p id='scopes'>{html.escape(str(params.get('scope', '')))}</p>"
            f"<a id='authorize' href='{target}'>Authorize</a>"
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def _tiktok_token(self, params: dict[str, Any]) -> None:
        """``POST /v2/oauth/token/``: code or refresh token → a new pair (the refresh token
        rotates)."""
        state = self.server.state
        refused = {
            "error": "invalid_grant",
            "error_description": "Authorization code or refresh token is expired or invalid.",
            "log_id": "202611280000",
        }
        if (
            params.get("client_key") != "tiktok-client-key"
            or params.get("client_secret") != "tiktok-client-secret"
        ):
            self._answer(
                401,
                {
                    "error": "invalid_client",
                    "error_description": "Client key or secret is incorrect.",
                    "log_id": "1",
                },
            )
            return
        grant = params.get("grant_type")
        with state.lock:
            if grant == "authorization_code":
                valid = params.get("code") in state.tiktok_codes and bool(
                    params.get("redirect_uri")
                )
                state.tiktok_codes.discard(params.get("code", ""))
            elif grant == "refresh_token":
                valid = params.get("refresh_token") in state.tiktok_refresh_tokens
                state.tiktok_refresh_tokens.discard(params.get("refresh_token", ""))
            else:
                valid = False
            if valid:
                n = state.next_id()
                access, refresh = f"tt-access-{n}", f"tt-refresh-{n}"
                state.valid_tokens.add(access)
                state.tiktok_refresh_tokens.add(refresh)
        if not valid:
            self._answer(400, refused)
            return
        if grant == "refresh_token" and state.tiktok_refresh_hold:
            time.sleep(state.tiktok_refresh_hold)
        self._answer(
            200,
            {
                "access_token": access,
                "expires_in": state.tiktok_expires_in,
                "open_id": state.tiktok_open_id,
                "refresh_expires_in": 31536000,
                "refresh_token": refresh,
                "scope": state.tiktok_scope,
                "token_type": "Bearer",
            },
        )


def chunk_rules_problem(size: int, chunk: int, count: int) -> str:  # noqa: PLR0911  (one per rule)
    """What breaks the Media Transfer Guide's chunk rules, or "" (5 MB read as 5 MiB on
    the low side and 64/128 MB as decimal on the high side, the stricter reading)."""
    low, high, final_high = 5 * 1024 * 1024, 64_000_000, 128_000_000
    if size <= 0 or chunk <= 0 or not 1 <= count <= 1000:
        return "video_size, chunk_size and total_chunk_count must be positive (1-1000 chunks)"
    if count != size // chunk:
        return "total_chunk_count must be video_size / chunk_size rounded down"
    if size < low and chunk != size:
        return "a video under 5 MB must be uploaded whole"
    if size > high and count < 2:
        return "a video over 64 MB must be uploaded in several chunks"
    if not low <= chunk <= high and not (chunk == size <= high):
        return "chunks must be 5 MB to 64 MB"
    if size - (count - 1) * chunk > final_high:
        return "the final chunk may be at most 128 MB"
    return ""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    state: FakeState


class FakePlatforms:
    """A running fake server; ``graph_url`` and ``tiktok_url`` go into the settings."""

    def __init__(self) -> None:
        self.server = _Server(("127.0.0.1", 0), _Handler)
        self.server.state = FakeState()
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def state(self) -> FakeState:
        return self.server.state

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def graph_url(self) -> str:
        return self.base + GRAPH_PREFIX

    def __enter__(self) -> FakePlatforms:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        for hold in (
            self.state.hold_after_publish,
            self.state.hold_on_status,
            self.state.hold_after_video,
            self.state.hold_on_tiktok_status,
        ):
            if hold is not None:
                hold.set()
        self.server.shutdown()
        self.server.server_close()
