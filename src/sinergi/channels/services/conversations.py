"""Answering customers from the inbox, and turning a conversation into an order."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.api import Organisation, User
from sinergi.channels.connectors.base import ConnectorError
from sinergi.channels.connectors.meta import GraphClient, MessengerClient, WhatsAppClient
from sinergi.channels.models import (
    ConnectedAccount,
    Conversation,
    ConversationKind,
    Direction,
    Message,
    MessageStatus,
    Platform,
)
from sinergi.channels.services.accounts import (
    account_error_record,
    account_token,
    account_transport,
)
from sinergi.commerce.api import Channel, Order, PaymentMethod, order_place
from sinergi.core.money import format_rupiah
from sinergi.core.tenancy import tenant_context

# WhatsApp and Messenger/Instagram: free-form replies within 24 h of the customer's last
# message; Messenger/Instagram allow a person (HUMAN_AGENT tag) to answer for 7 days.
SERVICE_WINDOW = timedelta(hours=24)
HUMAN_AGENT_WINDOW = timedelta(days=7)
MAX_REPLY = 4096


class ReplyRefused(Exception):
    """A reply cannot be sent; the message says why and what to do."""


def reply_window(conversation: Conversation, now: datetime | None = None) -> tuple[bool, bool, str]:
    """(may reply, needs the HUMAN_AGENT tag, explanation when not allowed)."""
    now = now or timezone.now()
    if conversation.kind == ConversationKind.COMMENT:
        return True, False, ""
    last = conversation.last_inbound_at
    if last is not None and now - last <= SERVICE_WINDOW:
        return True, False, ""
    if (
        conversation.kind == ConversationKind.DIRECT
        and last is not None
        and now - last <= HUMAN_AGENT_WINDOW
    ):
        return True, True, ""
    if conversation.kind == ConversationKind.WHATSAPP:
        return (
            False,
            False,
            _(
                "More than 24 hours have passed since the customer's last message. WhatsApp "
                "allows only an approved template message now; ask the customer to message you."
            ),
        )
    return (
        False,
        False,
        _(
            "More than 7 days have passed since the customer's last message; the platform no "
            "longer allows a reply."
        ),
    )


def _send(
    account: ConnectedAccount,
    conversation: Conversation,
    text: str,
    human_agent: bool,
    reply_to: str,
) -> str:
    token, transport = account_token(account), account_transport(account)
    if account.platform == Platform.WHATSAPP:
        return WhatsAppClient(
            token=token, transport=transport, phone_number_id=account.external_id
        ).text_send(to=conversation.external_thread_id, text=text)
    if conversation.kind == ConversationKind.COMMENT:
        edge = "replies" if account.platform == Platform.INSTAGRAM else "comments"
        body = GraphClient(token=token, transport=transport).call(
            "POST", f"{reply_to}/{edge}", params={"message": text}
        )
        return str(body["id"])
    return MessengerClient(
        token=token, transport=transport, sender_id=account.external_id
    ).text_send(recipient_id=conversation.external_thread_id, text=text, human_agent=human_agent)


def message_reply(
    *,
    organisation: Organisation,
    conversation: Conversation,
    text: str,
    by: User | None,
    order: Order | None = None,
    now: datetime | None = None,
) -> Message:
    """Send a reply through the platform within its messaging-window rules.

    The message is stored as "sending" first and then marked sent (with the platform's id)
    or not sent (with the platform's reason), so a failure is visible in the thread.
    """
    text = text.strip()
    if not text:
        raise ReplyRefused(_("Write a message first."))
    if len(text) > MAX_REPLY:
        raise ReplyRefused(_("A message may have at most %(n)d characters.") % {"n": MAX_REPLY})
    allowed, human_agent, why = reply_window(conversation, now)
    if not allowed:
        raise ReplyRefused(why)
    account = conversation.account
    if not account.can_act:
        raise ReplyRefused(account.status_action or _("Connect the account again."))
    with tenant_context(organisation.pk):
        reply_to = ""
        if conversation.kind == ConversationKind.COMMENT:
            last = conversation.messages.filter(direction=Direction.INBOUND).last()
            reply_to = last.platform_message_id if last else ""
        with transaction.atomic():
            message = Message.objects.create(
                organisation=organisation,
                account=account,
                conversation=conversation,
                direction=Direction.OUTBOUND,
                text=text,
                status=MessageStatus.SENDING,
                sent_by=by,
                order=order,
            )
            Conversation.objects.filter(pk=conversation.pk).update(
                last_message_at=message.sent_at, unread=0
            )
        try:
            platform_id = _send(account, conversation, text, human_agent, reply_to)
        except ConnectorError as error:
            account_error_record(account=account, error=error)
            Message.objects.filter(pk=message.pk).update(
                status=MessageStatus.FAILED, error=str(error)[:300]
            )
            message.status, message.error = MessageStatus.FAILED, str(error)[:300]
            return message
        Message.objects.filter(pk=message.pk).update(
            status=MessageStatus.SENT, platform_message_id=platform_id
        )
        message.status, message.platform_message_id = MessageStatus.SENT, platform_id
    return message


def conversation_read(*, organisation: Organisation, conversation: Conversation) -> None:
    """Mark a thread as read."""
    with tenant_context(organisation.pk):
        Conversation.objects.filter(pk=conversation.pk).update(unread=0)


_CHANNEL: dict[str, str] = {
    Platform.WHATSAPP: Channel.WHATSAPP,
    Platform.INSTAGRAM: Channel.INSTAGRAM,
    Platform.FACEBOOK: Channel.FACEBOOK,
    Platform.TIKTOK: Channel.TIKTOK,
}


def order_summary(order: Order) -> str:
    """The message a customer receives: lines, total and how to pay."""
    lines = [_("Thank you! Your order %(number)s:") % {"number": order.number}]
    for line in order.lines.all():
        label = f"{line.product_name} {line.variant_name}".strip()
        lines.append(f"• {line.quantity} × {label} = {format_rupiah(line.line_total)}")
    if order.shipping_fee:
        lines.append(_("Delivery: %(fee)s") % {"fee": format_rupiah(order.shipping_fee)})
    lines.append(_("Total: %(total)s") % {"total": format_rupiah(order.total)})
    if order.payment_method == PaymentMethod.COD:
        lines.append(_("Please pay in cash when the order arrives."))
    else:
        lines.append(
            _(
                "Please pay %(total)s by bank transfer or QRIS and send the proof of payment "
                "in this chat, mentioning %(number)s."
            )
            % {"total": format_rupiah(order.total), "number": order.number}
        )
    return "\n".join(lines)


def conversation_order_place(
    *,
    organisation: Organisation,
    conversation: Conversation,
    lines: Sequence[tuple[int, int]],
    by: User,
    request_key: str,
    customer_name: str = "",
    address: str = "",
    delivery_note: str = "",
    shipping_fee: int = 0,
    payment_method: str = "",
) -> tuple[Order, Message]:
    """Place an order for the customer of a conversation and message them its summary.

    Stock is reserved by ``order_place`` as for any order (raising ``SoldOut`` naming the
    variant, nothing kept). ``request_key`` (one per form) makes a double submit place the
    order once. The conversation is linked to the customer record the order created.
    """
    allowed, _tag, why = reply_window(conversation)
    if not allowed:
        raise ReplyRefused(why)
    order = order_place(
        organisation=organisation,
        channel=_CHANNEL[conversation.account.platform],
        lines=[(variant_id, quantity) for variant_id, quantity in lines],
        customer_name=customer_name or conversation.customer_name,
        customer_phone=conversation.customer_phone,
        address=address,
        delivery_note=delivery_note,
        shipping_fee=shipping_fee,
        payment_method=payment_method,
        external_id=f"chat-{conversation.pk}-{request_key}"[:100],
        created_by=by,
    )
    with tenant_context(organisation.pk):
        if order.customer_id and conversation.customer_id != order.customer_id:
            Conversation.objects.filter(pk=conversation.pk).update(customer_id=order.customer_id)
            conversation.customer_id = order.customer_id
        already = Message.objects.filter(conversation=conversation, order=order).first()
        summary = order_summary(order)
    if already is not None:
        return order, already
    message = message_reply(
        organisation=organisation, conversation=conversation, text=summary, by=by, order=order
    )
    return order, message
