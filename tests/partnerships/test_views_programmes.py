"""Programme pages, match runs, the contribution ledger and the workspace homes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sinergi.accounts.models import OrganisationKind
from sinergi.core.tenancy import across_tenants, tenant_context
from sinergi.partnerships.models import (
    Contribution,
    Match,
    MatchRun,
    Programme,
    ProgrammeOffering,
)
from tests.partnerships.routes import (
    make_engagement,
    make_help_request,
    make_match,
    make_offering,
    make_programme,
    partner_org,
    shop_org,
)
from tests.partnerships.views_support import EN

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_no_partner_mfa")]


# --- Programmes and matching -------------------------------------------------------------------


def test_an_officer_creates_a_programme_with_quotas(government):
    membership, client = government

    response = client.post(
        reverse("partnerships:programme_create"),
        {
            "name": "Program UMKM Naik Kelas Digital 2026 — Provinsi Jawa Tengah",
            "description": "Kohort pertama",
            "quotas_text": "Jawa Tengah: 40\n34: 5-20",
            "applications_open_at": "2030-01-01T08:00",
            "applications_close_at": "2030-02-01T17:00",
        },
    )

    with tenant_context(membership.organisation_id):
        programme = Programme.objects.get()
    assert response.url == reverse("partnerships:programme_detail", kwargs={"pk": programme.pk})
    assert programme.quotas == {"33": {"max": 40}, "34": {"max": 20, "min": 5}}


@pytest.mark.parametrize(
    ("quotas", "message"),
    [
        ("Atlantis: 4", "Line 1"),
        ("Jawa Tengah: 40\nDI Yogyakarta: banyak", "Line 2"),
        ("Jawa Tengah: 9-3", "Line 1"),
    ],
)
def test_bad_quotas_name_the_line_and_nothing_is_saved(government, quotas, message):
    membership, client = government

    response = client.post(
        reverse("partnerships:programme_create"), {"name": "Program", "quotas_text": quotas}, **EN
    )

    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["quotas_text"])
    with tenant_context(membership.organisation_id):
        assert not Programme.objects.exists()


def test_officer_adds_an_offering_opens_the_programme_and_runs_a_match(
    government, django_capture_on_commit_callbacks
):
    membership, client = government
    programme = make_programme(membership.organisation, status="draft", quotas={"34": {"max": 5}})
    offering = make_offering(
        partner_org(), capacity=1, mode="on_site", province_id="34", regency_id="34.04"
    )
    first, second = shop_org(name="Keripik Bu Sri"), shop_org(name="Bakso Pak Min")
    make_help_request(first)
    make_help_request(second)
    detail = reverse("partnerships:programme_detail", kwargs={"pk": programme.pk})

    client.post(
        reverse("partnerships:programme_offering_add", kwargs={"pk": programme.pk}),
        {"offering": offering.pk},
    )
    client.post(
        reverse("partnerships:programme_status", kwargs={"pk": programme.pk}), {"status": "open"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("partnerships:programme_run", kwargs={"pk": programme.pk}),
            {"objective": "optimal"},
        )

    with tenant_context(membership.organisation_id):
        run = MatchRun.objects.get()
        assert ProgrammeOffering.objects.filter(programme=programme, offering=offering).exists()
    programme.refresh_from_db()
    assert programme.status == "open"
    assert response.url == reverse("partnerships:run_detail", kwargs={"pk": run.pk})
    assert run.status == "done"
    page = client.get(response.url, **EN)
    matches, waitlist = page.context["matches"], page.context["waitlist"]
    assert len(matches) == 1
    assert len(waitlist) == 1
    text = page.content.decode()
    assert "topic matches: Social-media management" in text
    assert "location: " in text
    progress = client.get(reverse("partnerships:run_progress", kwargs={"pk": run.pk}), **EN)
    assert "Show the results" in progress.content.decode()
    assert client.get(detail).status_code == 200


def test_run_progress_polls_until_the_run_is_finished(government):
    membership, client = government
    programme = make_programme(membership.organisation)
    with tenant_context(membership.organisation_id):
        run = MatchRun.objects.create(
            organisation=membership.organisation,
            programme=programme,
            seed=5,
            status="running",
            progress=40,
            stage="Solving",
        )

    fragment = client.get(
        reverse("partnerships:run_progress", kwargs={"pk": run.pk})
    ).content.decode()

    assert 'hx-get="' in fragment
    assert 'value="40"' in fragment


def test_participants_and_the_programme_ledger(government):
    membership, client = government
    programme = make_programme(membership.organisation)
    company = partner_org(name="PT Kemas Jaya")
    offering = make_offering(company)
    placed = shop_org(name="Keripik Bu Sri")
    match = make_match(placed, offering, owner=membership.organisation, status="accepted")
    with across_tenants(reason="test"):
        MatchRun.objects.filter(pk=match.run_id).update(programme=programme)
        Contribution.objects.create(
            organisation=company,
            kind="money",
            amount=5_000_000,
            programme=programme,
            province_id="34",
            topic="packaging",
        )
        Contribution.objects.create(
            organisation=company,
            kind="seats",
            amount=3,
            programme=programme,
            province_id="34",
            topic="social-media",
        )

    participants = client.get(
        reverse("partnerships:programme_participants", kwargs={"pk": programme.pk})
    )
    ledger = client.get(reverse("partnerships:programme_ledger", kwargs={"pk": programme.pk}))

    assert [row.shop.name for row in participants.context["participants"]] == ["Keripik Bu Sri"]
    table = ledger.context["ledger"]
    assert [(r.label, r.seats, r.money) for r in table.rows] == [("PT Kemas Jaya", 3, 5_000_000)]
    assert "Rp\u00a05,000,000" in ledger.content.decode()


def test_partner_ledger_totals_per_programme_province_and_topic(industry):
    membership, client = industry
    company = membership.organisation
    programme = make_programme(partner_org(OrganisationKind.GOVERNMENT))
    with tenant_context(company.pk):
        for kind, amount, province, topic, prog in [
            ("seats", 10, "34", "social-media", programme),
            ("hours", 12, "34", "bookkeeping", programme),
            ("hours", 6, "33", "bookkeeping", None),
            ("money", 2_500_000, "33", "packaging", None),
        ]:
            Contribution.objects.create(
                organisation=company,
                kind=kind,
                amount=amount,
                province_id=province,
                topic=topic,
                programme=prog,
            )
    url = reverse("partnerships:ledger")

    by_programme = client.get(url, **EN).context["ledger"]
    by_topic = client.get(url, {"by": "topic"}, **EN).context["ledger"]

    total = by_programme.total
    assert (total.seats, total.hours, total.money) == (10, 18, 2_500_000)
    rows = {r.label: (r.seats, r.hours, r.money) for r in by_programme.rows}
    assert rows == {programme.name: (10, 12, 0), "Outside a programme": (0, 6, 2_500_000)}
    assert {r.label: r.hours for r in by_topic.rows}["Bookkeeping and finance"] == 18


# --- Workspace homes ---------------------------------------------------------------------------


def test_workspace_homes_show_the_hub(shop, industry, government):
    shop_membership, shop_client = shop
    make_help_request(shop_membership.organisation)
    make_match(shop_membership.organisation, make_offering(partner_org()))

    shop_home = shop_client.get(reverse("web:workspace"), **EN).content.decode()
    partner_home = industry[1].get(reverse("web:workspace"), **EN).content.decode()
    government_home = government[1].get(reverse("web:workspace"), **EN).content.decode()

    assert "Open help request" in shop_home
    assert "1 offer is waiting for your answer" in shop_home
    assert reverse("partnerships:offering_create") in partner_home
    assert reverse("partnerships:programme_create") in government_home


def test_navigation_has_the_hub_for_every_kind(shop, industry, government):
    for (_, client), url_name in [
        (shop, "partnerships:help_home"),
        (industry, "partnerships:offering_list"),
        (government, "partnerships:programme_list"),
    ]:
        nav = client.get(reverse("web:workspace")).context["nav"]
        assert reverse(url_name) in [item["url"] for item in nav]


def test_a_partner_matches_its_own_offerings(industry, django_capture_on_commit_callbacks):
    membership, client = industry
    make_offering(membership.organisation)
    make_help_request(shop_org())

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("partnerships:run_create"))

    with tenant_context(membership.organisation_id):
        run = MatchRun.objects.get()
        assert Match.objects.filter(run=run).count() == 1
    assert (run.programme_id, run.status) == (None, "done")
    assert response.url == reverse("partnerships:run_detail", kwargs={"pk": run.pk})


def test_a_shop_closes_a_request_and_sees_its_engagements(shop):
    membership, client = shop
    help_request = make_help_request(membership.organisation)
    offering = make_offering(partner_org(), title="Kelas Foto Produk")
    make_engagement(membership.organisation, offering)

    client.post(reverse("partnerships:help_request_close", kwargs={"pk": help_request.pk}))
    engagements = client.get(reverse("partnerships:shop_engagement_list"))
    public = client.get(reverse("partnerships:offering_public", kwargs={"pk": offering.pk}))

    help_request.refresh_from_db()
    assert help_request.status == "closed"
    assert [e.offering.title for e in engagements.context["engagements"]] == ["Kelas Foto Produk"]
    assert public.status_code == 200
