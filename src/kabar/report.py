"""Render a comparison: JSON (the annotate document plus facts, brief, duplicates and notes), Markdown, and one
self-contained HTML report (no scripts, no external files; every article text escaped)."""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from typing import Any

from kabar.records import (
    CAPTION,
    AnnotatedArticle,
    Comparison,
    EventComparison,
    EventRow,
    Fact,
    Figure,
    FigureClaim,
    SentenceRef,
    StoredArticle,
)
from kabar.render import md_escape, to_dict
from kabar.versions import result_versions


def _ref_dict(ref: SentenceRef, texts: dict[str, str]) -> dict[str, Any]:
    """{"article", "sentence"}, plus "span" (offsets within the sentence) and "text" for a clause."""
    out: dict[str, Any] = {"article": ref.article, "sentence": ref.sentence}
    if ref.span is not None:
        out["span"] = list(ref.span)
        out["text"] = _ref_text(ref, texts)
    return out


def _ref_text(ref: SentenceRef, texts: dict[str, str]) -> str:
    return ref.stated(texts.get(ref.sentence, ""))


def _cited(refs: tuple[SentenceRef, ...]) -> list[SentenceRef]:
    """The cited sentences, once each (two clauses of one sentence are one link)."""
    seen: dict[tuple[str, str], SentenceRef] = {}
    for ref in refs:
        seen.setdefault((ref.article, ref.sentence), ref)
    return list(seen.values())


def source_labels(docs: Sequence[AnnotatedArticle]) -> dict[str, str]:
    """What a reader is shown for each article: its outlet ("Kompas"), numbered in order where one outlet gave
    several ("Kompas (1)", "Kompas (2)"); the article id where the outlet is not known."""
    outlets = [doc.article.source for doc in docs]
    seen: dict[str, int] = {}
    labels = {}
    for doc in docs:
        outlet = doc.article.source
        if not outlet:
            labels[doc.article.id] = doc.article.id
            continue
        seen[outlet] = seen.get(outlet, 0) + 1
        labels[doc.article.id] = f"{outlet} ({seen[outlet]})" if outlets.count(outlet) > 1 else outlet
    return labels


def comparison_dict(comparison: Comparison) -> dict[str, Any]:
    texts = _sentence_text(comparison)
    data = to_dict(comparison.annotation)
    data["facts"] = [
        {
            "id": f.id,
            "status": f.status,
            "score": f.score,
            "members": [_ref_dict(m, texts) for m in f.members],
            "conflicts": [
                {
                    "kind": c.kind,
                    "values": [
                        {"article": v.article, "sentence": v.sentence, "text": v.text} for v in c.values
                    ],
                }
                for c in f.conflicts
            ],
        }
        for f in comparison.facts
    ]
    data["brief"] = [
        {
            "text": b.text,
            "fact": b.fact,
            "citations": [_ref_dict(c, texts) for c in b.citations],
        }
        for b in comparison.brief
    ]
    data["duplicates"] = [
        {"article": d.article, "duplicate_of": d.duplicate_of, "similarity": d.similarity}
        for d in comparison.duplicates
    ]
    data["notes"] = list(comparison.notes)
    data["figures"] = [figure_dict(f) for f in comparison.figures]
    data["versions"] = result_versions(comparison.annotation)
    return data


def figure_dict(figure: Figure) -> dict[str, Any]:
    """A figure and every value given for it (``span``: offsets within the sentence)."""
    return {
        "key": figure.key,
        "label": figure.label,
        "status": figure.status,
        "values": [
            {
                "article": v.article,
                "sentence": v.sentence,
                "span": list(v.span),
                "text": v.text,
                "value": v.value,
                "low": v.low,
                "high": v.high,
                "unit": v.unit,
                "qualifier": v.qualifier,
                "attribution": v.attribution,
                "time": v.time,
            }
            for v in figure.values
        ],
    }


def _number(value: float) -> str:
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def value_words(claim: FigureClaim) -> str:
    """A figure's value as a reader writes it: "162", "6–7", "≥ 14", "~7"; an hour as written."""
    if claim.key.startswith(("time:", "status", "weekday:", "duration:")):
        return claim.text
    if claim.value is None and claim.low is not None and claim.high is not None:
        core = f"{_number(claim.low)}–{_number(claim.high)}"
    elif claim.value is not None:
        core = _number(claim.value)
    else:
        core = claim.text
    unit = {"%": " persen", "km": " km", "m": " m", "IDR": "", "USD": ""}.get(claim.unit or "", "")
    if claim.unit == "IDR":
        core = "Rp " + core
    elif claim.unit == "USD":
        core = "US$ " + core
    core += unit
    mark = {">": "> ", ">=": "≥ ", "<": "< ", "<=": "≤ ", "<~": "hampir ", "~": "~"}.get(
        claim.qualifier or "", ""
    )
    if claim.qualifier in {"tens", "teens", "hundreds", "thousands", "millions", "dozens", "several"}:
        return claim.text
    return mark + core


def figure_timeline(figure: Figure, sources: dict[str, str]) -> str:
    """ "korban meninggal: 14 (BNPB, Senin siang) → 62 (BNPB, 19.34 WIB) → 162 (Gubernur, belum diverifikasi)"."""
    parts = []
    for claim in figure.values:
        who = claim.attribution or sources.get(claim.article, claim.article)
        when = claim.time_text or (claim.time or "")[:16].replace("T", " ")
        notes = [x for x in (who, when, "belum diverifikasi" if claim.hedged else "") if x]
        parts.append(f"{value_words(claim)} ({', '.join(notes)})")
    return f"{figure.label}: " + " → ".join(parts)


def event_row_dict(row: EventRow) -> dict[str, Any]:
    """An event as ``kabar events --json`` and ``GET /api/events`` list it."""
    return {name: getattr(row, name) for name in row.__slots__}


def event_dict(result: EventComparison) -> dict[str, Any]:
    """A stored event compared, as ``kabar event --format json`` and ``GET /api/events/{id}`` return it: the
    comparison document plus ``event`` (its row) and ``top_entities``; ``duplicates`` also lists the stored
    articles that repeat another one (similarity null)."""
    return event_document(
        result.event, comparison_dict(result.comparison), result.repeats, result.top_entities
    )


def event_document(
    row: EventRow,
    data: dict[str, Any],
    repeats: Sequence[StoredArticle] = (),
    top_entities: Sequence[tuple[str, str, int]] = (),
) -> dict[str, Any]:
    """:func:`event_dict` from a comparison already turned into its document (``data``, as
    :func:`comparison_dict` gives it), for a comparison computed in another process."""
    data = dict(data, duplicates=[*data["duplicates"], *(
        {"article": m.article.id, "duplicate_of": m.duplicate_of, "similarity": None} for m in repeats)])  # fmt: skip
    top = [{"name": name, "type": type_, "mentions": count} for name, type_, count in top_entities]
    return {"event": event_row_dict(row), "top_entities": top, **data}


def comparison_json(comparison: Comparison) -> str:
    return json.dumps(comparison_dict(comparison), ensure_ascii=False, indent=2)


def _sentence_text(comparison: Comparison) -> dict[str, str]:
    return {s.id: s.text for doc in comparison.annotation.articles for s in doc.sentences}


def comparison_markdown(comparison: Comparison) -> str:
    texts = _sentence_text(comparison)
    sources = source_labels(comparison.annotation.articles)
    lines = ["# Kabar comparison", ""]
    counts = {s: sum(1 for f in comparison.facts if f.status == s) for s in ("shared", "unique", "conflict")}
    lines.append(
        f"{len(comparison.annotation.articles)} article(s); {counts['shared']} shared, {counts['unique']} unique, "
        f"{counts['conflict']} conflicting fact(s)."
    )
    lines.append("")
    for note in comparison.notes:
        lines.append(f"> {md_escape(note)}")
    if comparison.notes:
        lines.append("")
    lines += ["## Brief", ""]
    figure_lines = _figure_lines(comparison, sources)
    for k, sentence in enumerate(comparison.brief, start=1):
        cites = ", ".join(
            f"{sources.get(c.article, c.article)} {c.sentence.split(':')[-1]}"
            for c in _cited(sentence.citations)
        )
        lines.append(f"{k}. {md_escape(sentence.text)} [{md_escape(cites)}]")
    lines.append("")
    lines += figure_lines
    for status, title in (
        ("conflict", "Conflicts"),
        ("shared", "Shared facts"),
        ("unique", "Reported by one source"),
    ):
        facts = [f for f in comparison.facts if f.status == status]
        if not facts:
            continue
        lines += [f"## {title}", ""]
        for fact in facts:
            lines.append(f"- **{fact.id}**")
            for member in fact.members:
                lines.append(
                    f"  - {sources.get(member.article, member.article)}: {md_escape(_ref_text(member, texts))}"
                )
            for conflict in fact.conflicts:
                values = " vs ".join(
                    f"“{md_escape(v.text)}” ({sources.get(v.article, v.article)})" for v in conflict.values
                )
                lines.append(f"  - conflict ({conflict.kind}): {values}")
        lines.append("")
    return "\n".join(lines)


def _figure_lines(comparison: Comparison, sources: dict[str, str]) -> list[str]:
    """The figures several sources give, or that changed: one timeline line each."""
    shown = [f for f in comparison.figures if f.status != "agree" or len({v.article for v in f.values}) > 1]
    if not shown:
        return []
    lines = ["## Figures", ""]
    for figure in shown:
        lines.append(f"- **{figure.status}** {md_escape(figure_timeline(figure, sources))}")
    return [*lines, ""]


_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d1d1f;background:#fafafa}
header,section{padding:12px 24px}
h1{font-size:1.4em;margin:8px 0} h2{font-size:1.15em;border-bottom:1px solid #ddd;padding-bottom:4px}
.legend span{margin-right:12px;padding:2px 6px;border-radius:3px}
.sources{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:16px}
.source{background:#fff;border:1px solid #ddd;border-radius:6px;padding:12px}
.source h3{font-size:1em;margin:0 0 8px}
.s{display:inline;padding:1px 2px;border-radius:3px;line-height:1.6}
.c{border-radius:3px;padding:1px 0}
.shared{background:#dff3e1} .unique{background:#eef0f5} .conflict{background:#fbd9d6;outline:1px solid #e07b72}
.boilerplate{color:#999;text-decoration:line-through}
.caption{font-style:italic;color:#3a3a3c}
.caption-label{font-size:.72em;font-style:normal;text-transform:uppercase;letter-spacing:.04em;color:#555;
background:#ececec;border-radius:3px;padding:0 4px;margin-right:4px}
.s:target{outline:3px solid #f5a623;background:#fff3c4}
ol.brief li{margin:6px 0} a.cite{font-size:.8em;vertical-align:super;text-decoration:none;margin-left:2px}
table{border-collapse:collapse;background:#fff} td,th{border:1px solid #ddd;padding:4px 8px;text-align:left}
.figure.disagreement,.figure.correction{color:#a0271d} .figure.update{color:#7a5b00}
.notes{background:#fff8e1;border-left:4px solid #f5a623;padding:6px 12px}
"""


_CAPTION_LABEL = "Photo caption"

_RANK = {"": 0, "unique": 1, "shared": 2, "conflict": 3}


def _status_by_sentence(
    facts: tuple[Fact, ...],
) -> tuple[dict[str, str], dict[str, list[tuple[int, int, str]]]]:
    """The status of each sentence (the strongest of its facts'), and the status of each clause of sentences
    whose clauses state different facts."""
    status: dict[str, str] = {}
    clauses: dict[str, list[tuple[int, int, str]]] = {}

    def mark(sentence: str, value: str) -> None:
        if _RANK[value] > _RANK[status.get(sentence, "")]:
            status[sentence] = value

    for fact in facts:
        for member in fact.members:
            mark(member.sentence, fact.status)
            if member.span is not None:
                clauses.setdefault(member.sentence, []).append((*member.span, fact.status))
        for conflict in fact.conflicts:
            for value in conflict.values:
                mark(value.sentence, "conflict")
    return status, {k: sorted(v) for k, v in clauses.items()}


def _sentence_html(text: str, clauses: list[tuple[int, int, str]]) -> str:
    """A sentence's text with each clause in its own coloured span."""
    parts = []
    at = 0
    for start, end, status in clauses:
        if start < at:
            continue
        parts.append(html.escape(text[at:start]))
        parts.append(f'<span class="c {status}">{html.escape(text[start:end])}</span>')
        at = end
    parts.append(html.escape(text[at:]))
    return "".join(parts)


def _anchor(sentence_id: str) -> str:
    return "s-" + html.escape(sentence_id.replace(":", "-").replace(" ", "_"), quote=True)


def _article_html(
    doc: AnnotatedArticle,
    status: dict[str, str],
    clauses: dict[str, list[tuple[int, int, str]]],
    label: str,
) -> str:
    parts = []
    paragraph = -1
    for s in doc.sentences:
        if s.paragraph != paragraph:
            if paragraph >= 0:
                parts.append("</p>")
            parts.append("<p>")
            paragraph = s.paragraph
        cls = status.get(s.id, "") if s.states_facts else "boilerplate"
        title = f' title="{html.escape(s.boilerplate, quote=True)}"' if s.boilerplate else ""
        if s.id in clauses and s.states_facts:
            cls, body = "split", _sentence_html(s.text, clauses[s.id])
        else:
            body = html.escape(s.text)
        if s.boilerplate == CAPTION:  # a photo caption states facts: shown as a caption, not struck through
            cls = f"caption {cls}".strip()
            parts.append(f'<span class="caption-label">{_CAPTION_LABEL}</span>')
        parts.append(f'<span class="s {cls}" id="{_anchor(s.id)}"{title}>{body}</span> ')
    parts.append("</p>")
    a = doc.article
    heading = html.escape(a.title or label)
    outlet = label if a.source else None
    meta = html.escape(" · ".join(x for x in (outlet, a.published, a.language) if x))
    meta_title = html.escape(a.id, quote=True)
    return (
        f'<div class="source"><h3>{heading}</h3><div class="meta" title="{meta_title}">{meta}</div>'
        f"{''.join(parts)}</div>"
    )


def _figures_html(comparison: Comparison) -> str:
    sources = source_labels(comparison.annotation.articles)
    rows = "".join(
        f'<li class="figure {f.status}"><b>{html.escape(f.status)}</b> '
        f"{html.escape(figure_timeline(f, sources))}</li>"
        for f in comparison.figures
        if f.status != "agree" or len({v.article for v in f.values}) > 1
    )
    return f'<section id="figures"><h2>Figures</h2><ul class="figures">{rows}</ul></section>' if rows else ""


def comparison_html(comparison: Comparison) -> str:
    """One self-contained page: brief with citation links, sources side by side, entities, timeline."""
    docs = comparison.annotation.articles
    status, clauses = _status_by_sentence(comparison.facts)
    labels = source_labels(docs)
    title = html.escape(next((d.article.title for d in docs if d.article.title), "Kabar comparison") or "")
    brief_items = []
    for sentence in comparison.brief:
        cites = "".join(
            f'<a class="cite" href="#{_anchor(c.sentence)}" title="{html.escape(c.sentence, quote=True)}">'
            f"[{html.escape(labels.get(c.article, c.article))} {html.escape(c.sentence.split(':')[-1])}]</a>"
            for c in _cited(sentence.citations)
        )
        brief_items.append(f"<li>{html.escape(sentence.text)}{cites}</li>")
    roster = "".join(
        f"<tr><td>{html.escape(e.name)}</td><td>{e.type}</td><td>{e.mentions}</td><td>{html.escape(', '.join(e.aliases))}</td></tr>"
        for e in sorted(comparison.annotation.entities, key=lambda e: -e.mentions)
    )
    timeline = []
    for doc in docs:
        for d in doc.dates:
            if d.value and d.value[:1].isdigit() and d.kind in {"date", "period"}:
                holder = next((s for s in doc.sentences if s.start <= d.start < s.end), None)
                if holder is not None:
                    timeline.append((d.value, d.text, doc.article.id, holder.id))
    timeline_rows = "".join(
        f'<tr><td>{html.escape(v)}</td><td><a href="#{_anchor(sid)}">{html.escape(t)}</a></td><td title="{html.escape(a, quote=True)}">{html.escape(labels.get(a, a))}</td></tr>'
        for v, t, a, sid in sorted(timeline)
    )
    notes = "".join(f'<p class="notes">{html.escape(n)}</p>' for n in comparison.notes)
    counts = {s: sum(1 for f in comparison.facts if f.status == s) for s in ("shared", "unique", "conflict")}
    return f"""<!DOCTYPE html>
<html lang="{html.escape(docs[0].article.language or "und") if docs else "und"}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>{title}</title><style>{_CSS}</style></head>
<body>
<header><h1>{title}</h1>
<p class="legend"><span class="shared">shared ({counts["shared"]})</span><span class="unique">unique ({counts["unique"]})</span>
<span class="conflict">conflict ({counts["conflict"]})</span><span class="caption">{_CAPTION_LABEL.lower()}</span>
<span class="boilerplate">boilerplate</span></p>{notes}</header>
<section id="brief"><h2>Brief</h2><ol class="brief">{"".join(brief_items)}</ol></section>{_figures_html(comparison)}
<section id="sources"><h2>Sources</h2><div class="sources">{"".join(_article_html(d, status, clauses, labels[d.article.id]) for d in docs)}</div></section>
<section id="entities"><h2>Entities</h2><table><tr><th>name</th><th>type</th><th>mentions</th><th>also written</th></tr>{roster}</table></section>
<section id="timeline"><h2>Timeline</h2><table><tr><th>when</th><th>as written</th><th>article</th></tr>{timeline_rows}</table></section>
</body></html>
"""
