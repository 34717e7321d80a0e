"""Every page a person reaches in the foundation, in a real browser."""

import re

import pytest
from django.core import mail
from django.test import override_settings

from sinergi.accounts.models import Organisation
from sinergi.accounts.services import invitation_create, invitation_token
from tests.browser.conftest import sign_in
from tests.factories import PASSWORD, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_landing_page_on_a_phone(phone):
    phone.goto("/")

    assert phone.locator("h1").is_visible()
    assert phone.locator("a[href='/accounts/signup/']").is_visible()
    # Styles are served locally: the primary button is the brand colour, not the default.
    colour = phone.locator("a[href='/accounts/signup/']").evaluate(
        "el => getComputedStyle(el).backgroundColor"
    )
    assert colour == "rgb(15, 118, 110)"


def test_sign_up_verify_e_mail_and_create_a_shop(phone):
    phone.goto("/accounts/signup/")
    phone.fill("input[name=full_name]", "Siti Rahayu")
    phone.fill("input[name=email]", "siti@example.id")
    phone.fill("input[name=password1]", PASSWORD)
    phone.fill("input[name=password2]", PASSWORD)
    phone.locator("form button[type=submit]").last.click()
    phone.wait_for_load_state()
    link = re.search(r"http://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    phone.goto(link.split("8000", 1)[-1] if "8000" in link else link)
    phone.locator("form button[type=submit]").last.click()
    phone.wait_for_url("**/org/new/")
    phone.screenshot(path="test-results/org-new-phone.png", full_page=True)
    phone.fill("input[name=name]", "Batik Siti")
    phone.select_option("select[name=size_class]", "micro")
    phone.select_option("select[name=province]", "34")
    phone.wait_for_function("document.querySelectorAll('#id_regency option').length > 1")
    phone.select_option("select[name=regency]", "34.04")
    phone.fill("input[name=kbli_code]", "13134")
    phone.locator("label", has_text="WhatsApp").click()
    phone.locator("form button[type=submit]").last.click()
    phone.wait_for_url("**/app/")

    shop = Organisation.objects.get(name="Batik Siti")
    assert (shop.regency_id, shop.sales_channels) == ("34.04", ["whatsapp"])
    assert phone.locator("nav.workspace-nav").is_visible()
    phone.screenshot(path="test-results/shop-workspace-phone.png", full_page=True)


def test_owner_edits_profile_and_invites_staff_on_a_phone(phone):
    owner = MembershipFactory()
    sign_in(phone, owner.user.email, PASSWORD)

    phone.goto("/org/profile/edit/")
    phone.fill("textarea[name=description]", "Keripik singkong pedas khas Garut")
    phone.locator("form button[type=submit]").last.click()
    phone.wait_for_url("**/org/profile/")
    assert phone.get_by_text("Keripik singkong pedas khas Garut").is_visible()

    phone.goto("/org/team/")
    phone.fill("input[name=email]", "adik@example.id")
    phone.locator("form[action='/org/team/invite/'] button").click()
    phone.wait_for_url("**/org/team/")
    assert phone.locator(".list").get_by_text("adik@example.id").is_visible()
    phone.screenshot(path="test-results/team-phone.png", full_page=True)


def test_staff_sees_the_team_but_no_invite_form(phone):
    owner = MembershipFactory()
    staff = MembershipFactory(organisation=owner.organisation, role="staff")
    sign_in(phone, staff.user.email, PASSWORD)

    phone.goto("/org/team/")

    assert phone.get_by_text(owner.user.email).is_visible()
    assert phone.locator("form[action='/org/team/invite/']").count() == 0


def test_switch_organisation_and_language(desktop):
    user = UserFactory()
    MembershipFactory(user=user, organisation__name="Kopi Pagi")
    MembershipFactory(user=user, organisation__name="Roti Sore")
    sign_in(desktop, user.email, PASSWORD)

    with desktop.expect_navigation():
        desktop.select_option("#org-switch", label="Roti Sore")
    desktop.goto("/org/profile/")
    assert desktop.locator("h1").inner_text() == "Roti Sore"

    desktop.locator("button[value=id]").click()
    desktop.wait_for_load_state()
    assert desktop.locator("html").get_attribute("lang") == "id"
    desktop.locator("button[value=en]").click()
    desktop.wait_for_load_state()
    assert desktop.locator("html").get_attribute("lang") == "en"


@override_settings(SINERGI_REQUIRE_PARTNER_MFA=True)
def test_partner_is_asked_to_set_up_two_factor(desktop):
    admin = MembershipFactory(organisation__kind="government", role="admin")
    sign_in(desktop, admin.user.email, PASSWORD)

    desktop.goto("/app/")
    # allauth asks for the password again before 2FA changes, then shows the QR code.
    desktop.fill("input[name=password]", PASSWORD)
    desktop.locator("main form button[type=submit]").click()
    desktop.wait_for_url("**/accounts/2fa/totp/activate/")

    assert desktop.locator("main img, main svg").count() >= 1


def test_invitation_link_for_an_anonymous_visitor(phone):
    owner = MembershipFactory()
    invitation = invitation_create(
        organisation=owner.organisation,
        invited_by=owner.user,
        email="tamu@example.id",
        role="staff",
    )
    phone.goto(f"/invitations/{invitation_token(invitation)}/")

    assert owner.organisation.name in phone.locator("h1").inner_text()
    assert phone.locator("main a[href^='/accounts/login/']").is_visible()


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/password/reset/",
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/2fa/",
    ],
)
def test_account_pages_render_in_the_site_layout(phone, path):
    owner = MembershipFactory()
    sign_in(phone, owner.user.email, PASSWORD)

    response = phone.goto(path)

    assert response.status == 200
    assert phone.locator("header.topbar").is_visible()
    assert phone.locator("main h1").count() == 1


def test_phone_bottom_bar_has_four_items_and_more(phone):
    owner = MembershipFactory()
    sign_in(phone, owner.user.email, PASSWORD)
    phone.goto("/app/")

    visible = phone.locator("nav.workspace-nav > ul > li:visible")
    phone.locator(".nav-more summary").click()
    phone.screenshot(path="test-results/nav-more-phone.png")
    phone.locator(".nav-more a[href='/org/team/']").click()
    phone.wait_for_url("**/org/team/")

    assert visible.count() == 5
