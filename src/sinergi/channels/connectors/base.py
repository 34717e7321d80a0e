"""The transport under every platform client, and the platforms' errors sorted by what to do."""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 20


class ErrorKind(StrEnum):
    TRANSIENT = "transient"  # retry with back-off
    RATE_LIMITED = "rate_limited"  # wait for the platform's window, then retry
    EXPIRED = "expired"  # the token expired or was revoked: reconnect
    PERMISSION = "permission"  # a permission is missing: reconnect granting it
    PERMANENT = "permanent"  # the request itself is wrong: show the reason


class ConnectorError(Exception):
    """A platform refused or failed a request; ``kind`` says whether to retry."""

    def __init__(self, kind: ErrorKind, message: str, *, code: str = "", status: int = 0):
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.code = code
        self.status = status

    def __str__(self) -> str:
        return f"{self.message} (code {self.code})" if self.code else self.message


# Graph API error codes (developers.facebook.com/docs/graph-api/guides/error-handling and
# the WhatsApp Cloud API error codes).
_GRAPH_RATE_LIMIT = {4, 17, 32, 613, 80001, 80002, 80004, 80006, 130429, 131056}
_GRAPH_EXPIRED = {102, 190}
_GRAPH_TRANSIENT = {1, 2, 131000, 131016}


def graph_error(status: int, body: dict[str, Any]) -> ConnectorError:
    """Sort a Graph API error body ``{"error": {"message", "code", "error_subcode"…}}``."""
    raw = body.get("error")
    error: dict[str, Any] = raw if isinstance(raw, dict) else {}
    code = int(error.get("code") or 0)
    message = str(error.get("error_user_msg") or error.get("message") or f"HTTP {status}")
    if code in _GRAPH_EXPIRED:
        kind = ErrorKind.EXPIRED
    elif code in _GRAPH_RATE_LIMIT or status == 429:
        kind = ErrorKind.RATE_LIMITED
    elif code == 10 or 200 <= code <= 299:
        kind = ErrorKind.PERMISSION
    elif code in _GRAPH_TRANSIENT or error.get("is_transient") or status >= 500:
        kind = ErrorKind.TRANSIENT
    else:
        kind = ErrorKind.PERMANENT
    subcode = error.get("error_subcode")
    return ConnectorError(
        kind, message, code=f"{code}/{subcode}" if subcode else str(code), status=status
    )


class Transport(Protocol):
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
    ) -> tuple[int, dict[str, Any]]: ...


@dataclass
class HttpTransport:
    """HTTPS with a bearer token; returns (status, body) and never raises on 4xx.

    The body is JSON (``json_body``), a form (``form_body``, as OAuth token endpoints take
    it) or raw bytes (``raw_body``, a video chunk) with the caller's ``headers``. An empty
    ``token`` sends no Authorization header (token endpoints, pre-signed upload URLs).
    """

    timeout: float = TIMEOUT_SECONDS

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
        if params:
            url = f"{url}?{urllib.parse.urlencode(params)}"
        data, content_type = raw_body, ""
        if json_body is not None:
            data, content_type = json.dumps(json_body).encode(), "application/json; charset=UTF-8"
        elif form_body is not None:
            data = urllib.parse.urlencode(form_body).encode()
            content_type = "application/x-www-form-urlencoded"
        request = urllib.request.Request(url, data=data, method=method)  # noqa: S310
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        if content_type:
            request.add_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return response.status, _json(response.read())
        except urllib.error.HTTPError as error:
            return error.code, _json(error.read())
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            raise ConnectorError(
                ErrorKind.TRANSIENT, f"could not reach the platform: {error}"
            ) from error


def _json(raw: bytes) -> dict[str, Any]:
    try:
        body = json.loads(raw or b"{}")
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {"data": body}
