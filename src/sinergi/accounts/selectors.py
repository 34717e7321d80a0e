"""Reads of the accounts domain used in several places."""

from django.db.models import QuerySet

from sinergi.accounts.models import Invitation, Membership, Organisation, User
from sinergi.core.tenancy import tenant_context


def memberships_of(user: User) -> QuerySet[Membership]:
    """A user's memberships with their organisations, in a stable order."""
    return (
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )


def team_of(organisation: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("role", "user__full_name", "user__email")
    )


def open_invitations_of(organisation: Organisation) -> list[Invitation]:
    with tenant_context(organisation.pk):
        return [
            invitation
            for invitation in Invitation.objects.filter(accepted_at=None, revoked_at=None)
            .select_related("invited_by")
            .order_by("-created_at")
            if invitation.is_open
        ]
