"""HSDS 3.0: the official examples import, exports validate against the official schemas, a round
trip keeps every modelled field, bad files are reported precisely and change nothing."""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.forms.models import model_to_dict
from jsonschema import Draft202012Validator, FormatChecker

from meldwijzer.audit.models import AccessLogEntry
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from meldwijzer.social_map import hsds
from meldwijzer.social_map.hsds_import import hsds_import
from meldwijzer.social_map.models import (
    ChangeRecord,
    Contact,
    Language,
    Location,
    Phone,
    Provider,
    Schedule,
    Service,
    ServiceArea,
    ServiceLocation,
    ServiceTerm,
)
from tests.social_map.builders import SHELTER_STREET, directory_records

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "hsds"
DATA_EXAMPLES = [
    "organization_full.json",
    "organization_list.json",
    "service_full.json",
    "service_list.json",
    "service_at_location_full.json",
    "service_at_location_list.json",
    "location.json",
    "tabular.json",
]
NOTHING_TO_IMPORT = [
    "base.json",
    "taxonomy.json",
    "taxonomy_list.json",
    "taxonomy_term.json",
    "taxonomy_term_list.json",
]
MODELS = [
    Provider,
    Location,
    Service,
    ServiceLocation,
    Contact,
    Phone,
    Language,
    Schedule,
    ServiceArea,
]
# Kept by Meldwijzer itself, not carried by HSDS.
NOT_EXCHANGED = {"id", "owner", "verified_by", "created_at", "updated_at", "search_vector"}


@pytest.fixture
def platform(make_member, organisation):
    return actor_for_user(user=make_member(Role.PLATFORM_ADMIN, organisation))


@pytest.fixture
def functional(make_member, organisation):
    return actor_for_user(user=make_member(Role.FUNCTIONAL_ADMIN, organisation))


def csv_zip(directory: Path = EXAMPLES / "csv") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(directory.iterdir()):
            archive.write(path, path.name)
    return buffer.getvalue()


def state() -> dict[str, dict[str, dict[str, Any]]]:
    """Every modelled field of every record, keyed by HSDS id; links as HSDS ids."""
    found: dict[str, dict[str, dict[str, Any]]] = {}
    for model in MODELS:
        rows = {}
        for record in model.objects.all():
            data = model_to_dict(record, exclude=NOT_EXCHANGED)
            for field in model._meta.get_fields():
                if field.many_to_one and field.name in data:
                    linked = getattr(record, field.name)
                    data[field.name] = str(linked.uid) if linked is not None else None
            if model is Provider:
                data.pop("verified_on")  # HSDS has no such field for an organization
            if model is Service:
                data["terms"] = sorted(record.terms.values_list("taxonomy", "code"))
            rows[str(record.uid)] = {
                k: str(v) if isinstance(v, uuid.UUID) else v for k, v in data.items()
            }
        found[model.__name__] = rows
    return found


def metadata() -> dict[str, tuple[Any, ...]]:
    return {
        str(record.uid): (
            record.resource_type,
            str(record.resource_uid),
            record.action,
            record.field_name,
            record.previous_value,
            record.replacement_value,
            record.updated_by,
            record.occurred_on,
        )
        for record in ChangeRecord.objects.all()
    }


def wipe() -> None:
    for model in (*MODELS, ChangeRecord, ServiceTerm):
        model.objects.all().delete()


def import_ok(actor, name: str, data: bytes, **kwargs):
    report = hsds_import(actor=actor, source=name, data=data, **kwargs)
    assert report.ok, [str(problem) for problem in report.errors]
    return report


# --- The official examples ------------------------------------------------------------------------


@pytest.mark.parametrize("name", DATA_EXAMPLES)
def test_every_official_example_imports(platform, name):
    report = import_ok(platform, name, (EXAMPLES / name).read_bytes())
    assert report.written
    assert sum(report.created.values()) > 0


@pytest.mark.parametrize("name", NOTHING_TO_IMPORT)
def test_examples_without_organizations_or_services_import_nothing_and_say_so(platform, name):
    report = import_ok(platform, name, (EXAMPLES / name).read_bytes())
    assert not report.written
    assert any("niets geïmporteerd" in problem.message for problem in report.notices)
    assert not Provider.objects.exists() and not Location.objects.exists()


def test_the_csv_package_imports(platform):
    report = import_ok(platform, "csv.zip", csv_zip())
    assert report.written
    service = Service.objects.get(uid="ac148810-d857-441c-9679-408f346de14b")
    assert service.provider.name == "Example Organization Inc."
    # The example's location points at an organization that is not in the package: the
    # location comes in without it, and the report says so.
    assert Location.objects.get(uid="3a19ff88-4620-4d17-9830-ac1d859eb5d5").provider is None
    assert any("985e4a42" in problem.message for problem in report.notices)


def test_the_modelled_fields_of_the_full_example_are_kept(platform):
    import_ok(
        platform, "organization_full.json", (EXAMPLES / "organization_full.json").read_bytes()
    )
    provider = Provider.objects.get(uid="d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610")
    assert (provider.name, provider.alternate_name, provider.email, provider.website) == (
        "Example Organization Inc.",
        "Example Org",
        "email@example.com",
        "http://example.com",
    )
    service = provider.services.get()
    assert service.name == "Community Counselling"
    assert service.status == "active"
    assert (service.minimum_age, service.maximum_age) == (12, 100)
    assert service.verified_on.isoformat() == "2005-01-01"
    assert service.wait_time == "wait_time"
    assert service.interpretation_services.startswith("Interpretation services")
    assert service.fees_description.startswith("Non-NHS patients")
    location = provider.locations.get()
    assert (location.address_1, location.city, location.postal_code, location.country) == (
        "1-30 Main Street",
        "MyCity",
        "ABC 1234",
        "US",
    )
    assert location.pc4 == ""  # not a Dutch postal code: no distance
    phone = Phone.objects.get(uid="1554f2e2-a373-45db-a3fa-9fc48a61c15e")
    # One phone, linked to everything it was nested under.
    assert phone.provider == provider and phone.service == service and phone.location == location
    assert phone.contact.name == "Ann Persona"
    assert phone.extension == 100
    assert Language.objects.get(uid="2989d3ed-c547-48f8-8f9d-432d81c7892e").code == "ur"
    schedule = Schedule.objects.get(uid="48102e86-bb50-41c4-8f1e-e269368c41d1")
    assert (str(schedule.opens_at), str(schedule.closes_at), schedule.byday) == (
        "10:00:00",
        "18:00:00",
        "TH,FR",
    )
    area = service.areas.get()
    assert area.kind == "overig" and area.extent_type == "geojson"
    record = ChangeRecord.objects.get(uid="6cd71e9f-1013-49d9-8370-26b8f59d3e5a")
    assert (record.field_name, record.previous_value, record.replacement_value) == (
        "name",
        "MyCity Civic Center",
        "MyCity New Civic Center",
    )


def test_what_the_sociale_kaart_does_not_hold_is_listed(platform):
    report = import_ok(
        platform, "organization_full.json", (EXAMPLES / "organization_full.json").read_bytes()
    )
    notices = " ".join(str(problem) for problem in report.notices)
    for part in ("funding", "programs", "accessibility", "cost_options", "required_documents"):
        assert f"'{part}' niet overgenomen" in notices
    assert "taxonomie die de sociale kaart niet kent" in notices


# --- Exports validate against the official schemas ---------------------------------------------------


def _validator(name: str, compiled: bool = False) -> Draft202012Validator:
    """A validator straight from the vendored schema files (not through the product's code)."""
    return hsds.validator(name, compiled=compiled)


@pytest.mark.parametrize("audience", [hsds.PUBLIC, hsds.FULL], ids=["openbaar", "volledig"])
def test_the_json_export_validates_against_the_compiled_schema(platform, organisation, audience):
    import_ok(
        platform, "organization_full.json", (EXAMPLES / "organization_full.json").read_bytes()
    )
    directory_records(organisation)
    organizations = json.loads(hsds.export_json(audience=audience))
    assert len(organizations) == 2
    schema = hsds.compiled_schema("organization")
    checker = Draft202012Validator(schema, format_checker=FormatChecker())
    for organization in organizations:
        assert list(checker.iter_errors(organization)) == []
        for service in organization.get("services", []):
            assert list(_validator("service", compiled=True).iter_errors(service)) == []


@pytest.mark.parametrize("audience", [hsds.PUBLIC, hsds.FULL], ids=["openbaar", "volledig"])
def test_the_csv_export_validates_row_by_row(platform, organisation, audience):
    import_ok(platform, "csv.zip", csv_zip())
    directory_records(organisation)
    archive = zipfile.ZipFile(io.BytesIO(hsds.export_csv_zip(audience=audience)))
    names = set(archive.namelist())
    assert {"organizations.csv", "services.csv", "locations.csv", "datapackage.json"} <= names
    descriptor = json.loads(archive.read("datapackage.json"))
    assert {resource["path"] for resource in descriptor["resources"]} == names - {
        "datapackage.json"
    }
    tables = dict(hsds.iter_rows(archive))
    assert len(tables["services.csv"]) == 2
    for name, rows in tables.items():
        kind = hsds.TABLES[name]
        schema = hsds.entity_schema(kind)
        for row in rows:
            typed = {}
            for key, value in row.items():
                if value == "" and key not in schema.get("required", []):
                    continue
                spec = schema["properties"][key]
                typed[key] = float(value) if spec.get("type") == "number" else value
            assert list(_validator(kind).iter_errors(typed)) == [], (name, row)
            for column in schema.get("tabular_required") or []:
                assert row[column], (name, column)


# --- Round trips ------------------------------------------------------------------------------------


def test_json_round_trip_keeps_every_modelled_field(platform, organisation):
    for name in ("organization_full.json", "service_at_location_full.json"):
        import_ok(platform, name, (EXAMPLES / name).read_bytes())
    directory_records(organisation)
    before, history = state(), metadata()
    exported = hsds.export_json(audience=hsds.FULL)
    assert hsds.validate(json.loads(exported)[0], "organization", "export", compiled=True) == []

    wipe()
    import_ok(platform, "export.json", exported)

    assert state() == before
    after = metadata()
    assert all(after[uid] == row for uid, row in history.items())
    # Confidential locations and referral details travel as Meldwijzer's own attributes.
    assert Location.objects.get(address_1=SHELTER_STREET).confidential
    assert Service.objects.get(referral_details="Aanmelden via de crisisdienst.")


def test_csv_round_trip_keeps_every_modelled_field(platform, organisation):
    import_ok(platform, "csv.zip", csv_zip())
    import_ok(
        platform, "organization_full.json", (EXAMPLES / "organization_full.json").read_bytes()
    )
    directory_records(organisation)
    before, history = state(), metadata()
    exported = hsds.export_csv_zip(audience=hsds.FULL)

    wipe()
    import_ok(platform, "export.zip", exported)

    assert state() == before
    after = metadata()
    assert all(after[uid] == row for uid, row in history.items() if row[1] in after_uids())


def after_uids() -> set[str]:
    return {
        str(uid)
        for model in (Provider, Service, Location)
        for uid in model.objects.values_list("uid", flat=True)
    }


def test_importing_the_same_file_twice_changes_nothing(platform):
    data = (EXAMPLES / "service_full.json").read_bytes()
    import_ok(platform, "service_full.json", data)
    before = state()
    report = import_ok(platform, "service_full.json", data)
    assert sum(report.created.values()) == 0
    assert state() == before


# --- The public export ------------------------------------------------------------------------------


def test_the_public_export_never_holds_confidential_addresses_or_contact_persons(organisation):
    records = directory_records(organisation)
    for data in (
        hsds.export_json(audience=hsds.PUBLIC),
        b"".join(
            zipfile.ZipFile(io.BytesIO(hsds.export_csv_zip(audience=hsds.PUBLIC))).read(name)
            for name in zipfile.ZipFile(
                io.BytesIO(hsds.export_csv_zip(audience=hsds.PUBLIC))
            ).namelist()
        ),
    ):
        text = data.decode()
        assert SHELTER_STREET not in text
        assert str(records.shelter.uid) not in text
        assert "Opvanghuis" not in text
        assert "Carla Contactpersoon" not in text and "Otto Aandacht" not in text
        assert "crisisdienst" not in text
        assert records.service.name in text  # the service itself is there
    full = hsds.export_json(audience=hsds.FULL).decode()
    assert SHELTER_STREET in full and "Carla Contactpersoon" in full


# --- Bad files ---------------------------------------------------------------------------------------


def _broken_example() -> dict[str, Any]:
    data = json.loads((EXAMPLES / "organization_full.json").read_text())
    data["services"][0]["status"] = "open"
    del data["services"][0]["name"]
    data["locations"][0]["addresses"][0]["id"] = "geen-uuid"
    return data


def test_schema_errors_are_all_reported_with_where_and_nothing_is_imported(platform):
    report = hsds_import(
        actor=platform, source="fout.json", data=json.dumps(_broken_example()).encode()
    )
    assert not report.ok and not report.written
    messages = [str(problem) for problem in report.errors]
    assert any(
        m.startswith("fout.json, veld services[0].status: 'open' is geen toegestane waarde")
        for m in messages
    ), messages
    assert any("services[0]" in m and "'name' ontbreekt" in m for m in messages), messages
    assert any("locations[0].addresses[0].id" in m and "UUID" in m for m in messages), messages
    assert not Provider.objects.exists() and not Service.objects.exists()


def test_a_bad_row_in_a_csv_package_is_reported_by_file_row_and_field(platform, tmp_path):
    for path in (EXAMPLES / "csv").iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    services = (tmp_path / "services.csv").read_text().replace(",active,", ",open,")
    services = services.replace(",12,100,", ",twaalf,100,")
    (tmp_path / "services.csv").write_text(services)
    report = hsds_import(actor=platform, source="pakket.zip", data=csv_zip(tmp_path))
    messages = [str(problem) for problem in report.errors]
    assert "pakket.zip, services.csv, regel 2, veld minimum_age: 'twaalf' is geen getal" in messages
    assert any(m.startswith("pakket.zip, services.csv, regel 2, veld status") for m in messages)
    assert not Provider.objects.exists()


def test_a_reference_to_nothing_is_an_error_and_nothing_is_half_imported(platform, organisation):
    directory_records(organisation)
    before = state()
    data = json.loads((EXAMPLES / "service_list.json").read_text())
    data["contents"].append(
        {
            "id": str(uuid.uuid4()),
            "name": "Zwevende dienst",
            "status": "active",
            "organization_id": str(uuid.uuid4()),
        }
    )
    report = hsds_import(actor=platform, source="lijst.json", data=json.dumps(data).encode())
    assert any(
        "die niet in het bestand of de sociale kaart staat" in p.message for p in report.errors
    )
    # The first service in the file was fine, but it is not imported either.
    assert state() == before


def test_one_id_with_two_different_values_is_an_error(platform):
    data = json.loads((EXAMPLES / "organization_full.json").read_text())
    data["services"][0]["phones"][0]["number"] = "0527-000 000"
    report = hsds_import(actor=platform, source="dubbel.json", data=json.dumps(data).encode())
    assert any(
        "komt ook voor bij" in problem.message and "number" in problem.message
        for problem in report.errors
    )
    assert not Provider.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"{ dit is geen json", "geen geldige JSON"),
        (b"\xff\xfe\x00\x01", "opgeslagen als UTF-16"),
        (b"\x00\x9f\xff", "niet opgeslagen als UTF-8"),
        (b"PK\x03\x04 kapot", "geen geldig zip-bestand"),
        (b"42", "geen HSDS-object"),
        (b"[1, 2]", "moet een object zijn"),
    ],
)
def test_files_that_are_not_hsds_get_a_clear_message(platform, data, message):
    report = hsds_import(actor=platform, source="raar", data=data)
    assert any(message in problem.message for problem in report.errors), report.errors
    assert not Provider.objects.exists()


def test_a_zip_without_hsds_tables_is_refused(platform):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("leesmij.txt", "hallo")
    report = hsds_import(actor=platform, source="leeg.zip", data=buffer.getvalue())
    assert any("geen HSDS-tabellen" in problem.message for problem in report.errors)


def test_a_trial_run_reports_but_writes_nothing(platform):
    report = hsds_import(
        actor=platform,
        source="service_full.json",
        data=(EXAMPLES / "service_full.json").read_bytes(),
        trial=True,
    )
    assert report.ok and not report.written and report.created["service"] == 1
    assert not Service.objects.exists()
    assert not ChangeRecord.objects.exists()


def test_an_import_is_access_logged(platform):
    import_ok(platform, "service_full.json", (EXAMPLES / "service_full.json").read_bytes())
    entry = AccessLogEntry.objects.get(subject_type="sociale_kaart_import")
    assert entry.user == platform.user and entry.action == "create"


# --- Who may import what -----------------------------------------------------------------------------


def test_a_functioneel_beheerder_imports_as_their_own_organisation(functional, organisation):
    import_ok(functional, "service_full.json", (EXAMPLES / "service_full.json").read_bytes())
    assert Provider.objects.get().owner == organisation


def test_a_functioneel_beheerder_cannot_overwrite_another_organisations_records(
    functional, other_organisation
):
    records = directory_records(other_organisation)
    organization = hsds.organization_object(records.provider, audience=hsds.PUBLIC)
    organization["name"] = "Overgenomen"
    report = hsds_import(
        actor=functional, source="over.json", data=json.dumps(organization).encode()
    )
    assert not report.ok
    assert any("andere organisatie" in problem.message for problem in report.errors)
    records.provider.refresh_from_db()
    assert records.provider.name != "Overgenomen"


def test_a_professional_cannot_import(make_member, organisation):
    actor = actor_for_user(user=make_member(Role.PROFESSIONAL, organisation))
    report = hsds_import(
        actor=actor, source="x.json", data=(EXAMPLES / "service_full.json").read_bytes()
    )
    assert not report.ok and not Service.objects.exists()


# --- Commands --------------------------------------------------------------------------------------


def test_the_import_and_export_commands(platform, tmp_path, capsys):
    call_command(
        "social_map_import",
        str(EXAMPLES / "organization_full.json"),
        gebruiker=platform.user.username,
    )
    assert Service.objects.count() == 1
    out = tmp_path / "export.zip"
    call_command("social_map_export", formaat="csv", uitvoer=str(out))
    assert "services.csv" in zipfile.ZipFile(out).namelist()
    broken = tmp_path / "fout.json"
    broken.write_text(json.dumps(_broken_example()))
    with pytest.raises(CommandError, match="Niet geïmporteerd"):
        call_command("social_map_import", str(broken), gebruiker=platform.user.username)
    assert "services[0].status" in capsys.readouterr().err
