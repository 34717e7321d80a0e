"""Local fake servers of the Meta Graph API and the TikTok Content Posting API.

They follow the official request/response shapes and error bodies closely enough for the
connectors to be exercised end to end over real HTTP on 127.0.0.1:

* Graph errors: ``{"error": {"message", "type": "OAuthException", "code", "error_subcode",
  "fbtrace_id"}}`` — 190 expired token, 4/17/32/613 rate limits, 10/200 permissions.
* Instagram: ``POST /{ig}/media`` → container; ``GET /{container}?fields=status_code``
  (IN_PROGRESS → FINISHED → PUBLISHED); ``POST /{ig}/media_publish?creation_id=``;
  ``GET /{ig}/content_publishing_limit``; ``GET /{ig}/media``; insights.
* Facebook Page ``/feed`` and ``/photos``; Messenger and WhatsApp ``/{id}/messages``.
* TikTok ``/v2/post/publish/video/init/`` and ``/v2/post/publish/status/fetch/`` with
  ``{"data": …, "error": {"code": "ok", "message", "log_id"}}``.

Tests steer it: ``fail(path_suffix, status, body)`` queues an error answer, ``expired_tokens``
makes a token answer 190, ``hold_after_publish`` holds the answer of a publish that has taken
effect (for crash tests), ``processing_polls`` keeps new containers IN_PROGRESS for a while.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

GRAPH_PREFIX = "/v21.0"


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
    valid_tokens: set[str] = field(default_factory=lambda: {"good-token", "long-user-token"})
    oauth_codes: set[str] = field(default_factory=lambda: {"good-code"})
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
    sent_messages: list[dict[str, Any]] = field(default_factory=list)
    tiktok: dict[str, dict[str, Any]] = field(default_factory=dict)
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

    def _dispatch(self, method: str) -> None:
        parts = urlsplit(self.path)
        params: dict[str, Any] = dict(parse_qsl(parts.query))
        length = int(self.headers.get("Content-Length") or 0)
        if length:
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
                }
            self._answer(200, {"id": container})
        elif method == "POST" and edge == "media_publish":
            self._media_publish(head, str(params.get("creation_id", "")))
        elif method == "GET" and edge == "media":
            owned = [m for m in state.media if m["owner"] == head]
            self._answer(
                200, {"data": [{k: v for k, v in m.items() if k != "owner"} for m in owned]}
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
            elif container["status"] != "FINISHED":
                answer = (400, graph_error(9007, "Media ID is not available", 2207027))
            else:
                media_id = state.next_id()
                container["status"] = "PUBLISHED"
                state.publishes[creation_id] += 1
                state.media.append(
                    {
                        "owner": owner,
                        "id": media_id,
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

    # --- TikTok ---------------------------------------------------------------------------

    def _tiktok(self, path: str, params: dict[str, Any]) -> None:
        state = self.server.state
        ok = {"code": "ok", "message": "", "log_id": "202611280000"}
        if path == "/v2/post/publish/video/init/":
            source = params.get("source_info", {})
            if source.get("source") != "PULL_FROM_URL" or not source.get("video_url"):
                self._answer(
                    400,
                    {
                        "error": {
                            "code": "invalid_param",
                            "message": "video_url is required",
                            "log_id": "1",
                        }
                    },
                )
                return
            publish_id = f"v_pub_url~v2.{state.next_id()}"
            with state.lock:
                state.tiktok[publish_id] = {
                    "polls": 1,
                    "title": params.get("post_info", {}).get("title", ""),
                }
            self._answer(200, {"data": {"publish_id": publish_id}, "error": ok})
        elif path == "/v2/post/publish/status/fetch/":
            item = state.tiktok.get(params.get("publish_id", ""))
            if item is None:
                self._answer(
                    400,
                    {
                        "error": {
                            "code": "invalid_publish_id",
                            "message": "publish_id not found",
                            "log_id": "1",
                        }
                    },
                )
                return
            with state.lock:
                item["polls"] -= 1
            status = "PROCESSING_DOWNLOAD" if item["polls"] >= 0 else "PUBLISH_COMPLETE"
            data: dict[str, Any] = {"status": status}
            if status == "PUBLISH_COMPLETE":
                data["publicaly_available_post_id"] = [7446000000000000001]
            self._answer(200, {"data": data, "error": ok})
        else:
            self._answer(
                404, {"error": {"code": "invalid_params", "message": "unknown", "log_id": "1"}}
            )


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
        for hold in (self.state.hold_after_publish, self.state.hold_on_status):
            if hold is not None:
                hold.set()
        self.server.shutdown()
        self.server.server_close()
