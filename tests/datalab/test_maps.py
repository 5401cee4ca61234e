"""The choropleth of postcode areas: valid XML, shaded by rate in five classes, hidden or missing
areas grey with a '.', a title per area, projected once, and served as its own SVG."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from meldwijzer.datalab import maps
from meldwijzer.organisations.roles import Role
from tests.datalab.sample_report import sample, sample_report  # noqa: F401
from tests.factories import MembershipFactory

SVG = "{http://www.w3.org/2000/svg}"


def _areas_table():
    return sample_report().analysis("wijken").tables[0]


def _map() -> ET.Element:
    return ET.fromstring(str(maps.choropleth(_areas_table(), chart_id="k")))  # noqa: S314


def _area(root: ET.Element, postcode: str) -> ET.Element:
    return next(
        p for p in root.iter(f"{SVG}path") if p.find(f"{SVG}title").text.startswith(f"{postcode} ")
    )


def test_every_postcode_area_has_a_shape_and_a_title():
    root = _map()
    paths = root.findall(f"{SVG}path")
    assert len(paths) == 16
    title = _area(root, "8302").find(f"{SVG}title").text
    assert title == "8302 Emmeloord-Centrum – Meldingen: 210; Per 100.000 inwoners: 2.210,5"


def test_hidden_and_missing_areas_are_grey_not_the_lowest_class():
    root = _map()
    hidden = _area(root, "8308")
    assert hidden.get("fill") == maps.MISSING
    assert ". (P)" in hidden.find(f"{SVG}title").text
    missing = _area(root, "8319")
    assert missing.get("fill") == maps.MISSING
    assert "geen gegevens" in missing.find(f"{SVG}title").text
    shown = {_area(root, pc).get("fill") for pc in ("8302", "8303", "8315", "8316")}
    assert maps.MISSING not in shown
    assert _area(root, "8315").get("fill") == maps.SHADES[-1], "the highest rate, darkest"
    labels = [t.text for t in root.iter(f"{SVG}text")]
    assert any(label and label.endswith(".") and "Nagele" in label for label in labels)


def test_legend_has_five_classes_with_bounds():
    root = _map()
    legend = [t.text for t in root.iter(f"{SVG}text") if t.text and "tot en met" in t.text]
    assert len(legend) == 5
    assert legend[0].startswith("1.750")  # the lowest shown rate: 70 per 4000 inhabitants
    assert legend[-1].endswith("3.500")  # the highest: 35 per 1000


def test_projection_flips_y_and_is_cached():
    shapes, height = maps.areas()
    assert maps.areas() is maps.areas()
    assert all(0 <= a.label_x <= maps.WIDTH and 0 <= a.label_y <= height for a in shapes)
    by_pc = {a.postcode: a for a in shapes}
    # Kraggenburg (8317) lies south of Emmeloord (8302): lower on the map, larger y.
    assert by_pc["8317"].label_y > by_pc["8302"].label_y


def test_the_rate_of_the_chart_column_beside_the_count_of_its_year():
    from meldwijzer.datalab.disclosure import Cell
    from meldwijzer.datalab.report import Derived, Row, Table

    table = Table(
        key="wijken",
        title="Per jaar",
        description="",
        row_heading="Postcodegebied",
        columns=("2021", "2022", "2021 per 100.000", "2022 per 100.000"),
        rows=(
            Row(
                "8302",
                "8302 Emmeloord",
                (Cell(100), Cell(200), Derived(1000.0, "1.000,0"), Derived(2000.0, "2.000,0")),
            ),
            Row(
                "8303",
                "8303 Emmeloord",
                (Cell(50), Cell(None, "P"), Derived(500.0, "500,0"), Derived(None, ".")),
            ),
        ),
        chart="map",
        chart_columns=(3,),
    )
    root = ET.fromstring(str(maps.choropleth(table, chart_id="j")))  # noqa: S314
    assert (
        _area(root, "8302")
        .find(f"{SVG}title")
        .text.endswith("2022: 200; 2022 per 100.000: 2.000,0")
    )
    hidden = _area(root, "8303")
    assert hidden.get("fill") == maps.MISSING
    assert hidden.find(f"{SVG}title").text.endswith("2022: . (P); 2022 per 100.000: .")


def test_text_is_escaped():
    table = _areas_table()
    from dataclasses import replace

    tricky = replace(table, title="<b>kaart</b> & meer")
    svg = str(maps.choropleth(tricky, chart_id="k"))
    assert "<b>" not in svg and "&lt;b&gt;kaart&lt;/b&gt; &amp; meer" in svg
    ET.fromstring(svg)  # noqa: S314


@pytest.mark.django_db
def test_map_url_serves_svg_for_map_tables_only(client, sample):  # noqa: F811
    from tests.conftest import force_verified_login

    user = MembershipFactory(role=Role.POLICY_ADVISER).user
    force_verified_login(client, user)
    response = client.get(reverse("datalab:map", kwargs={"table": "wijken"}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    ET.fromstring(response.content)  # noqa: S314
    for table in ("kwartalen", "bestaat-niet"):
        assert client.get(reverse("datalab:map", kwargs={"table": table})).status_code == 404
