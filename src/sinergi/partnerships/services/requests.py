"""Writes on what shops ask for: help requests and applications."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.api import Organisation, OrganisationKind, User
from sinergi.core.tenancy import across_tenants, tenant_context
from sinergi.partnerships.matching import ineligibility
from sinergi.partnerships.models import (
    Application,
    ApplicationStatus,
    HelpRequest,
    HelpRequestStatus,
    Language,
    Offering,
    OfferingStatus,
    ProgrammeOffering,
    Topic,
    Urgency,
)
from sinergi.partnerships.services.errors import PartnershipsError
from sinergi.partnerships.services.problem import need_of, offer_of

INELIGIBLE = {
    "full": "This offering has no places left.",
    "topic": "This offering does not cover the topic of your request.",
    "ended": "This offering has ended.",
    "dates": "This offering starts after the date you need help by.",
    "language": "This offering is in a language you did not choose.",
    "sector": "This offering is for other sectors.",
    "size": "This offering is for businesses of another size.",
    "region": "This offering is for shops in other provinces.",
    "location": "This offering is held on site in another province.",
}


def _require_shop(shop: Organisation) -> None:
    if shop.kind != OrganisationKind.SHOP:
        raise PartnershipsError(_("Only shops ask for help and apply to offerings."))


@transaction.atomic
def help_request_create(
    *,
    shop: Organisation,
    topic: str,
    description: str,
    urgency: str = Urgency.MEDIUM,
    languages: Iterable[str] = (Language.INDONESIAN,),
    needed_by: date | None = None,
    created_by: User | None = None,
) -> HelpRequest:
    """A shop asks for help on one topic; open requests enter the next matching runs."""
    _require_shop(shop)
    if topic not in Topic.values:
        raise PartnershipsError(_("Choose a topic from the list."), field="topic")
    if urgency not in Urgency.values:
        raise PartnershipsError(_("Choose how urgent this is."), field="urgency")
    description = description.strip()
    if not description:
        raise PartnershipsError(_("Describe briefly what you need."), field="description")
    if len(description) > 2000:
        raise PartnershipsError(
            _("Keep the description under 2000 characters."), field="description"
        )
    chosen = list(dict.fromkeys(languages)) or [Language.INDONESIAN]
    if any(code not in Language.values for code in chosen):
        raise PartnershipsError(_("Choose languages from the list."), field="languages")
    with tenant_context(shop.pk):
        return HelpRequest.objects.create(
            organisation=shop,
            topic=topic,
            description=description,
            urgency=urgency,
            languages=chosen,
            needed_by=needed_by,
            created_by=created_by,
        )


@transaction.atomic
def help_request_close(*, help_request: HelpRequest) -> HelpRequest:
    """The shop no longer needs this help; it leaves matching."""
    if help_request.status != HelpRequestStatus.CLOSED:
        help_request.status = HelpRequestStatus.CLOSED
        help_request.closed_at = timezone.now()
        help_request.save(update_fields=["status", "closed_at"])
    return help_request


@transaction.atomic
def _programme_window_open(offering: Offering) -> bool:
    """An offering in programmes takes applications while one of its programmes' windows is
    open; an offering in no programme always does."""
    with across_tenants(reason="a shop applying needs the windows of the offering's programmes"):
        programmes = [
            link.programme
            for link in ProgrammeOffering.objects.filter(offering=offering).select_related(
                "programme"
            )
        ]
    return not programmes or any(programme.window_is_open() for programme in programmes)


def application_create(
    *,
    shop: Organisation,
    offering: Offering,
    preference_rank: int | None = None,
    help_request: HelpRequest | None = None,
    note: str = "",
    created_by: User | None = None,
) -> Application:
    """A shop applies to a published offering it is eligible for.

    The application joins a help request of the shop on one of the offering's topics (an open
    one if there is, else a new one), so matching treats every need alike; the application
    adds the shop's preference (rank 1 = first choice) to that need's score for this offering.
    """
    _require_shop(shop)
    if offering.status != OfferingStatus.PUBLISHED:
        raise PartnershipsError(_("This offering is not open for applications."))
    if not _programme_window_open(offering):
        raise PartnershipsError(
            _("Applications to the programme of this offering are closed at the moment.")
        )
    if preference_rank is not None and preference_rank < 1:
        raise PartnershipsError(_("Rank your choices from 1."), field="preference_rank")
    with tenant_context(shop.pk):
        if (
            Application.objects.filter(offering=offering)
            .exclude(status=ApplicationStatus.WITHDRAWN)
            .exists()
        ):
            raise PartnershipsError(_("You have already applied to this offering."))
        if help_request is None:
            help_request = (
                HelpRequest.objects.filter(status=HelpRequestStatus.OPEN, topic__in=offering.topics)
                .order_by("-created_at")
                .first()
            )
        elif help_request.organisation_id != shop.pk:
            raise PartnershipsError(_("That help request is not yours."), field="help_request")
    # Applying to an offering in English says the shop can follow English.
    languages = sorted({Language.INDONESIAN, offering.language})
    need = need_of(shop, help_request, topic=offering.topics[0], languages=languages)
    reason = ineligibility(need, offer_of(offering), timezone.localdate())
    if reason is not None:
        raise PartnershipsError(_(INELIGIBLE[reason]))
    if help_request is None:
        help_request = help_request_create(
            shop=shop,
            topic=offering.topics[0],
            description=note.strip() or _("Applied to: %(title)s") % {"title": offering.title},
            languages=languages,
            created_by=created_by,
        )
    with tenant_context(shop.pk):
        return Application.objects.create(
            organisation=shop,
            offering=offering,
            help_request=help_request,
            preference_rank=preference_rank,
            note=note.strip(),
            created_by=created_by,
        )


@transaction.atomic
def application_withdraw(*, application: Application) -> Application:
    """The shop withdraws an application; an accepted match is not undone by this."""
    if application.status == ApplicationStatus.SUBMITTED:
        application.status = ApplicationStatus.WITHDRAWN
        application.save(update_fields=["status"])
    return application


@transaction.atomic
def application_rank(*, application: Application, partner_rank: int | None) -> Application:
    """The offering's partner ranks an applicant (1 = first); stable matching honours it."""
    if partner_rank is not None and partner_rank < 1:
        raise PartnershipsError(_("Rank applicants from 1."), field="partner_rank")
    with across_tenants(reason="the partner ranks an application to its own offering"):
        Application.objects.filter(pk=application.pk).update(partner_rank=partner_rank)
    application.partner_rank = partner_rank
    return application
