import pytest
from django.test import override_settings
from django.urls import reverse

from sinergi.accounts.models import Role

pytestmark = pytest.mark.django_db


def test_landing_page_invites_sign_up(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert reverse("account_signup") in response.content.decode()


def test_signed_in_people_skip_the_landing_page(owner, signed_in):
    assert signed_in(owner.user).get("/").url == reverse("web:workspace")


def test_shop_workspace_lists_next_steps_from_the_profile(owner, signed_in):
    response = signed_in(owner.user).get(reverse("web:workspace"), HTTP_ACCEPT_LANGUAGE="en")
    steps = response.context["steps"]

    assert [step.done for step in steps] == [False, False, False, False]
    assert "Say where you are" in response.content.decode()


@override_settings(SINERGI_REQUIRE_PARTNER_MFA=False)
@pytest.mark.parametrize(
    ("kind", "template"),
    [
        ("shop", "web/workspace_shop.html"),
        ("industry", "web/workspace_partner.html"),
        ("academia", "web/workspace_partner.html"),
        ("government", "web/workspace_government.html"),
    ],
)
def test_each_kind_gets_its_workspace(member, signed_in, kind, template):
    membership = member(kind=kind, role="owner" if kind == "shop" else "admin")

    response = signed_in(membership.user).get(reverse("web:workspace"))

    assert template in [t.name for t in response.templates]


def test_staff_see_only_steps_they_can_take(member, signed_in):
    staff = member(role=Role.STAFF)

    response = signed_in(staff.user).get(reverse("web:workspace"))

    assert [step.url for step in response.context["steps"]] == [reverse("accounts:team")]


def test_language_switch_to_english_and_back(owner, signed_in):
    client = signed_in(owner.user)

    client.post(reverse("set_language"), {"language": "en", "next": "/app/"})
    english = client.get(reverse("web:workspace")).content.decode()
    client.post(reverse("set_language"), {"language": "id", "next": "/app/"})
    indonesian = client.get(reverse("web:workspace")).content.decode()

    assert 'lang="en"' in english
    assert "Next steps" in english
    assert 'lang="id"' in indonesian
    assert "Next steps" not in indonesian


def test_a_shop_phone_bar_folds_the_extras_under_more(owner, signed_in):
    response = signed_in(owner.user).get(reverse("accounts:team"))
    nav, more = response.context["nav"], response.context["nav_more"]

    assert len(nav) - len(more) == 4
    assert reverse("accounts:team") in [item["url"] for item in more]
    assert response.context["nav_more_current"] is True


@override_settings(LANGUAGE_CODE="id")
def test_indonesian_is_the_default_language(client):
    response = client.get("/")

    assert 'lang="id"' in response.content.decode()
    assert "Daftar gratis" in response.content.decode()
