"""Render an annotation as JSON (the documented schema) or as readable Markdown."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from kabar.records import AnnotatedArticle, Annotation, Entity, Sentence
from kabar.versions import annotation_versions

SCHEMA_VERSION = 1


MENTION_FIELDS = ("start", "end", "text", "type", "entity")
QUOTE_FIELDS = ("start", "end", "content", "content_start", "content_end", "cue", "direct", "speaker_text",
                "speaker_start", "speaker_end", "speaker_entity", "sentence")  # fmt: skip
DATE_FIELDS = ("start", "end", "text", "value", "kind", "qualifier")
QUANTITY_FIELDS = ("start", "end", "text", "value", "unit", "kind", "qualifier", "of")


def _pick(record: object, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(record, name) for name in names}


def sentence_dict(sentence: Sentence) -> dict[str, Any]:
    s = sentence
    return {"id": s.id, "start": s.start, "end": s.end, "text": s.text, "boilerplate": s.boilerplate is not None,
            "boilerplate_kind": s.boilerplate, "states_facts": s.states_facts, "paragraph": s.paragraph,
            "title": s.is_title}  # fmt: skip


def article_dict(doc: AnnotatedArticle) -> dict[str, Any]:
    """One annotated article as the JSON document lists it (see README, "JSON output")."""
    a = doc.article
    return {
        "id": a.id,
        "source": a.source,
        "title": a.title,
        "language": a.language,
        "published": a.published,
        "url": a.url,
        "author": a.author,
        "reference_date": doc.reference_date,
        "stages": list(doc.stages),
        "text": a.text,
        "sentences": [sentence_dict(s) for s in doc.sentences],
        "mentions": [_pick(m, MENTION_FIELDS) for m in doc.mentions],
        "quotes": [_pick(q, QUOTE_FIELDS) for q in doc.quotes],
        "dates": [_pick(d, DATE_FIELDS) for d in doc.dates],
        "quantities": [_pick(q, QUANTITY_FIELDS) for q in doc.quantities],
    }


def entity_dict(entity: Entity) -> dict[str, Any]:
    return {
        "id": entity.id,
        "name": entity.name,
        "type": entity.type,
        "aliases": list(entity.aliases),
        "mentions": entity.mentions,
    }


def to_dict(annotation: Annotation) -> dict[str, Any]:
    """The JSON document of an annotation (see README, "JSON output")."""
    return {
        "schema": SCHEMA_VERSION,
        "versions": annotation_versions(annotation),
        "articles": [article_dict(doc) for doc in annotation.articles],
        "entities": [entity_dict(e) for e in annotation.entities],
        "failures": [{"path": f.path, "reason": f.reason, "code": f.code} for f in annotation.failures],
    }


def to_json(annotation: Annotation, indent: int | None = 2) -> str:
    return json.dumps(to_dict(annotation), ensure_ascii=False, indent=indent)


def md_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("<", "&lt;")


def to_markdown(annotation: Annotation) -> str:
    """A readable report: entity roster, then per article its quotes, dates, quantities and sentences."""
    names = {e.id: e.name for e in annotation.entities}
    lines = ["# Kabar annotation", ""]
    lines += [f"{len(annotation.articles)} article(s), {len(annotation.entities)} entities.", ""]
    if annotation.entities:
        lines += [
            "## Entities",
            "",
            "| id | name | type | mentions | also written |",
            "|---|---|---|---|---|",
        ]
        for e in annotation.entities:
            aliases = ", ".join(e.aliases)
            lines.append(f"| {e.id} | {md_escape(e.name)} | {e.type} | {e.mentions} | {md_escape(aliases)} |")
        lines.append("")
    for doc in annotation.articles:
        lines += _article_markdown(doc, names)
    if annotation.failures:
        lines += ["## Skipped inputs", ""]
        lines += [f"- `{md_escape(f.path)}`: {md_escape(f.reason)}" for f in annotation.failures]
        lines.append("")
    return "\n".join(lines)


def _article_markdown(doc: AnnotatedArticle, names: dict[str, str]) -> list[str]:
    a = doc.article
    lines = [f"## {md_escape(a.title or a.id)}", ""]
    meta = [f"id `{a.id}`", f"language {a.language or 'und'}"]
    if a.source:
        meta.append(f"source {md_escape(a.source)}")
    if a.published:
        meta.append(f"published {a.published}")
    elif doc.reference_date:
        meta.append(f"dated {doc.reference_date} (from its text)")
    lines += [", ".join(meta), ""]
    lines += _section("Quotes", (
        f"- **{md_escape(q.speaker_text or '?')}**{_entity_note(q.speaker_text, q.speaker_entity, names)} "
        f"({q.cue}{', direct' if q.direct else ''}): {md_escape(q.content)}" for q in doc.quotes))  # fmt: skip
    lines += _section("Dates", (
        f"- {md_escape(d.text)} → `{d.value or '?'}` ({d.kind}{', ' + d.qualifier if d.qualifier else ''})"
        for d in doc.dates))  # fmt: skip
    lines += _section("Quantities", (
        f"- {md_escape(q.text)} → {q.value if q.value is not None else '?'} {md_escape(q.unit or '')} "
        f"({q.kind}{', ' + q.qualifier if q.qualifier else ''}{', of ' + names.get(q.of, q.of) if q.of else ''})"
        for q in doc.quantities))  # fmt: skip
    sentence_lines: list[str] = []
    for s in doc.sentences:
        marker = f" _[{s.boilerplate}]_" if s.boilerplate else (" _[title]_" if s.is_title else "")
        sentence_lines.append(f"{len(sentence_lines) + 1}. {md_escape(s.text)}{marker}")
    lines += _section("Sentences", sentence_lines)
    return lines


def _entity_note(text: str | None, entity: str | None, names: dict[str, str]) -> str:
    if entity is None or names.get(entity) == text:
        return ""
    return f" (= {md_escape(names.get(entity, entity))})"


def _section(title: str, items: Iterable[str]) -> list[str]:
    body = list(items)
    if not body:
        return []
    return [f"### {title}", "", *body, ""]
