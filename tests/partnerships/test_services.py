"""Services of the partnership hub, from offering to rated engagement (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone

from sinergi.accounts.models import Organisation, OrganisationKind
from sinergi.core.tenancy import TenantContextMissing, across_tenants, tenant_context
from sinergi.partnerships import selectors
from sinergi.partnerships.models import (
    Application,
    Contribution,
    ContributionKind,
    Engagement,
    EngagementStatus,
    HelpRequest,
    HelpRequestStatus,
    Match,
    MatchRun,
    MatchRunStatus,
    MatchStatus,
    Offering,
    OfferingStatus,
    Programme,
)
from sinergi.partnerships.services import (
    PartnershipsError,
    application_create,
    contribution_record,
    contribution_reverse,
    engagement_feedback_submit,
    engagement_member_add,
    engagement_session_add,
    help_request_create,
    match_accept,
    match_decline,
    match_run_execute,
    match_run_start,
    offering_close,
    offering_create,
    offering_publish,
    programme_create,
    programme_offering_add,
    programme_status_set,
)
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

ShopMake = Callable[..., Organisation]
OfferingMake = Callable[..., Offering]
NeedMake = Callable[..., HelpRequest]


def _count(model: type, **filters: object) -> int:
    with across_tenants(reason="tests count rows of every tenant"):
        return int(model.objects.filter(**filters).count())  # type: ignore[attr-defined]


def _run(
    organisation: Organisation,
    django_capture_on_commit_callbacks: Callable[..., object],
    **kwargs: object,
) -> MatchRun:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        run = match_run_start(organisation=organisation, seed=11, **kwargs)
    run.refresh_from_db()
    return run


def _matches(run: MatchRun, status: str) -> list[Match]:
    with across_tenants(reason="tests read a run's rows"):
        return list(Match.objects.filter(run=run, status=status).order_by("lottery_number"))


# --- Offerings ----------------------------------------------------------------------------


def test_offering_is_validated_field_by_field(partner: Organisation) -> None:
    base = {"organisation": partner, "title": "Kelas", "kind": "workshop", "capacity": 5}
    with pytest.raises(PartnershipsError) as error:
        offering_create(**base, topics=["e-commerce"], mode="on_site")
    assert error.value.field == "province"
    with pytest.raises(PartnershipsError) as error:
        offering_create(**base, topics=["astrology"])
    assert error.value.field == "topics"
    with pytest.raises(PartnershipsError) as error:
        offering_create(**base, topics=["e-commerce"], province="34", regency="33.72")
    assert error.value.field == "regency"
    with pytest.raises(PartnershipsError) as error:
        offering_create(**base, topics=["e-commerce"], eligible_sectors=["mining"])
    assert error.value.field == "eligible_sectors"
    assert _count(Offering) == 0


def test_only_verified_partners_publish(shop_make: ShopMake) -> None:
    unverified = OrganisationFactory(kind=OrganisationKind.INDUSTRY, is_verified=False)
    offering = offering_create(
        organisation=unverified,
        title="Mentoring",
        kind="mentoring",
        topics=["bookkeeping"],
        capacity=40,
        capacity_unit="hours",
        per_shop=4,
    )
    assert offering.places == 10
    with pytest.raises(PartnershipsError, match="verified"):
        offering_publish(offering=offering)
    with pytest.raises(PartnershipsError, match="partner"):
        offering_create(
            organisation=shop_make(), title="x", kind="course", topics=["e-commerce"], capacity=1
        )


# --- Help requests and applications -------------------------------------------------------


def test_application_needs_eligibility_and_joins_a_help_request(
    shop_make: ShopMake, offering_make: OfferingMake
) -> None:
    on_site_elsewhere = offering_make(mode="on_site", province="33", regency="33.72")
    shop = shop_make(province="34", regency="34.04")
    with pytest.raises(PartnershipsError, match="another province"):
        application_create(shop=shop, offering=on_site_elsewhere)
    assert _count(Application) == 0
    assert _count(HelpRequest) == 0

    online = offering_make(title="Kelas Instagram", topics=["social-media"])
    application = application_create(shop=shop, offering=online, preference_rank=1)
    with tenant_context(shop.pk):
        help_request = HelpRequest.objects.get()
    assert application.help_request == help_request
    assert help_request.topic == "social-media"
    with pytest.raises(PartnershipsError, match="already applied"):
        application_create(shop=shop, offering=online)


def test_help_request_rejects_bad_input(shop_make: ShopMake) -> None:
    shop = shop_make()
    with pytest.raises(PartnershipsError) as error:
        help_request_create(shop=shop, topic="e-commerce", description="   ")
    assert error.value.field == "description"
    with pytest.raises(PartnershipsError) as error:
        help_request_create(shop=shop, topic="nope", description="x")
    assert error.value.field == "topic"
    assert _count(HelpRequest) == 0


# --- Matching runs, answers, engagements ---------------------------------------------------


def test_run_proposes_explains_waitlists_and_frees_declined_places(
    partner: Organisation,
    shop_make: ShopMake,
    offering_make: OfferingMake,
    need_make: NeedMake,
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    offering = offering_make(mode="on_site", province="34", regency="34.04", capacity=2)
    shops = [shop_make(name=f"Toko {i}") for i in range(3)]
    for shop in shops:
        need_make(shop, urgency="medium")

    run = _run(partner, django_capture_on_commit_callbacks)
    assert run.status == MatchRunStatus.DONE
    assert run.progress == 100
    assert run.stats["matched"] == 2
    assert run.stats["waitlisted"] == 1
    proposed = _matches(run, MatchStatus.PROPOSED)
    waiting = _matches(run, MatchStatus.WAITLISTED)
    # Equal shops: the lottery decides, and the waitlisted shop has the worst number.
    assert [m.lottery_number for m in proposed] == [1, 2]
    assert [m.lottery_number for m in waiting] == [3]
    first = proposed[0]
    assert first.explanation["topic"] == "e-commerce"
    assert first.explanation["location"] == "Kab. Sleman"
    assert first.explanation["places_left"] == 0
    assert first.score == 40 + 10 + 15
    assert first.partner_decision == "accepted"  # the offering accepts automatically
    assert any("Sleman" in reason for reason in first.reasons())

    # The first shop accepts: the place is taken, the engagement and ledger row begin.
    match_accept(match=first, side="shop")
    first.refresh_from_db()
    assert first.status == MatchStatus.ACCEPTED
    offering.refresh_from_db()
    assert offering.places_taken == 1
    engagement = selectors.engagements_for_shop(first.shop).get()
    assert engagement.organisation_id == partner.pk
    with tenant_context(partner.pk):
        assert Contribution.objects.get().amount == 1
    with tenant_context(first.shop_id):
        assert HelpRequest.objects.get().status == HelpRequestStatus.MATCHED

    # The second declines: its place is free, and the next run offers it to the waitlist.
    match_decline(match=proposed[1], side="shop", reason="Jadwal bentrok")
    rerun = _run(partner, django_capture_on_commit_callbacks)
    again = _matches(rerun, MatchStatus.PROPOSED)
    # The declined pair is never proposed again: the waitlisted shop gets the place.
    assert [m.shop_id for m in again] == [waiting[0].shop_id]

    with pytest.raises(PartnershipsError, match="already been answered"):
        match_accept(match=first, side="shop")


def test_an_accept_without_places_changes_nothing(
    partner: Organisation,
    shop_make: ShopMake,
    offering_make: OfferingMake,
    need_make: NeedMake,
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    offering = offering_make(capacity=1)
    need_make(shop_make())
    run = _run(partner, django_capture_on_commit_callbacks)
    (match,) = _matches(run, MatchStatus.PROPOSED)
    with across_tenants(reason="the test takes the last place behind the match's back"):
        Offering.objects.filter(pk=offering.pk).update(places_taken=1)
    with pytest.raises(PartnershipsError, match="last place"):
        match_accept(match=match, side="shop")
    match.refresh_from_db()
    assert match.status == MatchStatus.PROPOSED
    assert _count(Engagement) == 0


def test_partner_confirmation_when_not_automatic(
    partner: Organisation,
    shop_make: ShopMake,
    offering_make: OfferingMake,
    need_make: NeedMake,
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    offering_make(auto_accept=False)
    need_make(shop_make())
    run = _run(partner, django_capture_on_commit_callbacks)
    (match,) = _matches(run, MatchStatus.PROPOSED)
    match_accept(match=match, side="shop")
    assert match.status == MatchStatus.PROPOSED
    match_accept(match=match, side="partner")
    assert match.status == MatchStatus.ACCEPTED


def test_stable_run_and_retry_are_idempotent(
    partner: Organisation,
    shop_make: ShopMake,
    offering_make: OfferingMake,
    need_make: NeedMake,
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    offering_make(capacity=2)
    for i in range(4):
        need_make(shop_make(name=f"T{i}"))
    run = _run(partner, django_capture_on_commit_callbacks, objective="stable")
    assert run.stats["matched"] == 2
    rows = _count(Match, run=run)
    assert rows == 4
    # A worker died after storing: the task runs again and the rows are not doubled.
    with tenant_context(partner.pk):
        MatchRun.objects.filter(pk=run.pk).update(status=MatchRunStatus.RUNNING)
    match_run_execute(run_id=run.pk, organisation_id=partner.pk)
    assert _count(Match, run=run) == rows
    with tenant_context(partner.pk):
        lotteries = sorted(Match.objects.filter(run=run).values_list("lottery_number", flat=True))
    assert lotteries == [1, 2, 3, 4]


def test_matches_are_visible_to_their_partner_and_shop_only(
    partner: Organisation,
    shop_make: ShopMake,
    offering_make: OfferingMake,
    need_make: NeedMake,
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    offering_make()
    shop, other_shop = shop_make(), shop_make()
    need_make(shop)
    need_make(other_shop, topic="photography")  # no offering covers it
    _run(partner, django_capture_on_commit_callbacks)
    other_partner = OrganisationFactory(kind=OrganisationKind.INDUSTRY, is_verified=True)
    assert selectors.matches_for_shop(shop).count() == 1
    assert selectors.matches_for_shop(other_shop).count() == 0
    assert selectors.matches_for_partner(partner).count() == 1
    assert selectors.matches_for_partner(other_partner).count() == 0
    with pytest.raises(TenantContextMissing):
        list(HelpRequest.objects.all())
    with tenant_context(other_partner.pk):
        assert not HelpRequest.objects.exists()


def test_programme_run_respects_province_caps_and_lists_participants(
    shop_make: ShopMake,
    offering_make: OfferingMake,
    need_make: NeedMake,
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    government = OrganisationFactory(kind=OrganisationKind.GOVERNMENT, is_verified=True)
    with pytest.raises(PartnershipsError, match="99"):
        programme_create(organisation=government, name="UMKM Go Digital", quotas={"99": 3})
    programme = programme_create(
        organisation=government, name="UMKM Go Digital", quotas={"34": {"max": 1}}
    )
    offering = offering_make(capacity=10)
    programme_offering_add(programme=programme, offering=offering)
    programme_status_set(programme=programme, status="open")
    for i in range(3):
        need_make(shop_make(name=f"Y{i}", province="34", regency="34.71"))
    need_make(shop_make(name="J", province="33", regency="33.72"))
    run = _run(government, django_capture_on_commit_callbacks, programme=programme)
    proposed = _matches(run, MatchStatus.PROPOSED)
    provinces = sorted(m.shop.province_id for m in proposed)
    assert provinces == ["33", "34"]
    assert len(_matches(run, MatchStatus.WAITLISTED)) == 2
    assert all(m.organisation_id == offering.organisation_id for m in proposed)
    assert selectors.matches_for_run(run, government).count() == 4
    assert selectors.matches_for_run(run, offering.organisation).count() == 0
    for match in proposed:
        match_accept(match=match, side="shop")
    assert selectors.programme_participants(programme).count() == 2
    assert selectors.contributions_for_programme(programme).count() == 2


def test_stable_objective_is_refused_with_quotas(
    offering_make: OfferingMake,
) -> None:
    government = OrganisationFactory(kind=OrganisationKind.GOVERNMENT, is_verified=True)
    programme = programme_create(organisation=government, name="P", quotas={"34": {"max": 1}})
    programme_offering_add(programme=programme, offering=offering_make())
    programme_status_set(programme=programme, status="open")
    with pytest.raises(PartnershipsError) as error:
        match_run_start(organisation=government, programme=programme, objective="stable")
    assert error.value.field == "objective"
    assert _count(MatchRun) == 0


def test_engagement_sessions_team_and_ratings(
    partner: Organisation,
    shop_make: ShopMake,
    offering_make: OfferingMake,
    need_make: NeedMake,
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    offering_make(kind="internship", capacity=1, capacity_unit="teams")
    need_make(shop_make())
    run = _run(partner, django_capture_on_commit_callbacks)
    (match,) = _matches(run, MatchStatus.PROPOSED)
    match_accept(match=match, side="shop")
    with tenant_context(partner.pk):
        engagement = Engagement.objects.get()
    engagement_session_add(
        engagement=engagement, title="Foto produk", held_on=timezone.localdate(), hours=2
    )
    engagement_member_add(engagement=engagement, name="Ayu", role="student")
    engagement_member_add(engagement=engagement, name="Budi", role="student")
    engagement_member_add(engagement=engagement, name="Dr. Sari", role="supervisor")
    assert engagement.supervisor_name == "Dr. Sari"
    with tenant_context(partner.pk):
        students = Contribution.objects.filter(kind=ContributionKind.STUDENTS)
        assert sum(c.amount for c in students) == 2

    with pytest.raises(PartnershipsError) as error:
        engagement_feedback_submit(engagement=engagement, side="shop", rating=6)
    assert error.value.field == "rating"
    engagement_feedback_submit(engagement=engagement, side="shop", rating=5, feedback="Mantap")
    assert engagement.status == EngagementStatus.ACTIVE
    with pytest.raises(PartnershipsError, match="already rated"):
        engagement_feedback_submit(engagement=engagement, side="shop", rating=4)
    engagement_feedback_submit(engagement=engagement, side="partner", rating=4)
    engagement.refresh_from_db()
    assert engagement.status == EngagementStatus.COMPLETED
    assert (engagement.shop_rating, engagement.partner_rating) == (5, 4)
    with pytest.raises(PartnershipsError, match="ended"):
        engagement_session_add(engagement=engagement, title="Lagi", held_on=timezone.localdate())


def test_ledger_is_append_only_with_reversals(partner: Organisation) -> None:
    row = contribution_record(organisation=partner, kind="money", amount=5_000_000)
    with pytest.raises(PartnershipsError) as error:
        contribution_record(organisation=partner, kind="money", amount=-1)
    assert error.value.field == "amount"
    reversal = contribution_reverse(contribution=row, note="salah input")
    assert reversal.amount == -5_000_000
    with pytest.raises(PartnershipsError, match="already been reversed"):
        contribution_reverse(contribution=row)
    totals = selectors.contribution_totals(selectors.contributions_for_partner(partner))
    assert totals == {("money", "", ""): 0}


def test_closed_offerings_leave_matching(
    partner: Organisation,
    shop_make: ShopMake,
    offering_make: OfferingMake,
    need_make: NeedMake,
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    offering = offering_close(offering=offering_make())
    assert offering.status == OfferingStatus.CLOSED
    need_make(shop_make(), needed_by=timezone.localdate() + timedelta(days=3))
    run = _run(partner, django_capture_on_commit_callbacks)
    assert run.stats["offerings"] == 0
    assert _count(Match) == 0


def test_programme_model_window(shop_make: ShopMake) -> None:
    programme = Programme(applications_open_at=timezone.now() + timedelta(days=1))
    assert not programme.window_is_open()


def test_copy_lines_escape_what_copy_would_misread() -> None:
    from sinergi.partnerships.services.problem import MATCH_COLUMNS, _copy_line  # noqa: PLC0415

    nasty = {"location": "Kab.\tSleman\\\nX", "topic": "e-commerce"}
    row = (1, 2, 3, None, None, 4, 50, nasty, "proposed", "pending", "accepted", 7, "", "t")
    line = _copy_line(row)
    assert line.endswith("\n")
    assert line.count("\n") == 1
    fields = line[:-1].split("\t")
    assert len(fields) == len(MATCH_COLUMNS)
    assert fields[3] == "\\N"
    unescaped = fields[7].replace("\\\\", "\x00").replace("\\t", "\t").replace("\\n", "\n")
    assert json.loads(unescaped.replace("\x00", "\\")) == nasty


def test_applications_follow_the_programme_window(
    shop_make: ShopMake, offering_make: OfferingMake
) -> None:
    government = OrganisationFactory(kind=OrganisationKind.GOVERNMENT, is_verified=True)
    now = timezone.now()
    closed = programme_create(
        organisation=government,
        name="Gelombang 1",
        applications_open_at=now - timedelta(days=30),
        applications_close_at=now - timedelta(days=1),
    )
    offering = offering_make(title="Kelas Instagram", topics=["social-media"])
    programme_offering_add(programme=closed, offering=offering)
    shop = shop_make()

    with pytest.raises(PartnershipsError, match="closed"):
        application_create(shop=shop, offering=offering)
    assert _count(Application) == 0

    reopened = programme_create(
        organisation=government,
        name="Gelombang 2",
        applications_open_at=now - timedelta(days=1),
        applications_close_at=now + timedelta(days=9),
    )
    programme_offering_add(programme=reopened, offering=offering)
    application_create(shop=shop, offering=offering)
    assert _count(Application) == 1
