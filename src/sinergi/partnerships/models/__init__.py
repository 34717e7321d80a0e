"""Models of the partnership hub, one module per domain noun."""

from sinergi.partnerships.models.contributions import Contribution, ContributionKind
from sinergi.partnerships.models.engagements import (
    Engagement,
    EngagementMember,
    EngagementSession,
    EngagementStatus,
    MemberRole,
    SessionKind,
)
from sinergi.partnerships.models.matching import (
    Decision,
    Match,
    MatchRun,
    MatchRunStatus,
    MatchStatus,
    Objective,
    Side,
)
from sinergi.partnerships.models.offerings import (
    CapacityUnit,
    Mode,
    Offering,
    OfferingKind,
    OfferingStatus,
)
from sinergi.partnerships.models.programmes import Programme, ProgrammeOffering, ProgrammeStatus
from sinergi.partnerships.models.requests import (
    Application,
    ApplicationStatus,
    HelpRequest,
    HelpRequestStatus,
    Urgency,
)
from sinergi.partnerships.models.taxonomy import Language, Topic

__all__ = [
    "Application",
    "ApplicationStatus",
    "CapacityUnit",
    "Contribution",
    "ContributionKind",
    "Decision",
    "Engagement",
    "EngagementMember",
    "EngagementSession",
    "EngagementStatus",
    "HelpRequest",
    "HelpRequestStatus",
    "Language",
    "Match",
    "MatchRun",
    "MatchRunStatus",
    "MatchStatus",
    "MemberRole",
    "Mode",
    "Objective",
    "Offering",
    "OfferingKind",
    "OfferingStatus",
    "Programme",
    "ProgrammeOffering",
    "ProgrammeStatus",
    "SessionKind",
    "Side",
    "Topic",
    "Urgency",
]
