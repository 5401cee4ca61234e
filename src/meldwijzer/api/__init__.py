"""The versioned JSON API (/api/v1/): thin endpoints over the same selectors and services."""
