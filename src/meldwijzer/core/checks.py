"""Deployment checks (`meldwijzer check --deploy`): no production with demo settings.

The keys — Django's secret key, the access log key, the pseudonym and datalab keys — must not lie in the data
directory: whoever can read that directory (a backup, a copied disk, another process) could then
forge sessions, rewrite the access log's whole chain with valid hashes, or recompute
pseudonyms. Outside the demo they come from the environment or from a key file elsewhere
(`<NAME>_FILE`). Demo mode shows a public second factor and may never run with real data. The
access log's checkpoints belong outside the data directory too, and must be writable.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import checks

from meldwijzer.conf.env import secret_origin

# What someone who reads a key could do with it.
_FORGES = {
    "MELDWIJZER_SECRET_KEY": "sessies en links voor een nieuw wachtwoord vervalsen",
    "MELDWIJZER_AUDIT_KEY": "het hele toegangslogboek herschrijven met kloppende hashes",
    "MELDWIJZER_PSEUDONYM_KEY": "de pseudoniemen van cliënten terugrekenen",
    "MELDWIJZER_DATALAB_KEY": "de onderzoekspseudoniemen in het datalab terugrekenen",
}


def _inside(path: Path, directory: Path) -> bool:
    return path.resolve().is_relative_to(directory.resolve())


@checks.register(checks.Tags.security, deploy=True)
def keys_outside_the_data_directory(
    app_configs: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    data_dir = Path(settings.DATA_DIR)
    errors: list[checks.CheckMessage] = []
    for name in settings.SECRETS:
        origin = secret_origin(name, data_dir)
        if origin is not None and _inside(origin, data_dir):
            errors.append(
                checks.Error(
                    f"{name} staat in de datamap ({origin}). Wie die map kan lezen, kan met "
                    f"deze sleutel {_FORGES.get(name, 'gegevens vervalsen')}.",
                    hint=f"Zet {name} in de omgeving, of zet de sleutel in een bestand buiten "
                    f"{data_dir} en wijs dat aan met {name}_FILE (zie de README, Productie). "
                    "Een bestaande sleutel verhuist u ongewijzigd: het toegangslogboek is er "
                    "alleen mee te controleren.",
                    id="meldwijzer.E001",
                )
            )
    return errors


@checks.register(checks.Tags.security, deploy=True)
def demo_mode_off(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    if not settings.DEMO_MODE:
        return []
    return [
        checks.Error(
            "De demomodus staat aan (MELDWIJZER_DEMO_MODE): het inlogscherm toont dan de code "
            "van de tweede stap, en de demo-accounts hebben een openbare sleutel.",
            hint="Zet MELDWIJZER_DEMO_MODE uit; gebruik `meldwijzer demo` alleen met de "
            "eigen demomap, nooit met echte gegevens.",
            id="meldwijzer.E002",
        )
    ]


@checks.register(checks.Tags.security, deploy=True)
def audit_checkpoints_kept_apart(
    app_configs: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    path = Path(settings.AUDIT_CHECKPOINT_FILE)
    directory = path.parent
    writable = os.access(path, os.W_OK) if path.exists() else os.access(directory, os.W_OK)
    if not directory.is_dir() or not writable:
        return [
            checks.Error(
                f"De controlepunten van het toegangslogboek kunnen niet worden geschreven naar "
                f"{path}.",
                hint="Maak de map aan en geef de gebruiker van Meldwijzer schrijfrecht, of kies "
                "een andere plek met MELDWIJZER_AUDIT_CHECKPOINT_FILE.",
                id="meldwijzer.E003",
            )
        ]
    if _inside(path, Path(settings.DATA_DIR)):
        return [
            checks.Warning(
                f"De controlepunten van het toegangslogboek staan in de datamap ({path}). Wie de "
                "datamap kan wissen, wist dan ook het bewijs dat het logboek langer was.",
                hint="Kies met MELDWIJZER_AUDIT_CHECKPOINT_FILE een bestand buiten de datamap "
                "(bij voorkeur alleen-toevoegen: chattr +a), en stuur ze ook naar syslog met "
                "MELDWIJZER_AUDIT_SYSLOG.",
                id="meldwijzer.W001",
            )
        ]
    return []
