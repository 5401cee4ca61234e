"""Attacks on who sees what: a second policy adviser reading another's deliveries, a stolen
password without the second factor, and whether refusals, reads and exports are logged."""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from django.urls import reverse

from meldwijzer.accounts.services import api_token_create
from meldwijzer.audit.models import AccessLogEntry
from meldwijzer.datalab.imports import import_file
from meldwijzer.datalab.models import Import, ImportState, Record, Source
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from tests.conftest import force_verified_login
from tests.datalab.sharedfiles import csv_bytes, row
from tests.factories import MembershipFactory, OrganisationFactory, allow_api_keys

pytestmark = pytest.mark.django_db

SEVEN = 7


@pytest.fixture
def world(db):
    """One datalab; its first adviser uploaded a file of seven reports; a second adviser did not."""
    organisation = OrganisationFactory(name="Gemeente Proefpolder")
    uploader = MembershipFactory(organisation=organisation, role=Role.POLICY_ADVISER)
    colleague = MembershipFactory(organisation=organisation, role=Role.POLICY_ADVISER)
    imported = import_file(
        actor=actor_for_user(user=uploader.user, organisation_id=organisation.pk),
        source_name="Huisartsenpost",
        source_kind="partner",
        uploaded=io.BytesIO(csv_bytes([row(f"HA-{n}") for n in range(SEVEN)])),
        filename="ha.csv",
    )
    assert imported.state == ImportState.DONE and imported.records_added == SEVEN
    return organisation, uploader, colleague, imported


def _api(organisation, membership) -> Client:
    allow_api_keys(organisation, Role.POLICY_ADVISER)
    _, secret = api_token_create(
        actor=actor_for_user(user=membership.user, organisation_id=organisation.pk), name="t"
    )
    return Client(headers={"Authorization": f"Bearer {secret}"})


def _numbers(html: str) -> set[str]:
    return set(re.findall(r">\s*(\d+)\s*<", html)) | set(re.findall(r": (\d+) meldingen", html))


def test_a_colleague_does_not_see_the_raw_count_of_anothers_delivery(world):
    """Seven records of one source are hidden on the overview (fewer than ten); the import pages
    and the import API may not show that seven to anyone but the one who uploaded the file."""
    organisation, uploader, colleague, imported = world
    detail = reverse("datalab:import", kwargs={"import_id": imported.pk})
    api_detail = reverse("api:datalab-import-detail", kwargs={"import_id": imported.pk})
    client = force_verified_login(Client(), colleague.user)
    overview = client.get(reverse("datalab:overview")).content.decode()
    assert "Huisartsenpost" in overview and str(SEVEN) not in _numbers(overview)
    for url in (reverse("datalab:imports"), detail):
        page = client.get(url).content.decode()
        assert str(SEVEN) not in _numbers(page), url
        assert "meldingen toegevoegd" not in page
    api = _api(organisation, colleague)
    body = api.get(api_detail).json()
    assert body["rows_total"] is None and body["records_added"] is None
    listing = api.get(reverse("api:datalab-import-list")).json()
    assert [item["records_added"] for item in listing] == [None]

    own = force_verified_login(Client(), uploader.user)
    assert str(SEVEN) in _numbers(own.get(detail).content.decode())
    assert _api(organisation, uploader).get(api_detail).json()["records_added"] == SEVEN


DATALAB_PAGES = [
    ("datalab:overview", {}),
    ("datalab:analysis", {"analysis": "meldingen"}),
    ("datalab:map", {"table": "wijken"}),
    ("datalab:export", {"analysis": "meldingen", "file_format": "csv"}),
    ("datalab:report_pdf", {}),
    ("datalab:imports", {}),
    ("datalab:import_new", {}),
    ("datalab:schema", {}),
]


def test_a_stolen_password_without_the_second_factor_opens_no_datalab_page(world):
    _, uploader, _, imported = world
    client = Client()
    client.force_login(uploader.user, backend="django.contrib.auth.backends.ModelBackend")
    pages = [*DATALAB_PAGES, ("datalab:import", {"import_id": imported.pk})]
    for name, kwargs in pages:
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 302 and "/account/" in response["Location"], name
        client.force_login(uploader.user, backend="django.contrib.auth.backends.ModelBackend")


def test_refusals_reads_and_exports_are_logged(world):
    organisation, uploader, _, _ = world
    stranger = MembershipFactory(organisation=organisation, role=Role.FUNCTIONAL_ADMIN)
    refused = force_verified_login(Client(), stranger.user)
    before = AccessLogEntry.objects.count()
    for name, kwargs in DATALAB_PAGES:
        assert refused.get(reverse(name, kwargs=kwargs)).status_code == 403, name
    assert AccessLogEntry.objects.count() - before == len(DATALAB_PAGES)

    reader = force_verified_login(Client(), uploader.user)
    before = AccessLogEntry.objects.count()
    for name in ("datalab:overview", "datalab:export"):
        kwargs = (
            {"analysis": "meldingen", "file_format": "xlsx"} if name == "datalab:export" else {}
        )
        assert reader.get(reverse(name, kwargs=kwargs)).status_code == 200
    assert AccessLogEntry.objects.count() - before == 2


@pytest.mark.parametrize("role", [Role.PROFESSIONAL, Role.FUNCTIONAL_ADMIN])
def test_an_import_through_the_api_without_the_right_stores_nothing(world, role):
    """A professional or beheerder with an API key posting a file under an existing source's
    name: refused (403, logged) before the file is read; no source, import or record added."""
    organisation, _, _, _ = world
    membership = MembershipFactory(organisation=organisation, role=role)
    allow_api_keys(organisation, role)
    _, secret = api_token_create(
        actor=actor_for_user(user=membership.user, organisation_id=organisation.pk), name="t"
    )
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    upload = io.BytesIO(csv_bytes([row("X-1")]))
    upload.name = "x.csv"
    before = (Import.objects.count(), Record.objects.count(), Source.objects.count())
    logged = AccessLogEntry.objects.count()
    response = client.post(
        reverse("api:datalab-import-list"),
        {"source": "Huisartsenpost", "source_kind": "partner", "file": upload},
    )
    assert response.status_code == 403
    assert (Import.objects.count(), Record.objects.count(), Source.objects.count()) == before
    assert AccessLogEntry.objects.count() > logged
