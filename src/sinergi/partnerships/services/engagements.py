"""Engagements: what follows an accepted match."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.api import User
from sinergi.core.tenancy import across_tenants, tenant_context
from sinergi.partnerships.models import (
    CapacityUnit,
    ContributionKind,
    Engagement,
    EngagementMember,
    EngagementSession,
    EngagementStatus,
    Match,
    MatchStatus,
    MemberRole,
    SessionKind,
    Side,
)
from sinergi.partnerships.services.contributions import contribution_record
from sinergi.partnerships.services.errors import PartnershipsError

CONTRIBUTION_OF_UNIT: dict[str, str] = {
    CapacityUnit.SEATS: ContributionKind.SEATS,
    CapacityUnit.HOURS: ContributionKind.HOURS,
    CapacityUnit.RUPIAH: ContributionKind.MONEY,
}


@transaction.atomic
def engagement_from_match(*, match: Match) -> Engagement:
    """Begin the engagement of an accepted match (once) and enter the partner's contribution
    in the ledger: the seats, hours or money one shop uses. Student teams are entered per
    student as members join (``engagement_member_add``)."""
    if match.status != MatchStatus.ACCEPTED:
        raise PartnershipsError(_("Only an accepted match becomes an engagement."))
    with across_tenants(reason="the engagement belongs to the offering's partner"):
        existing = Engagement.objects.filter(match_id=match.pk).first()
        if existing is not None:
            return existing
        offering = match.offering
        programme_id = match.run.programme_id
        shop = match.shop
    with tenant_context(offering.organisation_id):
        engagement = Engagement.objects.create(
            organisation_id=offering.organisation_id,
            match=match,
            offering=offering,
            shop_id=match.shop_id,
            programme_id=programme_id,
        )
    kind = CONTRIBUTION_OF_UNIT.get(offering.capacity_unit)
    if kind is not None:
        contribution_record(
            organisation=offering.organisation,
            kind=kind,
            amount=offering.per_shop,
            programme=engagement.programme,
            province=shop.province,
            topic=match.explanation.get("topic", "") or offering.topics[0],
            offering=offering,
            engagement=engagement,
        )
    return engagement


def _open(engagement: Engagement) -> None:
    if engagement.status != EngagementStatus.ACTIVE:
        raise PartnershipsError(_("This engagement has ended."))


@transaction.atomic
def engagement_session_add(
    *,
    engagement: Engagement,
    title: str,
    held_on: date,
    kind: str = SessionKind.SESSION,
    hours: Decimal | float = 0,
    attended: bool = True,
    attendees: int = 1,
    deliverable: str = "",
    notes: str = "",
    recorded_by: User | None = None,
) -> EngagementSession:
    """Log a session (with attendance) or a milestone (with its deliverable)."""
    _open(engagement)
    if not title.strip():
        raise PartnershipsError(_("Give the session a title."), field="title")
    if kind not in SessionKind.values:
        raise PartnershipsError(_("Choose session or milestone."), field="kind")
    if Decimal(str(hours)) < 0:
        raise PartnershipsError(_("Hours cannot be negative."), field="hours")
    if held_on > timezone.localdate() + timedelta(days=366):
        raise PartnershipsError(_("That date is too far ahead."), field="held_on")
    with tenant_context(engagement.organisation_id):
        return EngagementSession.objects.create(
            organisation_id=engagement.organisation_id,
            engagement=engagement,
            kind=kind,
            title=title.strip(),
            held_on=held_on,
            hours=Decimal(str(hours)),
            attended=attended,
            attendees=attendees,
            deliverable=deliverable.strip(),
            notes=notes.strip(),
            recorded_by=recorded_by,
        )


@transaction.atomic
def engagement_member_add(
    *,
    engagement: Engagement,
    name: str,
    role: str = MemberRole.STUDENT,
    email: str = "",
    study_programme: str = "",
) -> EngagementMember:
    """Place a person with the shop: a student of the team, the supervisor, or a mentor.

    Each student placed is a contribution of the partner (kind "students")."""
    _open(engagement)
    if not name.strip():
        raise PartnershipsError(_("Enter the person's name."), field="name")
    if role not in MemberRole.values:
        raise PartnershipsError(_("Choose a role."), field="role")
    with tenant_context(engagement.organisation_id):
        member = EngagementMember.objects.create(
            organisation_id=engagement.organisation_id,
            engagement=engagement,
            name=name.strip(),
            role=role,
            email=email.strip(),
            study_programme=study_programme.strip(),
        )
    if role == MemberRole.SUPERVISOR and not engagement.supervisor_name:
        engagement.supervisor_name, engagement.supervisor_email = member.name, member.email
        engagement.save(update_fields=["supervisor_name", "supervisor_email"])
    if role == MemberRole.STUDENT:
        offering = engagement.offering
        contribution_record(
            organisation=offering.organisation,
            kind=ContributionKind.STUDENTS,
            amount=1,
            programme=engagement.programme,
            province=engagement.shop.province,
            topic=offering.topics[0] if offering.topics else "",
            offering=offering,
            engagement=engagement,
        )
    return member


@transaction.atomic
def engagement_feedback_submit(
    *,
    engagement: Engagement,
    side: str,
    rating: int,
    feedback: str = "",
    by: User | None = None,
) -> Engagement:
    """One side rates the engagement 1-5 with optional words; once both have, it is complete.

    Each side rates once; a second submission is refused."""
    if side not in Side.values:
        raise PartnershipsError(_("Unknown side."))
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise PartnershipsError(_("Rate from 1 to 5."), field="rating")
    if engagement.status == EngagementStatus.CANCELLED:
        raise PartnershipsError(_("This engagement was cancelled."))
    if getattr(engagement, f"{side}_rating") is not None:
        raise PartnershipsError(_("You have already rated this engagement."))
    setattr(engagement, f"{side}_rating", rating)
    setattr(engagement, f"{side}_feedback", feedback.strip()[:3000])
    fields = [f"{side}_rating", f"{side}_feedback"]
    if engagement.shop_rating is not None and engagement.partner_rating is not None:
        engagement.status = EngagementStatus.COMPLETED
        engagement.completed_at = timezone.now()
        fields += ["status", "completed_at"]
    engagement.save(update_fields=fields)
    return engagement


@transaction.atomic
def engagement_notes_update(*, engagement: Engagement, notes: str) -> Engagement:
    """Replace the engagement's shared notes."""
    engagement.notes = notes.strip()[:5000]
    engagement.save(update_fields=["notes"])
    return engagement
