"""Webhook endpoints for Meta (Pages, Instagram) and the WhatsApp Cloud API.

``GET`` answers Meta's subscription handshake (``hub.mode=subscribe``, ``hub.verify_token``,
``hub.challenge``). ``POST`` deliveries must carry ``X-Hub-Signature-256``: the HMAC-SHA256
of the raw body keyed with the app secret. A bad signature answers 403, a body that is not
the documented shape 400 (logged, nothing stored); otherwise 200, also for duplicates, so
that Meta does not retry them.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from sinergi.channels.services.inbound import (
    Inbound,
    StatusUpdate,
    WebhookMalformed,
    inbound_store,
    meta_parse,
    whatsapp_parse,
)

logger = logging.getLogger(__name__)
MAX_BODY = 1024 * 1024


def signature_valid(body: bytes, header: str, secret: str) -> bool:
    """Does ``header`` ("sha256=<hex>") sign ``body`` with ``secret``?"""
    if not secret or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header.removeprefix("sha256="))


def _handshake(request: HttpRequest) -> HttpResponse:
    token = settings.SINERGI_META_VERIFY_TOKEN
    if (
        request.GET.get("hub.mode") == "subscribe"
        and token
        and hmac.compare_digest(request.GET.get("hub.verify_token", ""), token)
    ):
        return HttpResponse(request.GET.get("hub.challenge", ""), content_type="text/plain")
    return HttpResponseForbidden("verification failed")


Parser = Callable[[Any], tuple[list[Inbound], list[StatusUpdate]]]


def _receive(request: HttpRequest, parse: Parser, name: str) -> HttpResponse:
    if request.method == "GET":
        return _handshake(request)
    body = request.body
    if len(body) > MAX_BODY:
        logger.warning("%s webhook: body of %d bytes refused", name, len(body))
        return HttpResponseBadRequest("too large")
    if not signature_valid(
        body, request.headers.get("X-Hub-Signature-256", ""), settings.SINERGI_META_APP_SECRET
    ):
        logger.warning("%s webhook: bad signature", name)
        return HttpResponseForbidden("bad signature")
    try:
        messages, statuses = parse(json.loads(body))
    except (ValueError, WebhookMalformed) as error:
        logger.warning("%s webhook: malformed delivery refused: %s", name, error)
        return HttpResponseBadRequest("malformed")
    stored = inbound_store(messages=messages, statuses=statuses)
    logger.info("%s webhook: %d new message(s)", name, stored)
    return HttpResponse("ok", content_type="text/plain")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def meta(request: HttpRequest) -> HttpResponse:
    return _receive(request, lambda payload: (meta_parse(payload), []), "meta")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def whatsapp(request: HttpRequest) -> HttpResponse:
    return _receive(request, whatsapp_parse, "whatsapp")
