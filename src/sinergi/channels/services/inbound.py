"""Turning the platforms' webhook deliveries into conversations and messages.

A delivery is parsed completely before anything is stored: a malformed one raises
:class:`WebhookMalformed` and leaves the database as it was. Messages are keyed by the
platform's message id per account, so a delivery sent twice stores each message once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from sinergi.channels.models import (
    ConnectedAccount,
    Conversation,
    ConversationKind,
    Direction,
    Message,
    MessageStatus,
    Platform,
)
from sinergi.commerce.api import CommerceError, Customer, phone_normalise
from sinergi.core.crypto import blind_index
from sinergi.core.tenancy import across_tenants, tenant_context

logger = logging.getLogger(__name__)


class WebhookMalformed(ValueError):
    """A delivery does not have the shape the platform documents."""


@dataclass(frozen=True)
class Inbound:
    """One customer message, as every platform's payload reduces to."""

    platform: str
    account_external_id: str
    kind: str
    thread_id: str
    message_id: str
    text: str
    sent_at: datetime
    customer_name: str = ""
    customer_phone: str = ""


@dataclass(frozen=True)
class StatusUpdate:
    """A delivery receipt for a message the shop sent (WhatsApp ``statuses``)."""

    platform: str
    account_external_id: str
    message_id: str
    status: str


def _text(value: Any, field: str) -> str:
    if not isinstance(value, str | int) or str(value) == "":
        raise WebhookMalformed(f"{field} is missing")
    return str(value)


def _time(value: Any, field: str, *, millis: bool = False) -> datetime:
    try:
        seconds = int(value) / (1000 if millis else 1)
    except (TypeError, ValueError) as error:
        raise WebhookMalformed(f"{field} is not a timestamp") from error
    return datetime.fromtimestamp(seconds, tz=UTC)


def _list(value: Any, field: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise WebhookMalformed(f"{field} is not a list")
    return value


def _dict(value: Any, field: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise WebhookMalformed(f"{field} is not an object")
    return value


def whatsapp_parse(payload: Any) -> tuple[list[Inbound], list[StatusUpdate]]:
    """``{"object": "whatsapp_business_account", "entry": [{"changes": [{"value":
    {"metadata": {"phone_number_id"}, "contacts": […], "messages": […], "statuses": […]}}]}]}``"""
    payload = _dict(payload, "body")
    if payload.get("object") != "whatsapp_business_account":
        raise WebhookMalformed("object is not whatsapp_business_account")
    messages: list[Inbound] = []
    statuses: list[StatusUpdate] = []
    for e, entry in enumerate(_list(payload.get("entry"), "entry")):
        for c, change in enumerate(_list(_dict(entry, f"entry[{e}]").get("changes"), "changes")):
            where = f"entry[{e}].changes[{c}]"
            value = _dict(_dict(change, where).get("value"), f"{where}.value")
            number_id = _text(
                _dict(value.get("metadata"), f"{where}.metadata").get("phone_number_id"),
                "phone_number_id",
            )
            names = {
                str(contact.get("wa_id")): str(
                    _dict(contact, "contact").get("profile", {}).get("name", "")
                )
                for contact in _list(value.get("contacts"), f"{where}.contacts")
            }
            for m, raw in enumerate(_list(value.get("messages"), f"{where}.messages")):
                message = _dict(raw, f"{where}.messages[{m}]")
                sender = _text(message.get("from"), f"{where}.messages[{m}].from")
                kind = message.get("type", "text")
                body = (
                    _text(_dict(message.get("text"), "text").get("body"), "text.body")
                    if kind == "text"
                    else f"[{kind}]"
                )
                messages.append(
                    Inbound(
                        platform=Platform.WHATSAPP,
                        account_external_id=number_id,
                        kind=ConversationKind.WHATSAPP,
                        thread_id=sender,
                        message_id=_text(message.get("id"), f"{where}.messages[{m}].id"),
                        text=body,
                        sent_at=_time(message.get("timestamp"), "timestamp"),
                        customer_name=names.get(sender, ""),
                        customer_phone=f"+{sender}",
                    )
                )
            for s, raw in enumerate(_list(value.get("statuses"), f"{where}.statuses")):
                status = _dict(raw, f"{where}.statuses[{s}]")
                statuses.append(
                    StatusUpdate(
                        platform=Platform.WHATSAPP,
                        account_external_id=number_id,
                        message_id=_text(status.get("id"), "status.id"),
                        status=_text(status.get("status"), "status.status"),
                    )
                )
    return messages, statuses


def meta_parse(payload: Any) -> list[Inbound]:
    """Page (Messenger) and Instagram deliveries: ``entry[].messaging[]`` for direct
    messages, ``entry[].changes[]`` with field ``feed`` / ``comments`` for comments."""
    payload = _dict(payload, "body")
    obj = payload.get("object")
    if obj not in ("page", "instagram"):
        raise WebhookMalformed("object is neither page nor instagram")
    platform = Platform.FACEBOOK if obj == "page" else Platform.INSTAGRAM
    found: list[Inbound] = []
    for e, raw_entry in enumerate(_list(payload.get("entry"), "entry")):
        entry = _dict(raw_entry, f"entry[{e}]")
        account_id = _text(entry.get("id"), f"entry[{e}].id")
        for m, raw_event in enumerate(_list(entry.get("messaging"), f"entry[{e}].messaging")):
            event = _dict(raw_event, f"entry[{e}].messaging[{m}]")
            message = event.get("message")
            if not isinstance(message, dict) or message.get("is_echo"):
                continue  # reads, deliveries and our own echoes
            sender = _text(_dict(event.get("sender"), "sender").get("id"), "sender.id")
            found.append(
                Inbound(
                    platform=platform,
                    account_external_id=account_id,
                    kind=ConversationKind.DIRECT,
                    thread_id=sender,
                    message_id=_text(message.get("mid"), "message.mid"),
                    text=str(message.get("text") or "[attachment]"),
                    sent_at=_time(event.get("timestamp"), "timestamp", millis=True),
                )
            )
        for c, raw_change in enumerate(_list(entry.get("changes"), f"entry[{e}].changes")):
            change = _dict(raw_change, f"entry[{e}].changes[{c}]")
            value = _dict(change.get("value"), "value")
            if change.get("field") == "comments":  # Instagram
                author = _dict(value.get("from"), "from")
                found.append(
                    Inbound(
                        platform=platform,
                        account_external_id=account_id,
                        kind=ConversationKind.COMMENT,
                        thread_id=f"comment:{_text(author.get('id'), 'from.id')}",
                        message_id=_text(value.get("id"), "value.id"),
                        text=_text(value.get("text"), "value.text"),
                        sent_at=timezone.now(),
                        customer_name=str(author.get("username", "")),
                    )
                )
            elif change.get("field") == "feed" and value.get("item") == "comment":
                if value.get("verb") != "add":
                    continue
                author = _dict(value.get("from"), "from")
                found.append(
                    Inbound(
                        platform=platform,
                        account_external_id=account_id,
                        kind=ConversationKind.COMMENT,
                        thread_id=f"comment:{_text(author.get('id'), 'from.id')}",
                        message_id=_text(value.get("comment_id"), "value.comment_id"),
                        text=_text(value.get("message"), "value.message"),
                        sent_at=_time(value.get("created_time"), "created_time"),
                        customer_name=str(author.get("name", "")),
                    )
                )
    return found


def inbound_store(*, messages: list[Inbound], statuses: list[StatusUpdate] = ()) -> int:  # type: ignore[assignment]
    """Store parsed messages and receipts in one transaction; returns how many were new.

    Accounts are found by the platform's id (the only thing a webhook carries), across
    tenants; everything after that runs in the owning shop's tenant context.
    """
    wanted = {(m.platform, m.account_external_id) for m in messages}
    wanted |= {(s.platform, s.account_external_id) for s in statuses}
    with across_tenants(reason="a webhook names the platform account, not the shop"):
        accounts = {
            (a.platform, a.external_id): a
            for a in ConnectedAccount.objects.filter(
                external_id__in={external for _platform, external in wanted}
            )
        }
    stored = 0
    with transaction.atomic():
        for message in messages:
            account = accounts.get((message.platform, message.account_external_id))
            if account is None:
                logger.warning(
                    "webhook for unknown %s account %s",
                    message.platform,
                    message.account_external_id,
                )
                continue
            with tenant_context(account.organisation_id):
                stored += _message_store(account, message)
        for status in statuses:
            account = accounts.get((status.platform, status.account_external_id))
            if account is None:
                continue
            with tenant_context(account.organisation_id):
                Message.objects.filter(
                    account=account,
                    platform_message_id=status.message_id,
                    direction=Direction.OUTBOUND,
                ).update(status=_RECEIPTS.get(status.status, MessageStatus.SENT))
    return stored


_RECEIPTS = {
    "sent": MessageStatus.SENT,
    "delivered": MessageStatus.DELIVERED,
    "read": MessageStatus.READ,
    "failed": MessageStatus.FAILED,
}


def _customer_for(organisation_id: int, phone: str) -> tuple[str, Customer | None]:
    try:
        phone = phone_normalise(phone)
    except CommerceError:
        return "", None
    # The phone is stored encrypted: the customer is found by its blind index.
    customer = Customer.objects.filter(
        organisation_id=organisation_id, phone_digest=blind_index(phone)
    ).first()
    return phone, customer


def _message_store(account: ConnectedAccount, inbound: Inbound) -> int:
    if Message.objects.filter(account=account, platform_message_id=inbound.message_id).exists():
        return 0
    phone, customer = ("", None)
    if inbound.customer_phone:
        phone, customer = _customer_for(account.organisation_id, inbound.customer_phone)
    conversation, created = Conversation.objects.get_or_create(
        account=account,
        external_thread_id=inbound.thread_id,
        defaults={
            "organisation_id": account.organisation_id,
            "kind": inbound.kind,
            "customer_name": inbound.customer_name[:120] or (customer.name if customer else ""),
            "customer_phone": phone,
            "customer": customer,
        },
    )
    try:
        with transaction.atomic():
            Message.objects.create(
                organisation_id=account.organisation_id,
                account=account,
                conversation=conversation,
                direction=Direction.INBOUND,
                platform_message_id=inbound.message_id,
                text=inbound.text[:4096],
                status=MessageStatus.RECEIVED,
                sent_at=inbound.sent_at,
            )
    except IntegrityError:  # the same delivery, arriving concurrently
        return 0
    updates: dict[str, Any] = {"unread": F("unread") + 1}
    if conversation.last_message_at < inbound.sent_at or created:
        updates["last_message_at"] = inbound.sent_at
    if conversation.last_inbound_at is None or conversation.last_inbound_at < inbound.sent_at:
        updates["last_inbound_at"] = inbound.sent_at
    if conversation.customer_id is None and customer is not None:
        updates["customer"] = customer
    Conversation.objects.filter(pk=conversation.pk).update(**updates)
    return 1
