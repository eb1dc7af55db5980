"""Find boilerplate in article text: read-also teasers, captions and photo credits, bylines and contributor
lines, signature codes, datelines, share/subscribe prompts.

Nothing is deleted: the spans are marked, and later stages leave them out of facts and briefs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kabar.records import Span

NAME = "clean.v1"

# Whole paragraphs that are boilerplate, by how they start.
_TEASER = re.compile(
    r"^\s*[\[(]?\s*(baca juga|lihat juga|simak juga|baca pula|artikel terkait|berita terkait|read also|"
    r"read more|see also|related)\b\s*[:\-–—]?",
    re.IGNORECASE,
)
_PROMPT = re.compile(
    r"^\s*(advertisement|scroll to (continue|resume)|iklan|dapatkan (update|berita|informasi)|"
    r"ikuti (kami|berita|kabar)|follow us|subscribe|berlangganan|share this|bagikan|"
    r"(simak|tonton) (video|juga video)|copyright|hak cipta|©)\b",
    re.IGNORECASE,
)
_CREDIT_LINE = re.compile(
    r"^\s*[\[(]?\s*(editor|penulis|reporter|pewarta|penyunting|redaktur|sumber|source|foto|photo|"
    r"ilustrasi|editing by|writing by|reporting by|additional reporting)\s*[:/]",
    re.IGNORECASE,
)
_BYLINE = re.compile(
    r"^\s*[—–-]*\s*\w[\w .'-]{0,60}\s+(melaporkan dari|reported from|reporting from)\b", re.IGNORECASE
)
_CONTRIBUTED = re.compile(
    r"\b(berkontribusi|turut berkontribusi|contributed)( (to|dalam) [^.]{0,80})?\.?\s*$"
)
# A caption: a paragraph that ends with a photo credit in brackets.
_PHOTO_CREDIT = re.compile(
    r"[(\[]\s*(antara\s+)?(foto|photo|ilustrasi|dok\.?|dokumentasi|gambar)\b\s*[:/][^)\]]{0,200}[)\]]\s*$",
    re.IGNORECASE,
)
_PHOTO_CREDIT_ANY = re.compile(
    r"[(\[]\s*(antara\s+)?(foto|photo|ilustrasi|dok\.?|dokumentasi|gambar)\b\s*[:/][^)\]]{0,200}[)\]]",
    re.IGNORECASE,
)
# Signature codes such as "[ka/jm]" or "(ant/rah)" closing an article or a paragraph.
_SIGNATURE = re.compile(r"\s*[\[(]\s*[a-z]{1,5}(\s*/\s*[a-z]{1,5})+\s*[\])]\s*$")
# Datelines: "JAKARTA, KOMPAS.com -", "Jakarta (ANTARA) -", "WASHINGTON (AP) —".
_DATELINE = re.compile(
    r"^\s*([A-Z][A-Za-z.]+(?: [A-Z][A-Za-z.]+){0,3}),?\s*(\([A-Za-z .]{2,20}\)|[A-Za-z]+\.(com|co\.id|id|net))?"
    r"\s*[-–—]\s+(?=\S)"
)
_CAPTION_MAX_WORDS = 80


def find_boilerplate(text: str) -> list[Span]:
    """Return the boilerplate spans of ``text``, in order and not overlapping."""
    spans: list[Span] = []
    for start, end in _paragraphs(text):
        para = text[start:end]
        kind = _paragraph_kind(para)
        if kind is not None:
            spans.append(Span(start, end, kind))
            continue
        spans.extend(_inline_spans(text, start, end))
    return spans


def _paragraphs(text: str) -> Iterator[tuple[int, int]]:
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            yield pos + lead, pos + lead + len(stripped)
        pos = end + 1


def _paragraph_kind(para: str) -> str | None:
    if _TEASER.match(para):
        return "teaser"
    if _PROMPT.match(para) and len(para.split()) < 40:
        return "prompt"
    if _CREDIT_LINE.match(para) and len(para.split()) < 30:
        return "credit"
    if _BYLINE.match(para) or (_CONTRIBUTED.search(para) and _looks_like_name_list(para)):
        return "byline"
    if _PHOTO_CREDIT.search(para) and len(para.split()) <= _CAPTION_MAX_WORDS:
        return "caption"
    if _SIGNATURE.fullmatch(para):
        return "signature"
    return None


def _looks_like_name_list(para: str) -> bool:
    # Contributor paragraphs are mostly names and places: many capitalised words, few sentences.
    words = re.findall(r"\w+", para)
    capitalised = sum(1 for w in words if w[:1].isupper())
    return len(words) > 0 and capitalised / len(words) > 0.35


def _inline_spans(text: str, start: int, end: int) -> Iterator[Span]:
    para = text[start:end]
    dateline = _DATELINE.match(para)
    if dateline and dateline.group(1).isupper() and len(dateline.group(1)) > 2:
        yield Span(start, start + dateline.end(), "dateline")
    for match in _PHOTO_CREDIT_ANY.finditer(para):
        if match.end() < len(para):
            yield Span(start + match.start(), start + match.end(), "caption")
    signature = _SIGNATURE.search(para)
    if signature:
        lead = len(signature.group(0)) - len(signature.group(0).lstrip())
        yield Span(start + signature.start() + lead, end, "signature")
