import re

import pytest
from django.core import mail
from django.utils import timezone

from sinergi.accounts import services
from sinergi.accounts.models import Invitation, Membership, OrganisationKind, Role
from sinergi.core.tenancy import tenant_context
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_creating_an_organisation_makes_the_creator_its_manager():
    user = UserFactory()

    shop = services.organisation_create(
        creator=user, name="Batik Sari Sleman", kind=OrganisationKind.SHOP, size_class="micro"
    )
    agency = services.organisation_create(
        creator=user, name="Dinas Koperasi", kind=OrganisationKind.GOVERNMENT
    )

    assert shop.slug == "batik-sari-sleman"
    assert Membership.objects.get(organisation=shop).role == Role.OWNER
    assert Membership.objects.get(organisation=agency).role == Role.ADMIN


def test_slugs_stay_unique():
    user = UserFactory()
    first = services.organisation_create(
        creator=user, name="Kopi Kita", kind="shop", size_class="micro"
    )
    second = services.organisation_create(
        creator=user, name="Kopi Kita", kind="shop", size_class="micro"
    )

    assert (first.slug, second.slug) == ("kopi-kita", "kopi-kita-2")


def test_invitation_is_mailed_after_commit_and_accepted_once(
    owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            organisation=owner.organisation,
            invited_by=owner.user,
            email="Staf.Baru@Example.id",
            role=Role.STAFF,
        )
    token = re.search(r"/invitations/([^/\s]+)/", mail.outbox[0].body).group(1)
    invitee = UserFactory(email="staf.baru@example.id")

    membership = services.invitation_accept(
        invitation=services.invitation_from_token(token), user=invitee
    )

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["staf.baru@example.id"]
    assert owner.organisation.name in mail.outbox[0].subject
    assert (membership.organisation_id, membership.role) == (owner.organisation_id, Role.STAFF)
    assert services.invitation_from_token(token) is None
    with pytest.raises(services.AccountsError):
        services.invitation_accept(invitation=invitation, user=invitee)


def test_invitation_for_another_address_is_refused_and_stays_open(owner):
    invitation = services.invitation_create(
        organisation=owner.organisation,
        invited_by=owner.user,
        email="a@example.id",
        role=Role.STAFF,
    )

    with pytest.raises(services.AccountsError, match="another e-mail"):
        services.invitation_accept(invitation=invitation, user=UserFactory(email="b@example.id"))

    with tenant_context(owner.organisation_id):
        assert Invitation.objects.get(pk=invitation.pk).accepted_at is None


def test_a_role_from_another_kind_of_organisation_is_refused(owner):
    with pytest.raises(services.AccountsError, match="role"):
        services.invitation_create(
            organisation=owner.organisation,
            invited_by=owner.user,
            email="a@example.id",
            role=Role.OFFICER,
        )


def test_second_open_invitation_to_same_address_is_refused_but_expired_one_is_replaced(owner):
    first = services.invitation_create(
        organisation=owner.organisation,
        invited_by=owner.user,
        email="a@example.id",
        role=Role.STAFF,
    )
    with pytest.raises(services.AccountsError, match="already waiting"):
        services.invitation_create(
            organisation=owner.organisation,
            invited_by=owner.user,
            email="A@example.id",
            role=Role.STAFF,
        )
    with tenant_context(owner.organisation_id):
        Invitation.objects.filter(pk=first.pk).update(expires_at=timezone.now())

    second = services.invitation_create(
        organisation=owner.organisation,
        invited_by=owner.user,
        email="a@example.id",
        role=Role.STAFF,
    )

    assert second.pk != first.pk


def test_tampered_or_revoked_tokens_are_refused(owner):
    invitation = services.invitation_create(
        organisation=owner.organisation,
        invited_by=owner.user,
        email="a@example.id",
        role=Role.STAFF,
    )
    token = services.invitation_token(invitation)

    tampered = services.invitation_from_token(token[:-2] + "xx")
    services.invitation_revoke(invitation=invitation)

    assert tampered is None
    assert services.invitation_from_token(token) is None


def test_the_last_owner_cannot_be_removed(owner):
    staff = MembershipFactory(organisation=owner.organisation, role=Role.STAFF)
    co_owner = MembershipFactory(organisation=owner.organisation, role=Role.OWNER)

    services.membership_remove(membership=staff, removed_by=owner.user)
    services.membership_remove(membership=co_owner, removed_by=owner.user)
    with pytest.raises(services.AccountsError, match="yourself"):
        services.membership_remove(membership=owner, removed_by=owner.user)

    assert list(Membership.objects.filter(organisation=owner.organisation)) == [owner]


def test_one_administrator_may_remove_another():
    admin = MembershipFactory(organisation__kind="industry", role=Role.ADMIN)
    other_admin = MembershipFactory(organisation=admin.organisation, role=Role.ADMIN)

    services.membership_remove(membership=other_admin, removed_by=admin.user)

    assert Membership.objects.filter(organisation=admin.organisation).count() == 1


@pytest.mark.parametrize(
    ("full_name", "short"),
    [("dr. Ivan Safitri, S.E.", "Ivan"), ("Hj. Siti Rahayu", "Siti"), ("", "a@example.id")],
)
def test_short_name_skips_titles(full_name, short):
    assert UserFactory.build(full_name=full_name, email="a@example.id").get_short_name() == short
