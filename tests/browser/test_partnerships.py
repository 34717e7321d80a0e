"""The partnership hub in a real browser: a university publishes an internship, a shop asks
for help with Instagram selling, an officer runs a match, the shop accepts, the engagement is
logged and rated. Screenshots go to test-results/."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import make_password
from django.test import override_settings
from django.utils import timezone

from sinergi.accounts.models import OrganisationKind, Role
from sinergi.core.tenancy import across_tenants, tenant_context
from sinergi.partnerships.models import (
    Application,
    Engagement,
    HelpRequest,
    Match,
    MatchRun,
    Offering,
    ProgrammeOffering,
)
from tests.browser.conftest import sign_in
from tests.factories import PASSWORD
from tests.partnerships.routes import (
    make_help_request,
    make_offering,
    make_programme,
    member_of,
    partner_org,
    shop_org,
)

pytestmark = [pytest.mark.django_db(transaction=True)]


TIMEOUT = 30_000  # the shared test machine is often busy; the pages themselves are fast


@pytest.fixture(autouse=True)
def _no_partner_mfa():
    with override_settings(SINERGI_REQUIRE_PARTNER_MFA=False):
        yield


@pytest.fixture(autouse=True)
def _patient(request):
    for name in ("desktop", "phone"):
        if name in request.fixturenames:
            request.getfixturevalue(name).set_default_timeout(TIMEOUT)


def test_a_university_publishes_an_internship_offering(desktop):
    university = partner_org(OrganisationKind.ACADEMIA, name="Universitas Gadjah Mada")
    admin = member_of(university, Role.ADMIN)
    sign_in(desktop, admin.user.email, PASSWORD)

    desktop.goto("/offerings/")
    desktop.screenshot(path="test-results/partnerships-offerings-empty-desktop.png", full_page=True)
    desktop.locator("main a[href='/offerings/new/']").first.click()
    desktop.fill("input[name=title]", "Magang Mahasiswa: Digitalisasi Pembukuan")
    desktop.select_option("select[name=kind]", "internship")
    desktop.fill(
        "textarea[name=description]", "Tim 4 mahasiswa akuntansi membantu pembukuan digital."
    )
    desktop.check("input[name=topics][value=bookkeeping]")
    desktop.check("input[name=topics][value=data-analytics]")
    desktop.fill("input[name=capacity]", "6")
    desktop.select_option("select[name=capacity_unit]", "teams")
    desktop.select_option("select[name=mode]", "on_site")
    desktop.select_option("select[name=province]", "34")
    desktop.wait_for_function("document.querySelectorAll('#id_regency option').length > 1")
    desktop.select_option("select[name=regency]", "34.04")
    desktop.fill("input[name=starts_on]", "2030-02-02")
    desktop.fill("input[name=ends_on]", "2030-03-30")
    desktop.fill("input[name=schedule]", "8 pekan, Senin-Rabu")
    desktop.check("input[name=eligible_size_classes][value=micro]")
    desktop.fill("input[name=contact_name]", "Dr. Rina Kartika")
    desktop.screenshot(path="test-results/partnerships-offering-form-desktop.png", full_page=True)
    desktop.locator("main form button[type=submit]").click()
    desktop.wait_for_url("**/offerings/*/")
    desktop.locator("form[action$='/publish/'] button").click()
    desktop.wait_for_load_state()

    with tenant_context(university.pk):
        offering = Offering.objects.get()
    assert (offering.status, offering.kind, offering.regency_id) == (
        "published",
        "internship",
        "34.04",
    )
    assert desktop.locator(".facts").get_by_text("Sleman").is_visible()
    desktop.screenshot(
        path="test-results/partnerships-offering-published-desktop.png", full_page=True
    )


def test_a_shop_asks_for_help_with_instagram_selling(phone):
    shop = shop_org(name="Keripik Bu Sri")
    owner = member_of(shop, Role.OWNER)
    make_offering(partner_org(name="PT Digital Nusantara"))
    sign_in(phone, owner.user.email, PASSWORD)

    phone.goto("/app/")
    # On a phone "Help" sits under "More" in the bottom bar.
    phone.locator("nav.workspace-nav .nav-more summary").click()
    phone.locator("nav.workspace-nav .nav-more a[href='/help/']").click()
    phone.wait_for_url("**/help/")
    phone.screenshot(path="test-results/partnerships-help-phone.png", full_page=True)
    phone.locator("main a[href='/help/ask/']").first.click()
    phone.select_option("select[name=topic]", "social-media")
    phone.locator("input[name=urgency][value=high]").check()
    phone.fill(
        "textarea[name=description]",
        "Kami jualan keripik di Instagram tapi yang pesan sedikit. Ingin belajar bikin konten.",
    )
    phone.screenshot(path="test-results/partnerships-ask-phone.png", full_page=True)
    phone.locator("main form button[type=submit]").click()
    phone.wait_for_url("**/help/requests/*/")

    with tenant_context(shop.pk):
        help_request = HelpRequest.objects.get()
    assert (help_request.topic, help_request.urgency) == ("social-media", "high")
    phone.screenshot(path="test-results/partnerships-request-phone.png", full_page=True)
    phone.goto("/help/offerings/")
    assert phone.get_by_text("Pelatihan Jualan di Instagram untuk UMKM Kuliner").is_visible()
    phone.screenshot(path="test-results/partnerships-browse-phone.png", full_page=True)


def test_an_officer_runs_a_match_the_shop_accepts_and_the_engagement_is_rated(browser, live_server):
    agency = partner_org(OrganisationKind.GOVERNMENT, name="Dinas Koperasi dan UKM DIY")
    officer = member_of(agency, Role.OFFICER)
    company = partner_org(name="PT Digital Nusantara")
    trainer = member_of(company, Role.STAFF)
    offering = make_offering(
        company,
        capacity=1,
        mode="on_site",
        province_id="34",
        regency_id="34.04",
        title="Pelatihan Jualan di Instagram untuk UMKM Kuliner",
    )
    programme = make_programme(
        agency, name="Program UMKM Naik Kelas Digital 2026 — DIY", quotas={"34": {"max": 10}}
    )
    with tenant_context(agency.pk):
        ProgrammeOffering.objects.create(
            organisation=agency, programme=programme, offering=offering
        )
    shop = shop_org(name="Keripik Bu Sri")
    owner = member_of(shop, Role.OWNER)
    make_help_request(shop)
    make_help_request(shop_org(name="Bakso Pak Min"))  # two shops, one place: a waitlist
    with tenant_context(shop.pk):  # Bu Sri applied too, so she is preferred over the lottery
        Application.objects.create(organisation=shop, offering=offering, preference_rank=1)

    def desktop_page():  # type: ignore[no-untyped-def]
        page = browser.new_context(
            viewport={"width": 1280, "height": 900}, base_url=live_server.url, locale="en-US"
        ).new_page()
        page.set_default_timeout(TIMEOUT)
        return page

    desktop = desktop_page()
    phone = browser.new_context(
        viewport={"width": 390, "height": 844},
        base_url=live_server.url,
        locale="id-ID",
        is_mobile=True,
        has_touch=True,
    ).new_page()
    phone.set_default_timeout(TIMEOUT)

    # The officer runs the match.
    sign_in(desktop, officer.user.email, PASSWORD)
    desktop.goto(f"/programmes/{programme.pk}/")
    desktop.screenshot(path="test-results/partnerships-programme-desktop.png", full_page=True)
    desktop.locator(f"form[action='/programmes/{programme.pk}/match/'] button").click()
    desktop.wait_for_url("**/match-runs/*/")
    with tenant_context(agency.pk):
        run = MatchRun.objects.get()
    assert run.status == "done"
    desktop.screenshot(path="test-results/partnerships-run-results-desktop.png", full_page=True)
    assert desktop.get_by_text("topic matches: Social-media management").first.is_visible()
    waitlist = desktop.locator("table").nth(1)
    assert waitlist.locator("tbody tr").count() == 1

    # The shop accepts on its phone.
    with across_tenants(reason="test finds the shop's match"):
        match = Match.objects.get(shop=shop, status="proposed")
    sign_in(phone, owner.user.email, PASSWORD)
    phone.goto("/help/")
    phone.screenshot(path="test-results/partnerships-match-offer-phone.png", full_page=True)
    phone.locator(f"form[action='/help/matches/{match.pk}/accept/'] button").click()
    phone.wait_for_url("**/help/")
    with across_tenants(reason="test reads the engagement"):
        engagement = Engagement.objects.get(match=match)

    # The trainer logs a session and rates the shop.
    desktop = desktop_page()
    sign_in(desktop, trainer.user.email, PASSWORD)
    desktop.goto(f"/engagements/{engagement.pk}/")
    session_form = desktop.locator(f"form[action='/engagements/{engagement.pk}/sessions/']")
    session_form.locator("input[name=title]").fill("Praktik membuat Reels")
    session_form.locator("input[name=held_on]").fill(str(timezone.localdate()))
    session_form.locator("input[name=hours]").fill("2")
    session_form.locator("input[name=deliverable]").fill("Rencana konten 30 hari")
    session_form.locator("button[type=submit]").click()
    desktop.wait_for_load_state()
    feedback = desktop.locator(f"form[action='/engagements/{engagement.pk}/feedback/']")
    feedback.locator("input[name=rating][value='4']").check()
    feedback.locator("textarea[name=feedback]").fill("Pemilik antusias dan cepat belajar.")
    feedback.locator("button[type=submit]").click()
    desktop.wait_for_load_state()
    desktop.screenshot(path="test-results/partnerships-engagement-desktop.png", full_page=True)
    desktop.goto("/contributions/")
    assert desktop.locator("tfoot").get_by_text("Total").is_visible()
    desktop.screenshot(path="test-results/partnerships-ledger-desktop.png", full_page=True)

    # The shop rates it on its phone.
    phone.goto(f"/help/engagements/{engagement.pk}/")
    assert phone.get_by_text("Praktik membuat Reels").is_visible()
    phone.locator("form[action$='/feedback/'] input[name=rating][value='5']").check()
    phone.fill("textarea[name=feedback]", "Sangat membantu, pesanan lewat Instagram naik.")
    phone.locator("form[action$='/feedback/'] button[type=submit]").click()
    phone.wait_for_load_state()
    phone.screenshot(path="test-results/partnerships-engagement-rated-phone.png", full_page=True)

    with across_tenants(reason="test reads the engagement"):
        engagement.refresh_from_db()
        assert engagement.sessions.count() == 1
    assert (engagement.partner_rating, engagement.shop_rating, engagement.status) == (
        4,
        5,
        "completed",
    )


def test_the_run_page_shows_progress_until_the_run_finishes(desktop):
    agency = partner_org(OrganisationKind.GOVERNMENT)
    officer = member_of(agency, Role.ADMIN)
    programme = make_programme(agency)
    with tenant_context(agency.pk):
        run = MatchRun.objects.create(
            organisation=agency,
            programme=programme,
            seed=11,
            status="running",
            progress=35,
            stage="Solving",
        )
    sign_in(desktop, officer.user.email, PASSWORD)

    desktop.goto(f"/match-runs/{run.pk}/")
    assert desktop.locator("progress").get_attribute("value") == "35"
    desktop.screenshot(path="test-results/partnerships-run-progress-desktop.png", full_page=True)
    with tenant_context(agency.pk):
        MatchRun.objects.filter(pk=run.pk).update(status="done", progress=100)

    desktop.get_by_text("Show the results").wait_for()


def test_demo_people_see_the_hub_on_their_homes(phone, browser, live_server):
    from sinergi.demo.generator import (  # noqa: PLC0415
        DEMO_PASSWORD,
        DEMO_SIGN_INS,
        Ecosystem,
        organisations_layer,
    )
    from sinergi.demo.partnerships_layer import partnerships_layer  # noqa: PLC0415

    ecosystem = Ecosystem(seed=2, password_hash=make_password(DEMO_PASSWORD))
    organisations_layer(ecosystem, 20)
    partnerships_layer(ecosystem, 20)

    sign_in(phone, DEMO_SIGN_INS[0][0], DEMO_PASSWORD)
    phone.goto("/app/")
    assert phone.locator("#pn-home-shop").is_visible()
    phone.screenshot(path="test-results/partnerships-demo-shop-home-phone.png", full_page=True)
    phone.goto("/help/offerings/")
    phone.screenshot(path="test-results/partnerships-demo-browse-phone.png", full_page=True)

    desktop = browser.new_context(
        viewport={"width": 1280, "height": 900}, base_url=live_server.url, locale="en-US"
    ).new_page()
    desktop.set_default_timeout(TIMEOUT)
    sign_in(desktop, DEMO_SIGN_INS[4][0], DEMO_PASSWORD)
    desktop.goto("/app/")
    assert desktop.locator("#pn-home-programmes").is_visible()
    desktop.screenshot(
        path="test-results/partnerships-demo-government-home-desktop.png", full_page=True
    )
    desktop.locator("#pn-home-programmes ~ ul a, .pn-home ul a").first.click()
    desktop.wait_for_load_state()
    desktop.screenshot(path="test-results/partnerships-demo-programme-desktop.png", full_page=True)
