"""Writes of the accounts domain: organisations, their profiles and their teams."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from sinergi.accounts.models import (
    ROLES_BY_KIND,
    Invitation,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    User,
)
from sinergi.core.tenancy import across_tenants, tenant_context

INVITATION_LIFETIME = timedelta(days=7)
_INVITATION_SALT = "sinergi.accounts.invitation"


class AccountsError(Exception):
    """A request the accounts domain refuses, with a message for the person who made it."""


def unique_slug(name: str) -> str:
    """A free web address derived from the name: "toko-batik-sari", "toko-batik-sari-2"…"""
    base = slugify(name)[:50] or "toko"
    slug, n = base, 1
    while Organisation.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def organisation_create(*, creator: User, name: str, kind: str, **profile: Any) -> Organisation:
    """Create an organisation and make its creator the managing member."""
    organisation = Organisation.objects.create(
        name=name, kind=kind, slug=profile.pop("slug", None) or unique_slug(name), **profile
    )
    Membership.objects.create(user=creator, organisation=organisation, role=ROLES_BY_KIND[kind][0])
    return organisation


def organisation_profile_update(*, organisation: Organisation, **fields: Any) -> Organisation:
    """Save the editable profile fields that changed."""
    if organisation.kind != OrganisationKind.SHOP:
        fields.pop("size_class", None)
    for name, value in fields.items():
        setattr(organisation, name, value)
    organisation.full_clean()
    organisation.save(update_fields=list(fields))
    return organisation


def invitation_token(invitation: Invitation) -> str:
    """A signed, expiring token naming the invitation; nothing secret is stored."""
    return signing.dumps({"i": invitation.pk}, salt=_INVITATION_SALT, compress=True)


@transaction.atomic
def invitation_create(
    *, organisation: Organisation, invited_by: User, email: str, role: str
) -> Invitation:
    """Invite someone by e-mail; the e-mail is sent once the invitation is committed."""
    email = email.strip().lower()
    if role not in ROLES_BY_KIND[organisation.kind]:
        raise AccountsError("That role does not exist in this kind of organisation.")
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise AccountsError("This person is already a member.")
    with tenant_context(organisation.pk):
        # An expired invitation no longer blocks a new one.
        Invitation.objects.filter(
            email__iexact=email,
            accepted_at=None,
            revoked_at=None,
            expires_at__lte=timezone.now(),
        ).update(revoked_at=timezone.now())
        if Invitation.objects.filter(
            email__iexact=email, accepted_at=None, revoked_at=None
        ).exists():
            raise AccountsError("An invitation to this address is already waiting.")
        invitation = Invitation.objects.create(
            organisation=organisation,
            email=email,
            role=role,
            invited_by=invited_by,
            expires_at=timezone.now() + INVITATION_LIFETIME,
        )
    from sinergi.accounts.tasks import invitation_send  # noqa: PLC0415  (tasks import services)

    transaction.on_commit(
        lambda: invitation_send.enqueue(
            invitation_id=invitation.pk, organisation_id=organisation.pk
        )
    )
    return invitation


def invitation_revoke(*, invitation: Invitation) -> None:
    """Withdraw an invitation that has not been accepted yet."""
    if invitation.accepted_at is not None:
        raise AccountsError("This invitation was already accepted.")
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])


def invitation_from_token(token: str) -> Invitation | None:
    """The open invitation a token names, or None if the token is bad, old or used."""
    try:
        payload = signing.loads(token, salt=_INVITATION_SALT, max_age=INVITATION_LIFETIME)
    except signing.BadSignature:
        return None
    with across_tenants(reason="an invitee holds a signed token, not yet a membership"):
        invitation = (
            Invitation.objects.select_related("organisation").filter(pk=payload.get("i")).first()
        )
    if invitation is None or not invitation.is_open:
        return None
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """Join the organisation. The signed-in address must be the invited one."""
    if user.email.lower() != invitation.email.lower():
        raise AccountsError(
            "This invitation was sent to another e-mail address. Sign in with that address."
        )
    with tenant_context(invitation.organisation_id):
        claimed = Invitation.objects.filter(
            pk=invitation.pk, accepted_at=None, revoked_at=None
        ).update(accepted_at=timezone.now())
    if not claimed:
        raise AccountsError("This invitation is no longer open.")
    membership, _ = Membership.objects.get_or_create(
        user=user,
        organisation_id=invitation.organisation_id,
        defaults={"role": invitation.role},
    )
    return membership


def membership_remove(*, membership: Membership, removed_by: User) -> None:
    """Remove someone from the team; the last managing member cannot be removed."""
    if membership.user_id == removed_by.pk:
        raise AccountsError("You cannot remove yourself.")
    with transaction.atomic():
        managers = Membership.objects.select_for_update().filter(
            organisation_id=membership.organisation_id,
            role__in=[Role.OWNER, Role.ADMIN],
        )
        if membership.can_manage and managers.count() <= 1:
            raise AccountsError("An organisation needs at least one owner or administrator.")
        membership.delete()
