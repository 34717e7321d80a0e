"""The demo's partnership layer: realistic, consistent with the rules, deterministic, and the
pages open on it."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from sinergi.accounts.models import Membership
from sinergi.core.tenancy import across_tenants
from sinergi.demo.generator import DEMO_SIGN_INS, Ecosystem, organisations_layer
from sinergi.demo.partnerships_layer import partnerships_layer
from sinergi.partnerships.models import (
    Contribution,
    Engagement,
    EngagementSession,
    HelpRequest,
    Match,
    Offering,
    Programme,
)

pytestmark = pytest.mark.django_db


def _generate(seed: int, shops: int = 80) -> Ecosystem:
    ecosystem = Ecosystem(seed=seed, password_hash="!")
    organisations_layer(ecosystem, shops)
    partnerships_layer(ecosystem, shops)
    return ecosystem


def _fingerprint() -> list[object]:
    with across_tenants(reason="test compares the generated rows"):
        return [
            list(Offering.objects.order_by("pk").values_list("title", "status", "places_taken")),
            list(HelpRequest.objects.order_by("pk").values_list("topic", "urgency", "status")),
            list(Match.objects.order_by("pk").values_list("status", "lottery_number", "score")),
            list(Engagement.objects.order_by("pk").values_list("status", "shop_rating")),
        ]


def test_the_layer_fills_every_part_of_the_hub_consistently():
    _generate(seed=5)

    with across_tenants(reason="test reads the generated rows"):
        offerings = list(Offering.objects.all())
        programme = Programme.objects.first()
        assert programme is not None
        assert programme.name.startswith("Program UMKM Naik Kelas Digital")
        assert programme.quotas
        assert any(o.title == "Magang Mahasiswa: Digitalisasi Pembukuan" for o in offerings) or any(
            o.kind == "internship" for o in offerings
        )
        assert all(o.places_taken <= o.places for o in offerings)
        assert HelpRequest.objects.filter(topic="social-media").exists()
        accepted = Match.objects.filter(status="accepted").count()
        assert accepted == Engagement.objects.count() > 0
        assert EngagementSession.objects.exists()
        assert Engagement.objects.filter(status="completed", shop_rating__isnull=False).exists()
        assert Contribution.objects.count() == accepted
        for match in Match.objects.filter(status="accepted").select_related("offering"):
            assert match.explanation["topic"] in match.offering.topics


def test_the_same_seed_gives_the_same_hub():
    _generate(seed=9)
    first = _fingerprint()
    from sinergi.accounts.models import Organisation, User  # noqa: PLC0415

    with across_tenants(reason="test starts over"):
        for model in (Contribution, EngagementSession, Engagement, Match):
            model.objects.all().delete()
    User.objects.all().delete()
    Organisation.objects.all().delete()
    _generate(seed=9)

    assert _fingerprint() == first


@override_settings(SINERGI_REQUIRE_PARTNER_MFA=False)
def test_demo_people_open_their_hub_pages(client):
    _generate(seed=2, shops=20)
    pages = {
        DEMO_SIGN_INS[0][0]: ["partnerships:help_home", "partnerships:offering_browse"],
        DEMO_SIGN_INS[2][0]: [
            "partnerships:offering_list",
            "partnerships:ledger",
            "partnerships:engagement_list",
        ],
        DEMO_SIGN_INS[4][0]: ["partnerships:programme_list"],
    }
    for email, url_names in pages.items():
        membership = Membership.objects.filter(user__email=email).first()
        client.force_login(membership.user)
        for url_name in url_names:
            assert client.get(reverse(url_name)).status_code == 200, (email, url_name)
        assert client.get(reverse("web:workspace")).status_code == 200
