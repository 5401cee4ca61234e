"""Meldwijzer: de meldcode huiselijk geweld en kindermishandeling, van signaal tot veiligheid."""

__version__ = "0.1.0"
