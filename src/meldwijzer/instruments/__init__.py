"""Screening and risk instruments: one engine, instruments as data (YAML), results kept with the
exact version of the instrument they were made with."""
