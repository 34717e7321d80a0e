"""The channels pages: who may open them, composing and scheduling, inbox and orders."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from sinergi.channels.models import (
    ConnectedAccount,
    Conversation,
    Post,
    PostVariant,
    PreviewDelivery,
    VariantStatus,
)
from sinergi.channels.services.inbound import Inbound, inbound_store
from sinergi.commerce.api import Order, VariantInput, product_create, stock_receive
from sinergi.core.tenancy import tenant_context

pytestmark = pytest.mark.django_db

PAGES = [
    "/app/channels/",
    "/app/channels/posts/",
    "/app/channels/posts/?view=week",
    "/app/channels/posts/new/",
    "/app/channels/media/",
    "/app/channels/accounts/",
]


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_people_are_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("path", PAGES)
def test_every_page_opens_for_staff_and_is_empty_state_friendly(member, signed_in, path):
    staff = member(role="staff")
    assert signed_in(staff.user).get(path).status_code == 200


@override_settings(SINERGI_REQUIRE_PARTNER_MFA=False)
@pytest.mark.parametrize("path", PAGES)
def test_partners_have_no_channels_pages(member, signed_in, path):
    partner = member(kind="industry")
    assert signed_in(partner.user).get(path).status_code == 404


@pytest.mark.parametrize("path", ["/app/channels/accounts/preview/"])
def test_staff_may_not_connect_accounts(member, signed_in, path):
    staff = member(role="staff")
    assert signed_in(staff.user).post(path).status_code == 403
    with tenant_context(staff.organisation.pk):
        assert not ConnectedAccount.objects.exists()


def test_staff_may_not_disconnect_an_account(member, signed_in, connect):
    staff = member(role="staff")
    account = connect(staff.organisation, "instagram")
    assert (
        signed_in(staff.user).post(f"/app/channels/accounts/{account.pk}/disconnect/").status_code
        == 403
    )
    account.refresh_from_db()
    assert account.status == "active"


def _preview(client):
    assert client.post("/app/channels/accounts/preview/").status_code == 302


def test_owner_schedules_a_post_with_a_product_and_staff_posts_wait_for_approval(
    owner, member, signed_in, photo
):
    org = owner.organisation
    client = signed_in(owner.user)
    _preview(client)
    product = product_create(
        organisation=org, name="Kopi Gayo", variants=[VariantInput(sku="KG", price=60000)]
    )
    asset = photo(org)
    with tenant_context(org.pk):
        accounts = {a.platform: a for a in ConnectedAccount.objects.all()}
    when = timezone.localtime() + timedelta(days=1)
    form = {
        "caption": "Kopi baru datang #kopi",
        "accounts": [accounts["instagram"].pk, accounts["facebook"].pk],
        "assets": [asset.pk],
        "product": product.pk,
        "scheduled_at": when.strftime("%Y-%m-%dT%H:%M"),
        f"caption_{accounts['facebook'].pk}": "Kopi baru datang! Pesan sekarang.",
        "schedule": "1",
    }

    response = client.post("/app/channels/posts/new/", form)

    assert response.status_code == 302
    with tenant_context(org.pk):
        post = Post.objects.get()
        statuses = sorted(post.variants.values_list("account__platform", "status", "caption"))
    assert statuses == [
        ("facebook", "scheduled", "Kopi baru datang! Pesan sekarang."),
        ("instagram", "scheduled", ""),
    ]
    calendar = client.get(f"/app/channels/posts/?date={when.date().isoformat()}")
    assert f"/app/channels/posts/{post.pk}/" in calendar.content.decode()

    staff = member(role="staff", organisation=org)
    staff_client = signed_in(staff.user)
    form["caption"] = "Dari staf"
    assert staff_client.post("/app/channels/posts/new/", form).status_code == 302
    with tenant_context(org.pk):
        waiting = Post.objects.get(caption="Dari staf")
        assert set(waiting.variants.values_list("status", flat=True)) == {
            VariantStatus.AWAITING_APPROVAL
        }
    assert staff_client.post(f"/app/channels/posts/{waiting.pk}/approve/").status_code == 403
    assert client.post(f"/app/channels/posts/{waiting.pk}/approve/").status_code == 302
    with tenant_context(org.pk):
        assert set(waiting.variants.values_list("status", flat=True)) == {VariantStatus.SCHEDULED}


def test_a_post_breaking_a_rule_is_not_scheduled_and_says_why(owner, signed_in, photo):
    org = owner.organisation
    client = signed_in(owner.user)
    _preview(client)
    wide = photo(org, width=2000, height=800)
    with tenant_context(org.pk):
        instagram = ConnectedAccount.objects.get(platform="instagram")

    response = client.post(
        "/app/channels/posts/new/",
        {
            "caption": "Lebar",
            "accounts": [instagram.pk],
            "assets": [wide.pk],
            "scheduled_at": (timezone.localtime() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "schedule": "1",
        },
    )

    assert response.status_code == 400
    assert "2000×800; the shape must be between 4:5" in response.content.decode()
    with tenant_context(org.pk):
        assert set(PostVariant.objects.values_list("status", flat=True)) == {"draft"}


def test_a_due_post_is_published_by_the_preview_at_once_and_shows_what_was_sent(
    owner, signed_in, django_capture_on_commit_callbacks
):
    org = owner.organisation
    client = signed_in(owner.user)
    _preview(client)
    with tenant_context(org.pk):
        facebook = ConnectedAccount.objects.get(platform="facebook")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/app/channels/posts/new/",
            {
                "caption": "Sekarang juga",
                "accounts": [facebook.pk],
                "scheduled_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
                "schedule": "1",
            },
        )

    with tenant_context(org.pk):
        post = Post.objects.get()
        assert post.variants.get().status == VariantStatus.PUBLISHED
        assert PreviewDelivery.objects.filter(path__endswith="/feed").exists()
    page = client.get(f"/app/channels/posts/{post.pk}/").content.decode()
    assert "What the preview connection would have sent" in page
    assert "Sekarang juga" in page


def test_inbox_thread_reply_and_order(owner, signed_in):
    org = owner.organisation
    client = signed_in(owner.user)
    _preview(client)
    with tenant_context(org.pk):
        whatsapp = ConnectedAccount.objects.get(platform="whatsapp")
    inbound_store(
        messages=[
            Inbound(
                platform="whatsapp",
                account_external_id=whatsapp.external_id,
                kind="whatsapp",
                thread_id="6281298765432",
                message_id="wamid.1",
                text="Mau pesan 2 ya kak",
                sent_at=timezone.now(),
                customer_name="Sari",
                customer_phone="+6281298765432",
            )
        ]
    )
    product = product_create(
        organisation=org, name="Sambal Roa", variants=[VariantInput(sku="SR", price=35000)]
    )
    with tenant_context(org.pk):
        variant = product.variants.get()
    stock_receive(organisation=org, variant=variant, quantity=5)

    inbox = client.get("/app/channels/").content.decode()
    assert "Sari" in inbox
    with tenant_context(org.pk):
        thread_pk = Conversation.objects.get().pk
    assert (
        "Mau pesan 2 ya kak"
        in client.get(f"/app/channels/conversations/{thread_pk}/").content.decode()
    )
    assert (
        client.post(
            f"/app/channels/conversations/{thread_pk}/reply/", {"text": "Siap kak"}
        ).status_code
        == 302
    )

    form = client.get(f"/app/channels/conversations/{thread_pk}/order/").context["form"]
    response = client.post(
        f"/app/channels/conversations/{thread_pk}/order/",
        {
            "request_key": form["request_key"].value(),
            "variant_0": variant.pk,
            "quantity_0": 2,
            "customer_name": "Sari",
            "address": "Jl. Mawar 2",
            "shipping_fee": 0,
            "payment_method": "qris",
        },
    )

    assert response.status_code == 302
    with tenant_context(org.pk):
        order = Order.objects.get()
    assert (order.total, order.channel) == (70000, "whatsapp")
    thread = client.get(f"/app/channels/conversations/{thread_pk}/").content.decode()
    assert "Siap kak" in thread
    assert order.number in thread


def test_an_order_beyond_stock_shows_the_reason_and_keeps_nothing(owner, signed_in):
    org = owner.organisation
    client = signed_in(owner.user)
    _preview(client)
    with tenant_context(org.pk):
        whatsapp = ConnectedAccount.objects.get(platform="whatsapp")
    inbound_store(
        messages=[
            Inbound(
                platform="whatsapp",
                account_external_id=whatsapp.external_id,
                kind="whatsapp",
                thread_id="6281298765432",
                message_id="wamid.1",
                text="Pesan",
                sent_at=timezone.now(),
                customer_phone="+6281298765432",
            )
        ]
    )
    product = product_create(
        organisation=org, name="Sambal Roa", variants=[VariantInput(sku="SR", price=35000)]
    )
    with tenant_context(org.pk):
        variant = product.variants.get()
        thread_pk = Conversation.objects.get().pk

    response = client.post(
        f"/app/channels/conversations/{thread_pk}/order/",
        {
            "request_key": "k1",
            "variant_0": variant.pk,
            "quantity_0": 2,
            "shipping_fee": 0,
        },
    )

    assert response.status_code == 400
    assert "Sambal Roa" in response.content.decode()
    with tenant_context(org.pk):
        assert not Order.objects.exists()
