"""What other apps may import from accounts."""

from sinergi.accounts.models import (
    MANAGING_ROLES,
    PARTNER_KINDS,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    SalesChannel,
    SizeClass,
    User,
)
from sinergi.accounts.permissions import WorkspaceRequest, membership_required
from sinergi.accounts.sectors import SECTORS, SectorFamily, sector_family, sector_label

__all__ = [
    "MANAGING_ROLES",
    "PARTNER_KINDS",
    "SECTORS",
    "Membership",
    "Organisation",
    "OrganisationKind",
    "Role",
    "SalesChannel",
    "SectorFamily",
    "SizeClass",
    "User",
    "WorkspaceRequest",
    "membership_required",
    "sector_family",
    "sector_label",
]
