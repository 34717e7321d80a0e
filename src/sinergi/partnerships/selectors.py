"""Reads of the partnership hub used in several places, each scoped to who is looking.

Matches and engagements are owned by the offering's partner. The shop side and a programme
owner reach them here, through ``across_tenants`` always narrowed by the viewer explicitly
(the shop's id, the run owner's id), never by browsing.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import QuerySet, Sum

from sinergi.accounts.api import Organisation
from sinergi.core.tenancy import across_tenants, tenant_context
from sinergi.partnerships.models import (
    Contribution,
    Engagement,
    Match,
    MatchRun,
    MatchStatus,
    Programme,
)

_MATCH_RELATED = ("offering", "offering__organisation", "shop", "help_request", "run")


def matches_for_shop(shop: Organisation) -> QuerySet[Match]:
    """The shop's matches (proposed, accepted, declined, waitlisted), newest first."""
    with across_tenants(reason="a shop sees its own matches, owned by partners"):
        return (
            Match.objects.filter(shop=shop)
            .select_related(*_MATCH_RELATED)
            .order_by("-created_at", "-id")
        )


def matches_for_partner(partner: Organisation) -> QuerySet[Match]:
    """Matches to the partner's own offerings (the tenant's rows)."""
    with tenant_context(partner.pk):
        return Match.objects.select_related(*_MATCH_RELATED).order_by("-created_at", "-id")


def matches_for_run(run: MatchRun, viewer: Organisation) -> QuerySet[Match]:
    """A run's matches for the organisation that ran it; nothing for anyone else."""
    with across_tenants(reason="a run's owner sees the matches it made for other partners"):
        return (
            Match.objects.filter(run=run, run__organisation=viewer)
            .select_related(*_MATCH_RELATED)
            .order_by("status", "-score", "id")
        )


def engagements_for_shop(shop: Organisation) -> QuerySet[Engagement]:
    """The shop's engagements, owned by the partners that run them."""
    with across_tenants(reason="a shop sees its own engagements, owned by partners"):
        return (
            Engagement.objects.filter(shop=shop)
            .select_related("offering", "offering__organisation", "programme")
            .order_by("-started_at", "-id")
        )


def engagements_for_partner(partner: Organisation) -> QuerySet[Engagement]:
    with tenant_context(partner.pk):
        return Engagement.objects.select_related("offering", "shop", "programme").order_by(
            "-started_at", "-id"
        )


def programme_participants(programme: Programme) -> QuerySet[Match]:
    """The programme's participants: accepted matches of its runs, one row per placement."""
    with across_tenants(reason="a programme owner sees placements made by its programme"):
        return (
            Match.objects.filter(
                run__programme=programme,
                run__organisation_id=programme.organisation_id,
                status=MatchStatus.ACCEPTED,
            )
            .select_related("shop", "offering", "offering__organisation")
            .order_by("shop__name", "id")
        )


def contribution_totals(rows: QuerySet[Contribution]) -> dict[tuple[str, str, str], int]:
    """Sum a ledger by (kind, province code, topic); reversals net out."""
    totals: dict[tuple[str, str, str], int] = defaultdict(int)
    grouped = (
        rows.order_by()
        .values("kind", "province_id", "topic")
        .annotate(total=Sum("amount"))
        .values_list("kind", "province_id", "topic", "total")
    )
    for kind, province, topic, amount in grouped:
        totals[(kind, province or "", topic)] += int(amount or 0)
    return dict(totals)


def contributions_for_partner(partner: Organisation) -> QuerySet[Contribution]:
    with tenant_context(partner.pk):
        return Contribution.objects.select_related("programme", "province").order_by(
            "-recorded_at", "-id"
        )


def contributions_for_programme(programme: Programme) -> QuerySet[Contribution]:
    """Every partner's contributions to the programme, for the programme owner."""
    with across_tenants(reason="a programme owner sees what partners gave to its programme"):
        return (
            Contribution.objects.filter(programme=programme)
            .select_related("organisation", "province")
            .order_by("-recorded_at", "-id")
        )
