"""Who may open which partnership page: the kinds and roles the views require."""

from sinergi.accounts.api import PARTNER_KINDS, OrganisationKind, Role

# Partners of every kind (industry, academia, government) make offerings.
PARTNERS = PARTNER_KINDS
# Their administrators and staff (a government agency's staff are its officers) manage them.
OFFERING_MANAGERS = frozenset({Role.ADMIN, Role.STAFF, Role.OFFICER})
# Programmes are run by government agencies and universities.
PROGRAMME_OWNERS = frozenset({OrganisationKind.GOVERNMENT, OrganisationKind.ACADEMIA})
# Government officers and administrators, and university administrators, run programmes.
PROGRAMME_MANAGERS = frozenset({Role.ADMIN, Role.OFFICER})
SHOPS = frozenset({OrganisationKind.SHOP})
# Owners and staff of a shop may ask for help and answer matches.
SHOP_ACTORS = frozenset({Role.OWNER, Role.STAFF})
