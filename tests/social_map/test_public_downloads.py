"""The public HSDS downloads are built once per version of the sociale kaart, every change of the
map makes a new one, and clients that have the current one get 304."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from django.urls import reverse

from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from meldwijzer.social_map import exports, services
from meldwijzer.social_map.hsds_import import hsds_import
from meldwijzer.social_map.models import Location, Service
from meldwijzer.social_map.services import AreaSpec
from tests.social_map.builders import directory_records

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "hsds"
DOWNLOADS = {
    "social_map:export_public_json": exports.JSON,
    "social_map:export_public_csv": exports.CSV,
}


@pytest.fixture
def builds(monkeypatch) -> Counter[str]:
    """How often each download was built."""
    counted: Counter[str] = Counter()
    for kind, build in list(exports.BUILDERS.items()):

        def counting(*args, _kind=kind, _build=build, **kwargs):
            counted[_kind] += 1
            return _build(*args, **kwargs)

        monkeypatch.setitem(exports.BUILDERS, kind, counting)
    return counted


@pytest.fixture
def platform(make_member, organisation):
    return actor_for_user(user=make_member(Role.PLATFORM_ADMIN, organisation))


@pytest.fixture
def records(organisation):
    made = directory_records(organisation)
    services.map_version_bump()  # written directly, not through a service: say so, as they do
    return made


@pytest.mark.parametrize("name", DOWNLOADS)
def test_a_download_is_built_once_per_version_of_the_map(client, records, builds, name):
    first = client.get(reverse(name))
    second = client.get(reverse(name))
    assert first.status_code == second.status_code == 200
    assert builds[DOWNLOADS[name]] == 1
    assert first["ETag"] == second["ETag"] and first["ETag"].startswith('"')
    assert first["Last-Modified"]
    assert "no-store" not in first["Cache-Control"] and "public" in first["Cache-Control"]
    assert "no-cache" in first["Cache-Control"]  # may be kept, but asked again before use
    assert first["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize("name", DOWNLOADS)
def test_a_client_with_the_current_download_gets_304(client, records, builds, name):
    response = client.get(reverse(name))
    again = client.get(reverse(name), headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == response["ETag"] and "public" in again["Cache-Control"]
    since = client.get(reverse(name), headers={"If-Modified-Since": response["Last-Modified"]})
    assert since.status_code == 304
    assert builds[DOWNLOADS[name]] == 1


def _rename_provider(platform, records) -> None:
    provider = records.provider
    provider.name = "Hulp met een nieuwe naam"
    services.provider_save(actor=platform, provider=provider)


def _verify_provider(platform, records) -> None:
    services.provider_verify(actor=platform, provider=records.provider)


def _move_location(platform, records) -> None:
    location = Location.objects.get(pk=records.location.pk)
    location.city = "Urk"
    services.location_save(actor=platform, location=location)


def _change_service(platform, records) -> None:
    service = Service.objects.get(pk=records.service.pk)
    service.name = "Ambulante hulp met een nieuwe naam"
    services.service_save(
        actor=platform,
        service=service,
        terms={"soorten_hulp": ["ambulante_hulp"]},
        areas=[AreaSpec("landelijk", "NL")],
        locations=[records.location],
    )


def _verify_service(platform, records) -> None:
    services.service_verify(actor=platform, service=records.service)


def _import(platform, records) -> None:
    data = (EXAMPLES / "organization_full.json").read_bytes()
    assert hsds_import(actor=platform, source="organization_full.json", data=data).written


CHANGES: dict[str, Callable] = {
    "provider_save": _rename_provider,
    "provider_verify": _verify_provider,
    "location_save": _move_location,
    "service_save": _change_service,
    "service_verify": _verify_service,
    "import": _import,
}


@pytest.mark.parametrize("change", CHANGES)
@pytest.mark.parametrize("name", DOWNLOADS)
def test_every_change_of_the_map_makes_a_new_download(
    client, platform, records, builds, name, change
):
    before = client.get(reverse(name))
    CHANGES[change](platform, records)
    after = client.get(reverse(name), headers={"If-None-Match": before["ETag"]})
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert builds[DOWNLOADS[name]] == 2
    assert client.get(reverse(name)).status_code == 200 and builds[DOWNLOADS[name]] == 2


def test_the_new_download_holds_the_change(client, platform, records):
    client.get(reverse("social_map:export_public_json"))
    _rename_provider(platform, records)
    names = [
        o["name"] for o in json.loads(client.get(reverse("social_map:export_public_json")).content)
    ]
    assert "Hulp met een nieuwe naam" in names


def test_a_download_built_while_the_map_changed_is_not_kept(records, monkeypatch, platform):
    build = exports.BUILDERS[exports.JSON]

    def build_while_someone_changes_the_map(**kwargs):
        content = build(**kwargs)
        _verify_provider(platform, records)
        return content

    monkeypatch.setitem(exports.BUILDERS, exports.JSON, build_while_someone_changes_the_map)
    first = exports.public_download(exports.JSON)
    monkeypatch.setitem(exports.BUILDERS, exports.JSON, build)
    assert exports.public_stamp(exports.JSON) != first.stamp
    assert exports.public_download(exports.JSON).stamp == exports.public_stamp(exports.JSON)
