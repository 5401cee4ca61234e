"""A system check: every shipped instrument definition loads (`meldwijzer check`, start-up)."""

from __future__ import annotations

from typing import Any

from django.core import checks

from meldwijzer.instruments import loader


@checks.register("instruments")
def shipped_definitions_load(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    loader.shipped_instruments.cache_clear()
    try:
        loader.shipped_instruments()
    except loader.InstrumentDefinitionError as error:
        return [
            checks.Error(
                f"Een meegeleverde instrumentdefinitie is ongeldig:\n{error}",
                hint="Herstel het bestand in meldwijzer/instruments/definitions/.",
                id="instruments.E001",
            )
        ]
    return []
