"""The search query syntax: aliases, phrases, OR, exclusion, and a clear error for what cannot be read."""

from __future__ import annotations

import pytest

from kabar.errors import QueryError, UsageError
from kabar.store.query import parse, to_fts5, to_tsquery


def test_query_a_known_name_matches_all_its_names() -> None:
    for text in ("Jokowi", "jokowi", "Joko Widodo"):
        (clause,) = parse(text).clauses
        phrases = {p for term in clause for p in term.phrases}
        assert {("jokowi",), ("joko", "widodo")} <= phrases


def test_query_acronyms_expand_only_when_written_as_acronyms() -> None:
    assert len(parse("KPK").clauses[0][0].phrases) > 1
    assert parse("as").clauses[0][0].phrases == (("as",),)


@pytest.mark.parametrize(
    ("text", "fts5", "tsquery"),
    [
        ("banjir Bekasi", '"banjir" AND "bekasi"', "(('banjir')) & (('bekasi'))"),
        ('"ibu kota" OR IKN', '("ibu kota" OR "ikn")', "(('ibu' <-> 'kota') | ('ikn'))"),
        ("gempa -susulan", '("gempa") NOT "susulan"', "(('gempa')) & !('susulan')"),
        ("gempa AND NOT susulan", '("gempa") NOT "susulan"', "(('gempa')) & !('susulan')"),
        ("title:banjir* ^Bekasi", '"title banjir" AND "bekasi"', "(('title' <-> 'banjir')) & (('bekasi'))"),
    ],
)
def test_query_written_for_both_databases(text: str, fts5: str, tsquery: str) -> None:
    query = parse(text)
    assert to_fts5(query) == fts5
    assert to_tsquery(query) == tsquery


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('Setya AND "KPK', "unclosed quote"),
        ("OR banjir", "OR needs a term"),
        ("banjir OR", "OR needs a term"),
        ("-banjir", "only excludes"),
        ("banjir NOT", "NOT needs a term"),
        ('""', "holds no word"),
        ("... !!!", "holds no word"),
    ],
)
def test_query_that_cannot_be_read_says_why(text: str, reason: str) -> None:
    with pytest.raises(QueryError, match=reason) as info:
        parse(text)
    assert isinstance(info.value, UsageError)
