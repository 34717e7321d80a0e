"""Staff's posts wait for an owner's approval: who is told, and when.

When staff send a post for approval, the shop's owners get an e-mail with a link to it, and
the workspace shows how many posts wait (``selectors.posts_awaiting_approval``). When an
owner approves or sends the post back, its author gets an e-mail. The e-mails are sent by
tasks enqueued once the transaction commits; each task re-reads the post and sends nothing
when the post has moved on (approved, sent back or edited) in the meantime.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from sinergi.accounts.api import MANAGING_ROLES, Membership, Organisation, User
from sinergi.channels.models import Post, PostVariant, VariantStatus
from sinergi.core.tenancy import tenant_context

APPROVED = "approved"
SENT_BACK = "sent_back"


class ApprovalError(Exception):
    """An approval step that cannot be taken; the message is for the person who tried."""


def approvers(organisation_id: int) -> list[User]:
    """The people who may approve the shop's posts: its owners (and administrators)."""
    return [
        m.user
        for m in Membership.objects.filter(
            organisation_id=organisation_id, role__in=MANAGING_ROLES, user__is_active=True
        ).select_related("user")
    ]


def approval_requested_after_commit(post: Post) -> None:
    """Once the transaction commits, e-mail the approvers that ``post`` waits for them."""
    from sinergi.channels.tasks import post_approval_request_send  # noqa: PLC0415  (tasks import services)

    transaction.on_commit(
        functools.partial(
            post_approval_request_send.enqueue,
            post_id=post.pk,
            organisation_id=post.organisation_id,
        )
    )


def approval_decided_after_commit(post: Post, *, by: User, decision: str) -> None:
    """Once the transaction commits, e-mail the post's author the owner's decision (not when
    the owner decided on their own post)."""
    from sinergi.channels.tasks import post_approval_decision_send  # noqa: PLC0415  (tasks import services)

    if post.created_by_id is None or post.created_by_id == by.pk:
        return
    transaction.on_commit(
        functools.partial(
            post_approval_decision_send.enqueue,
            post_id=post.pk,
            organisation_id=post.organisation_id,
            decision=decision,
            by_id=by.pk,
        )
    )


def post_send_back(*, organisation: Organisation, post: Post, by: User) -> Post:
    """Return a post that waits for approval to its author as a draft, and tell the author.

    Only owners may send back (the view checks the role); raises :class:`ApprovalError`
    when the post is not waiting for approval."""
    with tenant_context(organisation.pk), transaction.atomic():
        changed = PostVariant.objects.filter(
            post=post, status=VariantStatus.AWAITING_APPROVAL
        ).update(status=VariantStatus.DRAFT)
        if not changed:
            raise ApprovalError(_("Only a post that waits for approval can be sent back."))
        approval_decided_after_commit(post, by=by, decision=SENT_BACK)
    return post


def _link(post: Post) -> str:
    return settings.BASE_URL + reverse("channels:post_detail", kwargs={"pk": post.pk})


def approval_request_mail(*, post_id: int, organisation_id: int) -> int:
    """E-mail the shop's approvers about a post that waits; returns how many were sent
    (0 when the post no longer waits)."""
    with tenant_context(organisation_id):
        post = (
            Post.objects.select_related("organisation", "created_by")
            .filter(pk=post_id, variants__status=VariantStatus.AWAITING_APPROVAL)
            .first()
        )
        if post is None:
            return 0
        waiting = (
            Post.objects.filter(variants__status=VariantStatus.AWAITING_APPROVAL).distinct().count()
        )
        platforms = sorted(
            {v.account.get_platform_display() for v in post.variants.select_related("account")}
        )
    recipients = [u.email for u in approvers(organisation_id) if u.pk != post.created_by_id]
    if not recipients:
        return 0
    context = {
        "post": post,
        "author": post.created_by or post.organisation.name,
        "shop": post.organisation.name,
        "platforms": ", ".join(str(p) for p in platforms),
        "waiting": waiting,
        "link": _link(post),
        "list_link": settings.BASE_URL + reverse("channels:calendar") + "?awaiting=1",
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("channels/email/approval_request_subject.txt", context)
        body = render_to_string("channels/email/approval_request_body.txt", context)
    send_mail(subject.strip(), body, None, recipients)
    return len(recipients)


def approval_decision_mail(*, post_id: int, organisation_id: int, decision: str, by_id: int) -> int:
    """E-mail a post's author that an owner approved it or sent it back; returns 1 when sent
    (0 when the post has moved on since, e.g. it was edited again)."""
    with tenant_context(organisation_id):
        post = Post.objects.select_related("organisation", "created_by").filter(pk=post_id).first()
        if post is None or post.created_by is None:
            return 0
        statuses = set(post.variants.values_list("status", flat=True))
    if decision == APPROVED and post.approved_by_id != by_id:
        return 0
    if decision == SENT_BACK and (post.approved_by_id or statuses != {VariantStatus.DRAFT}):
        return 0
    by = User.objects.filter(pk=by_id).first()
    context = {
        "post": post,
        "by": by or post.organisation.name,
        "shop": post.organisation.name,
        "approved": decision == APPROVED,
        "link": _link(post),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("channels/email/approval_decision_subject.txt", context)
        body = render_to_string("channels/email/approval_decision_body.txt", context)
    send_mail(subject.strip(), body, None, [post.created_by.email])
    return 1
