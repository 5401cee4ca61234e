"""Organisations in a region, the people who work for them, and what each role may do."""
