"""HSDS import of bad and foreign files: zip bombs, deep nesting, positions that do not exist,
fields the sociale kaart does not hold, errors that blame the wrong thing, and files that are not
HSDS 3.0 at all. Every file here is built as real bytes; bad input changes nothing and gets one
clear Dutch message, never a crash."""

from __future__ import annotations

import io
import json
import math
import tracemalloc
import uuid
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from meldwijzer.social_map import hsds, hsds_import
from meldwijzer.social_map.hsds_import import hsds_import as import_file
from meldwijzer.social_map.models import ChangeRecord, Location, Provider, Service
from tests.social_map.builders import directory_records

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "hsds"
ORGANIZATION_ID = "6f1c9f8e-6a3d-4f55-9a37-2a8f0f3c1a01"
LOCATION_ID = "6f1c9f8e-6a3d-4f55-9a37-2a8f0f3c1a02"


@pytest.fixture
def platform(make_member, organisation):
    return actor_for_user(user=make_member(Role.PLATFORM_ADMIN, organisation))


@pytest.fixture
def functional(make_member, organisation):
    return actor_for_user(user=make_member(Role.FUNCTIONAL_ADMIN, organisation))


def new_id() -> str:
    return str(uuid.uuid4())


def organization(**fields: Any) -> dict[str, Any]:
    return {
        "id": ORGANIZATION_ID,
        "name": "Wijkteam Emmeloord",
        "description": "Hulp in de wijk.",
        **fields,
    }


def location(**fields: Any) -> dict[str, Any]:
    """A location with a Dutch address in Emmeloord (52.71 N, 5.75 E)."""
    return {
        "id": LOCATION_ID,
        "location_type": "physical",
        "name": "Kantoor",
        "addresses": [
            {
                "id": new_id(),
                "address_1": "Voorbeeldstraat 1",
                "city": "Emmeloord",
                "state_province": "Flevoland",
                "postal_code": "8302 AB",
                "country": "NL",
                "address_type": "physical",
            }
        ],
        **fields,
    }


def service(**fields: Any) -> dict[str, Any]:
    return {"id": new_id(), "name": "Gesprekken", "status": "active", **fields}


def as_json(document: Any) -> bytes:
    return json.dumps(document).encode()


def zipped(files: dict[str, bytes], tmp_path: Path) -> bytes:
    """A zip of real files written to disk first, as a user would pack them."""
    folder = tmp_path / "pakket"
    folder.mkdir(exist_ok=True)
    path = tmp_path / "pakket.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            (folder / name).write_bytes(content)
            archive.write(folder / name, name)
    return path.read_bytes()


def official_csv() -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted((EXAMPLES / "csv").iterdir())}


def messages(problems) -> list[str]:
    return [str(problem) for problem in problems]


def nothing_imported() -> bool:
    return not Provider.objects.exists() and not Location.objects.exists()


# --- Zip bombs ------------------------------------------------------------------------------------


def test_a_zip_bomb_is_refused_before_it_is_unpacked(platform, tmp_path):
    """235 kB that unpacks to 100 MB once took a worker from 122 MB to 766 MB."""
    path = tmp_path / "bom.zip"
    with (
        zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open("organizations.csv", "w") as table,
    ):
        table.write(b'id,name,description\r\n1,Bom,"')
        for _ in range(100):
            table.write(b"a" * 1024 * 1024)
        table.write(b'"\r\n')
    data = path.read_bytes()
    assert len(data) < 1024 * 1024
    tracemalloc.start()
    try:
        report = import_file(actor=platform, source="bom.zip", data=data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(report.errors) == 1
    assert report.errors[0].where == "bom.zip"
    assert report.errors[0].message.startswith("organizations.csv pakt uit tot 100 MB, ")
    assert "dit lijkt een zip-bom" in report.errors[0].message
    assert peak < 20 * 1024 * 1024, f"{peak / 1024 / 1024:.0f} MB"
    assert nothing_imported()


def test_what_a_zip_unpacks_to_is_limited_per_table_and_in_total(platform, tmp_path, monkeypatch):
    data = zipped(official_csv(), tmp_path)
    monkeypatch.setattr(hsds_import, "MAX_TABLE_BYTES", 600)
    report = import_file(actor=platform, source="pakket.zip", data=data)
    assert len(report.errors) == 1
    assert "een tabel mag hoogstens" in report.errors[0].message
    monkeypatch.setattr(hsds_import, "MAX_TABLE_BYTES", 20 * 1024 * 1024)
    monkeypatch.setattr(hsds_import, "MAX_UNPACKED_BYTES", 3000)
    report = import_file(actor=platform, source="pakket.zip", data=data)
    assert len(report.errors) == 1
    assert "samen mogen ze hoogstens" in report.errors[0].message
    assert nothing_imported()


def test_a_table_is_read_in_pieces_and_no_further_than_its_limit(tmp_path):
    """Whatever the zip says a member holds, reading stops at the limit."""
    rows = b"id,name,description\r\n" + b"".join(
        f"{uuid.uuid4()},Aanbieder {n},Hulp\r\n".encode() for n in range(5000)
    )
    data = zipped({"organizations.csv": rows}, tmp_path)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo("organizations.csv")
        with hsds.table_reader(archive, info, limit=len(rows)) as reader:
            assert sum(1 for _ in reader) == 5000
        with pytest.raises(hsds.TooLarge), hsds.table_reader(archive, info, limit=50_000) as reader:
            count = 0
            for _ in reader:
                count += 1
        assert count < 50_000 // 50


def test_a_zip_with_thousands_of_files_is_refused(platform, tmp_path):
    files = {f"leeg{n}.txt": b"" for n in range(hsds_import.MAX_ZIP_MEMBERS + 1)}
    files["organizations.csv"] = official_csv()["organizations.csv"]
    report = import_file(actor=platform, source="veel.zip", data=zipped(files, tmp_path))
    assert len(report.errors) == 1 and "bestanden" in report.errors[0].message
    assert nothing_imported()


# --- Deep nesting -------------------------------------------------------------------------------


def _nested(levels: int) -> bytes:
    return b'{"id": "%s", "name": "Diep", "description": "x", "extra": %s%s}' % (
        ORGANIZATION_ID.encode(),
        b"[" * levels,
        b"]" * levels,
    )


@pytest.mark.parametrize("levels", [60, 100_000])
def test_deeply_nested_json_is_refused_in_dutch(platform, levels):
    report = import_file(actor=platform, source="diep.json", data=_nested(levels))
    assert messages(report.errors) == [
        "diep.json: het bestand is dieper genest dan 40 niveaus; HSDS komt niet verder dan "
        "ongeveer 15, dus dit is geen HSDS"
    ]
    assert nothing_imported()


def test_deeply_nested_json_through_the_page_is_refused_in_its_report(
    verified, make_member, organisation
):
    client = verified(make_member(Role.FUNCTIONAL_ADMIN, organisation))
    upload = SimpleUploadedFile("diep.json", _nested(100_000), "application/json")
    response = client.post(reverse("social_map:import"), {"file": upload}, follow=True)
    # The import runs as a job (import_jobs); its page shows the report, never a 500.
    assert [status for _, status in response.redirect_chain] == [302]
    assert response.status_code == 200
    page = response.content.decode()
    assert "Niet geïmporteerd: 1 fout" in page and "dieper genest dan 40 niveaus" in page
    assert nothing_imported()


def test_the_deepest_hsds_fits_within_the_limit(platform, organisation):
    directory_records(organisation)
    export = json.loads(hsds.export_json(audience=hsds.FULL))
    assert hsds_import._depth(export) <= 20
    for name in ("organization_full.json", "service_full.json", "tabular.json"):
        assert hsds_import._depth(json.loads((EXAMPLES / name).read_bytes())) <= 20


# --- Positions ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("latitude", "longitude", "message"),
    [
        (389, 5.75, "latitude: 389 ligt niet tussen -90 en 90"),
        (52.71, 200, "longitude: 200 ligt niet tussen -180 en 180"),
        (100, 5.75, "lijken verwisseld"),
        (5.75, 52.71, "lijken verwisseld"),
    ],
)
def test_a_position_that_does_not_exist_is_not_taken_over(platform, latitude, longitude, message):
    document = organization(locations=[location(latitude=latitude, longitude=longitude)])
    report = import_file(actor=platform, source="plek.json", data=as_json(document))
    assert report.written, messages(report.errors)
    notices = [str(n) for n in report.notices if "positie niet overgenomen" in n.message]
    assert len(notices) == 1 and message in notices[0], notices
    stored = Location.objects.get()
    assert (stored.latitude, stored.longitude) == (None, None)


def test_a_position_that_exists_is_kept(platform):
    document = organization(locations=[location(latitude=52.71, longitude=5.75)])
    report = import_file(actor=platform, source="plek.json", data=as_json(document))
    assert report.written and not [n for n in report.notices if "positie" in n.message]
    assert (Location.objects.get().latitude, Location.objects.get().longitude) == (52.71, 5.75)


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity"])
def test_nan_or_infinity_as_a_position_stops_the_import(platform, value):
    text = json.dumps(organization(locations=[location(latitude=52.71, longitude=0.5)]))
    data = text.replace('"longitude": 0.5', f'"longitude": {value}').encode()
    report = import_file(actor=platform, source="plek.json", data=data)
    assert not report.ok
    assert any(
        "veld longitude" in problem.where and "geen getal" in problem.message
        for problem in report.errors
    ), messages(report.errors)
    assert nothing_imported()


def test_the_official_csv_example_keeps_its_location_but_not_latitude_100(platform, tmp_path):
    report = import_file(actor=platform, source="pakket.zip", data=zipped(official_csv(), tmp_path))
    assert report.written, messages(report.errors)
    assert any(
        "locations.csv, regel 2" in problem.where
        and "latitude: 100 ligt niet tussen -90 en 90" in problem.message
        for problem in report.notices
    ), messages(report.notices)
    assert Location.objects.get().latitude is None


def _location_form(**position: str) -> dict[str, str]:
    return {
        "name": "Kantoor",
        "location_type": "physical",
        "address_1": "Voorbeeldstraat 1",
        "postal_code": "8302 AB",
        "city": "Emmeloord",
        **position,
    }


def test_the_location_form_refuses_a_position_that_does_not_exist(
    verified, make_member, organisation
):
    records = directory_records(organisation)
    client = verified(make_member(Role.FUNCTIONAL_ADMIN, organisation))
    url = reverse("social_map:location_edit", args=[records.location.pk])
    for position, message in (
        ({"latitude": "389", "longitude": "5,75"}, "389 ligt niet tussen -90 en 90"),
        ({"latitude": "52,71", "longitude": "-200"}, "-200 ligt niet tussen -180 en 180"),
        ({"latitude": "5,75", "longitude": "52,71"}, "breedte- en lengtegraad lijken verwisseld"),
    ):
        response = client.post(url, _location_form(**position))
        assert response.status_code == 400, position
        assert message in response.content.decode()
        records.location.refresh_from_db()
        assert records.location.latitude is None
    response = client.post(url, _location_form(latitude="52,71", longitude="5,75"))
    assert response.status_code == 302
    records.location.refresh_from_db()
    assert (records.location.latitude, records.location.longitude) == (52.71, 5.75)
    change = ChangeRecord.objects.get(resource_uid=records.location.uid, field_name="latitude")
    assert (change.previous_value, change.replacement_value) == ("", "52.71")


def test_a_stored_position_that_does_not_exist_can_be_corrected(
    verified, make_member, organisation
):
    """Positions stored before they were checked: the form shows the problem, not an error page."""
    records = directory_records(organisation)
    Location.objects.filter(pk=records.location.pk).update(latitude=389, longitude=5.75)
    client = verified(make_member(Role.FUNCTIONAL_ADMIN, organisation))
    url = reverse("social_map:location_edit", args=[records.location.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _location_form(latitude="389", longitude="5,75"))
    assert response.status_code == 400
    assert client.post(url, _location_form()).status_code == 302
    records.location.refresh_from_db()
    assert records.location.latitude is None


def _strict(text: bytes | str) -> Any:
    def refuse(constant: str) -> None:
        raise ValueError(f"{constant} is no JSON")

    return json.loads(text, parse_constant=refuse)


def test_the_public_export_never_holds_infinity(client, organisation):
    records = directory_records(organisation)
    Location.objects.filter(pk=records.location.pk).update(latitude=52.71, longitude=math.inf)
    exported = _strict(hsds.export_json(audience=hsds.PUBLIC))
    locations = [loc for org in exported for loc in org.get("locations", [])]
    assert locations and all("longitude" not in loc for loc in locations)
    assert "latitude" not in locations[0]
    response = client.get(f"/api/v1/directory/services/{records.service.uid}/")
    assert response.status_code == 200
    _strict(response.content)


def test_the_exports_json_is_checked_strictly():
    with pytest.raises(ValueError, match="JSON compliant"):
        hsds.dumps([{"latitude": math.nan}])


# --- Fields the sociale kaart does not hold ---------------------------------------------------------


def test_every_field_the_sociale_kaart_does_not_hold_is_reported(platform):
    schedule = {
        "id": new_id(),
        "opens_at": "09:00",
        "closes_at": "17:00",
        "dtstart": "2025-01-01",
        "until": "2026-01-01",
        "wkst": "MO",
        "byweekno": "1",
        "schedule_link": "https://example.org/rooster",
        "rrule_text": "elke werkdag",  # no field of HSDS 3.0 (a later version, or none)
    }
    document = organization(
        tax_status="ANBI",
        tax_id="812345678",
        year_incorporated=1998,
        legal_status="stichting",
        logo="https://example.org/logo.png",
        uri="https://example.org/wijkteam",
        parent_organization_id=new_id(),
        organization_identifiers=[
            {"id": new_id(), "identifier_type": "KvK", "identifier": "12345678"}
        ],
        locations=[
            location(external_identifier="0171010000012345", external_identifier_type="BAG")
        ],
        services=[
            service(
                fees="gratis",
                accreditations="HKZ",
                licenses="geen",
                kleur="blauw",
                schedules=[schedule],
                phones=[
                    {"id": new_id(), "number": "0527-000 000", "attributes": [{"id": new_id()}]}
                ],
            )
        ],
    )
    report = import_file(actor=platform, source="veel.json", data=as_json(document))
    assert report.written, messages(report.errors)
    notices = messages(report.notices)
    for kind, field in [
        ("organisatie", "tax_status"),
        ("organisatie", "tax_id"),
        ("organisatie", "year_incorporated"),
        ("organisatie", "legal_status"),
        ("organisatie", "logo"),
        ("organisatie", "uri"),
        ("organisatie", "parent_organization_id"),
        ("organisatie", "organization_identifiers"),
        ("locatie", "external_identifier"),
        ("locatie", "external_identifier_type"),
        ("dienst", "fees"),
        ("dienst", "accreditations"),
        ("dienst", "licenses"),
        ("dienst", "kleur"),
        ("openingstijden", "dtstart"),
        ("openingstijden", "until"),
        ("openingstijden", "wkst"),
        ("openingstijden", "byweekno"),
        ("openingstijden", "schedule_link"),
        ("openingstijden", "rrule_text"),
        ("telefoonnummer", "attributes"),
    ]:
        expected = f"veel.json, {kind}: '{field}' niet overgenomen (1×)"
        assert any(notice.startswith(expected) for notice in notices), (expected, notices)


def test_columns_the_sociale_kaart_does_not_hold_are_reported(platform, tmp_path):
    files = official_csv()
    lines = files["organizations.csv"].decode().splitlines()
    lines[0] += ",eigen_kolom"
    lines[1] += ",iets"
    files["organizations.csv"] = "\r\n".join(lines).encode() + b"\r\n"
    report = import_file(actor=platform, source="pakket.zip", data=zipped(files, tmp_path))
    assert report.written, messages(report.errors)
    notices = messages(report.notices)
    for field in ("eigen_kolom", "tax_status", "tax_id", "legal_status", "logo"):
        assert f"pakket.zip, organisatie: '{field}' niet overgenomen (1×)" in " ".join(notices)


def test_a_reimported_export_reports_nothing_as_not_held(platform, organisation):
    directory_records(organisation)
    data = hsds.export_json(audience=hsds.FULL)
    report = import_file(actor=platform, source="export.json", data=data)
    assert report.written
    assert not [n for n in report.notices if "niet overgenomen" in n.message], report.notices


# --- Errors that name the real problem ------------------------------------------------------------


def test_one_bad_website_is_one_error_and_its_parts_say_why_they_are_left_out(platform):
    services = [
        service(name=f"Dienst {n}", phones=[{"id": new_id(), "number": "0527"}]) for n in range(3)
    ]
    document = organization(
        website="geen adres",
        services=services,
        locations=[location()],
        phones=[{"id": new_id(), "number": "0527-000 000"}],
    )
    report = import_file(actor=platform, source="web.json", data=as_json(document))
    assert messages(report.errors) == ["web.json, veld website: Voer een geldige URL in."]
    every = messages(report.errors) + messages(report.notices)
    assert not [m for m in every if "staat niet in het bestand" in m], every
    left_out = [m for m in messages(report.notices) if "niet overgenomen: hoort bij" in m]
    # The services, the location and the organisation's phone name the organisation; the
    # services' phones name their service.
    assert len(left_out) == 3 + 1 + 1 + 3, every
    assert sum("die om de fout bij web.json niet wordt" in m for m in left_out) == 5
    assert "hoort bij organisatie 'Wijkteam Emmeloord'" in left_out[0]
    assert nothing_imported()


def test_a_location_known_only_through_a_service_at_location_is_explained(functional):
    """The compiled service layout puts a location under service_at_locations, without an
    organization_id; a functioneel beheerder cannot import a location that has no provider."""
    document = service(
        name="Spreekuur",
        organization=organization(),
        service_at_locations=[{"id": new_id(), "location": location()}],
    )
    report = import_file(actor=functional, source="dienst.json", data=as_json(document))
    errors = messages(report.errors)
    assert len(errors) == 1, errors
    assert "alleen bij service_at_locations (van dienst 'Spreekuur'" in errors[0]
    assert "heeft geen organization_id" in errors[0]
    assert "uw organisatie niet bijhoudt" not in errors[0]
    assert not Service.objects.exists()


def test_long_values_in_messages_are_shortened_between_words(platform):
    document = organization(services=[service(status="tijdelijk gesloten wegens verbouwing " * 20)])
    report = import_file(actor=platform, source="lang.json", data=as_json(document))
    message = next(p.message for p in report.errors if "status" in p.where)
    quoted = message.split("'")[1]
    assert quoted.endswith("…") and len(message) < 300
    assert quoted[:-1].rstrip().split(" ")[-1] in {"tijdelijk", "gesloten", "wegens", "verbouwing"}


# --- Files that are not HSDS 3.0 ------------------------------------------------------------------

HSDS2_ORGANIZATIONS = (
    b"id,name,alternate_name,description,email,url,tax_status,tax_id,year_incorporated,"
    b"legal_status\r\n"
)
HSDS2_LOCATIONS = (
    b"id,organization_id,name,alternate_name,description,transportation,latitude,longitude\r\n"
)


def test_an_hsds_2_package_is_recognised(platform, tmp_path):
    organizations, locations, addresses = (
        [HSDS2_ORGANIZATIONS],
        [HSDS2_LOCATIONS],
        [b"id,location_id,attention,address_1,city,region,state_province,postal_code,country\r\n"],
    )
    for n in range(300):
        org, loc = uuid.uuid4(), uuid.uuid4()
        organizations.append(f"{org},Aanbieder {n},,Hulp,,https://example.org,,,,\r\n".encode())
        locations.append(f"{loc},{org},Kantoor {n},,,,52.7,5.7\r\n".encode())
        addresses.append(f"{uuid.uuid4()},{loc},,Straat {n},Emmeloord,,,8302 AB,NL\r\n".encode())
    files = {
        "organizations.csv": b"".join(organizations),
        "locations.csv": b"".join(locations),
        "physical_addresses.csv": b"".join(addresses),
        "regular_schedules.csv": b"id,service_id,location_id,weekday,opens_at,closes_at\r\n",
    }
    report = import_file(actor=platform, source="oud.zip", data=zipped(files, tmp_path))
    assert len(report.errors) == 1, messages(report.errors)[:5]
    assert "dit lijkt HSDS 2.0" in report.errors[0].message
    assert "physical_addresses.csv" in report.errors[0].message
    assert nothing_imported()


def test_hsds_2_and_open_referral_uk_json_is_recognised(platform):
    services = [
        {
            "id": new_id(),
            "name": f"Dienst {n}",
            "status": "active",
            "regular_schedules": [{"id": new_id(), "weekday": "Monday"}],
            "service_taxonomys": [],
            "eligibilitys": [],
        }
        for n in range(200)
    ]
    report = import_file(actor=platform, source="uk.json", data=as_json(services))
    assert len(report.errors) == 1, messages(report.errors)[:5]
    assert "HSDS 2.0 of Open Referral UK" in report.errors[0].message
    page = {"totalElements": 200, "totalPages": 1, "number": 1, "content": services}
    report = import_file(actor=platform, source="pagina.json", data=as_json(page))
    assert len(report.errors) == 1 and "Open Referral UK-API" in report.errors[0].message
    assert nothing_imported()


def test_json_of_another_layout_gets_one_message(platform):
    rows = [
        {"naam": f"Aanbieder {n}", "adres": "Straat 1", "plaats": "Emmeloord"} for n in range(500)
    ]
    report = import_file(actor=platform, source="lijst.json", data=as_json(rows))
    assert messages(report.errors) == [
        "lijst.json: dit is geen HSDS 3.0: geen van de 500 objecten heeft een 'id' "
        "(gevonden velden: adres, naam, plaats)"
    ]


def test_a_semicolon_separated_table_gets_one_message_naming_it(platform, tmp_path):
    """Dutch Excel saves CSV with semicolons."""
    files = official_csv()
    files["organizations.csv"] = (
        b"id;name;description\r\n"
        + "".join(f"{uuid.uuid4()};Aanbieder {n};Hulp\r\n" for n in range(100)).encode()
    )
    report = import_file(actor=platform, source="excel.zip", data=zipped(files, tmp_path))
    assert len(report.errors) == 1, messages(report.errors)[:5]
    assert report.errors[0].where == "excel.zip, organizations.csv"
    assert "gescheiden door puntkomma's" in report.errors[0].message
    assert nothing_imported()


def test_a_table_that_is_not_utf8_gets_one_message_naming_it(platform, tmp_path):
    files = official_csv()
    files["services.csv"] = (
        files["services.csv"]
        .decode()
        .replace("Counselling Services provided", "Café Counselling Services provided")
        .encode("cp1252")
    )
    report = import_file(actor=platform, source="ansi.zip", data=zipped(files, tmp_path))
    assert len(report.errors) == 1, messages(report.errors)
    assert report.errors[0].where == "ansi.zip, services.csv"
    assert "niet opgeslagen als UTF-8" in report.errors[0].message
    assert nothing_imported()


def test_json_that_is_not_utf8_says_where(platform):
    text = json.dumps(organization(description="Hulp in het café"), indent=2, ensure_ascii=False)
    report = import_file(actor=platform, source="ansi.json", data=text.encode("cp1252"))
    assert len(report.errors) == 1
    assert report.errors[0].message.startswith(
        "het bestand is niet opgeslagen als UTF-8: regel 4 bevat een teken"
    )


def test_a_lone_csv_file_is_recognised(platform):
    data = official_csv()["organizations.csv"]
    report = import_file(actor=platform, source="organizations.csv", data=data)
    assert len(report.errors) == 1 and "los CSV-bestand" in report.errors[0].message


def test_a_missing_required_column_is_one_error_for_the_table(platform, tmp_path):
    files = official_csv()
    rows = [line.split(",", 1)[1] for line in files["services.csv"].decode().splitlines()]
    files["services.csv"] = "\r\n".join(rows).encode()  # without the id column
    report = import_file(actor=platform, source="pakket.zip", data=zipped(files, tmp_path))
    assert messages(report.errors) == ["pakket.zip, services.csv: de verplichte kolom id ontbreekt"]


def test_a_field_longer_than_csv_allows_is_an_error_not_a_crash(platform, tmp_path):
    files = official_csv()
    files["organizations.csv"] += f'{uuid.uuid4()},Lang,"{"a" * 200_000}"\r\n'.encode()
    report = import_file(actor=platform, source="lang.zip", data=zipped(files, tmp_path))
    assert len(report.errors) == 1
    assert report.errors[0].where.startswith("lang.zip, organizations.csv, regel")
    assert "een veld is langer dan" in report.errors[0].message
    assert nothing_imported()


def test_a_number_too_long_for_python_is_an_error_not_a_crash(platform):
    data = b'{"id": "%s", "name": "x", "description": "y", "extra": %s}' % (
        ORGANIZATION_ID.encode(),
        b"1" * 5000,
    )
    report = import_file(actor=platform, source="getal.json", data=data)
    assert messages(report.errors) == [
        "getal.json: geen geldige JSON: het bestand bevat een getal dat te lang is"
    ]
