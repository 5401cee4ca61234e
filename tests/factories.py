"""factory_boy factories for the foundation: municipalities, organisations, people with roles."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from meldwijzer.accounts.models import ApiToken, User
from meldwijzer.organisations.models import (
    ApiKeyRole,
    Membership,
    Municipality,
    Organisation,
    Sector,
)
from meldwijzer.organisations.roles import API_KEY_ROLES, Role

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


def allow_api_keys(organisation: Organisation, *roles: Role) -> None:
    """Let `roles` of `organisation` hold API keys, as its functioneel beheerder can."""
    for role in roles:
        ApiKeyRole.objects.get_or_create(organisation=organisation, role=role)


def allow_api_keys_for(user: User, organisation: Organisation | None = None) -> None:
    """Let every role `user` holds in `organisation` (default: each of theirs) hold API keys."""
    memberships = Membership.objects.filter(user=user, is_active=True)
    if organisation is not None:
        memberships = memberships.filter(organisation=organisation)
    for membership in memberships:
        if membership.role in API_KEY_ROLES:
            allow_api_keys(membership.organisation, Role(membership.role))


class ApiTokenFactory(factory.django.DjangoModelFactory):
    """A token stored directly, as one made before its organisation changed its setting."""

    class Meta:
        model = ApiToken

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    name = "bestaande koppeling"
    prefix = factory.Sequence(lambda n: f"{n:08x}")
    secret_hash = factory.LazyFunction(lambda: ApiToken.hash_secret("geheim"))
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
