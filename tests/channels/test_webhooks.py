"""Webhooks: signature, handshake, duplicates, malformed deliveries, tenants."""

import hashlib
import hmac
import json
import logging

import pytest
from django.test import Client
from django.utils import timezone

from sinergi.channels.models import Conversation, Message, MessageStatus
from sinergi.commerce.api import customer_upsert
from sinergi.core.tenancy import across_tenants, tenant_context
from tests.channels.conftest import APP_SECRET, VERIFY_TOKEN
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _signed(body: bytes, secret: str = APP_SECRET) -> dict[str, str]:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return {"HTTP_X_HUB_SIGNATURE_256": f"sha256={digest}"}


def whatsapp_delivery(
    number_id: str,
    *,
    message_id: str = "wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjA",
    text: str = "Kak, keripik level 5 masih ada?",
    sender: str = "6281234567890",
) -> dict:
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "102290129340398",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {
                                "display_phone_number": "6281100001111",
                                "phone_number_id": number_id,
                            },
                            "contacts": [{"profile": {"name": "Budi Santoso"}, "wa_id": sender}],
                            "messages": [
                                {
                                    "from": sender,
                                    "id": message_id,
                                    "timestamp": str(int(timezone.now().timestamp())),
                                    "type": "text",
                                    "text": {"body": text},
                                }
                            ],
                        },
                    }
                ],
            }
        ],
    }


def _post(path: str, payload: object, **headers: str):
    body = json.dumps(payload).encode() if not isinstance(payload, bytes) else payload
    return Client().post(path, body, content_type="application/json", **(_signed(body) | headers))


def _everything():
    with across_tenants(reason="the test counts every row"):
        return Conversation.objects.count(), Message.objects.count()


def test_verification_handshake(fake):
    ok = Client().get(
        "/webhooks/meta/",
        {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1158201444"},
    )
    wrong = Client().get(
        "/webhooks/whatsapp/",
        {"hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1"},
    )

    assert (ok.status_code, ok.content) == (200, b"1158201444")
    assert wrong.status_code == 403


def test_a_whatsapp_message_opens_a_thread_linked_to_the_customer_by_phone(fake, owner, connect):
    org = owner.organisation
    account = connect(org, "whatsapp")
    customer = customer_upsert(organisation=org, name="Budi", phone="0812-3456-7890")

    response = _post("/webhooks/whatsapp/", whatsapp_delivery(account.external_id))

    assert response.status_code == 200
    with tenant_context(org.pk):
        thread = Conversation.objects.get()
        message = thread.messages.get()
    assert (thread.customer_phone, thread.customer_id, thread.customer_name) == (
        "+6281234567890",
        customer.pk,
        "Budi Santoso",
    )
    assert (thread.unread, thread.last_inbound_at) == (1, message.sent_at)
    assert (message.text, message.status) == (
        "Kak, keripik level 5 masih ada?",
        MessageStatus.RECEIVED,
    )


def test_the_same_delivery_twice_is_stored_once(fake, owner, connect):
    account = connect(owner.organisation, "whatsapp")
    payload = whatsapp_delivery(account.external_id)

    first = _post("/webhooks/whatsapp/", payload)
    second = _post("/webhooks/whatsapp/", payload)

    assert (first.status_code, second.status_code) == (200, 200)
    assert _everything() == (1, 1)
    with tenant_context(owner.organisation.pk):
        assert Conversation.objects.get().unread == 1


def test_a_bad_signature_is_refused_and_stores_nothing(fake, owner, connect, caplog):
    account = connect(owner.organisation, "whatsapp")
    body = json.dumps(whatsapp_delivery(account.external_id)).encode()

    forged = Client().post(
        "/webhooks/whatsapp/",
        body,
        content_type="application/json",
        **_signed(body, "not-the-secret"),
    )
    unsigned = Client().post("/webhooks/whatsapp/", body, content_type="application/json")

    assert (forged.status_code, unsigned.status_code) == (403, 403)
    assert _everything() == (0, 0)


@pytest.mark.parametrize(
    "payload",
    [
        b"{not json",
        {"object": "whatsapp_business_account", "entry": "nope"},
        # The second message lacks its id: the first must not be stored either.
        {
            "object": "whatsapp_business_account",
            "entry": [
                {
                    "changes": [
                        {
                            "value": {
                                "metadata": {"phone_number_id": "PLACEHOLDER"},
                                "messages": [
                                    {
                                        "from": "6281234567890",
                                        "id": "wamid.ok",
                                        "timestamp": "1764288000",
                                        "type": "text",
                                        "text": {"body": "halo"},
                                    },
                                    {
                                        "from": "6281234567890",
                                        "timestamp": "1764288001",
                                        "type": "text",
                                        "text": {"body": "halo lagi"},
                                    },
                                ],
                            }
                        }
                    ]
                }
            ],
        },
    ],
)
def test_a_malformed_delivery_is_answered_400_logged_and_nothing_half_stored(
    fake, owner, connect, caplog, payload
):
    account = connect(owner.organisation, "whatsapp")
    if isinstance(payload, dict) and isinstance(payload["entry"], list):
        payload["entry"][0]["changes"][0]["value"]["metadata"]["phone_number_id"] = (
            account.external_id
        )

    with caplog.at_level(logging.WARNING, logger="sinergi.channels.webhooks"):
        response = _post("/webhooks/whatsapp/", payload)

    assert response.status_code == 400
    assert "malformed delivery refused" in caplog.text
    assert _everything() == (0, 0)


def test_a_delivery_for_one_shop_never_lands_in_another(fake, owner, connect):
    other = OrganisationFactory()
    mine = connect(owner.organisation, "whatsapp")
    theirs = connect(other, "whatsapp")

    _post("/webhooks/whatsapp/", whatsapp_delivery(theirs.external_id, message_id="wamid.theirs"))
    _post("/webhooks/whatsapp/", whatsapp_delivery(mine.external_id, message_id="wamid.mine"))

    with tenant_context(owner.organisation.pk):
        assert list(Message.objects.values_list("platform_message_id", flat=True)) == ["wamid.mine"]
    with tenant_context(other.pk):
        assert list(Message.objects.values_list("platform_message_id", flat=True)) == [
            "wamid.theirs"
        ]


def test_an_unknown_account_is_acknowledged_and_ignored(fake):
    assert _post("/webhooks/whatsapp/", whatsapp_delivery("999")).status_code == 200
    assert _everything() == (0, 0)


def test_instagram_direct_messages_and_comments_and_page_comments(fake, owner, connect):
    org = owner.organisation
    instagram = connect(org, "instagram")
    page = connect(org, "facebook")
    now_ms = int(timezone.now().timestamp() * 1000)
    dm = {
        "object": "instagram",
        "entry": [
            {
                "id": instagram.external_id,
                "time": now_ms,
                "messaging": [
                    {
                        "sender": {"id": "IGSID-55"},
                        "recipient": {"id": instagram.external_id},
                        "timestamp": now_ms,
                        "message": {
                            "mid": "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQx",
                            "text": "Ready kak?",
                        },
                    },
                    {
                        "sender": {"id": instagram.external_id},
                        "recipient": {"id": "IGSID-55"},
                        "timestamp": now_ms,
                        "message": {"mid": "echo-1", "text": "our own", "is_echo": True},
                    },
                ],
            }
        ],
    }
    comment = {
        "object": "instagram",
        "entry": [
            {
                "id": instagram.external_id,
                "time": now_ms,
                "changes": [
                    {
                        "field": "comments",
                        "value": {
                            "from": {"id": "232323", "username": "sari.jajan"},
                            "media": {"id": "1790"},
                            "id": "17865799348089039",
                            "text": "Harganya berapa?",
                        },
                    },
                ],
            }
        ],
    }
    feed = {
        "object": "page",
        "entry": [
            {
                "id": page.external_id,
                "time": now_ms,
                "changes": [
                    {
                        "field": "feed",
                        "value": {
                            "item": "comment",
                            "verb": "add",
                            "comment_id": "444_555",
                            "post_id": "444_1",
                            "from": {"id": "777", "name": "Rina"},
                            "message": "Kirim ke Bandung bisa?",
                            "created_time": int(timezone.now().timestamp()),
                        },
                    },
                ],
            }
        ],
    }

    assert [_post("/webhooks/meta/", p).status_code for p in (dm, comment, feed)] == [200, 200, 200]

    with tenant_context(org.pk):
        threads = {c.kind: c for c in Conversation.objects.all()}
        assert threads["direct"].messages.get().text == "Ready kak?"
        assert set(Message.objects.values_list("text", flat=True)) == {
            "Ready kak?",
            "Harganya berapa?",
            "Kirim ke Bandung bisa?",
        }
        assert Conversation.objects.filter(kind="comment").count() == 2


def test_whatsapp_receipts_update_sent_messages(fake, owner, connect):
    account = connect(owner.organisation, "whatsapp")
    _post("/webhooks/whatsapp/", whatsapp_delivery(account.external_id))
    with tenant_context(owner.organisation.pk):
        thread = Conversation.objects.get()
        Message.objects.create(
            organisation=owner.organisation,
            account=account,
            conversation=thread,
            direction="out",
            text="Ada kak",
            status="sent",
            platform_message_id="wamid.out1",
        )
    receipt = {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "metadata": {"phone_number_id": account.external_id},
                            "statuses": [
                                {
                                    "id": "wamid.out1",
                                    "status": "read",
                                    "timestamp": "1764288000",
                                    "recipient_id": "6281234567890",
                                }
                            ],
                        },
                    }
                ]
            }
        ],
    }

    assert _post("/webhooks/whatsapp/", receipt).status_code == 200
    with tenant_context(owner.organisation.pk):
        assert Message.objects.get(platform_message_id="wamid.out1").status == MessageStatus.READ
