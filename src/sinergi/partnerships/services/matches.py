"""Matches: start a run, and both sides' answers to a proposed match (accept or decline).

The run services live in ``runs``; they are re-exported here so that everything about
matches is reached from one module.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.api import User
from sinergi.core.tenancy import across_tenants
from sinergi.partnerships.models import (
    Application,
    ApplicationStatus,
    Decision,
    HelpRequest,
    HelpRequestStatus,
    Match,
    MatchStatus,
    Offering,
    Side,
)
from sinergi.partnerships.services.engagements import engagement_from_match
from sinergi.partnerships.services.errors import PartnershipsError
from sinergi.partnerships.services.runs import match_run_execute, match_run_start

__all__ = ["match_accept", "match_decline", "match_run_execute", "match_run_start"]

_REASON = "a match joins a shop and a partner; the caller has authorised its side"


def _locked(match: Match) -> Match:
    locked = Match.objects.select_for_update().get(pk=match.pk)
    if locked.status != MatchStatus.PROPOSED:
        raise PartnershipsError(_("This match has already been answered."))
    return locked


def _place_take(offering_id: int) -> bool:
    """Take one place with a conditional UPDATE: never more places taken than there are,
    whatever the interleaving of concurrent accepts."""
    return bool(
        Offering.objects.filter(
            pk=offering_id,
            places_taken__lt=F("capacity") / F("per_shop"),
        ).update(places_taken=F("places_taken") + 1)
    )


@transaction.atomic
def match_accept(*, match: Match, side: str, user: User | None = None) -> Match:
    """One side accepts. When both have, the match takes one of the offering's places, the
    shop's help request and application count as matched, and the engagement begins.

    Raises PartnershipsError (changing nothing) when the last place was taken meanwhile.
    """
    if side not in Side.values:
        raise PartnershipsError(_("Unknown side."))
    with across_tenants(reason=_REASON):
        locked = _locked(match)
        setattr(locked, f"{side}_decision", Decision.ACCEPTED)
        fields = [f"{side}_decision"]
        if (
            locked.shop_decision == Decision.ACCEPTED
            and locked.partner_decision == Decision.ACCEPTED
        ):
            if (
                locked.help_request_id
                and HelpRequest.objects.filter(
                    pk=locked.help_request_id, status=HelpRequestStatus.MATCHED
                ).exists()
            ):
                raise PartnershipsError(_("This request has already been matched elsewhere."))
            if not _place_take(locked.offering_id):
                raise PartnershipsError(
                    _("Sorry, the last place of this offering has just been taken.")
                )
            locked.status = MatchStatus.ACCEPTED
            locked.decided_at = timezone.now()
            fields += ["status", "decided_at"]
        locked.save(update_fields=fields)
        if locked.status == MatchStatus.ACCEPTED:
            if locked.help_request_id:
                HelpRequest.objects.filter(pk=locked.help_request_id).update(
                    status=HelpRequestStatus.MATCHED
                )
            if locked.application_id:
                Application.objects.filter(pk=locked.application_id).update(
                    status=ApplicationStatus.MATCHED
                )
            engagement_from_match(match=locked)
    match.refresh_from_db()
    return match


@transaction.atomic
def match_decline(*, match: Match, side: str, user: User | None = None, reason: str = "") -> Match:
    """One side declines: the match is off, its place is free for the next run, and the
    shop's help request stays open for other offerings."""
    if side not in Side.values:
        raise PartnershipsError(_("Unknown side."))
    with across_tenants(reason=_REASON):
        locked = _locked(match)
        setattr(locked, f"{side}_decision", Decision.DECLINED)
        locked.status = MatchStatus.DECLINED
        locked.decline_reason = reason.strip()[:300]
        locked.decided_at = timezone.now()
        locked.save(update_fields=[f"{side}_decision", "status", "decline_reason", "decided_at"])
    match.refresh_from_db()
    return match
