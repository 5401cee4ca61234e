"""The meldcode in the demo region's organisations, in every state: each area adds its part."""

from __future__ import annotations

from meldwijzer.trainings import demo_knowledge, demo_registry, demo_selfcheck, demo_worries


def load() -> None:
    demo_registry.load()
    demo_knowledge.load()
    demo_worries.load()
    demo_selfcheck.load()
