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
_INSIGHTS = NavItem(_("Insights"), "insights:overview", "chart")
_ORDERS = NavItem(_("Orders"), "commerce:order_list", "receipt")
_CATALOG = NavItem(_("Catalog"), "commerce:product_list", "box")
# Channels: one place for messages, posts, media and accounts (tabs inside), so that the
# phone's bottom bar gains one item, not two.
_CHANNELS = NavItem(_("Messages"), "channels:inbox", "chat")
_HELP = NavItem(_("Help"), "partnerships:help_home", "handshake")
_OFFERINGS = NavItem(_("Offerings"), "partnerships:offering_list", "handshake")
_PROGRAMMES = NavItem(_("Programmes"), "partnerships:programme_list", "people")

# A phone's bottom bar shows this many items; the rest sit under "More".
PHONE_BAR_ITEMS = 4

NAVIGATION: dict[str, tuple[NavItem, ...]] = {
    # Most used first: the first PHONE_BAR_ITEMS are one tap away on a phone.
    OrganisationKind.SHOP: (
        _HOME,
        _ORDERS,
        _CATALOG,
        _CHANNELS,
        _INSIGHTS,
        _HELP,
        _PROFILE,
        _TEAM,
    ),
    OrganisationKind.INDUSTRY: (_HOME, _OFFERINGS, _PROFILE, _TEAM),
    OrganisationKind.ACADEMIA: (_HOME, _OFFERINGS, _PROGRAMMES, _PROFILE, _TEAM),
    OrganisationKind.GOVERNMENT: (_HOME, _PROGRAMMES, _OFFERINGS, _PROFILE, _TEAM),
}
