"""Replies within the messaging windows, and orders taken in a conversation."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sinergi.channels.models import Conversation, Message, MessageStatus
from sinergi.channels.services.conversations import (
    ReplyRefused,
    conversation_order_place,
    message_reply,
)
from sinergi.channels.services.inbound import Inbound, inbound_store
from sinergi.commerce.api import (
    Order,
    SoldOut,
    StockBalance,
    VariantInput,
    product_create,
    stock_receive,
)
from sinergi.core.tenancy import tenant_context

pytestmark = pytest.mark.django_db


def _thread(account, *, kind="whatsapp", hours_ago=1.0, sender="6281234567890"):
    sent = timezone.now() - timedelta(hours=hours_ago)
    inbound_store(
        messages=[
            Inbound(
                platform=account.platform,
                account_external_id=account.external_id,
                kind=kind,
                thread_id=sender,
                message_id=f"in-{sender}-{hours_ago}",
                text="Pesan kak",
                sent_at=sent,
                customer_name="Budi",
                customer_phone=f"+{sender}" if kind == "whatsapp" else "",
            )
        ]
    )
    with tenant_context(account.organisation_id):
        return Conversation.objects.select_related("account").get(external_thread_id=sender)


def test_a_whatsapp_reply_goes_through_the_cloud_api(fake, owner, connect):
    thread = _thread(connect(owner.organisation, "whatsapp"))

    message = message_reply(
        organisation=owner.organisation, conversation=thread, text="Ada kak, 15 ribu", by=owner.user
    )

    assert message.status == MessageStatus.SENT
    assert message.platform_message_id.startswith("wamid.")
    sent = fake.state.sent_messages[-1]
    assert sent | {"from": ""} == {
        "from": "",
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "6281234567890",
        "type": "text",
        "text": {"preview_url": True, "body": "Ada kak, 15 ribu"},
    }


def test_whatsapp_refuses_a_free_reply_after_24_hours(fake, owner, connect):
    thread = _thread(connect(owner.organisation, "whatsapp"), hours_ago=25)

    with pytest.raises(ReplyRefused, match="More than 24 hours"):
        message_reply(
            organisation=owner.organisation, conversation=thread, text="Halo", by=owner.user
        )
    assert fake.state.sent_messages == []
    with tenant_context(owner.organisation.pk):
        assert not Message.objects.filter(direction="out").exists()


def test_an_instagram_dm_after_a_day_is_answered_with_the_human_agent_tag(fake, owner, connect):
    thread = _thread(
        connect(owner.organisation, "instagram"), kind="direct", hours_ago=30, sender="IGSID-1"
    )

    message_reply(
        organisation=owner.organisation, conversation=thread, text="Maaf telat kak", by=owner.user
    )

    assert fake.state.sent_messages[-1]["tag"] == "HUMAN_AGENT"
    assert fake.state.sent_messages[-1]["messaging_type"] == "MESSAGE_TAG"


def test_a_refused_send_is_kept_with_the_platform_reason(fake, owner, connect):
    account = connect(owner.organisation, "whatsapp", access_token="revoked")
    thread = _thread(account)

    message = message_reply(
        organisation=owner.organisation, conversation=thread, text="Halo", by=owner.user
    )

    assert message.status == MessageStatus.FAILED
    assert message.error.startswith("Error validating access token")
    account.refresh_from_db()
    assert account.status == "expired"


def _stocked(org, quantity=10):
    product = product_create(
        organisation=org,
        name="Keripik Singkong",
        variants=[VariantInput(sku="KS-1", price=15000, name="200 g")],
    )
    with tenant_context(org.pk):
        variant = product.variants.get()
    stock_receive(organisation=org, variant=variant, quantity=quantity)
    return variant


def test_an_order_from_a_whatsapp_thread_reserves_stock_and_sends_the_summary(fake, owner, connect):
    org = owner.organisation
    thread = _thread(connect(org, "whatsapp"))
    variant = _stocked(org)

    order, message = conversation_order_place(
        organisation=org,
        conversation=thread,
        lines=[(variant.pk, 3)],
        by=owner.user,
        request_key="form-1",
        address="Jl. Merdeka 1, Garut",
        shipping_fee=10000,
        payment_method="bank_transfer",
    )
    again, _same = conversation_order_place(
        organisation=org,
        conversation=thread,
        lines=[(variant.pk, 3)],
        by=owner.user,
        request_key="form-1",
        address="Jl. Merdeka 1, Garut",
        shipping_fee=10000,
        payment_method="bank_transfer",
    )

    assert again.pk == order.pk  # a double submit places one order
    with tenant_context(org.pk):
        assert Order.objects.count() == 1
        balance = StockBalance.objects.get(variant=variant)
        thread.refresh_from_db()
    assert (order.channel, order.total, order.customer_phone) == (
        "whatsapp",
        55000,
        "+6281234567890",
    )
    assert (balance.on_hand, balance.reserved) == (10, 3)
    assert thread.customer_id == order.customer_id
    assert message.order_id == order.pk
    assert message.status == MessageStatus.SENT
    body = fake.state.sent_messages[-1]["text"]["body"]
    assert order.number in body
    assert "3 × Keripik Singkong 200 g" in body
    assert "Please pay Rp" in body
    assert "bank transfer or QRIS" in body
    assert len(fake.state.sent_messages) == 1


def test_an_order_beyond_stock_is_refused_naming_the_product_and_nothing_is_sent(
    fake, owner, connect
):
    org = owner.organisation
    thread = _thread(connect(org, "whatsapp"))
    variant = _stocked(org, quantity=2)

    with pytest.raises(SoldOut):
        conversation_order_place(
            organisation=org,
            conversation=thread,
            lines=[(variant.pk, 3)],
            by=owner.user,
            request_key="k",
        )
    assert fake.state.sent_messages == []
    with tenant_context(org.pk):
        assert Order.objects.count() == 0


def test_a_comment_is_answered_under_the_comment_whatever_its_age(fake, owner, connect):
    account = connect(owner.organisation, "instagram")
    inbound_store(
        messages=[
            Inbound(
                platform="instagram",
                account_external_id=account.external_id,
                kind="comment",
                thread_id="comment:2323",
                message_id="17865799348089039",
                text="Harganya?",
                sent_at=timezone.now() - timedelta(days=30),
            )
        ]
    )
    with tenant_context(owner.organisation.pk):
        thread = Conversation.objects.select_related("account").get()

    message = message_reply(
        organisation=owner.organisation, conversation=thread, text="15 ribu kak", by=owner.user
    )

    assert message.status == MessageStatus.SENT
    method, path, params = fake.state.requests[-1]
    assert (method, path, params) == (
        "POST",
        "/v21.0/17865799348089039/replies",
        {"message": "15 ribu kak"},
    )
