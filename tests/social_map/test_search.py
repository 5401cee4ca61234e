"""Search: Dutch full text on the database's own engine, filters that combine with it, and the
distance from a postcode over real PC4 centroids."""

from __future__ import annotations

from dataclasses import astuple
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from meldwijzer.organisations.reference import postcode_areas
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from meldwijzer.social_map import search, services
from meldwijzer.social_map.models import FINDABLE_STATUSES, Location, Provider, Service
from meldwijzer.social_map.selectors import AREA_ALL, SORT_NAME, Criteria, service_search
from meldwijzer.social_map.services import AreaSpec

pytestmark = pytest.mark.django_db


@pytest.fixture
def actor(make_member, organisation):
    return actor_for_user(user=make_member(Role.PLATFORM_ADMIN, organisation))


@pytest.fixture
def add(actor):
    """Add a service through the service functions: name, text, postcode, terms, areas."""

    counter = iter(range(1000))

    def make(
        name: str,
        *,
        description: str = "Hulp.",
        postcode: str = "",
        confidential: bool = False,
        help_types: tuple[str, ...] = ("ambulante_hulp",),
        groups: tuple[str, ...] = (),
        violence: tuple[str, ...] = (),
        languages: tuple[str, ...] = ("nl",),
        areas: tuple[AreaSpec, ...] = (),
        status: str = "active",
    ) -> Service:
        provider = services.provider_save(
            actor=actor,
            provider=Provider(name=f"Aanbieder {next(counter)}", description="Aanbieder."),
        )
        locations = []
        if postcode:
            locations.append(
                services.location_save(
                    actor=actor,
                    location=Location(
                        provider=provider,
                        name="Locatie",
                        address_1="Voorbeeldstraat 1",
                        postal_code=f"{postcode} AA",
                        city=postcode_areas()[postcode].place,
                        confidential=confidential,
                    ),
                )
            )
        return services.service_save(
            actor=actor,
            service=Service(provider=provider, name=name, description=description, status=status),
            terms={
                "soorten_hulp": help_types,
                "doelgroepen": groups,
                "vormen_van_geweld": violence,
            },
            languages=languages,
            areas=areas,
            locations=locations,
        )

    return make


def names(criteria: Criteria, limit: int = 50) -> list[str]:
    return [hit.service.name for hit in service_search(criteria, limit=limit).hits]


# --- Dutch text ---------------------------------------------------------------------------------

WORDS = [
    "opvang",
    "opvoedondersteuning",
    "kinderen",
    "mishandeling",
    "geweld",
    "huiselijk",
    "huiselijke",
    "slachtoffers",
    "hulpverlening",
    "gezinnen",
    "seksuele",
    "ouderenmishandeling",
    "eergerelateerd",
    "huwelijksdwang",
    "achterlating",
    "meisjesbesnijdenis",
    "mantelzorgers",
    "arbeidsmigranten",
    "ideeën",
    "Cliënten",
    "0800-2000",
    "Huiselijk geweld en kindermishandeling",
    "Hulp voor slachtoffers van eergerelateerd geweld en huwelijksdwang",
    "Opvang voor vrouwen en hun kinderen, op een geheim adres",
    "Ontspoorde mantelzorg en financiële uitbuiting van ouderen",
]


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("kinderen", "kinder"),
        ("mishandeling", "mishandel"),
        ("huiselijke", "huiselijk"),
        ("slachtoffers", "slachtoffer"),
        ("hulpverlening", "hulpverlen"),
        ("opvoedondersteuning", "opvoedondersteun"),
        ("opvang", "opvang"),
        ("gezinnen", "gezinn"),
        ("0800", "0800"),
    ],
)
def test_the_snowball_dutch_stemmer(word, stem):
    assert search.stem(word) == stem


def test_query_words_are_folded_and_stop_words_dropped():
    assert search.words("Hulp bij de Cliënten") == ["hulp", "clienten"]
    assert search.sqlite_match("hulp voor kinderen") == '"hulp"* "kinder"*'
    assert search.sqlite_match("de en het") == ""
    assert search.postgres_terms('Gezinnen & "geweld" | (x_y)') == [
        "gezinnen:*",
        "geweld:*",
        "x:*",
        "y:*",
    ]
    assert len(search.query_words("hulp " * 30)) == search.MAX_QUERY_WORDS


def _postgres_lexemes(text: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT array(SELECT unnest(tsvector_to_array(to_tsvector('dutch', %s))))",
            [search.index_text(text)],
        )
        return sorted(cursor.fetchone()[0])


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="compares with PostgreSQL's Dutch configuration"
)


@postgres_only
@pytest.mark.parametrize("text", WORDS)
def test_the_stems_are_postgresqls_own(text):
    assert sorted(set(search.lexemes(text))) == _postgres_lexemes(text)


@postgres_only
def test_the_stop_words_are_postgresqls_own():
    with connection.cursor() as cursor:
        for word in sorted(search.STOP_WORDS):
            cursor.execute("SELECT ts_lexize('dutch_stem', %s)", [word])
            assert cursor.fetchone()[0] == [], word
    # And a word that is not one is kept.
    assert _postgres_lexemes("zorgen") == ["zorg"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kinderen", "Spreekuur voor kinderen"),  # the same word
        ("kind", "Spreekuur voor kinderen"),  # a prefix
        ("huiselijke geweld", "Steun bij huiselijk geweld"),  # an inflection
        ("seksueel", "Hulp na seksueel misbruik"),
        ("clienten", "Cliëntenraad"),  # accents do not matter
        ("GEZIN", "Hulp voor gezinnen"),  # nor does case; a stem finds its longer forms
        ("daderhulp", "Training voor plegers"),  # the code of a taxonomy term
        ("arbeidsmigranten", "Spreekuur in eigen taal"),  # the label of a term
    ],
)
def test_dutch_text_search_finds_inflected_forms(add, query, expected):
    add("Spreekuur voor kinderen", description="Voor kinderen die zich zorgen maken.")
    add("Steun bij huiselijk geweld", description="Gesprekken na huiselijk geweld.")
    add("Hulp na seksueel misbruik", description="Medische zorg.")
    add("Cliëntenraad", description="Inspraak.")
    add("Hulp voor gezinnen", description="Gezinscoaching.")
    add("Training voor plegers", description="Stoppen met geweld.", help_types=("daderhulp",))
    add("Spreekuur in eigen taal", description="Advies.", groups=("arbeidsmigranten",))
    found = names(Criteria(text=query))
    assert expected in found, found


DEMO_QUERIES = [
    "opvang",
    "kinderen",
    "mishandeling",
    "huiselijk geweld",
    "slachtoffers",
    "hulpverlening",
    "opvoedondersteuning",
    "ouderenmishandeling",
    "mantelzorg",
    "eergerelateerd",
    "huwelijksdwang",
    "achterlating",
    "genitale verminking",
    "Pools",
    "daderhulp",
    "seksueel geweld",
    "jongeren chat",
    "0800",
]


@pytest.fixture
def demo_map(db):
    from meldwijzer.accounts.demo import load as load_accounts
    from meldwijzer.organisations.demo import load as load_organisations
    from meldwijzer.social_map.demo import load as load_demo

    load_organisations()
    load_accounts()
    load_demo()


def _expected(query: str) -> set[str]:
    """The demo services whose indexed words start with every stemmed query word, worked out in
    Python from the same documents: what either database must find."""
    stems = [search.stem(word) for word in search.query_words(query)]
    found = set()
    for service in Service.objects.filter(status__in=FINDABLE_STATUSES).select_related("provider"):
        indexed = {
            lexeme
            for text in astuple(services.search_document(service))
            for lexeme in search.lexemes(text)
        }
        if all(any(lexeme.startswith(stem) for lexeme in indexed) for stem in stems):
            found.add(str(service.uid))
    return found


def test_both_databases_find_the_same_demo_services(demo_map):
    for query in DEMO_QUERIES:
        results = service_search(Criteria(text=query, area=AREA_ALL), limit=200)
        uids = {str(hit.service.uid) for hit in results.hits}
        assert uids == _expected(query), query
        assert results.total == len(uids)

    # What a reader expects among them.

    def found(query: str) -> set[str]:
        return {hit.service.name for hit in service_search(Criteria(text=query), limit=200).hits}

    assert "Vrouwenopvang" in found("opvang")
    assert "Advies en melden bij Veilig Thuis" in found("melden")
    assert "Advies bij huwelijksdwang en achterlating" in found("huwelijksdwang")
    assert "Mantelzorgondersteuning en respijtzorg" in found("mantelzorg")
    assert found("daderhulp") >= {
        "Daderhulp bij huiselijk geweld",
        "Groepstraining Stoppen met geweld",
    }


def test_a_name_match_ranks_above_a_description_match(add):
    add("Algemene hulp", description="Wij bieden ook opvang voor wie dat nodig heeft.")
    add("Opvang", description="Een veilige plek.")
    assert names(Criteria(text="opvang")) == ["Opvang", "Algemene hulp"]


def test_odd_input_does_not_break_the_search(add):
    add("Opvang")
    for text in ('"', "*", "opvang OR", "NEAR(", ":*", "'; DROP TABLE", "ø" * 300, "_"):
        service_search(Criteria(text=text))
    assert names(Criteria(text="de het")) == ["Opvang"]  # only stop words: no text filter


def test_the_index_follows_every_change(add, actor):
    service = add("Spreekuur", description="Oud.")
    assert names(Criteria(text="spreekuur")) == ["Spreekuur"]
    service.name = "Inloop"
    services.service_save(actor=actor, service=service, terms={"soorten_hulp": ["advies"]})
    assert names(Criteria(text="spreekuur")) == []
    assert names(Criteria(text="inloop")) == ["Inloop"]
    provider = service.provider
    provider.name = "Stichting Polderhart"
    services.provider_save(actor=actor, provider=provider)
    assert names(Criteria(text="polderhart")) == ["Inloop"]


def test_the_index_can_be_rebuilt(add):
    add("Spreekuur")
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"DELETE FROM {search.FTS_TABLE}")  # noqa: S608
        else:
            cursor.execute("UPDATE social_map_service SET search_vector = NULL")
    assert names(Criteria(text="spreekuur")) == []
    out = StringIO()
    call_command("social_map_reindex", stdout=out)
    assert names(Criteria(text="spreekuur")) == ["Spreekuur"]
    assert out.getvalue().strip() == "1 diensten opnieuw geïndexeerd."


# --- Filters ---------------------------------------------------------------------------------


def test_filters_combine_with_each_other_and_with_text(add):
    add("Opvang Pools", help_types=("opvang",), languages=("nl", "pl"), groups=("volwassenen",))
    add("Opvang", help_types=("opvang",), groups=("volwassenen",))
    add("Gesprekken Pools", help_types=("ambulante_hulp",), languages=("pl",))
    add("Seksueel geweld", help_types=("medische_hulp",), violence=("seksueel",))
    assert names(Criteria(help_types=("opvang",))) == ["Opvang", "Opvang Pools"]
    assert names(Criteria(language="pl")) == ["Gesprekken Pools", "Opvang Pools"]
    assert names(Criteria(help_types=("opvang",), language="pl")) == ["Opvang Pools"]
    assert names(Criteria(text="opvang", language="pl")) == ["Opvang Pools"]
    assert names(Criteria(violence=("seksueel", "uitbuiting"))) == ["Seksueel geweld"]
    assert names(Criteria(target_groups=("volwassenen",), sort=SORT_NAME)) == [
        "Opvang",
        "Opvang Pools",
    ]


def test_services_that_are_not_active_are_not_found(add):
    add("Opgeheven hulp", status="defunct")
    add("Tijdelijk dicht", status="temporarily closed")
    assert names(Criteria(text="opgeheven")) == []
    assert names(Criteria(text="dicht")) == ["Tijdelijk dicht"]


# --- Distance and area -------------------------------------------------------------------------


def test_distance_from_a_postcode_orders_the_results(add):
    add("In Zwolle", postcode="8011")
    add("In Almere", postcode="1315")
    add("In Emmeloord", postcode="8302")
    add("In Nagele", postcode="8308")
    add("Telefonisch", postcode="")
    results = service_search(Criteria(postcode="8302"))
    found = [(hit.service.name, hit.distance_km) for hit in results.hits]
    assert [name for name, _ in found] == [
        "In Emmeloord",
        "In Nagele",
        "In Zwolle",
        "In Almere",
        "Telefonisch",
    ]
    distances = dict(found)
    assert distances["In Emmeloord"] == 0
    # RD New centroids, Euclidean: Emmeloord–Nagele about 10 km, –Zwolle 34 km, –Almere 53 km.
    assert distances["In Nagele"] == pytest.approx(10.3, abs=0.5)
    assert distances["In Zwolle"] == pytest.approx(34.3, abs=0.5)
    assert distances["In Almere"] == pytest.approx(53.4, abs=0.5)
    assert distances["Telefonisch"] is None


def test_a_confidential_location_never_counts_for_distance(add):
    add("Opvang", postcode="8302", confidential=True)
    (hit,) = service_search(Criteria(postcode="8302")).hits
    assert hit.distance_km is None


def test_only_services_available_at_the_postcode_unless_asked(add):
    add("Landelijk", areas=(AreaSpec("landelijk", "NL"),))
    add("Flevoland", areas=(AreaSpec("provincie", "Flevoland"),))
    add("Noordoostpolder", areas=(AreaSpec("gemeente", "Noordoostpolder"),))
    add("Alleen 8308", areas=(AreaSpec("pc4", "8308"),))
    add("Zwolle", areas=(AreaSpec("gemeente", "Zwolle"),))
    add("Overal")  # no area given: available everywhere
    assert names(Criteria(postcode="8302", sort=SORT_NAME)) == [
        "Flevoland",
        "Landelijk",
        "Noordoostpolder",
        "Overal",
    ]
    assert "Alleen 8308" in names(Criteria(postcode="8308"))
    assert names(Criteria(postcode="8011", sort=SORT_NAME)) == ["Landelijk", "Overal", "Zwolle"]
    assert len(names(Criteria(postcode="8302", area=AREA_ALL))) == 6


def test_text_and_postcode_rank_by_relevance_then_distance(add):
    add("Opvang Zwolle", postcode="8011", help_types=("opvang",))
    add("Opvang Emmeloord", postcode="8302", help_types=("opvang",))
    add("Ander aanbod", description="Geen opvang hier, wel gesprekken.", postcode="8302")
    found = names(Criteria(text="opvang", postcode="8303"))
    assert found[:2] == ["Opvang Emmeloord", "Opvang Zwolle"]
    assert found[-1] == "Ander aanbod"


def test_paging_and_total(add):
    for number in range(7):
        add(f"Dienst {number}")
    results = service_search(Criteria(text="dienst", sort=SORT_NAME), offset=5, limit=5)
    assert results.total == 7
    assert [hit.service.name for hit in results.hits] == ["Dienst 5", "Dienst 6"]
