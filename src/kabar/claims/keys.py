"""What a number measures: a normalised figure key from the words around it, Indonesian and English alike.

"162 orang meninggal", "menewaskan 162 orang", "killing at least 162 people" and "the death toll rose to 162"
all measure ``dead``; "2.000 rumah rusak berat" measures ``houses_damaged:heavy``; "magnitudo 5,6" measures
``magnitude``; "harga Pertalite Rp 10.000" measures ``price:pertalite``. A key is looked for in the counted noun
first, then in the words after the number, then in the words before it (nearest first), never across a clause
boundary (a comma, a semicolon, "dan"/"and" after the number).

Keys from the cue lexicon are *specific*: two sources giving incompatible values for one can disagree. A count
of a noun with a verb ("64 warga ditahan" -> ``count:warga:tahan``) is specific too; a bare count of a noun
("13 mobil") is not: it is listed for its statement but never compared.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kabar.lang import fold, root_of

NAME = "figure-keys.v2"
# How far from the number a cue word may be (words; counted inside the number's clause). Set on the shapes of
# Indonesian news sentences: "jumlah korban meninggal dunia akibat gempa bertambah menjadi 268 orang" puts the
# cue 7 words before the number.
BEFORE_WINDOW = 8
AFTER_WINDOW = 4
# A cue this many words or more before the number ("korban meninggal dunia akibat gempa bertambah menjadi 268")
# gives a less certain key: its values are compared across sources only in aligned statements.
FAR_CUE = 4

# cue word -> (key, what it must count: "person", "building", "any")
_PERSON_CUES = {
    "dead": "meninggal tewas wafat menewaskan kematian merenggut meregang died dead killed killing kills deaths death "
    "fatalities lives perished jenazah bodies",
    "injured": "luka luka-luka terluka cedera melukai mencederai injured injuring wounded injuries hurt",
    "missing": "hilang dicari missing",
    "displaced": "mengungsi pengungsi displaced refugees homeless",
    "affected": "terdampak berdampak affected",
    "evacuated": "dievakuasi mengevakuasi diungsikan mengungsikan evacuated",
    "buried": "dimakamkan dikuburkan dikebumikan dimakamkannya buried",
    "trapped": "tertimbun terjebak terperangkap trapped",
    "rescued": "diselamatkan selamat rescued survivors survived",
    "arrested": "ditangkap diamankan ditahan menangkap mengamankan dibekuk diringkus arrested detained",
    "suspects": "tersangka suspects",
    "hospitalised": "dirawat dilarikan perawatan hospitalised hospitalized",
    "aboard": "berpenumpang mengangkut memuat berisi membawa carrying aboard",
}
_THING_CUES = {
    "aftershocks": "susulan aftershocks",
    "passengers": "penumpang passengers",
    "crew": "kru awak crew",
    "adults": "dewasa adults",
    "children": "anak-anak children",
    "infants": "bayi infants",
}
_BUILDING_CUES = {
    "houses_damaged": "rusak merusak rusaknya damaged damaging hancur roboh ambruk destroyed collapsed",
}
_PLACE_NOUNS = frozenset(
    ["kabupaten", "kecamatan", "desa", "kelurahan", "kota", "provinsi", "nagari", "dusun", "daerah", "wilayah",
     "lokasi", "titik", "districts", "regencies", "provinces", "villages", "cities", "locations"]
)  # fmt: skip
_LIVING = frozenset({"dead", "injured"})
"""Keys whose cue words say by themselves that the count is of people ("41 napi meninggal")."""
_ROLE_NOUNS = frozenset(
    ["pendaki", "siswa", "pelajar", "santri", "jemaah", "nelayan", "wisatawan", "penonton", "narapidana",
     "peserta", "climbers", "students", "pilgrims", "fishermen", "tourists", "spectators", "inmates"]
)  # fmt: skip
_HOUSES = frozenset(["rumah", "houses", "homes", "house", "home", "unit"])
_PERSON_NOUNS = frozenset(
    [
        "orang",
        "warga",
        "jiwa",
        "korban",
        "nyawa",
        "penduduk",
        "people",
        "persons",
        "person",
        "residents",
        "victims",
        "penumpang",
        "anak",
        "siswa",
        "pelajar",
        "pekerja",
        "petugas",
        "personel",
        "prajurit",
        "tentara",
        "polisi",
        "suporter",
        "penonton",
        "pendaki",
        "nelayan",
        "wisatawan",
        "jemaah",
        "santri",
        "balita",
        "lansia",
        "perempuan",
        "pria",
        "wanita",
        "laki-laki",
        "lainnya",
        "others",
        "lain",
        "kk",
        "keluarga",
        "families",
        "children",
        "students",
        "passengers",
        "soldiers",
        "fans",
        "tourists",
        "workers",
    ]
)
_BUILDING_NOUNS = frozenset(
    [
        "rumah",
        "bangunan",
        "gedung",
        "unit",
        "sekolah",
        "houses",
        "homes",
        "buildings",
        "house",
        "home",
        "tempat",
        "fasilitas",
    ]
)
_GRADES = {"berat": "heavy", "sedang": "moderate", "ringan": "light", "heavily": "heavy",
           "severely": "heavy", "moderately": "moderate", "lightly": "light", "slightly": "light"}  # fmt: skip
_INJURY_GRADES = {"berat": "severe", "ringan": "minor", "sedang": "moderate", "serius": "severe", "seriously": "severe",
                  "critically": "severe", "minor": "minor"}  # fmt: skip
# Crew by where they serve: "enam awak kabin" and "dua kru kokpit" are two counts, not one in dispute.
_CREW_KINDS = {"kabin": "cabin", "cabin": "cabin", "kokpit": "cockpit", "cockpit": "cockpit"}
_MAGNITUDE = frozenset(
    ["magnitudo", "bermagnitudo", "berkekuatan", "kekuatan", "magnitude", "m", "sr", "richter"]
)
_DEPTH = frozenset(["kedalaman", "depth", "kedalamannya", "berkedalaman", "sedalam"])
_DIRECTIONS = frozenset(
    ["barat", "timur", "utara", "selatan", "tenggara", "arah", "north", "south", "east", "west", "northeast",
     "northwest", "southeast", "southwest", "off", "from"]
)  # fmt: skip
_HEIGHT = frozenset(["ketinggian", "setinggi", "tinggi", "height", "elevation"])
_AFTERSHOCK = frozenset(["susulan", "aftershock", "aftershocks"])
_VOTES = frozenset(["suara", "votes", "vote", "ballots"])
_PRICE = frozenset(["harga", "price", "prices", "tarif"])
_BOUNDARY = re.compile(
    r"[,;:()\[\]“”\"]|[.!?](?=\s)|\s(?:dan|and|serta|sedangkan|while|but|namun|tetapi)\s", re.I
)
_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
_STOP = frozenset(
    [
        "yang",
        "di",
        "ke",
        "dari",
        "pada",
        "untuk",
        "dengan",
        "dalam",
        "oleh",
        "itu",
        "ini",
        "tersebut",
        "adalah",
        "akan",
        "telah",
        "sudah",
        "juga",
        "sebanyak",
        "sebesar",
        "mencapai",
        "menjadi",
        "hingga",
        "sampai",
        "sekitar",
        "lebih",
        "kurang",
        "the",
        "of",
        "in",
        "on",
        "at",
        "to",
        "a",
        "an",
        "by",
        "from",
        "was",
        "were",
        "is",
        "are",
        "has",
        "have",
        "had",
        "be",
        "been",
        "at",
        "least",
        "about",
        "over",
        "more",
        "than",
        "nearly",
        "almost",
        "up",
        "total",
        "jumlah",
        "total",
        "sedikitnya",
        "setidaknya",
        "kini",
        "saat",
        "per",
        "atau",
        "sehingga",
        "padahal",
        "hanya",
        "namun",
        "tetapi",
    ]
)
_CUE_KEYS: dict[str, tuple[str, str]] = {}
for _key, _words in _PERSON_CUES.items():
    for _w in _words.split():
        _CUE_KEYS[_w] = (_key, "person")
for _key, _words in _BUILDING_CUES.items():
    for _w in _words.split():
        _CUE_KEYS[_w] = (_key, "building")
for _key, _words in _THING_CUES.items():
    for _w in _words.split():
        _CUE_KEYS[_w] = (_key, "any")
_KEY_CLASS = {key: cls for key, cls in _CUE_KEYS.values()}
CUMULATIVE = frozenset(
    {*_PERSON_CUES, *_BUILDING_CUES, "buildings_damaged", "aftershocks"} - {"aboard", "suspects"}
)
"""Counts of a story's people and damage: a story's article gives its largest as the count, the rest as parts."""
GROWING = CUMULATIVE - {"missing", "trapped", "displaced", "evacuated", "hospitalised"}
"""Counts that only grow as a story unfolds: a later, lower count from another source is no update."""
CHANGING = CUMULATIVE | {"price", "magnitude", "depth", "distance", "votes", "vote_share"}
"""Figures that change as a story unfolds (a later value may update an earlier one). Any other figure (how many
passengers a bus carried, a mountain's height, a state loss) is one fact: different values disagree at any time."""
"""Keys whose counts only grow as a story unfolds (a later, higher toll is an update)."""

_LABELS = {
    "dead": ("korban meninggal", "dead"), "injured": ("korban luka", "injured"),
    "injured:severe": ("korban luka berat", "seriously injured"), "injured:moderate": ("korban luka sedang", "moderately injured"),
    "injured:minor": ("korban luka ringan",
    "lightly injured"), "missing": ("korban hilang", "missing"), "displaced": ("pengungsi", "displaced"),
    "evacuated": ("warga dievakuasi", "evacuated"), "buried": ("jenazah dimakamkan", "buried"),
    "trapped": ("korban tertimbun", "trapped"), "rescued": ("korban selamat", "rescued"),
    "arrested": ("orang ditangkap", "arrested"), "suspects": ("tersangka", "suspects"),
    "hospitalised": ("korban dirawat", "hospitalised"), "affected": ("warga terdampak", "affected"),
    "passengers": ("penumpang", "passengers"), "aboard": ("orang di dalamnya", "people aboard"),
    "crew": ("awak", "crew"), "crew:cabin": ("awak kabin", "cabin crew"), "crew:cockpit": ("awak kokpit", "cockpit crew"),
    "adults": ("penumpang dewasa", "adults"), "children": ("anak-anak", "children"),
    "infants": ("bayi", "infants"), "aftershocks": ("gempa susulan", "aftershocks"),
    "distance": ("jarak pusat", "distance"), "height": ("ketinggian", "height"), "magnitude:aftershock": ("magnitudo gempa susulan",
    "aftershock magnitude"), "houses_damaged": ("rumah rusak", "houses damaged"),
    "buildings_damaged": ("bangunan rusak", "buildings damaged"),
    "houses_damaged:heavy": ("rumah rusak berat", "houses heavily damaged"),
    "houses_damaged:moderate": ("rumah rusak sedang", "houses moderately damaged"),
    "houses_damaged:light": ("rumah rusak ringan", "houses lightly damaged"),
    "magnitude": ("magnitudo", "magnitude"), "depth": ("kedalaman", "depth"),
}  # fmt: skip
_PREFIX_LABELS = {"price": ("harga", "price of"), "votes": ("suara", "votes for"),
                  "vote_share": ("perolehan suara", "vote share of"), "score": ("gol", "goals of"),
                  "age": ("usia", "age of"), "duration": ("lama", "duration of"), "count": ("jumlah", "number of"),
                  "money": ("nilai", "amount of"), "percent": ("persentase", "share of"),
                  "measure": ("ukuran", "measure of"),
                  "time": ("waktu", "time it"), "weekday": ("hari", "weekday of")}  # fmt: skip


@dataclass(frozen=True, slots=True)
class KeyFound:
    key: str
    specific: bool
    far: bool = False
    """The cue word was found far before the number (``FAR_CUE`` words or more): the key is less certain."""


def label(key: str, language: str = "id") -> str:
    """A reader's name for a key: "korban meninggal", "harga pertalite"."""
    pick = 0 if language in {"id", "ms"} else 1
    if key in _LABELS:
        return _LABELS[key][pick]
    head, _, rest = key.partition(":")
    words = rest.replace(":", " ").replace("_", " ")
    if head in _PREFIX_LABELS:
        return f"{_PREFIX_LABELS[head][pick]} {words}".strip()
    return key.replace("_", " ").replace(":", " ")


def clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Where the clause holding ``start``-``end`` begins and ends."""
    cut = max((m.end() for m in _BOUNDARY.finditer(text[:start])), default=0)
    stop = _BOUNDARY.search(text, end)
    return cut, stop.start() if stop else len(text)


def clause_window(text: str, start: int, end: int) -> tuple[list[str], list[str]]:
    """The folded words before a span (nearest first) and after it, inside its clause."""
    lo, hi = clause_bounds(text, start, end)
    before = [fold(w) for w in _WORD.findall(text[lo:start])][::-1][:BEFORE_WINDOW]
    after = [fold(w) for w in _WORD.findall(text[end:hi])][:AFTER_WINDOW]
    return before, after


def count_key(unit: str | None, before: list[str], after: list[str]) -> KeyFound | None:
    """The key of a count ("162 orang meninggal", "killing 62 people", "2.000 rumah rusak berat")."""
    unit_words = [fold(w) for w in _WORD.findall(unit or "")]
    noun = unit_words[0] if unit_words else None
    # "7 injured", "40 penumpang": the counted word may be the cue itself, after any other cue around it.
    noun_cue = _cue(noun, None, unit_words[1:3], []) if noun in _CUE_KEYS else None
    if noun_cue is not None and noun not in _PERSON_NOUNS:
        noun = None
    if noun in _PLACE_NOUNS:
        return KeyFound(f"count:{noun}", False)  # "di dua kabupaten": how many places, never people
    if noun in _VOTES or (noun is None and after[:1] and after[0] in _VOTES):
        return None  # votes need their candidate: see figure extraction
    around = [*unit_words[1:], *after]
    for k, word in enumerate(around):
        found = _cue(word, noun, around[k + 1 : k + 3], around[max(0, k - 1) : k], adjacent=k == 0)
        if found is not None:
            return found
    for k, word in enumerate(before):  # nearest first: "following" is the word after it in the text
        found = _cue(word, noun, before[max(0, k - 1) : k][::-1], before[k + 1 : k + 2])
        if found is None:
            continue
        head = found.key.split(":")[0]
        if noun_cue is not None and (_KEY_CLASS.get(head) != "person" or head == "aboard"):
            continue  # "… penumpang, 43 dewasa": the counted word says what is counted
        return KeyFound(found.key, found.specific, far=k >= FAR_CUE)
    if noun_cue is not None:
        return noun_cue
    if noun is None or noun in _STOP:
        return None
    if noun in _ROLE_NOUNS:  # "75 pendaki", "40 pelajar": a count of a kind of people the story is about
        return KeyFound(f"count:{noun}", True)
    verb = next((w for w in after if _is_verb(w)), None)
    if verb is not None:
        return KeyFound(f"count:{noun}:{root_of(verb) or verb}", False)
    return KeyFound(f"count:{noun}", False)


def _cue(
    word: str, noun: str | None, following: list[str], preceding: list[str], adjacent: bool = False
) -> KeyFound | None:
    if word == "jiwa" and (preceding[-1:] == ["korban"] or noun == "korban"):
        return KeyFound("dead", True)  # "korban jiwa": lives lost
    hit = _CUE_KEYS.get(word)
    if hit is None and word.endswith("nya"):
        hit = _CUE_KEYS.get(word[:-3])
    if hit is None:
        return None
    key, needs = hit
    # A verb only the living take, right after the count, says the noun counts people ("41 napi tewas").
    living = adjacent and key in _LIVING and noun not in _BUILDING_NOUNS
    if needs == "person" and noun is not None and noun not in _PERSON_NOUNS and not living:
        return None
    if needs == "building" and (noun is None or noun not in _BUILDING_NOUNS):
        return None
    if key == "rescued" and word == "selamat" and preceding[:1] == ["tidak"]:
        return None
    if key == "houses_damaged" and noun not in _HOUSES:
        key = "buildings_damaged"
    grades = _GRADES if key.endswith("_damaged") else _INJURY_GRADES if key == "injured" else {}
    grades = _CREW_KINDS if key == "crew" else grades
    for near in [*following[:1], *preceding[-1:]]:
        if near in grades:
            return KeyFound(f"{key}:{grades[near]}", True)
    return KeyFound(key, True)


_MORE_PEOPLE = frozenset(
    ["napi", "tahanan", "penambang", "pegawai", "karyawan", "buruh", "pengendara", "pengemudi", "sopir", "pasien",
     "miners", "prisoners", "employees", "patients", "drivers"]
)  # fmt: skip
"""Nouns counting people beside those a cue may count (``_PERSON_NOUNS``) and the story's kinds of people."""


def is_person_noun(word: str) -> bool:
    """Whether a counted noun counts people ("orang", "warga", "penumpang", "pendaki")."""
    return word in _PERSON_NOUNS or word in _ROLE_NOUNS or word in _MORE_PEOPLE


def is_verb(word: str) -> bool:
    """Whether a folded word is an affixed verb ("dipakai", "berhenti") or a stop word."""
    return word in _STOP or _is_verb(word)


def _is_verb(word: str) -> bool:
    if word in _STOP or len(word) < 5:
        return False
    return bool(re.match(r"^(me|di|ber|ter)[a-z]{3,}", word)) and root_of(word) not in (None, word)


def magnitude_or_depth(before: list[str], after: list[str], kind: str) -> str | None:
    """``magnitude`` for "magnitudo 5,6" / "M 5.6" / "5,6 SR" (``magnitude:aftershock`` for "gempa susulan
    dengan magnitudo terbesar M 4,5"); ``depth`` for "kedalaman 10 km"; ``distance`` for "86 km barat daya"."""
    if kind == "measure" and (any(w in _DEPTH for w in before[:4]) or after[:1] in (["deep"], ["dalamnya"])):
        return "depth"
    if kind == "measure" and after[:1] and after[0] in _DIRECTIONS:
        return "distance"
    if any(w in _HEIGHT for w in before[:3]) or after[:1] in (["mdpl"], ["masl"]):
        return "height"
    if kind == "count" and (
        any(w in _MAGNITUDE for w in before[:2]) or (after[:1] and after[0] in {"sr", "magnitude", "skala"})
    ):
        return "magnitude:aftershock" if any(w in _AFTERSHOCK for w in before) else "magnitude"
    return None


def is_price_context(before: list[str]) -> bool:
    return any(w in _PRICE for w in before)


def anchor_noun(before: list[str], head_first: bool = True) -> str | None:
    """The head of the nearest noun phrase before a number ("kerugian mencapai Rp 5 miliar" -> "rugi";
    "pertumbuhan ekonomi diperkirakan 7 persen" -> "tumbuh"). Indonesian puts the head first, English last."""
    run: list[str] = []
    for word in before:
        content = not (word in _STOP or word.isdigit() or _is_verb(word) or len(word) < 3)
        if content:
            run.append(word)
        elif run:
            break
    if not run:
        return None
    head = run[-1] if head_first else run[0]
    return root_of(head) or head
