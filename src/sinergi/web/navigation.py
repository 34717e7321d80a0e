"""The workspace navigation of each kind of organisation. Apps add their places here."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.api import OrganisationKind


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    icon: str


_HOME = NavItem(_("Home"), "web:workspace", "home")
_PROFILE = NavItem(_("Profile"), "accounts:organisation_profile", "store")
_TEAM = NavItem(_("Team"), "accounts:team", "people")

NAVIGATION: dict[str, tuple[NavItem, ...]] = {
    OrganisationKind.SHOP: (_HOME, _PROFILE, _TEAM),
    OrganisationKind.INDUSTRY: (_HOME, _PROFILE, _TEAM),
    OrganisationKind.ACADEMIA: (_HOME, _PROFILE, _TEAM),
    OrganisationKind.GOVERNMENT: (_HOME, _PROFILE, _TEAM),
}
