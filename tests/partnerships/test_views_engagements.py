"""Engagement pages: sessions, the team, notes and both sides' feedback."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from sinergi.accounts.models import OrganisationKind, Role
from sinergi.core.tenancy import across_tenants
from sinergi.partnerships.models import (
    EngagementMember,
    EngagementSession,
)
from tests.partnerships.routes import (
    make_engagement,
    make_offering,
    member_of,
    partner_org,
    shop_org,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_no_partner_mfa")]

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def _no_partner_mfa():
    with override_settings(SINERGI_REQUIRE_PARTNER_MFA=False):
        yield


@pytest.fixture
def industry(signed_in):
    membership = member_of(partner_org(), Role.ADMIN)
    return membership, signed_in(membership.user)


@pytest.fixture
def shop(signed_in):
    membership = member_of(shop_org(), Role.OWNER)
    return membership, signed_in(membership.user)


@pytest.fixture
def government(signed_in):
    membership = member_of(partner_org(OrganisationKind.GOVERNMENT), Role.OFFICER)
    return membership, signed_in(membership.user)


OFFERING_FORM = {
    "title": "Magang Mahasiswa: Digitalisasi Pembukuan",
    "kind": "internship",
    "description": "Tim mahasiswa akuntansi membantu pembukuan digital.",
    "topics": ["bookkeeping", "data-analytics"],
    "capacity": "6",
    "capacity_unit": "teams",
    "per_shop": "1",
    "mode": "on_site",
    "province": "34",
    "regency": "34.04",
    "starts_on": "2030-02-01",
    "ends_on": "2030-03-28",
    "schedule": "8 pekan, 3 hari per pekan",
    "language": "id",
    "eligible_sectors": ["culinary", "crafts"],
    "eligible_size_classes": ["micro"],
    "eligible_provinces": ["34", "33"],
    "contact_name": "Dr. Rina Kartika",
    "contact_email": "rina@kampus.ac.id",
    "contact_phone": "+62274123456",
    "auto_accept": "on",
}


# --- Engagements -------------------------------------------------------------------------------


def test_partner_logs_sessions_team_notes_and_both_sides_rate(industry, signed_in):
    membership, client = industry
    shop_owner = member_of(shop_org(), Role.OWNER)
    engagement = make_engagement(shop_owner.organisation, make_offering(membership.organisation))
    url = lambda name: reverse(f"partnerships:{name}", kwargs={"pk": engagement.pk})  # noqa: E731

    client.post(
        url("session_add"),
        {
            "kind": "session",
            "title": "Praktik membuat Reels",
            "held_on": str(timezone.localdate()),
            "hours": "2",
            "attended": "on",
            "attendees": "2",
            "deliverable": "Rencana konten 30 hari",
        },
    )
    client.post(
        url("member_add"),
        {"name": "Dr. Rina Kartika", "role": "supervisor", "email": "rina@kampus.ac.id"},
    )
    client.post(url("engagement_notes"), {"notes": "Pemilik antusias."})
    client.post(url("engagement_feedback"), {"rating": "4", "feedback": "Rajin."})

    with across_tenants(reason="test"):
        session = EngagementSession.objects.get(engagement=engagement)
        member = EngagementMember.objects.get(engagement=engagement)
        engagement.refresh_from_db()
    assert (session.title, session.hours, session.attendees, session.attended) == (
        "Praktik membuat Reels",
        2,
        2,
        True,
    )
    assert (member.role, engagement.supervisor_name) == ("supervisor", "Dr. Rina Kartika")
    assert (engagement.notes, engagement.partner_rating, engagement.status) == (
        "Pemilik antusias.",
        4,
        "active",
    )

    shop_client = signed_in(shop_owner.user)
    page = shop_client.get(
        reverse("partnerships:shop_engagement_detail", kwargs={"pk": engagement.pk}), **EN
    )
    assert "Praktik membuat Reels" in page.content.decode()
    shop_client.post(
        reverse("partnerships:shop_engagement_feedback", kwargs={"pk": engagement.pk}),
        {"rating": "5", "feedback": "Sangat membantu."},
    )

    with across_tenants(reason="test"):
        engagement.refresh_from_db()
    assert (engagement.shop_rating, engagement.shop_feedback, engagement.status) == (
        5,
        "Sangat membantu.",
        "completed",
    )


def test_a_rating_out_of_range_is_refused(industry):
    membership, client = industry
    engagement = make_engagement(shop_org(), make_offering(membership.organisation))

    response = client.post(
        reverse("partnerships:engagement_feedback", kwargs={"pk": engagement.pk}), {"rating": "9"}
    )

    assert response.status_code == 400
    engagement.refresh_from_db()
    assert engagement.partner_rating is None


def test_the_shop_cannot_log_sessions(shop):
    membership, client = shop
    engagement = make_engagement(membership.organisation, make_offering(partner_org()))

    response = client.post(
        reverse("partnerships:session_add", kwargs={"pk": engagement.pk}),
        {"title": "x", "held_on": "2030-01-01"},
    )

    assert response.status_code == 404
