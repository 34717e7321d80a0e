"""Two shops accept at the same moment for the last place: exactly one gets it (PostgreSQL).

SQLite serialises writers, so the race cannot happen there; this test skips unless the
database is PostgreSQL. Each shop is a thread with its own connection, released together by
a barrier.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection

from sinergi.accounts.models import Organisation
from sinergi.core.tenancy import across_tenants
from sinergi.partnerships.models import Engagement, HelpRequest, Match, MatchStatus, Offering
from sinergi.partnerships.services import (
    PartnershipsError,
    match_accept,
    match_run_execute,
    match_run_start,
)
from tests.concurrency import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

SHOPS = 8


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is only meaningful on PostgreSQL (SQLite serialises writers)")


@pytest.mark.django_db(transaction=True)
def test_concurrent_accepts_never_overfill_an_offering(
    partner: Organisation,
    shop_make: Callable[..., Organisation],
    offering_make: Callable[..., Offering],
    need_make: Callable[..., HelpRequest],
) -> None:
    offering = offering_make(capacity=SHOPS)
    for i in range(SHOPS):
        need_make(shop_make(name=f"Toko {i}"))
    run = match_run_start(organisation=partner, seed=5)
    match_run_execute(run_id=run.pk, organisation_id=partner.pk)
    with across_tenants(reason="the test reads the proposals of every shop"):
        proposals = list(Match.objects.filter(run=run, status=MatchStatus.PROPOSED))
        assert len(proposals) == SHOPS
        # Meanwhile all but one place went elsewhere: eight shops race for the last one.
        Offering.objects.filter(pk=offering.pk).update(places_taken=SHOPS - 1)

    def accept(match: Match) -> str:
        try:
            match_accept(match=match, side="shop")
        except PartnershipsError:
            return "refused"
        return "accepted"

    outcomes = sorted(run_together(accept, proposals))

    assert outcomes == ["accepted"] + ["refused"] * (SHOPS - 1)
    with across_tenants(reason="the test checks the outcome for every shop"):
        offering.refresh_from_db()
        assert offering.places_taken == SHOPS
        assert Match.objects.filter(run=run, status=MatchStatus.ACCEPTED).count() == 1
        assert Engagement.objects.count() == 1
