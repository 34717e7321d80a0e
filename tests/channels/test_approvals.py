"""Staff's posts wait for an owner's approval: the owners are told (e-mail and a count in the
workspace), and the author hears of the decision. Wrong role and other tenant change nothing."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from sinergi.channels.models import Post, VariantStatus
from sinergi.channels.services.posts import post_save
from sinergi.core.tenancy import tenant_context

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(owner, member, connect, photo):
    """A shop with an owner, a second owner, a staff member, and a staff post in draft."""
    org = owner.organisation
    staff = member(role="staff", organisation=org)
    second_owner = member(role="owner", organisation=org)
    post = post_save(
        organisation=org,
        author=staff.user,
        caption="Promo kopi akhir pekan",
        accounts=[connect(org, "instagram")],
        media=[photo(org)],
        scheduled_at=timezone.now() + timedelta(days=1),
    )
    return org, staff, second_owner, post


def _statuses(org, post):
    with tenant_context(org.pk):
        return set(Post.objects.get(pk=post.pk).variants.values_list("status", flat=True))


def _send_for_approval(client, post, capture):
    with capture(execute=True):
        response = client.post(f"/app/channels/posts/{post.pk}/schedule/")
    assert response.status_code == 302
    return response


def test_sending_for_approval_mails_every_owner_a_link_to_the_post(
    shop, owner, signed_in, member, django_capture_on_commit_callbacks
):
    org, staff, second_owner, post = shop
    outsider = member(role="owner")  # an owner of another shop

    _send_for_approval(signed_in(staff.user), post, django_capture_on_commit_callbacks)

    assert _statuses(org, post) == {VariantStatus.AWAITING_APPROVAL}
    [message] = mail.outbox
    assert sorted(message.to) == sorted([owner.user.email, second_owner.user.email])
    assert outsider.user.email not in message.to
    assert staff.user.email not in message.to
    assert message.subject == f"A post for {org.name} waits for your approval"
    assert f"{staff.user} asks you to approve a post for {org.name}." in message.body
    assert f"{settings.BASE_URL}/app/channels/posts/{post.pk}/" in message.body
    assert "In all, 1 post waits for your approval:" in message.body


def test_sending_again_a_post_that_already_waits_mails_nobody_twice(
    shop, signed_in, django_capture_on_commit_callbacks
):
    _org, staff, _second, post = shop
    client = signed_in(staff.user)
    _send_for_approval(client, post, django_capture_on_commit_callbacks)
    _send_for_approval(client, post, django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 1


def test_owners_see_how_many_posts_wait_and_the_list_staff_do_not(
    shop, owner, signed_in, photo, django_capture_on_commit_callbacks
):
    org, staff, _second, post = shop
    _send_for_approval(signed_in(staff.user), post, django_capture_on_commit_callbacks)
    with tenant_context(org.pk):
        account = post.variants.get().account
    other = post_save(
        organisation=org,
        author=staff.user,
        caption="Kopi susu baru",
        accounts=[account],
        media=[photo(org)],
        scheduled_at=timezone.now() + timedelta(days=2),
    )
    _send_for_approval(signed_in(staff.user), other, django_capture_on_commit_callbacks)
    owner_client = signed_in(owner.user)

    calendar = owner_client.get("/app/channels/posts/").content.decode()
    listing = owner_client.get("/app/channels/posts/?awaiting=1").content.decode()
    staff_calendar = signed_in(staff.user).get("/app/channels/posts/?awaiting=1").content.decode()

    assert "2 posts wait for your approval" in calendar
    assert 'class="badge awaiting-badge"' in calendar
    assert "?awaiting=1" in calendar
    assert "Promo kopi akhir pekan" in listing
    assert f"/app/channels/posts/{post.pk}/" in listing
    assert "wait for your approval" not in staff_calendar
    assert "Waiting for your approval" not in staff_calendar
    assert "awaiting-badge" not in staff_calendar


def test_the_author_is_told_when_an_owner_approves(
    shop, owner, signed_in, django_capture_on_commit_callbacks
):
    org, staff, _second, post = shop
    _send_for_approval(signed_in(staff.user), post, django_capture_on_commit_callbacks)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(owner.user).post(f"/app/channels/posts/{post.pk}/approve/")

    assert response.status_code == 302
    assert _statuses(org, post) == {VariantStatus.SCHEDULED}
    [message] = mail.outbox
    assert message.to == [staff.user.email]
    assert message.subject == "Your post was approved"
    assert f"{owner.user} approved your post for {org.name}." in message.body
    assert f"/app/channels/posts/{post.pk}/" in message.body
    calendar = signed_in(owner.user).get("/app/channels/posts/").content.decode()
    assert "wait for your approval" not in calendar


def test_the_author_is_told_when_an_owner_sends_the_post_back(
    shop, owner, signed_in, django_capture_on_commit_callbacks
):
    org, staff, _second, post = shop
    _send_for_approval(signed_in(staff.user), post, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    owner_client = signed_in(owner.user)
    assert (
        "Send back to the author"
        in owner_client.get(f"/app/channels/posts/{post.pk}/").content.decode()
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(f"/app/channels/posts/{post.pk}/send_back/")

    assert response.status_code == 302
    assert _statuses(org, post) == {VariantStatus.DRAFT}
    [message] = mail.outbox
    assert message.to == [staff.user.email]
    assert message.subject == "Your post was sent back"
    assert f"{owner.user} sent your post for {org.name} back to you." in message.body


def test_an_owners_own_scheduled_post_mails_nobody(
    owner, connect, photo, signed_in, django_capture_on_commit_callbacks
):
    org = owner.organisation
    post = post_save(
        organisation=org,
        author=owner.user,
        caption="Dari pemilik",
        accounts=[connect(org, "instagram")],
        media=[photo(org)],
        scheduled_at=timezone.now() + timedelta(days=1),
    )

    _send_for_approval(signed_in(owner.user), post, django_capture_on_commit_callbacks)

    assert _statuses(org, post) == {VariantStatus.SCHEDULED}
    assert mail.outbox == []


@pytest.mark.parametrize("action", ["approve", "send_back"])
def test_staff_can_neither_approve_nor_send_back(
    shop, signed_in, action, django_capture_on_commit_callbacks
):
    org, staff, _second, post = shop
    _send_for_approval(signed_in(staff.user), post, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    colleague = signed_in(staff.user)

    with django_capture_on_commit_callbacks(execute=True):
        response = colleague.post(f"/app/channels/posts/{post.pk}/{action}/")

    assert response.status_code == 403
    assert _statuses(org, post) == {VariantStatus.AWAITING_APPROVAL}
    assert mail.outbox == []
    assert (
        "Send back to the author"
        not in colleague.get(f"/app/channels/posts/{post.pk}/").content.decode()
    )


@pytest.mark.parametrize("action", ["approve", "send_back"])
def test_an_owner_of_another_shop_gets_404_and_changes_nothing(
    shop, member, signed_in, action, django_capture_on_commit_callbacks
):
    org, staff, _second, post = shop
    _send_for_approval(signed_in(staff.user), post, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    stranger = signed_in(member(role="owner").user)

    with django_capture_on_commit_callbacks(execute=True):
        response = stranger.post(f"/app/channels/posts/{post.pk}/{action}/")
    listing = stranger.get("/app/channels/posts/?awaiting=1").content.decode()

    assert response.status_code == 404
    assert _statuses(org, post) == {VariantStatus.AWAITING_APPROVAL}
    assert mail.outbox == []
    assert "Promo kopi akhir pekan" not in listing
    assert "wait for your approval" not in listing


def test_sending_back_a_post_that_does_not_wait_says_so(shop, owner, signed_in):
    org, _staff, _second, post = shop

    response = signed_in(owner.user).post(f"/app/channels/posts/{post.pk}/send_back/", follow=True)

    assert "Only a post that waits for approval can be sent back." in response.content.decode()
    assert _statuses(org, post) == {VariantStatus.DRAFT}
    assert mail.outbox == []


def test_anonymous_visitors_are_sent_to_sign_in(shop, client):
    _org, _staff, _second, post = shop

    response = client.post(f"/app/channels/posts/{post.pk}/send_back/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
