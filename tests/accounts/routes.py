"""The accounts app's tenant-data routes, for the other-tenant harness."""

from typing import Any

from django.utils import timezone

from sinergi.accounts.models import Invitation, Organisation, Role
from sinergi.core.tenancy import tenant_context
from tests.factories import MembershipFactory
from tests.tenancy import tenant_route


def _invitation(organisation: Organisation) -> dict[str, Any]:
    with tenant_context(organisation.pk):
        invitation = Invitation.objects.create(
            organisation=organisation,
            email="tamu@example.id",
            role=Role.STAFF,
            expires_at=timezone.now() + timezone.timedelta(days=7),
        )
    return {"pk": invitation.pk}


def _membership(organisation: Organisation) -> dict[str, Any]:
    return {"pk": MembershipFactory(organisation=organisation, role=Role.STAFF).pk}


tenant_route("accounts:invitation_revoke", _invitation, methods=("post",))
tenant_route("accounts:membership_remove", _membership, methods=("post",))
