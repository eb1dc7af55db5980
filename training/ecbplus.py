"""Reader for ECB+ (../shared/data/events/ecbplus): documents, their sentences, and which cross-document event
instances each sentence mentions. Gold event cluster of a document = (topic, "ecb" or "ecbplus")."""

from __future__ import annotations

import csv
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DIR = ROOT.parent / "shared" / "data" / "events" / "ecbplus"


@dataclass
class EcbDocument:
    topic: int
    name: str
    """File stem, e.g. "1_10ecbplus"."""
    sentences: list[str]
    events: dict[int, set[str]] = field(default_factory=dict)
    """Sentence number -> cross-document action instances mentioned in it."""

    @property
    def cluster(self) -> str:
        return f"{self.topic}{'ecbplus' if self.name.endswith('ecbplus') else 'ecb'}"


def detokenize(tokens: list[str]) -> str:
    text = " ".join(tokens)
    text = re.sub(r" ([.,;:!?%)\]'])", r"\1", text)
    text = re.sub(r"([(\[$]) ", r"\1", text)
    return re.sub(r" (n't|'s|'re|'ve|'ll|'d)\b", r"\1", text)


def read_document(path: Path) -> EcbDocument:
    root = ET.parse(path).getroot()
    by_sentence: dict[int, list[str]] = {}
    token_sentence: dict[str, int] = {}
    for token in root.iter("token"):
        number = int(token.get("sentence", "0"))
        by_sentence.setdefault(number, []).append(token.text or "")
        token_sentence[token.get("t_id", "")] = number
    mention_sentences: dict[str, set[int]] = {}
    markables = root.find("Markables")
    for markable in markables if markables is not None else []:
        anchors = [a.get("t_id", "") for a in markable.findall("token_anchor")]
        mention_sentences[markable.get("m_id", "")] = {
            token_sentence[t] for t in anchors if t in token_sentence
        }
    events: dict[int, set[str]] = {}
    relations = root.find("Relations")
    for relation in relations if relations is not None else []:
        note = relation.get("note", "")
        if relation.tag != "CROSS_DOC_COREF" or not note.startswith("ACT"):
            continue
        for source in relation.findall("source"):
            for sentence in mention_sentences.get(source.get("m_id", ""), set()):
                events.setdefault(sentence, set()).add(note)
    topic = int(path.stem.split("_")[0])
    sentences = [detokenize(by_sentence[k]) for k in sorted(by_sentence)]
    return EcbDocument(topic=topic, name=path.stem, sentences=sentences, events=events)


def load(directory: Path = DEFAULT_DIR) -> list[EcbDocument]:
    """All documents, sorted by topic and name."""
    docs = [read_document(p) for p in sorted((directory / "xml").glob("*/*.xml"))]
    return sorted(docs, key=lambda d: (d.topic, d.name))


def selected_sentences(directory: Path = DEFAULT_DIR) -> set[tuple[str, int]]:
    """(document name, sentence number) pairs whose annotation is complete."""
    with (directory / "ECBplus_coreference_sentences.csv").open(encoding="utf-8") as handle:
        return {
            (f"{row['Topic']}_{row['File']}", int(row["Sentence Number"])) for row in csv.DictReader(handle)
        }
