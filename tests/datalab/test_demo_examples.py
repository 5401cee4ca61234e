"""The demo's example files: a policy adviser pseudonymises the wijkteam's export with the demo
key and imports it, and imports the GGD's shared file, into the demo datalab; both link to
Veilig Thuis's demo persons."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from meldwijzer.datalab import demo, imports, pseudonymise
from meldwijzer.datalab.models import ImportState, Record, ReportKind, SourceKind
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from meldwijzer.privacy.pseudonyms import key_id
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.demo]


def test_demo_persons_have_real_pseudonyms_of_the_demo_key():
    assert key_id(demo.DEMO_REGIONAL_KEY, "datalab") == demo.KEY_ID
    numbers = range(1, 200)
    assert all(pseudonymise.elfproef(demo.demo_bsn(n)) for n in numbers)
    assert len({demo.demo_bsn(n) for n in numbers}) == len(numbers)
    assert imports.PSEUDONYM.fullmatch(demo.pseudonym(7))


def test_example_files_are_pseudonymised_and_imported_into_the_demo(settings, tmp_path):
    settings.DATA_DIR = tmp_path  # the test workers share the real data directory
    organisation = OrganisationFactory(name=demo.ORGANISATION)
    demo.load()
    examples = Path(tmp_path) / demo.EXAMPLES
    key_file = examples / demo.EXAMPLE_KEY_FILE
    assert key_file.read_text(encoding="utf-8").strip() == demo.DEMO_REGIONAL_KEY
    export = examples / demo.EXAMPLE_EXPORT
    assert "persoon_1_bsn" in export.read_text(encoding="utf-8").splitlines()[0]
    shared_out = tmp_path / "wijkteam-gedeeld.csv"
    call_command(
        "datalab", "pseudonymise", str(export), str(shared_out), "--sleutel-bestand", str(key_file)
    )
    adviser = MembershipFactory(organisation=organisation, role=Role.POLICY_ADVISER)
    actor = actor_for_user(user=adviser.user, organisation_id=organisation.pk)
    done = []
    for name, path in (
        ("Wijkteam Noordoostpolder", shared_out),
        ("GGD Flevoland JGZ", examples / demo.EXAMPLE_SHARED),
    ):
        imported = imports.import_file(
            actor=actor,
            source_name=name,
            source_kind=SourceKind.PARTNER,
            uploaded=io.BytesIO(path.read_bytes()),
            filename=path.name,
        )
        assert imported.state == ImportState.DONE, imported.errors
        done.append(imported)
    assert [i.records_added for i in done] == [40, 30]
    veilig_thuis = set(
        Record.objects.filter(source__name=demo.VEILIG_THUIS).values_list(
            "persons__pseudonym", flat=True
        )
    )
    for imported in done:
        linked = Record.objects.filter(
            imported=imported,
            report_kind_derived=True,
            report_kind__in=[ReportKind.REPEAT, ReportKind.FOLLOW_UP],
            persons__pseudonym__in=veilig_thuis,
        )
        assert linked.exists()
