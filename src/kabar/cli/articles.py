"""Commands over article files, no database: ``annotate``, ``compare``, ``relate``, ``tag``, ``cluster``."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from kabar.cli.shell import (
    BLOCKING_HELP,
    EXIT_NOTHING,
    EXIT_PARTIAL,
    EXIT_USAGE,
    NER_HELP,
    Blocking,
    NerChoice,
    OutputOption,
    QuietOption,
    RelateTier,
    ReportFormat,
    app,
    count_inputs,
    err,
    exit_for,
    output_written,
    progress,
    render_comparison,
    report_failure,
    reporting,
    watch,
    write_output,
)
from kabar.config import Config
from kabar.records import Article

INPUTS_HELP = (
    "files or directories (text, HTML, JSONL), URLs (article pages, feeds), or - for standard input."
)


@app.command()
def annotate(
    files: Annotated[list[str], typer.Argument(help=INPUTS_HELP, metavar="INPUT...")],
    fmt: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="Output format: json or md.")
    ] = ReportFormat.json,
    output: OutputOption = None,
    ner: Annotated[NerChoice, typer.Option(help=NER_HELP.format(default="fast"))] = NerChoice.auto,
    quiet: QuietOption = False,
) -> None:
    """Annotate articles: sentences, boilerplate, entities linked across articles, dates, numbers, quotes.

    Example: kabar annotate examples/ --format md
    """
    from kabar.render import to_json, to_markdown
    from kabar.workflows import annotate_paths

    if fmt is ReportFormat.html:
        err("--format html is for comparisons (kabar compare, kabar event): use json or md")
        raise typer.Exit(EXIT_USAGE)
    result = annotate_paths(files, Config(ner=ner.value), watch(count_inputs(files), "annotating", quiet))
    write_output(to_json(result) if fmt is ReportFormat.json else to_markdown(result), output)
    output_written()
    if not result.articles:
        err("no article could be read")
        raise typer.Exit(EXIT_NOTHING)
    if result.failures:
        err(f"{len(result.failures)} input(s) skipped, {len(result.articles)} article(s) annotated")
        raise typer.Exit(EXIT_PARTIAL)


@app.command()
def compare(
    files: Annotated[
        list[str], typer.Argument(help="Articles about one event: " + INPUTS_HELP, metavar="INPUT...")
    ],
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="Output format.")] = ReportFormat.md,
    output: OutputOption = None,
    brief_length: Annotated[
        int | None,
        typer.Option(min=1, max=50, help="Brief sentences (default: a third of the facts, at most 10)."),
    ] = None,
    ner: Annotated[NerChoice, typer.Option(help=NER_HELP.format(default="accurate"))] = NerChoice.auto,
    quiet: QuietOption = False,
) -> None:
    """Compare sources on one event: shared, unique and conflicting facts, and a brief citing its sources.

    Example: kabar compare examples/ --format html -o report.html
    """
    from kabar.workflows import compare_paths

    warned: list[str] = []

    def warn(note: str) -> None:
        warned.append(note)
        err(f"warning: {note}")

    watching = watch(count_inputs(files), "annotating", quiet)
    result = compare_paths(files, brief_length, Config(ner=ner.value), watch=watching, on_note=warn)
    for note in result.notes:
        if note not in warned:
            err(f"note: {note}")
    write_output(render_comparison(result, fmt), output)
    output_written()
    exit_for(nothing=False, failed=bool(result.annotation.failures))


@app.command()
def relate(
    file: Annotated[Path, typer.Argument(help='JSONL lines {"id", "premise", "hypothesis"}; "-" for stdin.')],
    output: OutputOption = None,
    tier: Annotated[
        RelateTier,
        typer.Option(
            help="accurate: the e5 cross-encoder; fast: the logistic model; auto: accurate if installed."
        ),
    ] = RelateTier.auto,
) -> None:
    """Relate statements: writes {"id", "relation": agree|conflict|neutral, "kind", "score", "model"} per line.

    Example: echo '{"id": 1, "premise": "Harga naik 5 persen.", "hypothesis": "Harga naik 15 persen."}' | kabar relate -
    """
    from kabar.workflows import relate_lines, relation_dict

    lines = sys.stdin.read().splitlines() if str(file) == "-" else _read_lines(file)
    result = relate_lines(lines, tier.value)
    for failure in result.skipped:
        report_failure(failure)
    write_output(
        "\n".join(json.dumps(relation_dict(r), ensure_ascii=False) for r in result.relations), output
    )
    if not result.relations:
        err("no valid line to relate")
        raise typer.Exit(EXIT_NOTHING)
    if result.skipped:
        raise typer.Exit(EXIT_PARTIAL)


def _read_lines(file: Path) -> list[str]:
    from kabar.errors import InputError
    from kabar.ingest.readers import decode

    try:
        return decode(file.read_bytes(), str(file)).splitlines()
    except (InputError, OSError) as error:
        err(f"cannot read {file}: {getattr(error, 'reason', error)}")
        raise typer.Exit(EXIT_NOTHING) from None


@app.command()
def cluster(
    files: Annotated[list[str], typer.Argument(help="Articles: " + INPUTS_HELP, metavar="INPUT...")],
    output: OutputOption = None,
    blocking: Annotated[Blocking, typer.Option(help=BLOCKING_HELP)] = Blocking.ann,
    quiet: QuietOption = False,
) -> None:
    """Group articles into events in one go: writes {"id", "event"} per article (no database).

    Example: kabar cluster articles.jsonl -o events.jsonl
    """
    from kabar.cluster.run import cluster_articles
    from kabar.workflows import read_inputs

    items = list(reporting(read_inputs(files)))
    articles = [i for i in items if isinstance(i, Article)]
    if not articles:
        err("no article could be read")
        raise typer.Exit(EXIT_NOTHING)
    pairs = progress(cluster_articles(articles, blocking=blocking.value), len(articles), "clustering", quiet)
    write_output("\n".join(json.dumps({"id": a, "event": e}, ensure_ascii=False) for a, e in pairs), output)
    if len(articles) < len(items):
        raise typer.Exit(EXIT_PARTIAL)


class TagFormat(StrEnum):
    spans = "spans"
    conll = "conll"
    json = "json"


class TagExtractor(StrEnum):
    """The older ``--extractor`` spellings: a tier, or (model, accurate-model) a tier's model alone."""

    auto = "auto"
    model = "model"
    accurate = "accurate"
    accurate_model = "accurate-model"
    rules = "rules"


_EXTRACTOR_SPELLINGS = {
    TagExtractor.auto: (NerChoice.auto, False),
    TagExtractor.model: (NerChoice.auto, True),
    TagExtractor.accurate: (NerChoice.accurate, False),
    TagExtractor.accurate_model: (NerChoice.accurate, True),
    TagExtractor.rules: (NerChoice.rules, False),
}


@app.command()
def tag(
    files: Annotated[
        list[str] | None, typer.Argument(help="Articles to tag: " + INPUTS_HELP, metavar="INPUT...")
    ] = None,
    conll: Annotated[
        Path | None,
        typer.Option(
            "--conll",
            help="CoNLL-style input: token first (other columns ignored), blank line between sentences.",
        ),
    ] = None,
    fmt: Annotated[
        TagFormat,
        typer.Option("--format", "-f", help="For articles: spans (TSV), conll (token TAB tag) or json."),
    ] = TagFormat.spans,
    ner: Annotated[NerChoice, typer.Option(help=NER_HELP.format(default="fast"))] = NerChoice.auto,
    model_alone: Annotated[
        bool,
        typer.Option(
            "--model-alone",
            help="With --conll: the tier's model alone (auto, fast: the CRF; accurate: the classifier).",
        ),
    ] = False,
    extractor: Annotated[
        TagExtractor | None,
        typer.Option(hidden=True, help="Older spelling: auto, model, accurate, accurate-model, rules."),
    ] = None,
    output: OutputOption = None,
    quiet: QuietOption = False,
) -> None:
    """Tag named entities (PER, ORG, LOC, EVT, FNB) with Kabar's Indonesian model.

    With --conll FILE: writes token<TAB>tag lines in IOB2 with the same sentence breaks.
    With article files: writes one line per entity span (article, start, end, type, text), or --format conll/json.

    Example: kabar tag --conll sentences.conll -o tagged.conll
    """
    if conll is None and not files:
        err("give article files or --conll FILE (see kabar tag --help)")
        raise typer.Exit(EXIT_USAGE)
    if extractor is not None:
        ner, model_alone = _EXTRACTOR_SPELLINGS[extractor]
    if conll is not None:
        _tag_conll(conll, _tag_mode(ner, model_alone), output, quiet)
    else:
        _tag_articles(files or [], fmt, ner, output, quiet)


def _tag_mode(ner: NerChoice, model_alone: bool) -> str:
    """The ``tag_words`` mode: the tier, or its model alone ("model" for the CRF, "accurate-model")."""
    if not model_alone:
        return ner.value
    if ner is NerChoice.rules:
        err("--model-alone needs a tier with a model: fast or accurate")
        raise typer.Exit(EXIT_USAGE)
    return "accurate-model" if ner is NerChoice.accurate else "model"


def _tag_conll(conll: Path, mode: str, output: Path | None, quiet: bool) -> None:
    from kabar.errors import InputError
    from kabar.ingest.conll import read_conll_tokens
    from kabar.workflows import tag_sentences

    try:
        sentences = read_conll_tokens(conll)
    except (InputError, OSError) as error:
        err(f"cannot read {conll}: {getattr(error, 'reason', error)}")
        raise typer.Exit(EXIT_NOTHING) from None
    lines: list[str] = []
    for tagged in tag_sentences(progress(sentences, len(sentences), "tagging", quiet), mode):
        lines.extend(f"{word}\t{iob}" for word, iob in tagged)
        lines.append("")
    write_output("\n".join(lines), output)


def _tag_articles(files: list[str], fmt: TagFormat, ner: NerChoice, output: Path | None, quiet: bool) -> None:
    from kabar.workflows import annotate_paths, iob_lines

    config = Config(ner=ner.value)
    result = annotate_paths(files, config, watch(count_inputs(files), "tagging", quiet))
    lines: list[str] = []
    for doc in result.articles:
        if fmt is TagFormat.json:
            mentions = [
                {"start": m.start, "end": m.end, "text": m.text, "type": m.type} for m in doc.mentions
            ]
            lines.append(json.dumps({"id": doc.article.id, "mentions": mentions}, ensure_ascii=False))
        elif fmt is TagFormat.spans:
            lines.extend(f"{doc.article.id}\t{m.start}\t{m.end}\t{m.type}\t{m.text}" for m in doc.mentions)
        else:
            lines.extend(iob_lines(doc))
    write_output("\n".join(lines), output)
    if not result.articles:
        err("no article could be read")
        raise typer.Exit(EXIT_NOTHING)
    if result.failures:
        raise typer.Exit(EXIT_PARTIAL)
