"""What other apps may import from the partnership hub."""

from sinergi.partnerships.models import (
    ContributionKind,
    Engagement,
    EngagementStatus,
    HelpRequest,
    Offering,
    OfferingKind,
    Topic,
    Urgency,
)
from sinergi.partnerships.selectors import engagements_for_shop, matches_for_shop
from sinergi.partnerships.services import PartnershipsError, help_request_create

__all__ = [
    "ContributionKind",
    "Engagement",
    "EngagementStatus",
    "HelpRequest",
    "Offering",
    "OfferingKind",
    "PartnershipsError",
    "Topic",
    "Urgency",
    "engagements_for_shop",
    "help_request_create",
    "matches_for_shop",
]
