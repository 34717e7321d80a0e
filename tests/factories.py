"""Factories for the rows most tests need."""

import factory
from allauth.account.models import EmailAddress

from sinergi.accounts.models import Membership, Organisation, OrganisationKind, Role, User

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.id")
    full_name = factory.Faker("name", locale="id_ID")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create: bool, extracted: object, **kwargs: object) -> None:
        self.save()
        if create:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Warung Contoh {n}")
    slug = factory.Sequence(lambda n: f"warung-contoh-{n}")
    kind = OrganisationKind.SHOP
    size_class = factory.LazyAttribute(lambda o: "micro" if o.kind == OrganisationKind.SHOP else "")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.OWNER
