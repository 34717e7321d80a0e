"""The contribution ledger: append-only rows of what partners gave."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from sinergi.accounts.api import PARTNER_KINDS, Organisation, User
from sinergi.core.models import Province
from sinergi.core.tenancy import tenant_context
from sinergi.partnerships.models import (
    Contribution,
    ContributionKind,
    Engagement,
    Offering,
    Programme,
    Topic,
)
from sinergi.partnerships.services.errors import PartnershipsError


@transaction.atomic
def contribution_record(
    *,
    organisation: Organisation,
    kind: str,
    amount: int,
    programme: Programme | None = None,
    province: Province | None = None,
    topic: str = "",
    offering: Offering | None = None,
    engagement: Engagement | None = None,
    note: str = "",
    recorded_by: User | None = None,
) -> Contribution:
    """Append what a partner contributed: seats, hours, students or rupiah (positive)."""
    if organisation.kind not in PARTNER_KINDS:
        raise PartnershipsError(_("Only partners record contributions."))
    if kind not in ContributionKind.values:
        raise PartnershipsError(_("Choose what was contributed."), field="kind")
    if not isinstance(amount, int) or amount <= 0:
        raise PartnershipsError(_("Enter a whole number above zero."), field="amount")
    if topic and topic not in Topic.values:
        raise PartnershipsError(_("Choose a topic from the list."), field="topic")
    if offering is not None and offering.organisation_id != organisation.pk:
        raise PartnershipsError(_("That offering is not yours."), field="offering")
    with tenant_context(organisation.pk):
        return Contribution.objects.create(
            organisation=organisation,
            kind=kind,
            amount=amount,
            programme=programme,
            province=province,
            topic=topic,
            offering=offering,
            engagement=engagement,
            note=note.strip()[:300],
            recorded_by=recorded_by,
        )


@transaction.atomic
def contribution_reverse(
    *, contribution: Contribution, note: str = "", recorded_by: User | None = None
) -> Contribution:
    """Correct a ledger row by appending its opposite; the original stays as it was."""
    with tenant_context(contribution.organisation_id):
        if contribution.reverses_id is not None:
            raise PartnershipsError(_("A correction cannot itself be reversed."))
        if Contribution.objects.filter(reverses=contribution).exists():
            raise PartnershipsError(_("This row has already been reversed."))
        return Contribution.objects.create(
            organisation_id=contribution.organisation_id,
            kind=contribution.kind,
            amount=-contribution.amount,
            programme_id=contribution.programme_id,
            province_id=contribution.province_id,
            topic=contribution.topic,
            offering_id=contribution.offering_id,
            engagement_id=contribution.engagement_id,
            reverses=contribution,
            note=note.strip()[:300],
            recorded_by=recorded_by,
        )
