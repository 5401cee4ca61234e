"""Full-text search of the sociale kaart, on each database's own engine, with one Dutch stemmer.

Both engines see the same words and stem them with the same algorithm, so a word finds the same
services on SQLite and on PostgreSQL (`tests/social_map/test_search.py` checks both):

1. `words`: the text is folded (lower case, accents removed) and cut into words of letters and
   digits; Dutch stop words are dropped (the Snowball list, which is PostgreSQL's `dutch.stop`).
2. `stem`: each word is cut back by the Snowball Dutch stemmer from the `snowballstemmer`
   package — the algorithm PostgreSQL's `dutch` configuration uses (`kinderen` → `kinder`,
   `mishandeling` → `mishandel`, `huiselijke` → `huiselijk`). Snowball 3 renamed it
   `dutch_porter`; PostgreSQL up to version 18 ships it as its Dutch stemmer. Words with a digit
   stay as they are, as PostgreSQL's `simple` dictionary leaves numbers.

PostgreSQL: each service has a stored `tsvector` (`Service.search_vector`) with a GIN index,
`to_tsvector('dutch', …)` of the folded words, weighted A (name), B (other names and the
provider), C (taxonomy terms) and D (descriptions). A query word becomes `word:*` through
`to_tsquery('dutch', …)`: PostgreSQL stems it and matches every lexeme that starts with the stem.
All words must match; ranked with `ts_rank`.

SQLite: an FTS5 table (`social_map_service_fts`, rowid = service id) holds the same lexemes,
stemmed here (`lexemes`), in the same four columns. A query word is matched as a prefix of its
stem (`"kinder"*`); all words must match. Ranking is BM25 with column weights like PostgreSQL's
(set in migration 0003); searches join the table as `models.ServiceText`.

What the stemmer does not do: compounds that end with the word (`hulp` does not find
`daderhulp`; the code `daderhulp` of the term *Hulp voor plegers* is indexed for that reason),
irregular forms, synonyms, spelling mistakes; and Snowball keeps some forms apart that a reader
would join (`seksueel`/`seksuele` → `seksueel`/`seksuel`, `gezin`/`gezinnen` → `gezin`/`gezinn`:
`gezin` finds `gezinnen`, not the other way round).

Both engines read the same text, built by `document()`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

import snowballstemmer

from meldwijzer.social_map import taxonomies

FTS_TABLE = "social_map_service_fts"
ALGORITHM = "dutch_porter"
"""Snowball's name for the Dutch stemmer of PostgreSQL's `dutch` configuration."""
MAX_QUERY_WORDS = 10
# PostgreSQL's `dutch.stop`, the Snowball project's Dutch stop words: words that carry no
# meaning in a search. Neither engine indexes them, and a query drops them.
STOP_WORDS = frozenset({
    "aan", "al", "alles", "als", "altijd", "andere", "ben", "bij", "daar", "dan", "dat", "de",
    "der", "deze", "die", "dit", "doch", "doen", "door", "dus", "een", "eens", "en", "er", "ge",
    "geen", "geweest", "haar", "had", "heb", "hebben", "heeft", "hem", "het", "hier", "hij",
    "hoe", "hun", "iemand", "iets", "ik", "in", "is", "ja", "je", "kan", "kon", "kunnen", "maar",
    "me", "meer", "men", "met", "mij", "mijn", "moet", "na", "naar", "niet", "niets", "nog", "nu",
    "of", "om", "omdat", "onder", "ons", "ook", "op", "over", "reeds", "te", "tegen", "toch",
    "toen", "tot", "u", "uit", "uw", "van", "veel", "voor", "want", "waren", "was", "wat", "werd",
    "wezen", "wie", "wil", "worden", "wordt", "zal", "ze", "zelf", "zich", "zij", "zijn", "zo",
    "zonder", "zou",
})  # fmt: skip
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Document:
    """The searchable text of one service, per weight."""

    name: str
    names: str
    body: str
    terms: str


def fold(text: str) -> str:
    """Lower case without accents (`Cliënten` → `clienten`)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def words(text: str) -> list[str]:
    """The words of `text`, folded, without stop words."""
    return [word for word in _WORD.findall(fold(text)) if word not in STOP_WORDS]


@cache
def _stemmer() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer(ALGORITHM)


@lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    """The Snowball Dutch stem of one folded word; a word with a digit stays as it is. (Cached:
    the stemmer is plain Python, and a directory uses a few thousand different words.)"""
    if any(ch.isdigit() for ch in word):
        return word
    return str(_stemmer().stemWord(word))


def lexemes(text: str) -> list[str]:
    """What both indexes hold for `text`: its words, stemmed, in order."""
    return [stem(word) for word in words(text)]


def stemmed_text(text: str) -> str:
    """`text` as the SQLite index holds it: its stems, separated by spaces."""
    return " ".join(lexemes(text))


def index_text(text: str) -> str:
    """`text` as PostgreSQL's Dutch configuration reads it: the folded words, nothing else, so
    its parser splits them exactly as `words` does."""
    return " ".join(words(text))


def query_words(text: str) -> list[str]:
    """The words of a query (at most ten)."""
    return words(text)[:MAX_QUERY_WORDS]


def sqlite_match(text: str) -> str:
    """An FTS5 query: every word as a prefix of its stem; all words must occur."""
    return " ".join(f'"{stem(word)}"*' for word in query_words(text))


def postgres_terms(text: str) -> list[str]:
    """Per query word a prefix for `to_tsquery('dutch', …)`, which stems it (raw tsquery
    syntax; words hold only letters and digits)."""
    return [f"{word}:*" for word in query_words(text)]


def document(
    *,
    name: str,
    alternate_name: str,
    provider_name: str,
    provider_alternate_name: str,
    description: str,
    eligibility: str,
    application: str,
    term_codes: list[tuple[str, str]],
) -> Document:
    labels = []
    for taxonomy_id, code in term_codes:
        found = taxonomies.taxonomies().get(taxonomy_id)
        if found is not None and code in found.terms:
            # The label and the code: 'Hulp voor plegers' is also found as 'daderhulp'.
            labels += [found.terms[code].name, code.replace("_", " ")]
    return Document(
        name=name,
        names=" ".join(filter(None, [alternate_name, provider_name, provider_alternate_name])),
        body=" ".join(filter(None, [description, eligibility, application])),
        terms=" ".join(labels),
    )
