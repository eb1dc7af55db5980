"""The JSON output schema is documented in the README; this test locks it."""

from __future__ import annotations

import json

from kabar.records import Annotation
from kabar.render import to_dict, to_json, to_markdown

ARTICLE_KEYS = {"id", "source", "title", "language", "published", "url", "author", "reference_date", "stages",
                "text", "sentences", "mentions", "quotes", "dates", "quantities"}  # fmt: skip
SENTENCE_KEYS = {"id", "start", "end", "text", "boilerplate", "boilerplate_kind", "states_facts", "paragraph",
                 "title"}  # fmt: skip
MENTION_KEYS = {"start", "end", "text", "type", "entity"}
QUOTE_KEYS = {"start", "end", "content", "content_start", "content_end", "cue", "direct", "speaker_text",
              "speaker_start", "speaker_end", "speaker_entity", "sentence"}  # fmt: skip
DATE_KEYS = {"start", "end", "text", "value", "kind", "qualifier"}
QUANTITY_KEYS = {"start", "end", "text", "value", "unit", "kind", "qualifier", "of"}
ENTITY_KEYS = {"id", "name", "type", "aliases", "mentions"}


def test_render_schema_is_locked(seed_annotation: Annotation) -> None:
    data = json.loads(to_json(seed_annotation))
    assert set(data) == {"schema", "articles", "entities", "failures", "versions"}
    assert data["schema"] == 1
    for article in data["articles"]:
        assert set(article) == ARTICLE_KEYS
        for key, keys in [("sentences", SENTENCE_KEYS), ("mentions", MENTION_KEYS), ("quotes", QUOTE_KEYS),
                          ("dates", DATE_KEYS), ("quantities", QUANTITY_KEYS)]:  # fmt: skip
            assert article[key], key
            for item in article[key]:
                assert set(item) == keys, key
    for entity in data["entities"]:
        assert set(entity) == ENTITY_KEYS


def test_render_offsets_are_exact(seed_annotation: Annotation) -> None:
    data = to_dict(seed_annotation)
    for article in data["articles"]:
        text = article["text"]
        for key, field in [
            ("sentences", "text"),
            ("mentions", "text"),
            ("dates", "text"),
            ("quantities", "text"),
        ]:
            for item in article[key]:
                assert text[item["start"] : item["end"]] == item[field]
        for quote in article["quotes"]:
            assert text[quote["content_start"] : quote["content_end"]] == quote["content"]


def test_render_ids_unique(seed_annotation: Annotation) -> None:
    data = to_dict(seed_annotation)
    sentence_ids = [s["id"] for a in data["articles"] for s in a["sentences"]]
    assert len(sentence_ids) == len(set(sentence_ids))
    entity_ids = {e["id"] for e in data["entities"]}
    assert len(entity_ids) == len(data["entities"])
    for article in data["articles"]:
        for mention in article["mentions"]:
            assert mention["entity"] in entity_ids
        for quote in article["quotes"]:
            assert quote["sentence"] in set(sentence_ids)
            assert quote["speaker_entity"] is None or quote["speaker_entity"] in entity_ids


def test_render_markdown_has_every_part(seed_annotation: Annotation) -> None:
    md = to_markdown(seed_annotation)
    assert md.startswith("# Kabar annotation")
    for part in ["## Entities", "Vladimir Putin", "### Quotes", "### Dates", "### Quantities", "### Sentences",
                 "_[teaser]_", "`2023-09-13`"]:  # fmt: skip
        assert part in md, part
