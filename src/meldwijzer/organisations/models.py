"""Organisations, the municipalities they work in, and memberships with roles."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from meldwijzer.organisations.roles import Role


class Sector(models.TextChoices):
    EDUCATION = "onderwijs", "Onderwijs"
    CHILDCARE = "kinderopvang", "Kinderopvang"
    HEALTHCARE = "gezondheidszorg", "Gezondheidszorg"
    GENERAL_PRACTICE = "huisartsenpraktijk", "Huisartsenpraktijk"
    YOUTH_CARE = "jeugdhulp", "Jeugdhulp"
    SOCIAL_SUPPORT = "wijkteam", "Wijkteam / maatschappelijke ondersteuning"
    PUBLIC_HEALTH = "ggd_jgz", "GGD / jeugdgezondheidszorg"
    POLICE_JUSTICE = "politie_justitie", "Politie / justitie"
    VEILIG_THUIS = "veilig_thuis", "Veilig Thuis"
    MUNICIPALITY = "gemeente", "Gemeente"
    OTHER = "overig", "Overig"


class Profession(models.TextChoices):
    """The beroepsgroepen with their own afwegingskader (`cases/frameworks/<code>.yaml`)."""

    DOCTORS = "artsen", "Artsen (huisarts, jeugdarts, medisch specialist)"
    SOCIAL_YOUTH = "sociaal_werk_jeugd", "Sociaal werk, jeugd- en gezinsprofessionals, psychologen"
    EDUCATION = "onderwijs", "Onderwijs"
    CHILDCARE = "kinderopvang", "Kinderopvang"
    PARAMEDICS = "paramedici", "Paramedici"
    NURSING = "verpleging_verzorging", "Verpleging en verzorging (ook kraamzorg, wijkverpleging)"
    CORRECTIONAL = "dji", "Dienst Justitiële Inrichtingen"
    PROBATION = "reclassering", "Reclassering"
    HALT = "halt", "Halt"
    MIDWIVES = "verloskundigen", "Verloskundigen"
    GENERAL = "algemeen", "Andere beroepsgroep (algemeen kader)"


# The beroepsgroep most people in a sector belong to; where a sector holds several (a GGD has
# doctors and nurses), the member's own beroepsgroep decides and there is no default.
SECTOR_PROFESSION: dict[str, str] = {
    "onderwijs": Profession.EDUCATION,
    "kinderopvang": Profession.CHILDCARE,
    "huisartsenpraktijk": Profession.DOCTORS,
    "jeugdhulp": Profession.SOCIAL_YOUTH,
    "wijkteam": Profession.SOCIAL_YOUTH,
}


class Municipality(models.Model):
    """A municipality (CBS, 2021) with its province and GGD region."""

    name = models.CharField("naam", max_length=100, unique=True)
    province = models.CharField("provincie", max_length=50)
    region = models.CharField("GGD-regio", max_length=100, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "gemeente"
        verbose_name_plural = "gemeenten"

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    name = models.CharField("naam", max_length=200, unique=True)
    sector = models.CharField("sector", max_length=30, choices=Sector.choices)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name="vestigingsgemeente",
    )
    works_in = models.ManyToManyField(
        Municipality, related_name="organisations_working_in", verbose_name="werkgebied"
    )
    postcode = models.CharField("postcode (PC4)", max_length=4, blank=True)
    place = models.CharField("plaats", max_length=100, blank=True)
    is_active = models.BooleanField("actief", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "organisatie"
        verbose_name_plural = "organisaties"

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """One role of one person in one organisation. A person may hold several."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField("rol", max_length=30, choices=Role.choices)
    profession = models.CharField(
        "beroepsgroep",
        max_length=40,
        choices=Profession.choices,
        blank=True,
        help_text="Bepaalt welk afwegingskader Meldwijzer voorstelt bij een nieuwe casus.",
    )
    is_active = models.BooleanField("actief", default=True)
    suspended = models.BooleanField(
        "uitgeschakeld met het account",
        default=False,
        help_text="Deze rol komt terug als de medewerker weer wordt geactiveerd.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            )
        ]
        verbose_name = "lidmaatschap"
        verbose_name_plural = "lidmaatschappen"

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} bij {self.organisation}"


class ApiKeyRole(models.Model):
    """A role whose holders may make and use personal API keys on behalf of the organisation.

    Without a row, a role may not: API keys are off for every role until the organisation's
    functioneel beheerder switches them on. The check is made again on every API request.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="api_key_roles"
    )
    role = models.CharField("rol", max_length=30, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "role"], name="api_key_role_unique_role"
            )
        ]
        verbose_name = "rol met API-sleutels"
        verbose_name_plural = "rollen met API-sleutels"

    def __str__(self) -> str:
        return f"{self.get_role_display()} bij {self.organisation}"
