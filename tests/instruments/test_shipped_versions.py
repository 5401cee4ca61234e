"""One version number, one content: every version of a shipped instrument that was ever released
is listed here with the SHA-256 of its file.

Results keep the definition version they were made with. A shipped file whose content changes
while its version number stays the same would give two different definitions the same name, so
two results that both say "versie 1.0" could rest on different questions. When a shipped file
changes, give it a new version number and add a line below; never change or remove a line.
"""

from __future__ import annotations

import pytest

from meldwijzer.instruments.loader import shipped_instruments

RELEASED: dict[tuple[str, str], str] = {
    ("gezinsprofielen", "1.0"): "33ae8f25c907ae8deb901217cb6fd1b8ac79afbfbbc00af47bd191b0e010dcdb",
    ("huisbezoek_scan", "1.0"): "3c8dc46ac3983cdef533258fdf90e59becef85b27b536fcdfeb8a2d73d276996",
    ("huisbezoek_scan", "2.0"): "b95a36f19d609f9d0a56d0ef48d7b9c02413405594b9e9f33f3caa4ff1470bcf",
    ("mensenhandel_signalen", "1.0"): (
        "1ff6c2593dbc38baa5dbb330711e1533af4a87af27212d096f14fa9079a52dee"
    ),
    ("mensenhandel_signalen", "2.0"): (
        "b40aa44b0007de7adfa6d3e33ac9fc5ddc7a97ddc2c82a70d2fe6404b4f0b4d5"
    ),
    ("voorbeeld_risicochecklist", "1.0"): (
        "e2a917c9b728b9ffdd32082e852bbfc92c1441207fcaae2389baa0f4478aa513"
    ),
}


@pytest.mark.parametrize("key", sorted(shipped_instruments()))
def test_a_shipped_version_number_always_means_the_same_content(key):
    instrument = shipped_instruments()[key]
    released = RELEASED.get((key, instrument.version))
    assert released is not None, (
        f"{key} version {instrument.version} is not in RELEASED: add it with its SHA-256 "
        f"{instrument.digest}"
    )
    assert instrument.digest == released, (
        f"{key} version {instrument.version} changed after it was released: give the file a new "
        "version number (results made with the old content keep the old version)"
    )


def test_a_new_version_number_is_not_an_earlier_one():
    for key, instrument in shipped_instruments().items():
        earlier = [version for (k, version) in RELEASED if k == key]
        assert earlier[-1] == instrument.version, f"{key}: the newest released version is current"
