import pytest
from django.utils import timezone

from sinergi.accounts.models import Invitation, Role
from sinergi.core.tenancy import (
    TenantContextMissing,
    across_tenants,
    current_tenant_id,
    tenant_context,
)
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _invite(organisation, email):
    with tenant_context(organisation.pk):
        return Invitation.objects.create(
            organisation=organisation,
            email=email,
            role=Role.STAFF,
            expires_at=timezone.now() + timezone.timedelta(days=1),
        )


def test_tenant_model_refuses_to_query_without_a_context():
    with pytest.raises(TenantContextMissing):
        Invitation.objects.all()


def test_context_sees_only_its_own_rows():
    mine, theirs = OrganisationFactory(), OrganisationFactory()
    own = _invite(mine, "a@example.id")
    _invite(theirs, "b@example.id")

    with tenant_context(mine.pk):
        emails = list(Invitation.objects.values_list("email", flat=True))
        other = Invitation.objects.filter(email="b@example.id").first()

    assert emails == [own.email]
    assert other is None


def test_across_tenants_sees_everything_and_needs_a_reason():
    first, second = OrganisationFactory(), OrganisationFactory()
    _invite(first, "a@example.id")
    _invite(second, "b@example.id")

    with across_tenants(reason="counting for a test"):
        count = Invitation.objects.count()
    with pytest.raises(ValueError, match="reason"), across_tenants(reason=" "):
        pass

    assert count == 2


def test_contexts_nest_and_restore():
    first, second = OrganisationFactory(), OrganisationFactory()

    with tenant_context(first.pk):
        with tenant_context(second.pk):
            inner = current_tenant_id()
        outer = current_tenant_id()

    assert (inner, outer) == (second.pk, first.pk)
    with pytest.raises(TenantContextMissing):
        current_tenant_id()


def test_deleting_an_organisation_removes_what_it_owns_without_a_context():
    organisation = OrganisationFactory()
    _invite(organisation, "a@example.id")

    organisation.delete()

    with across_tenants(reason="checking the cascade"):
        assert Invitation.objects.count() == 0
