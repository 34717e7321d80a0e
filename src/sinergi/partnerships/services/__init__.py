"""Writes of the partnership hub: one transaction per service, named ``<noun>_<verb>``."""

from sinergi.partnerships.services.contributions import contribution_record, contribution_reverse
from sinergi.partnerships.services.engagements import (
    engagement_feedback_submit,
    engagement_from_match,
    engagement_member_add,
    engagement_notes_update,
    engagement_session_add,
)
from sinergi.partnerships.services.errors import PartnershipsError
from sinergi.partnerships.services.matches import match_accept, match_decline
from sinergi.partnerships.services.offerings import (
    offering_close,
    offering_create,
    offering_publish,
    offering_update,
)
from sinergi.partnerships.services.programmes import (
    programme_create,
    programme_offering_add,
    programme_offering_remove,
    programme_status_set,
    programme_update,
)
from sinergi.partnerships.services.requests import (
    application_create,
    application_rank,
    application_withdraw,
    help_request_close,
    help_request_create,
)
from sinergi.partnerships.services.runs import match_run_execute, match_run_start

__all__ = [
    "PartnershipsError",
    "application_create",
    "application_rank",
    "application_withdraw",
    "contribution_record",
    "contribution_reverse",
    "engagement_feedback_submit",
    "engagement_from_match",
    "engagement_member_add",
    "engagement_notes_update",
    "engagement_session_add",
    "help_request_close",
    "help_request_create",
    "match_accept",
    "match_decline",
    "match_run_execute",
    "match_run_start",
    "offering_close",
    "offering_create",
    "offering_publish",
    "offering_update",
    "programme_create",
    "programme_offering_add",
    "programme_offering_remove",
    "programme_status_set",
    "programme_update",
]
