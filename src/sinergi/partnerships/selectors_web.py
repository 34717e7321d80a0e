"""Reads for the partnership pages: what each page lists, scoped to who is looking.

Pure reads. Rows a page shows across tenants (a shop looking at partners' published
offerings and at its own matches, a programme owner at other partners' offerings in its
programme) are read with ``across_tenants`` and always filtered by the viewer explicitly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.api import Organisation, sector_family
from sinergi.core.models import Province
from sinergi.core.tenancy import across_tenants
from sinergi.partnerships.models import (
    Application,
    ApplicationStatus,
    Contribution,
    ContributionKind,
    Engagement,
    EngagementStatus,
    HelpRequest,
    Match,
    MatchRun,
    MatchStatus,
    Mode,
    Offering,
    OfferingStatus,
    Programme,
    ProgrammeOffering,
    Topic,
)

_OFFERING_RELATED = ("organisation", "province", "regency")


# --- Partners -------------------------------------------------------------------------------


def partner_offerings(organisation: Organisation) -> QuerySet[Offering]:
    """The organisation's own offerings with the count of live applications."""
    return (
        Offering.objects.filter(organisation=organisation)
        .select_related("province", "regency")
        .annotate(
            application_count=Count(
                "applications", filter=~Q(applications__status=ApplicationStatus.WITHDRAWN)
            )
        )
    )


def partner_offering(organisation: Organisation, pk: int) -> Offering:
    """One of the organisation's offerings, or 404."""
    offering = (
        Offering.objects.filter(organisation=organisation, pk=pk)
        .select_related(*_OFFERING_RELATED)
        .first()
    )
    if offering is None:
        raise Http404
    return offering


def applications_to(offering: Offering) -> list[Application]:
    """Shops' applications to a partner's offering (the shops are other tenants)."""
    with across_tenants(reason="a partner reads the applications to its own offering"):
        return list(
            Application.objects.filter(offering=offering)
            .select_related("organisation", "organisation__regency")
            .order_by("status", "preference_rank", "created_at")
        )


def matches_to(offering: Offering) -> list[Match]:
    """Matches of the offering that still matter (not waitlisted), best first."""
    with across_tenants(reason="a partner reads the matches of its own offering"):
        return list(
            Match.objects.filter(offering=offering)
            .exclude(status=MatchStatus.WAITLISTED)
            .select_related("shop", "engagement")
            .order_by("status", "-score", "id")
        )


def partner_match(organisation: Organisation, pk: int) -> Match:
    """A match of one of the organisation's offerings (matches are owned by the partner)."""
    match = (
        Match.objects.filter(organisation=organisation, pk=pk).select_related("offering").first()
    )
    if match is None:
        raise Http404
    return match


def partner_engagements(organisation: Organisation) -> QuerySet[Engagement]:
    return Engagement.objects.filter(organisation=organisation).select_related(
        "offering", "shop", "programme"
    )


def partner_engagement(organisation: Organisation, pk: int) -> Engagement:
    engagement = (
        partner_engagements(organisation)
        .select_related("organisation", "shop__regency")
        .filter(pk=pk)
        .first()
    )
    if engagement is None:
        raise Http404
    return engagement


def engagement_sessions(engagement: Engagement) -> tuple[list[Any], list[Any]]:
    """The sessions and the team of an engagement (owned by the engagement's partner)."""
    with across_tenants(reason="both sides of an engagement read its sessions and team"):
        sessions = list(engagement.sessions.order_by("held_on", "id"))
        members = list(engagement.members.order_by("role", "name"))
    return sessions, members


# --- Shops ----------------------------------------------------------------------------------


def shop_help_requests(shop: Organisation) -> QuerySet[HelpRequest]:
    return HelpRequest.objects.filter(organisation=shop)


def shop_help_request(shop: Organisation, pk: int) -> HelpRequest:
    help_request = shop_help_requests(shop).filter(pk=pk).first()
    if help_request is None:
        raise Http404
    return help_request


def shop_matches(shop: Organisation, *, help_request: HelpRequest | None = None) -> list[Match]:
    """The shop's matches that ask for its answer or record one, newest run first."""
    with across_tenants(reason="a shop reads its own matches, owned by the partners"):
        matches = Match.objects.filter(shop=shop).select_related(
            "offering", "offering__organisation"
        )
        if help_request is not None:
            matches = matches.filter(help_request=help_request)
        return list(matches.order_by("-run_id", "-score", "id"))


def shop_match(shop: Organisation, pk: int) -> Match:
    with across_tenants(reason="a shop answers its own match"):
        match = Match.objects.filter(shop=shop, pk=pk).select_related("offering").first()
    if match is None:
        raise Http404
    return match


def shop_engagements(shop: Organisation) -> list[Engagement]:
    with across_tenants(reason="a shop reads its own engagements, owned by the partners"):
        return list(
            Engagement.objects.filter(shop=shop)
            .select_related("offering", "organisation", "programme")
            .order_by("-started_at", "-id")
        )


def shop_engagement(shop: Organisation, pk: int) -> Engagement:
    with across_tenants(reason="a shop reads its own engagement"):
        engagement = (
            Engagement.objects.filter(shop=shop, pk=pk)
            .select_related("offering", "organisation", "programme", "shop__regency")
            .first()
        )
    if engagement is None:
        raise Http404
    return engagement


def offering_fits(offering: Offering, shop: Organisation) -> bool:
    """Whether the shop passes the offering's hard filters and a place is left."""
    if offering.status != OfferingStatus.PUBLISHED or offering.places_left < 1:
        return False
    family = str(sector_family(shop.kbli_code)) if shop.kbli_code else ""
    if offering.eligible_sectors and family not in offering.eligible_sectors:
        return False
    if offering.eligible_size_classes and shop.size_class not in offering.eligible_size_classes:
        return False
    if offering.eligible_provinces and shop.province_id not in offering.eligible_provinces:
        return False
    return not (offering.mode == Mode.ON_SITE and offering.province_id != shop.province_id)


def offerings_for_shop(
    shop: Organisation, *, topic: str = "", limit: int | None = None
) -> list[Offering]:
    """Published offerings the shop is eligible for, with places left; on-site ones nearby
    first, then soonest start."""
    with across_tenants(reason="a shop browses partners' published offerings"):
        candidates = (
            Offering.objects.filter(status=OfferingStatus.PUBLISHED)
            .filter(Q(mode=Mode.ONLINE) | Q(province_id=shop.province_id))
            .select_related(*_OFFERING_RELATED)
            .order_by("starts_on", "-published_at", "id")
        )
        fitting = []
        for offering in candidates.iterator(chunk_size=500):
            if topic and topic not in offering.topics:
                continue
            if offering_fits(offering, shop):
                fitting.append(offering)
                if limit and len(fitting) >= limit:
                    break
    fitting.sort(key=lambda o: (o.mode != Mode.ON_SITE or o.regency_id != shop.regency_id,))
    return fitting


def published_offering(pk: int) -> Offering:
    """A published (or closed) offering any shop may look at; drafts do not exist for them."""
    with across_tenants(reason="a shop opens a partner's published offering"):
        offering = (
            Offering.objects.filter(pk=pk)
            .exclude(status=OfferingStatus.DRAFT)
            .select_related(*_OFFERING_RELATED)
            .first()
        )
    if offering is None:
        raise Http404
    return offering


def shop_applications(shop: Organisation) -> QuerySet[Application]:
    return Application.objects.filter(organisation=shop).exclude(status=ApplicationStatus.WITHDRAWN)


def shop_application(shop: Organisation, pk: int) -> Application:
    application = shop_applications(shop).filter(pk=pk).select_related("offering").first()
    if application is None:
        raise Http404
    return application


# --- Programmes -----------------------------------------------------------------------------


def programmes_of(organisation: Organisation) -> QuerySet[Programme]:
    return Programme.objects.filter(organisation=organisation).annotate(
        offering_count=Count("links")
    )


def programme_of(organisation: Organisation, pk: int) -> Programme:
    programme = Programme.objects.filter(organisation=organisation, pk=pk).first()
    if programme is None:
        raise Http404
    return programme


def programme_offerings(programme: Programme) -> list[Offering]:
    """The offerings in a programme (usually other partners'), for its owner."""
    ids = list(
        ProgrammeOffering.objects.filter(programme=programme).values_list("offering_id", flat=True)
    )
    with across_tenants(reason="a programme owner reads the offerings in its programme"):
        return list(
            Offering.objects.filter(pk__in=ids).select_related(*_OFFERING_RELATED).order_by("title")
        )


def offerings_to_include(programme: Programme | None = None) -> QuerySet[Offering]:
    """Offerings a programme owner may put in a programme: every published offering, plus
    the ones already in it."""
    with across_tenants(reason="a programme owner chooses partners' published offerings"):
        query = Q(status=OfferingStatus.PUBLISHED)
        if programme is not None and programme.pk:
            query |= Q(programme_links__programme=programme)
        return (
            Offering.objects.filter(query)
            .select_related("organisation")
            .distinct()
            .order_by("organisation__name", "title")
        )


def programme_runs(programme: Programme) -> QuerySet[MatchRun]:
    return MatchRun.objects.filter(programme=programme)


def run_of(organisation: Organisation, pk: int) -> MatchRun:
    run = (
        MatchRun.objects.filter(organisation=organisation, pk=pk)
        .select_related("programme")
        .first()
    )
    if run is None:
        raise Http404
    return run


def run_matches(run: MatchRun) -> tuple[list[Match], list[Match]]:
    """A run's matches and its waitlist (in lottery order); matches belong to the partners."""
    with across_tenants(reason="the owner of a run reads the matches it proposed"):
        rows = list(
            Match.objects.filter(run=run)
            .select_related("shop", "offering", "offering__organisation")
            .order_by("-score", "id")
        )
    matched = [m for m in rows if m.status != MatchStatus.WAITLISTED]
    waitlist = sorted(
        (m for m in rows if m.status == MatchStatus.WAITLISTED),
        key=lambda m: (m.lottery_number is None, m.lottery_number or 0, m.pk),
    )
    return matched, waitlist


def programme_participants(programme: Programme) -> list[Match]:
    """Shops placed by the programme's runs: accepted matches, then ones still proposed."""
    with across_tenants(reason="a programme owner reads who takes part in its programme"):
        return list(
            Match.objects.filter(
                run__programme=programme,
                status__in=[MatchStatus.ACCEPTED, MatchStatus.PROPOSED],
            )
            .select_related("shop", "shop__regency", "shop__province", "offering")
            .order_by("status", "shop__name")
        )


def programme_participant_count(programme: Programme) -> int:
    with across_tenants(reason="a programme owner counts its participants"):
        return (
            Match.objects.filter(run__programme=programme, status=MatchStatus.ACCEPTED)
            .values("shop")
            .distinct()
            .count()
        )


def quota_rows(programme: Programme) -> list[dict[str, Any]]:
    names = dict(Province.objects.values_list("code", "name"))
    return [
        {"province": names.get(code, code), "min": bounds.get("min"), "max": bounds.get("max")}
        for code, bounds in (programme.quotas or {}).items()
    ]


# --- Contribution ledger --------------------------------------------------------------------

GROUPINGS: dict[str, tuple[str, str | Promise]] = {
    "programme": ("programme__name", _("Programme")),
    "province": ("province__name", _("Province")),
    "topic": ("topic", _("Topic")),
    "partner": ("organisation__name", _("Partner")),
}
_KIND_COLUMN = {
    ContributionKind.SEATS: "seats",
    ContributionKind.HOURS: "hours",
    ContributionKind.STUDENTS: "students",
    ContributionKind.MONEY: "money",
}


@dataclass
class LedgerRow:
    label: str
    seats: int = 0
    hours: int = 0
    students: int = 0
    money: int = 0

    def add(self, kind: str, amount: int) -> None:
        column = _KIND_COLUMN.get(kind)  # type: ignore[call-overload]
        if column:
            setattr(self, column, getattr(self, column) + int(amount))


@dataclass
class Ledger:
    heading: str | Promise
    rows: list[LedgerRow] = field(default_factory=list)
    total: LedgerRow = field(default_factory=lambda: LedgerRow(label=""))


def _ledger(contributions: QuerySet[Contribution], by: str) -> Ledger:
    column, heading = GROUPINGS.get(by, GROUPINGS["programme"])
    grouped: dict[str, LedgerRow] = {}
    topics = dict(Topic.choices)
    totals = LedgerRow(label="")
    sums = contributions.values(column, "kind").annotate(amount=Sum("amount")).order_by(column)
    for row in sums:
        key = row[column]
        if column == "topic":
            label = str(topics.get(key, key)) if key else str(_("No topic"))
        else:
            label = key or str(_("Outside a programme") if by == "programme" else _("Not set"))
        amount = int(row["amount"] or Decimal(0))
        grouped.setdefault(label, LedgerRow(label=label)).add(row["kind"], amount)
        totals.add(row["kind"], amount)
    rows = sorted(grouped.values(), key=lambda r: (-r.money, -r.seats, -r.hours, r.label))
    return Ledger(heading=heading, rows=rows, total=totals)


def partner_ledger(organisation: Organisation, *, by: str) -> Ledger:
    """What the organisation contributed, summed per programme, province or topic."""
    return _ledger(Contribution.objects.filter(organisation=organisation), by)


def programme_ledger(programme: Programme, *, by: str) -> Ledger:
    """What every partner contributed to the programme, for the programme's owner."""
    with across_tenants(reason="a programme owner reads the contributions to its programme"):
        return _ledger(Contribution.objects.filter(programme=programme), by)


# --- Workspace home summaries ---------------------------------------------------------------


def shop_home_summary(shop: Organisation) -> dict[str, Any]:
    """What the shop's home shows of the hub: open requests, matches waiting, offerings."""
    requests = list(shop_help_requests(shop).filter(status="open")[:3])
    with across_tenants(reason="a shop counts its own matches waiting for an answer"):
        waiting = Match.objects.filter(
            shop=shop, status=MatchStatus.PROPOSED, shop_decision="pending"
        ).count()
    return {
        "help_requests": requests,
        "matches_waiting": waiting,
        "offerings": offerings_for_shop(shop, limit=3),
    }


def partner_home_summary(organisation: Organisation) -> dict[str, Any]:
    """What a partner's home shows: open offerings, live applications, active engagements."""
    offerings = list(partner_offerings(organisation).exclude(status=OfferingStatus.CLOSED))
    return {
        "offerings": offerings[:4],
        "offering_count": len(offerings),
        "applications": sum(getattr(o, "application_count", 0) for o in offerings),
        "active_engagements": partner_engagements(organisation)
        .filter(status=EngagementStatus.ACTIVE)
        .count(),
    }


def government_home_summary(organisation: Organisation) -> dict[str, Any]:
    return {
        "programmes": list(programmes_of(organisation)[:4]),
        **partner_home_summary(organisation),
    }
