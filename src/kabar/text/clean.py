"""Find boilerplate in article text: read-also teasers, photo credits, bylines and contributor lines, signature
codes, datelines, share/subscribe/app prompts and the web furniture of Indonesian news pages.

Nothing is deleted: the spans are marked, and later stages leave them out of facts and briefs. Photo captions are
marked too (kind ``caption``) but state facts (who, where, when): their entities, dates and figures are still
extracted, while their photo credit is a span of its own (kind ``credit``). The patterns were collected from the
pages of Indonesian and Malaysian outlets (Kompas, detik, Tribun, Tempo, JPNN, IDN Times, Liputan6, Kompas TV,
Tagar, ANTARA, Kontan, Astro Awani, Utusan).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kabar.records import Span

NAME = "clean.v2"

# Whole paragraphs that are boilerplate, by how they start.
_TEASER = re.compile(
    r"^\s*[\[(]?\s*(baca juga|lihat juga|simak juga|baca pula|artikel terkait|berita terkait|artikel berkaitan|"
    r"selengkapnya baca|baca selengkapnya|read also|read more|see also|related)\b\s*[:\-–—]?",
    re.IGNORECASE,
)
_PROMPT = re.compile(
    r"^\s*[\[(]?\s*((advertisement|iklan|tutup|bagikan|share|subscribe|berlangganan|hide ads|lihat foto|"
    r"notification)\s*:?\s*$|close banner|baca (konten|artikel|berita)(-\w+)? (menarik|lainnya)|pilih saluran|"
    r"scroll to (continue|resume)|scroll untuk melanjutkan|"
    r"baca berita tanpa iklan|gabung (ke |di )?(channel|kompas|idn|grup|komunitas)|"
    r"dapatkan (update|berita|informasi|info|di play store|aplikasi)|"
    r"ikuti (kami|berita|kabar|update|channel|terus|juga|saluran|akun|instagram|twitter|media sosial|"
    r"[\w.]+\.(com|id|co\.id|co|net) (di|melalui))|"
    r"follow (us|kami|channel)|share (this|with)|"
    r"(simak|tonton|saksikan) (video|juga video|berita|breaking|artikel|update|informasi|selengkapnya|live)|"
    r"cek berita|silakan (baca|masukkan|klik|kunjungi)|klik (di ?sini|link|tautan)|"
    r"(download|unduh) (apps|aplikasi|app)|aplikasi berita|artikel ini (telah )?(tayang|terbit|dimuat|ditayangkan)|"
    r"berikut (update|informasi|data|kabar) terkini|tulis komentar|tinggalkan komentar|give us your opinion|"
    r"aktifkan (lonceng|notifikasi)\w*|anda bisa menjadi kolumnis|\[?gambas:video|sila log masuk|"
    r"daftar atau log masuk|copyright|hak cipta|©)\b",
    re.IGNORECASE,
)
_CREDIT_LINE = re.compile(
    r"^\s*[\[(]?\s*(editor|penulis|reporter|pewarta|penyunting|redaktur|kontributor|fotografer|sumber|source|"
    r"foto|photo|ilustrasi|editing by|writing by|reporting by|additional reporting)"
    r"(\s*(&|dan|/|,)\s*(editor|penulis|reporter|pewarta|redaktur|fotografer))*\s*[:/|]",
    re.IGNORECASE,
)
_REPORTED_BY = re.compile(r"^\s*laporan (wartawan|reporter|kontributor|jurnalis)\b", re.IGNORECASE)
# A credit label on a line of its own ("Penulis", "Editor"), with the name on the line before or after.
_LABEL = re.compile(
    r"^\s*(editor|penulis|reporter|pewarta|redaktur|kontributor|fotografer)\s*$", re.IGNORECASE
)
_NAME_LINE = re.compile(r"^\s*[A-Z][\w.'-]*(\s+[A-Z][\w.'-]*){0,4}\s*$")
# A publication stamp: "Kompas.com - 11/04/2016, 10:41 WIB".
_STAMP = re.compile(r"^\s*[\w.]+\s*-\s*\d{1,2}/\d{1,2}/\d{4},?\s*\d{1,2}[:.]\d{2}\s*(WIB|WITA|WIT)?\s*$")
_BYLINE = re.compile(
    r"^\s*[—–-]*\s*\w[\w .'-]{0,60}\s+(melaporkan dari|reported from|reporting from)\b", re.IGNORECASE
)
_CONTRIBUTED = re.compile(
    r"\b(berkontribusi|turut berkontribusi|contributed)( (to|dalam) [^.]{0,80})?\.?\s*$"
)
# A photo credit: "(Foto: Sputnik/...)", "(ANTARA FOTO/...)", "(AP Photo)", "(Sumber: Dok. Warga/...)",
# "(Tangkapan layar YouTube/...)", or unbracketed after a sentence: "Foto: Bagus Rizaldi/ANTARA".
_CREDIT_WORD = r"(?:[\w.]+\s+){0,2}(?:foto|photo|ilustrasi|dok\.?|dokumentasi|gambar|tangkapan layar|sumber\s*:\s*dok\.?)"
_PHOTO_CREDIT_ANY = re.compile(rf"[(\[]\s*{_CREDIT_WORD}(?![\w-])[^)\]\n]{{0,200}}[)\]]", re.IGNORECASE)
_PHOTO_CREDIT = re.compile(rf"{_PHOTO_CREDIT_ANY.pattern}\s*\.?\s*$", re.IGNORECASE)
_PHOTO_CREDIT_OPEN = re.compile(
    r"(?<=[.!?)\]])\s+(?:(?:foto|photo)\s*:\s*[^.!?\n]{1,120}|(?:REUTERS|AFP|AP|ANTARA FOTO)\s*/\s*[^.!?\n]{1,80})$",
    re.IGNORECASE,
)
# Signature codes such as "[ka/jm]" or "(ant/rah)" closing an article or a paragraph.
_SIGNATURE = re.compile(r"\s*[\[(]\s*[a-z]{1,5}(\s*/\s*[a-z]{1,5})+\s*[\])]\s*$")
# Datelines: "JAKARTA, KOMPAS.com -", "Jakarta (ANTARA) -", "WASHINGTON (AP) —".
_DATELINE = re.compile(
    r"^\s*([A-Z][A-Za-z.]+(?: [A-Z][A-Za-z.]+){0,3}),?\s*(\([A-Za-z .]{2,20}\)|[A-Za-z]+\.(com|co\.id|id|net))?"
    r"\s*[-–—]\s+(?=\S)"
)
# Page furniture that sits inside a paragraph (pages flattened to one line keep it there).
_INLINE_PROMPT = re.compile(
    r"Baca berita tanpa iklan\.?(\s*Gabung Kompas\.com\+)?|SCROLL TO CONTINUE WITH CONTENT|"
    r"SCROLL UNTUK MELANJUTKAN MEMBACA|ADVERTISEMENT|\[Gambas:Video[^\]\n]{0,80}\]"
)
# Sizes past which a paragraph is not a teaser, prompt, credit or caption (as words); calibrated on the pages
# above, where the longest caption is about 60 words and the longest prompt about 30.
_CAPTION_MAX_WORDS = 80
_PROMPT_MAX_WORDS = 40
_CREDIT_MAX_WORDS = 30
_TEASER_MAX_WORDS = 40
_FIRST_SENTENCE = re.compile(r"[^.!?\n]{0,300}[.!?]?")


def find_boilerplate(text: str) -> list[Span]:
    """Return the boilerplate spans of ``text``, in order and not overlapping."""
    spans: list[Span] = []
    paragraphs = list(_paragraphs(text))
    for k, (start, end) in enumerate(paragraphs):
        para = text[start:end]
        whole = _paragraph_kind(para) or _beside_label(text, paragraphs, k)
        if whole is not None:
            spans.append(Span(start, end, whole))
        elif _TEASER.match(para):  # a long paragraph opening with a teaser: only its first sentence
            teaser = _FIRST_SENTENCE.match(para, _TEASER.match(para).end())  # type: ignore[union-attr]
            spans.append(Span(start, start + (teaser.end() if teaser else len(para)), "teaser"))
        else:
            caption = _caption_spans(para, start)
            spans.extend(caption if caption else _inline_spans(text, start, end))
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
    words = len(para.split())
    if _TEASER.match(para) and words <= _TEASER_MAX_WORDS:
        return "teaser"
    if _PROMPT.match(para) and words < _PROMPT_MAX_WORDS:
        return "prompt"
    if (
        _CREDIT_LINE.match(para) or _REPORTED_BY.match(para) or _LABEL.match(para)
    ) and words < _CREDIT_MAX_WORDS:
        return "credit"
    if _STAMP.match(para):
        return "credit"
    if _BYLINE.match(para) or (_CONTRIBUTED.search(para) and _looks_like_name_list(para)):
        return "byline"
    if _SIGNATURE.fullmatch(para):
        return "signature"
    return None


def _beside_label(text: str, paragraphs: list[tuple[int, int]], k: int) -> str | None:
    """A short name line just before or after a lone credit label ("Fabian Januarius Kuwado" / "Penulis")."""
    if not _NAME_LINE.match(text[paragraphs[k][0] : paragraphs[k][1]]):
        return None
    near = [paragraphs[j] for j in (k - 1, k + 1) if 0 <= j < len(paragraphs)]
    return "credit" if any(_LABEL.match(text[s:e]) for s, e in near) else None


def _caption_spans(para: str, start: int) -> list[Span]:
    """A photo caption ends with its credit: the description (facts) and the credit become two spans."""
    if len(para.split()) > _CAPTION_MAX_WORDS:
        return []
    credit = _PHOTO_CREDIT.search(para) or _PHOTO_CREDIT_OPEN.search(para)
    if credit is None:
        return []
    cut = credit.start() + len(credit.group(0)) - len(credit.group(0).lstrip())
    described = para[:cut].rstrip()
    spans = [Span(start, start + len(described), "caption")] if described else []
    return [*spans, Span(start + cut, start + len(para), "credit")]


def _looks_like_name_list(para: str) -> bool:
    # Contributor paragraphs are mostly names and places: many capitalised words, few sentences.
    words = re.findall(r"\w+", para)
    capitalised = sum(1 for w in words if w[:1].isupper())
    return len(words) > 0 and capitalised / len(words) > 0.35


def _inline_spans(text: str, start: int, end: int) -> Iterator[Span]:
    para = text[start:end]
    found: list[Span] = []
    dateline = _DATELINE.match(para)
    if dateline and dateline.group(1).isupper() and len(dateline.group(1)) > 2:
        found.append(Span(start, start + dateline.end(), "dateline"))
    for match in _PHOTO_CREDIT_ANY.finditer(para):
        found.append(Span(start + match.start(), start + match.end(), "credit"))
    for match in _INLINE_PROMPT.finditer(para):
        found.append(Span(start + match.start(), start + match.end(), "prompt"))
    signature = _SIGNATURE.search(para)
    if signature:
        lead = len(signature.group(0)) - len(signature.group(0).lstrip())
        found.append(Span(start + signature.start() + lead, end, "signature"))
    last = start
    for span in sorted(found, key=lambda s: s.start):
        if span.start >= last:  # spans never overlap
            yield span
            last = span.end
