"""The partnership pages: who may open them, and what each form does to the database."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sinergi.accounts.models import OrganisationKind, Role
from sinergi.core.tenancy import across_tenants, tenant_context
from sinergi.partnerships.models import (
    Application,
    Engagement,
    HelpRequest,
    MatchRun,
    Offering,
)
from tests.factories import UserFactory
from tests.partnerships.routes import (
    make_application,
    make_engagement,
    make_help_request,
    make_match,
    make_offering,
    make_programme,
    member_of,
    partner_org,
    shop_org,
)
from tests.partnerships.views_support import EN, OFFERING_FORM
from tests.tenancy import TENANT_ROUTES, database_snapshot

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_no_partner_mfa")]


# --- Anonymous people, wrong kinds and wrong roles ------------------------------------------

PAGES_WITHOUT_ID = [
    "partnerships:offering_list",
    "partnerships:offering_create",
    "partnerships:engagement_list",
    "partnerships:ledger",
    "partnerships:help_home",
    "partnerships:help_request_create",
    "partnerships:offering_browse",
    "partnerships:shop_engagement_list",
    "partnerships:programme_list",
    "partnerships:programme_create",
]


@pytest.mark.parametrize("url_name", PAGES_WITHOUT_ID)
def test_anonymous_people_are_sent_to_sign_in(client, url_name):
    response = client.get(reverse(url_name))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


_ROUTES_WITH_ID = [r for name, r in TENANT_ROUTES.items() if name.startswith("partnerships:")]


@pytest.mark.parametrize("route", _ROUTES_WITH_ID, ids=lambda r: r.url_name)
def test_anonymous_people_on_pages_with_an_id_go_to_sign_in_and_change_nothing(client, route):
    url = reverse(route.url_name, kwargs=route.make(shop_org()))
    before = database_snapshot()

    for method in route.methods:
        response = getattr(client, method)(url)
        assert response.status_code == 302, f"{method.upper()} {url}"
        assert response.url.startswith(reverse("account_login"))
    assert database_snapshot() == before


@pytest.mark.parametrize(
    "url_name",
    [
        "partnerships:offering_list",
        "partnerships:engagement_list",
        "partnerships:ledger",
        "partnerships:programme_list",
    ],
)
def test_a_shop_has_no_partner_pages(shop, url_name):
    _, client = shop

    assert client.get(reverse(url_name)).status_code == 404


@pytest.mark.parametrize(
    "url_name",
    ["partnerships:help_home", "partnerships:offering_browse", "partnerships:help_request_create"],
)
def test_a_partner_has_no_shop_pages(industry, url_name):
    _, client = industry

    assert client.get(reverse(url_name)).status_code == 404


def test_a_company_runs_no_programmes(industry):
    _, client = industry

    assert client.get(reverse("partnerships:programme_list")).status_code == 404


def test_university_staff_may_see_programmes_but_not_create_or_run_them(signed_in):
    university = partner_org(OrganisationKind.ACADEMIA)
    staff = signed_in(member_of(university, Role.STAFF).user)
    programme = make_programme(university)
    before = database_snapshot()

    assert staff.get(reverse("partnerships:programme_list")).status_code == 200
    assert staff.get(reverse("partnerships:programme_create")).status_code == 403
    assert staff.post(reverse("partnerships:programme_create"), {"name": "X"}).status_code == 403
    run = reverse("partnerships:programme_run", kwargs={"pk": programme.pk})
    assert staff.post(run, {"objective": "optimal"}).status_code == 403
    assert (
        staff.post(
            reverse("partnerships:programme_status", kwargs={"pk": programme.pk}),
            {"status": "closed"},
        ).status_code
        == 403
    )
    assert database_snapshot() == before


def test_a_user_without_organisation_is_sent_to_create_one(signed_in):
    response = signed_in(UserFactory()).get(reverse("partnerships:help_home"))

    assert response.url == reverse("accounts:organisation_create")


# --- Another organisation of the same kind --------------------------------------------------


def test_another_company_cannot_reach_an_offering_or_its_matches(industry, signed_in):
    owner = partner_org()
    offering = make_offering(owner, status="draft")
    match = make_match(shop_org(), offering, partner_decision="pending")
    engagement = make_engagement(shop_org(), make_offering(owner))
    _, intruder = industry
    before = database_snapshot()

    for name in ("offering_detail", "offering_edit"):
        assert (
            intruder.get(reverse(f"partnerships:{name}", kwargs={"pk": offering.pk})).status_code
            == 404
        )
    for name in ("offering_publish", "offering_close", "offering_edit"):
        url = reverse(f"partnerships:{name}", kwargs={"pk": offering.pk})
        assert intruder.post(url, OFFERING_FORM).status_code == 404
    for name in ("match_partner_accept", "match_partner_decline"):
        assert (
            intruder.post(reverse(f"partnerships:{name}", kwargs={"pk": match.pk})).status_code
            == 404
        )
    for name in ("engagement_detail",):
        assert (
            intruder.get(reverse(f"partnerships:{name}", kwargs={"pk": engagement.pk})).status_code
            == 404
        )
    for name in ("session_add", "member_add", "engagement_notes", "engagement_feedback"):
        url = reverse(f"partnerships:{name}", kwargs={"pk": engagement.pk})
        assert (
            intruder.post(url, {"title": "x", "held_on": "2030-01-01", "rating": 5}).status_code
            == 404
        )
    assert database_snapshot() == before


def test_another_agency_cannot_reach_a_programme_or_its_runs(government):
    owner = partner_org(OrganisationKind.GOVERNMENT)
    programme = make_programme(owner)
    with tenant_context(owner.pk):
        run = MatchRun.objects.create(organisation=owner, programme=programme, seed=3)
    _, intruder = government
    before = database_snapshot()

    for name in (
        "programme_detail",
        "programme_edit",
        "programme_participants",
        "programme_ledger",
    ):
        assert (
            intruder.get(reverse(f"partnerships:{name}", kwargs={"pk": programme.pk})).status_code
            == 404
        )
    for name in ("programme_run", "programme_status", "programme_offering_add"):
        assert (
            intruder.post(reverse(f"partnerships:{name}", kwargs={"pk": programme.pk})).status_code
            == 404
        )
    for name in ("run_detail", "run_progress"):
        assert (
            intruder.get(reverse(f"partnerships:{name}", kwargs={"pk": run.pk})).status_code == 404
        )
    assert database_snapshot() == before


def test_a_shop_cannot_answer_another_shops_match(shop):
    match = make_match(shop_org(), make_offering(partner_org()))
    _, intruder = shop
    before = database_snapshot()

    assert (
        intruder.post(reverse("partnerships:match_accept", kwargs={"pk": match.pk})).status_code
        == 404
    )
    assert database_snapshot() == before


# --- Partners' offerings ---------------------------------------------------------------------


def test_a_university_creates_an_internship_offering_with_every_field(signed_in):
    university = partner_org(OrganisationKind.ACADEMIA)
    client = signed_in(member_of(university, Role.ADMIN).user)

    response = client.post(reverse("partnerships:offering_create"), OFFERING_FORM)

    with tenant_context(university.pk):
        offering = Offering.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("partnerships:offering_detail", kwargs={"pk": offering.pk})
    assert (offering.kind, offering.status, offering.capacity_unit) == (
        "internship",
        "draft",
        "teams",
    )
    assert offering.topics == ["bookkeeping", "data-analytics"]
    assert (offering.province_id, offering.regency_id, offering.places) == ("34", "34.04", 6)
    assert offering.eligible_sectors == ["culinary", "crafts"]
    assert offering.eligible_size_classes == ["micro"]
    assert offering.eligible_provinces == ["34", "33"]
    assert (offering.contact_name, offering.schedule) == (
        "Dr. Rina Kartika",
        "8 pekan, 3 hari per pekan",
    )
    page = client.get(response.url, **EN).content.decode()
    assert "Magang Mahasiswa: Digitalisasi Pembukuan" in page
    assert "6 student teams in total, one per shop: 6 of 6 places left" in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"province": "", "regency": ""}, "province", "needs the province"),
        ({"ends_on": "2030-01-01"}, "ends_on", "before the start date"),
        ({"topics": []}, "topics", "at least one topic"),
        ({"regency": "33.72"}, "regency", "Select a valid choice"),
        ({"per_shop": "9"}, "per_shop", "more than the whole capacity"),
    ],
)
def test_bad_offering_input_is_explained_and_nothing_is_saved(industry, changes, field, message):
    membership, client = industry

    response = client.post(
        reverse("partnerships:offering_create"), {**OFFERING_FORM, **changes}, **EN
    )

    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    with tenant_context(membership.organisation_id):
        assert not Offering.objects.exists()


def test_staff_publish_edit_and_close_an_offering(signed_in):
    company = partner_org()
    client = signed_in(member_of(company, Role.STAFF).user)
    offering = make_offering(company, status="draft")

    client.post(reverse("partnerships:offering_publish", kwargs={"pk": offering.pk}))
    offering.refresh_from_db()
    assert offering.status == "published"

    response = client.post(
        reverse("partnerships:offering_edit", kwargs={"pk": offering.pk}),
        {
            **OFFERING_FORM,
            "title": "Pelatihan TikTok Shop",
            "kind": "course",
            "capacity_unit": "seats",
            "capacity": "30",
            "mode": "online",
            "province": "",
            "regency": "",
        },
    )
    offering.refresh_from_db()
    assert response.status_code == 302
    assert (offering.title, offering.capacity, offering.mode) == (
        "Pelatihan TikTok Shop",
        30,
        "online",
    )

    client.post(reverse("partnerships:offering_close", kwargs={"pk": offering.pk}))
    offering.refresh_from_db()
    assert offering.status == "closed"


def test_an_unverified_partner_is_told_why_it_cannot_publish(signed_in):
    company = partner_org(is_verified=False)
    client = signed_in(member_of(company, Role.ADMIN).user)
    offering = make_offering(company, status="draft")

    response = client.post(
        reverse("partnerships:offering_publish", kwargs={"pk": offering.pk}), follow=True, **EN
    )

    offering.refresh_from_db()
    assert offering.status == "draft"
    assert "must be verified" in response.content.decode()


def test_offering_page_lists_applications_and_matches_with_reasons(industry):
    membership, client = industry
    offering = make_offering(membership.organisation)
    applicant = shop_org(name="Keripik Bu Sri")
    make_application(applicant, offering)
    make_match(shop_org(name="Bakso Pak Min"), offering)

    page = client.get(reverse("partnerships:offering_detail", kwargs={"pk": offering.pk}), **EN)

    text = page.content.decode()
    assert "Keripik Bu Sri" in text
    assert "Bakso Pak Min" in text
    assert "topic matches: Social-media management" in text
    assert "places left: 3" in text


def test_offering_list_does_not_query_per_offering(industry, django_assert_max_num_queries):
    membership, client = industry
    for n in range(8):
        make_offering(membership.organisation, title=f"Kelas {n}")

    with django_assert_max_num_queries(12):
        response = client.get(reverse("partnerships:offering_list"))

    assert len(response.context["offerings"]) == 8


def test_partner_accepts_a_match_when_it_does_not_accept_automatically(industry):
    membership, client = industry
    match = make_match(
        shop_org(), make_offering(membership.organisation), partner_decision="pending"
    )

    client.post(reverse("partnerships:match_partner_accept", kwargs={"pk": match.pk}))

    with across_tenants(reason="test"):
        match.refresh_from_db()
    assert (match.partner_decision, match.status) == ("accepted", "proposed")


# --- Shops ask for help -----------------------------------------------------------------------


def test_a_shop_asks_for_help_with_instagram_selling(shop):
    membership, client = shop

    response = client.post(
        reverse("partnerships:help_request_create"),
        {
            "topic": "social-media",
            "urgency": "high",
            "description": "Jualan di IG sepi.",
            "languages": ["id"],
        },
    )

    with tenant_context(membership.organisation_id):
        help_request = HelpRequest.objects.get()
    assert response.url == reverse(
        "partnerships:help_request_detail", kwargs={"pk": help_request.pk}
    )
    assert (help_request.topic, help_request.urgency, help_request.status) == (
        "social-media",
        "high",
        "open",
    )
    assert help_request.created_by == membership.user


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"topic": ""}, "topic"),
        ({"description": ""}, "description"),
        ({"urgency": "tomorrow"}, "urgency"),
    ],
)
def test_a_bad_help_request_is_explained_and_nothing_is_saved(shop, changes, field):
    membership, client = shop
    data = {"topic": "social-media", "urgency": "high", "description": "Jualan sepi.", **changes}

    response = client.post(reverse("partnerships:help_request_create"), data)

    assert response.status_code == 400
    assert response.context["form"].errors[field]
    with tenant_context(membership.organisation_id):
        assert not HelpRequest.objects.exists()


def test_staff_may_ask_for_help_too(signed_in):
    staff = member_of(shop_org(), Role.STAFF)

    response = signed_in(staff.user).post(
        reverse("partnerships:help_request_create"),
        {"topic": "bookkeeping", "urgency": "low", "description": "Pembukuan."},
    )

    assert response.status_code == 302


def test_browse_shows_only_offerings_that_fit_the_shop(shop):
    _membership, client = shop
    company = partner_org()
    fits = make_offering(company, title="Cocok daring")
    make_offering(company, title="Hanya fesyen", eligible_sectors=["fashion"])
    make_offering(company, title="Di Jawa Tengah", mode="on_site", province_id="33")
    make_offering(company, title="Masih draf", status="draft")
    make_offering(company, title="Sudah penuh", capacity=1, places_taken=1)
    nearby = make_offering(
        company, title="Di Sleman", mode="on_site", province_id="34", regency_id="34.04"
    )

    response = client.get(reverse("partnerships:offering_browse"))

    assert {o.pk for o in response.context["offerings"]} == {fits.pk, nearby.pk}
    assert response.context["offerings"][0].pk == nearby.pk  # on site in its own regency first


def test_a_shop_applies_and_withdraws(shop):
    membership, client = shop
    offering = make_offering(partner_org())

    client.post(
        reverse("partnerships:offering_apply", kwargs={"pk": offering.pk}),
        {"note": "Ingin belajar Reels", "preference_rank": "1"},
    )
    with tenant_context(membership.organisation_id):
        application = Application.objects.get()
    assert (application.offering_id, application.preference_rank, application.note) == (
        offering.pk,
        1,
        "Ingin belajar Reels",
    )

    page = client.get(reverse("partnerships:offering_public", kwargs={"pk": offering.pk}), **EN)
    assert "You applied on" in page.content.decode()

    client.post(reverse("partnerships:application_withdraw", kwargs={"pk": application.pk}))
    application.refresh_from_db()
    assert application.status == "withdrawn"


def test_applying_to_an_offering_that_does_not_fit_is_refused(shop):
    membership, client = shop
    offering = make_offering(partner_org(), eligible_sectors=["fashion"])

    response = client.post(
        reverse("partnerships:offering_apply", kwargs={"pk": offering.pk}), {}, **EN
    )

    assert response.status_code == 400
    with tenant_context(membership.organisation_id):
        assert not Application.objects.exists()


def test_a_shop_accepts_a_match_and_the_engagement_begins(shop):
    membership, client = shop
    offering = make_offering(partner_org(), capacity=5)
    help_request = make_help_request(membership.organisation)
    match = make_match(membership.organisation, offering, help_request=help_request)

    home = client.get(reverse("partnerships:help_home"), **EN).content.decode()
    assert "topic matches: Social-media management" in home

    client.post(reverse("partnerships:match_accept", kwargs={"pk": match.pk}))

    with across_tenants(reason="test"):
        match.refresh_from_db()
        offering.refresh_from_db()
        engagement = Engagement.objects.get(match=match)
    help_request.refresh_from_db()
    assert (match.status, offering.places_taken, help_request.status) == ("accepted", 1, "matched")
    assert engagement.shop_id == membership.organisation_id


def test_a_shop_declines_a_match(shop):
    membership, client = shop
    match = make_match(membership.organisation, make_offering(partner_org()))

    client.post(reverse("partnerships:match_decline", kwargs={"pk": match.pk}), {"reason": "Sibuk"})

    with across_tenants(reason="test"):
        match.refresh_from_db()
    assert (match.status, match.shop_decision, match.decline_reason) == (
        "declined",
        "declined",
        "Sibuk",
    )
