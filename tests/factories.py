"""factory_boy factories for the foundation: municipalities, organisations, people with roles."""

from __future__ import annotations

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from meldwijzer.accounts.models import User
from meldwijzer.organisations.models import Membership, Municipality, Organisation, Sector
from meldwijzer.organisations.roles import Role

TEST_PASSWORD = "Test-wachtwoord-123"


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("name",)

    name = "Noordoostpolder"
    province = "Flevoland"
    region = "GGD Flevoland"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Testorganisatie {n}")
    sector = Sector.EDUCATION
    municipality = factory.SubFactory(MunicipalityFactory)
    postcode = "8302"
    place = "Emmeloord"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Persoon {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.invalid")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def totp(self, create: bool, extracted: bool | None, **kwargs: object) -> None:
        if create and extracted is not False:
            TOTPDevice.objects.create(user=self, name="test", confirmed=True)
        if create:
            self.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.PROFESSIONAL
