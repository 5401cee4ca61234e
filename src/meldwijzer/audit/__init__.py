"""The access log (NEN 7513): who did what with which client file, when, why, and with what outcome."""
