"""An owner reads the insights of their shop on a phone: every page, a new date range, a
download."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.cache import cache
from django.utils import timezone

from tests.browser.conftest import sign_in
from tests.factories import PASSWORD, MembershipFactory
from tests.insights.orders import shop_generate

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = ["", "sales/", "products/", "channels/", "customers/", "basket/", "restock/"]


@pytest.fixture(autouse=True)
def _patient(phone):  # type: ignore[no-untyped-def]
    # Insights pages compute on the first visit (forecasts included); shared CI machines are slow.
    phone.set_default_timeout(30_000)
    phone.set_default_navigation_timeout(30_000)
    cache.clear()  # ids are reused between tests on SQLite; kept stamps must not leak


def _fits_the_screen(page) -> bool:  # type: ignore[no-untyped-def]
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_owner_reads_every_insights_page_on_a_phone(phone):
    owner = MembershipFactory()
    today = timezone.localdate()
    shop_generate(owner.organisation, orders=400, end=today, days=420)
    sign_in(phone, owner.user.email, PASSWORD)

    phone.goto("/app/")
    # On a phone, Insights sits under "More" in the bottom bar.
    link = phone.locator("nav.workspace-nav a[href='/insights/']:visible")
    if not link.count():
        phone.locator("nav.workspace-nav .nav-more summary").click()
    link.first.click()
    phone.wait_for_url("**/insights/")
    assert phone.locator(".insights-says").first.is_visible()
    assert phone.locator(".insights-chart svg").first.is_visible()

    for path in PAGES:
        phone.goto(f"/insights/{path}")
        assert phone.locator("h1").is_visible()
        assert phone.locator("#insights-body").is_visible()
        assert "record your first order" not in phone.content()
        assert _fits_the_screen(phone), path
        name = path.strip("/") or "overview"
        phone.screenshot(path=f"test-results/insights-{name}-phone.png", full_page=True)


def test_owner_changes_the_date_range_and_downloads_an_export(phone):
    owner = MembershipFactory()
    today = timezone.localdate()
    shop_generate(owner.organisation, orders=300, end=today, days=200)
    sign_in(phone, owner.user.email, PASSWORD)
    start = today - timedelta(days=89)

    phone.goto("/insights/sales/")
    before = phone.locator(".insights-filter summary").inner_text()
    phone.locator(".insights-filter summary").click()
    phone.fill("input[name=start]", start.isoformat())
    phone.select_option("select[name=grain]", "week")
    phone.locator(".insights-filter button[type=submit]").click()
    phone.wait_for_url(f"**start={start.isoformat()}**")
    phone.wait_for_load_state("networkidle")
    assert "grain=week" in phone.url
    assert phone.locator(".insights-filter summary").inner_text() != before
    assert phone.locator("#insights-body table").first.is_visible()
    phone.screenshot(path="test-results/insights-sales-range-phone.png", full_page=True)

    with phone.expect_download() as download_info:
        phone.locator(".insights-exports a", has_text="CSV").first.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    assert f"-sales-{start.isoformat()}-" in download.suggested_filename
    content = Path(download.path()).read_text(encoding="utf-8-sig")
    assert "," in content.splitlines()[0]
    assert len(content.splitlines()) > 5


def test_a_shop_without_orders_sees_what_to_do(phone):
    owner = MembershipFactory()
    sign_in(phone, owner.user.email, PASSWORD)

    phone.goto("/insights/")

    assert phone.locator(".insights-empty").is_visible()
    phone.screenshot(path="test-results/insights-empty-phone.png", full_page=True)
