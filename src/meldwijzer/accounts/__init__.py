"""People who log in: accounts, two-factor login, sessions and API tokens."""
