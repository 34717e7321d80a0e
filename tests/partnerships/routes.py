"""The partnership pages' tenant-data routes for the other-tenant harness, and the makers of
partnership rows the page tests share."""

from __future__ import annotations

from datetime import date
from typing import Any

from sinergi.accounts.models import Membership, Organisation, OrganisationKind
from sinergi.core.tenancy import across_tenants, tenant_context
from sinergi.partnerships.models import (
    Application,
    Engagement,
    HelpRequest,
    Match,
    MatchRun,
    Offering,
    Programme,
    ProgrammeOffering,
)
from tests.factories import MembershipFactory, OrganisationFactory
from tests.tenancy import tenant_route


def partner_org(kind: str = OrganisationKind.INDUSTRY, **fields: Any) -> Organisation:
    fields.setdefault("province_id", "34")
    fields.setdefault("regency_id", "34.04")
    fields.setdefault("is_verified", True)
    return OrganisationFactory(kind=kind, **fields)


def shop_org(**fields: Any) -> Organisation:
    fields.setdefault("province_id", "34")
    fields.setdefault("regency_id", "34.04")
    fields.setdefault("kbli_code", "56102")
    return OrganisationFactory(kind=OrganisationKind.SHOP, **fields)


def member_of(organisation: Organisation, role: str) -> Membership:
    return MembershipFactory(organisation=organisation, role=role)


def make_offering(partner: Organisation, **fields: Any) -> Offering:
    values: dict[str, Any] = {
        "title": "Pelatihan Jualan di Instagram untuk UMKM Kuliner",
        "kind": "course",
        "topics": ["social-media"],
        "capacity": 10,
        "capacity_unit": "seats",
        "per_shop": 1,
        "mode": "online",
        "language": "id",
        "status": "published",
        "starts_on": date(2030, 1, 10),
        "ends_on": date(2030, 2, 10),
    }
    values.update(fields)
    with tenant_context(partner.pk):
        return Offering.objects.create(organisation=partner, **values)


def make_help_request(shop: Organisation, topic: str = "social-media") -> HelpRequest:
    with tenant_context(shop.pk):
        return HelpRequest.objects.create(
            organisation=shop, topic=topic, urgency="high", description="Jualan di IG sepi."
        )


def make_programme(owner: Organisation, **fields: Any) -> Programme:
    fields.setdefault("status", "open")
    fields.setdefault("name", "Program UMKM Naik Kelas Digital 2026")
    with tenant_context(owner.pk):
        return Programme.objects.create(organisation=owner, **fields)


def make_match(
    shop: Organisation, offering: Offering, *, owner: Organisation | None = None, **fields: Any
) -> Match:
    """A proposed match from a finished run of ``owner`` (the offering's partner by default)."""
    owner = owner or offering.organisation
    with across_tenants(reason="tests build a run and its match"):
        run = MatchRun.objects.create(
            organisation=owner, seed=7, status="done", progress=100, stats={"matched": 1}
        )
        fields.setdefault("partner_decision", "accepted")
        return Match.objects.create(
            organisation=offering.organisation,
            run=run,
            shop=shop,
            offering=offering,
            score=85,
            explanation={"topic": "social-media", "online": True, "places_left": 3},
            **fields,
        )


def make_engagement(shop: Organisation, offering: Offering) -> Engagement:
    match = make_match(shop, offering, status="accepted", shop_decision="accepted")
    with across_tenants(reason="tests start an engagement"):
        return Engagement.objects.create(
            organisation=offering.organisation, match=match, offering=offering, shop=shop
        )


def make_application(shop: Organisation, offering: Offering) -> Application:
    with tenant_context(shop.pk):
        return Application.objects.create(organisation=shop, offering=offering)


# --- The harness ----------------------------------------------------------------------------
# ``victim`` is a shop. Partner pages get their own partner (an intruding shop must not reach
# them); shop pages use the victim itself.


def _offering(victim: Organisation) -> dict[str, Any]:
    return {"pk": make_offering(partner_org()).pk}


def _draft_offering(victim: Organisation) -> dict[str, Any]:
    # A published offering is public to every shop; a draft exists only for its partner.
    return {"pk": make_offering(partner_org(), status="draft").pk}


def _partner_match(victim: Organisation) -> dict[str, Any]:
    return {"pk": make_match(victim, make_offering(partner_org()), partner_decision="pending").pk}


def _engagement(victim: Organisation) -> dict[str, Any]:
    return {"pk": make_engagement(victim, make_offering(partner_org())).pk}


def _help_request(victim: Organisation) -> dict[str, Any]:
    return {"pk": make_help_request(victim).pk}


def _application(victim: Organisation) -> dict[str, Any]:
    return {"pk": make_application(victim, make_offering(partner_org())).pk}


def _shop_match(victim: Organisation) -> dict[str, Any]:
    return {"pk": make_match(victim, make_offering(partner_org())).pk}


def _programme(victim: Organisation) -> dict[str, Any]:
    return {"pk": make_programme(partner_org(OrganisationKind.GOVERNMENT)).pk}


def _programme_offering(victim: Organisation) -> dict[str, Any]:
    government = partner_org(OrganisationKind.GOVERNMENT)
    programme = make_programme(government)
    offering = make_offering(partner_org())
    with tenant_context(government.pk):
        ProgrammeOffering.objects.create(
            organisation=government, programme=programme, offering=offering
        )
    return {"pk": programme.pk, "offering_pk": offering.pk}


def _run(victim: Organisation) -> dict[str, Any]:
    government = partner_org(OrganisationKind.GOVERNMENT)
    with tenant_context(government.pk):
        run = MatchRun.objects.create(
            organisation=government, programme=make_programme(government), seed=1
        )
    return {"pk": run.pk}


_GET_POST = ("get", "post")
tenant_route("partnerships:offering_detail", _offering)
tenant_route("partnerships:offering_edit", _offering, methods=_GET_POST)
tenant_route("partnerships:offering_publish", _draft_offering, methods=("post",))
tenant_route("partnerships:offering_close", _offering, methods=("post",))
tenant_route("partnerships:match_partner_accept", _partner_match, methods=("post",))
tenant_route("partnerships:match_partner_decline", _partner_match, methods=("post",))
tenant_route("partnerships:engagement_detail", _engagement)
tenant_route("partnerships:session_add", _engagement, methods=("post",))
tenant_route("partnerships:member_add", _engagement, methods=("post",))
tenant_route("partnerships:engagement_notes", _engagement, methods=("post",))
tenant_route("partnerships:engagement_feedback", _engagement, methods=("post",))
tenant_route("partnerships:help_request_detail", _help_request)
tenant_route("partnerships:help_request_close", _help_request, methods=("post",))
tenant_route("partnerships:offering_public", _draft_offering)
tenant_route("partnerships:offering_apply", _draft_offering, methods=("post",))
tenant_route("partnerships:application_withdraw", _application, methods=("post",))
tenant_route("partnerships:match_accept", _shop_match, methods=("post",))
tenant_route("partnerships:match_decline", _shop_match, methods=("post",))
tenant_route("partnerships:shop_engagement_detail", _engagement)
tenant_route("partnerships:shop_engagement_feedback", _engagement, methods=("post",))
tenant_route("partnerships:programme_detail", _programme)
tenant_route("partnerships:programme_edit", _programme, methods=_GET_POST)
tenant_route("partnerships:programme_participants", _programme)
tenant_route("partnerships:programme_ledger", _programme)
tenant_route("partnerships:programme_run", _programme, methods=("post",))
tenant_route("partnerships:programme_status", _programme, methods=("post",))
tenant_route("partnerships:programme_offering_add", _programme, methods=("post",))
tenant_route("partnerships:programme_offering_remove", _programme_offering, methods=("post",))
tenant_route("partnerships:run_detail", _run)
tenant_route("partnerships:run_progress", _run)
