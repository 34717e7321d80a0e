import pytest
from django.core import mail
from django.urls import reverse

from sinergi.accounts.middleware import SESSION_KEY
from sinergi.accounts.models import Membership, Organisation, Role
from sinergi.accounts.services import invitation_create, invitation_token
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.tenancy import database_snapshot

pytestmark = pytest.mark.django_db

PROFILE = {
    "name": "Batik Sari",
    "description": "Batik tulis Sleman",
    "kbli_code": "13134",
    "size_class": "micro",
    "province": "34",
    "regency": "34.04",
    "address": "Jl. Kaliurang",
    "phone": "+6281234567890",
    "email": "",
    "website": "",
    "sales_channels": ["whatsapp"],
}


@pytest.mark.parametrize(
    "url_name",
    [
        "web:workspace",
        "accounts:organisation_profile",
        "accounts:organisation_edit",
        "accounts:team",
    ],
)
def test_anonymous_people_are_sent_to_sign_in(client, url_name):
    response = client.get(reverse(url_name))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_a_user_without_organisation_is_sent_to_create_one(signed_in):
    response = signed_in(UserFactory()).get(reverse("web:workspace"))

    assert response.status_code == 302
    assert response.url == reverse("accounts:organisation_create")


def test_creating_a_shop_from_the_form(signed_in):
    user = UserFactory()

    response = signed_in(user).post(
        reverse("accounts:organisation_create"), {**PROFILE, "kind": "shop"}
    )

    shop = Organisation.objects.get(memberships__user=user)
    assert response.status_code == 302
    assert (shop.kind, shop.regency_id, shop.kbli_code) == ("shop", "34.04", "13134")
    assert shop.sales_channels == ["whatsapp"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("kbli_code", "99999", "KBLI"),
        ("regency", "35.01", "Select a valid choice"),
        ("size_class", "", "size class"),
    ],
)
def test_bad_profile_input_is_explained_and_nothing_is_saved(signed_in, field, value, message):
    user = UserFactory()

    response = signed_in(user).post(
        reverse("accounts:organisation_create"),
        {**PROFILE, "kind": "shop", field: value},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Organisation.objects.filter(memberships__user=user).exists()


def test_owner_edits_the_profile(owner, signed_in):
    response = signed_in(owner.user).post(reverse("accounts:organisation_edit"), PROFILE)

    owner.organisation.refresh_from_db()
    assert response.status_code == 302
    assert (owner.organisation.name, owner.organisation.province_id) == ("Batik Sari", "34")


def test_staff_may_read_but_not_edit_the_profile(member, signed_in):
    staff = member(role=Role.STAFF)
    client = signed_in(staff.user)
    before = database_snapshot()

    read = client.get(reverse("accounts:organisation_profile"))
    edit = client.post(reverse("accounts:organisation_edit"), PROFILE)
    invite = client.post(
        reverse("accounts:invitation_create"), {"email": "x@example.id", "role": "staff"}
    )

    assert read.status_code == 200
    assert (edit.status_code, invite.status_code) == (403, 403)
    assert database_snapshot() == before


def test_owner_invites_and_the_invitee_joins(owner, signed_in, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(owner.user).post(
            reverse("accounts:invitation_create"), {"email": "baru@example.id", "role": "staff"}
        )
    link = next(line for line in mail.outbox[0].body.splitlines() if "/invitations/" in line)
    invitee = UserFactory(email="baru@example.id")

    accepted = signed_in(invitee).post(link.split("localhost:8000")[1])

    assert response.status_code == 302
    assert accepted.status_code == 302
    assert Membership.objects.get(user=invitee).organisation == owner.organisation


def test_inviting_a_member_again_is_explained(owner, signed_in):
    response = signed_in(owner.user).post(
        reverse("accounts:invitation_create"),
        {"email": owner.user.email, "role": "staff"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert "already a member" in response.content.decode()


def test_an_unknown_invitation_link_says_so(client):
    response = client.get(reverse("accounts:invitation_accept", kwargs={"token": "nonsense"}))

    assert response.status_code == 404


def test_invitation_page_asks_anonymous_visitors_to_sign_in(owner, client):
    invitation = invitation_create(
        organisation=owner.organisation, invited_by=owner.user, email="a@example.id", role="staff"
    )

    response = client.get(
        reverse("accounts:invitation_accept", kwargs={"token": invitation_token(invitation)})
    )

    assert response.status_code == 200
    assert reverse("account_login") in response.content.decode()


def test_switching_to_another_own_organisation(owner, signed_in):
    second = MembershipFactory(user=owner.user, organisation=OrganisationFactory(name="Kedua"))
    client = signed_in(owner.user)

    client.post(reverse("accounts:membership_switch"), {"membership": second.pk})
    page = client.get(reverse("accounts:organisation_profile"))

    assert client.session[SESSION_KEY] == second.pk
    assert "Kedua" in page.content.decode()


def test_switching_to_someone_elses_membership_is_404(owner, signed_in):
    stranger = MembershipFactory()
    client = signed_in(owner.user)

    response = client.post(reverse("accounts:membership_switch"), {"membership": stranger.pk})

    assert response.status_code == 404
    assert SESSION_KEY not in client.session


def test_team_page_lists_members_with_one_query_per_kind_of_row(
    owner, signed_in, django_assert_max_num_queries
):
    for _ in range(5):
        MembershipFactory(organisation=owner.organisation, role=Role.STAFF)
    client = signed_in(owner.user)

    with django_assert_max_num_queries(10):
        response = client.get(reverse("accounts:team"))

    assert response.content.decode().count("@example.id") >= 6


def test_regency_options_follow_the_province(owner, signed_in):
    response = signed_in(owner.user).get(reverse("accounts:regency_options"), {"province": "34"})

    assert response.content.decode().count('<option value="34.') == 5


@pytest.mark.parametrize("kind", ["industry", "academia", "government"])
def test_partner_staff_without_2fa_must_set_it_up(member, signed_in, kind):
    partner = member(kind=kind, role="admin")

    response = signed_in(partner.user).get(reverse("web:workspace"))

    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")


def test_shop_owner_is_not_forced_into_2fa(owner, signed_in):
    assert signed_in(owner.user).get(reverse("web:workspace")).status_code == 200
