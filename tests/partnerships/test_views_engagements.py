"""Engagement pages: sessions, the team, notes and both sides' feedback."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from sinergi.accounts.models import Role
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
from tests.partnerships.views_support import EN

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_no_partner_mfa")]


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
