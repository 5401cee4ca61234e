"""Full-text search of the sociale kaart, on each database's own engine.

PostgreSQL: each service has a stored `tsvector` (`Service.search_vector`) with a GIN index,
weighted A (name), B (other names and the provider), C (taxonomy terms) and D (descriptions). It
holds the text twice: through PostgreSQL's Dutch configuration (Snowball stemming, Dutch stop
words) and, through the `simple` configuration, as stemmed by Meldwijzer's own small stemmer
below. Snowball keeps `seksueel` and `seksuele` apart (`seksueel`, `seksuel`), so each query word
matches as a Dutch prefix *or* as a prefix of its own stem (`seksuele:*` in `dutch` or `seksuel:*`
in `simple`); all words must match. Ranked with `ts_rank`.

SQLite: an FTS5 table (`social_map_service_fts`, rowid = service id) with the `unicode61`
tokenizer. FTS5 has no Dutch stemmer, so Meldwijzer brings a small one (`stem`): case and
accents are folded, and every word — in the indexed text and in the query alike — is cut back by
a few Dutch suffix rules (plural -en/-s/-eren, -e, -heden, diminutives) and then loses a doubled
final consonant or vowel (`gezinnen` → `gezin`, `huiselijke` → `huiselijk`, `seksuele` and
`seksueel` → `seksuel`). Each query word is then matched as a prefix (`gezin*`). That finds most
inflected forms and compounds that start with the word, but not compounds that end with it
(`hulp` does not find `daderhulp`) and not irregular forms. Ranking is BM25 with column weights
like PostgreSQL's (set in migration 0003); searches join the table as `models.ServiceText`.

Both engines read the same text, built by `document()`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from meldwijzer.social_map import taxonomies

FTS_TABLE = "social_map_service_fts"
# Dutch words that carry no meaning in a search (for SQLite; PostgreSQL's Dutch configuration
# has its own list).
STOP_WORDS = frozenset({
    "aan", "al", "als", "bij", "dan", "dat", "de", "der", "des", "die", "dit", "door", "een",
    "en", "er", "het", "hij", "hoe", "ik", "in", "is", "je", "kan", "me", "met", "mijn", "na",
    "naar", "niet", "nog", "of", "om", "ook", "op", "over", "te", "tot", "u", "uit", "van",
    "voor", "wat", "wie", "wij", "ze", "zij", "zich", "zijn", "zo",
})  # fmt: skip

# (suffix, replacement), longest first; the first that leaves a stem of three letters or more.
_SUFFIXES = (
    ("heden", ""),
    ("ingen", "ing"),
    ("tjes", ""),
    ("jes", ""),
    ("tje", ""),
    ("eren", "er"),
    ("ers", "er"),
    ("je", ""),
    ("en", ""),
    ("es", ""),
    ("'s", ""),
    ("s", ""),
    ("e", ""),
)
_DOUBLED = re.compile(r"([bdfgklmnprst])\1$")
_DOUBLED_VOWEL = re.compile(r"([aeou])\1([^aeiouy])$")
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Document:
    """The searchable text of one service, per weight."""

    name: str
    names: str
    body: str
    terms: str


def fold(text: str) -> str:
    """Lower case without accents (as FTS5's unicode61 with remove_diacritics does)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def words(text: str) -> list[str]:
    """The words of a query, folded, without stop words; at most ten."""
    found = [word for word in _WORD.findall(fold(text)) if word not in STOP_WORDS]
    return [word.replace("_", "") for word in found if word.replace("_", "")][:10]


def stem(word: str) -> str:
    """A prefix that most Dutch inflections of `word` start with."""
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) + len(replacement) >= 3:
            word = word[: len(word) - len(suffix)] + replacement
            break
    if len(word) > 3:
        word = _DOUBLED.sub(r"\1", word)
    return _DOUBLED_VOWEL.sub(r"\1\2", word) if len(word) > 3 else word


def stem_text(text: str) -> str:
    """Text as the SQLite index holds it: every word folded and stemmed."""
    return " ".join(stem(word) for word in _WORD.findall(fold(text)))


def sqlite_match(text: str) -> str:
    """An FTS5 query: every word (stemmed) as a prefix; all words must occur."""
    return " ".join(f'"{stem(word)}"*' for word in words(text))


def postgres_terms(text: str) -> list[tuple[str, str]]:
    """Per query word: a prefix for the Dutch configuration and one of its own stem (raw tsquery
    syntax; words hold only letters and digits)."""
    return [(f"{word}:*", f"{stem(word)}:*") for word in words(text)]


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
