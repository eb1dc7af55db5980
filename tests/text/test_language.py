from __future__ import annotations

import pytest

from kabar.text.language import detect_language, marker_scores
from tests.conftest import SEED_A


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (SEED_A.read_text(encoding="utf-8"), "id"),
        (
            "Kerajaan Malaysia akan mengadakan mesyuarat dengan pihak berkuasa tempatan kerana masalah kenderaan "
            "awam yang semakin teruk di ibu negara, kata menteri pengangkutan semalam.",
            "ms",
        ),
        (
            "The leaders of Russia and North Korea met at a remote rocket launch facility in Siberia on Wednesday.",
            "en",
        ),
        ("ok", "und"),
    ],
)
def test_language_detects(text: str, code: str) -> None:
    assert detect_language(text) == code


MALAY_PARAGRAPH = (
    "Jumlah mangsa banjir di Terengganu meningkat kepada 1,391 orang daripada 369 keluarga setakat jam 9 pagi. "
    "Daerah Kemaman mencatatkan jumlah tertinggi iaitu 1,140 orang yang ditempatkan di tujuh pusat pemindahan "
    "sementara, kata jurucakap jawatankuasa bencana negeri."
)
INDONESIAN_PARAGRAPHS = [
    # CLD3 alone calls each of these Malay.
    "Air di Kelurahan Kameloh Baru, Palangka Raya, mulai surut dari 179 cm menjadi 176 cm. Kapolsek Sabangau "
    "Ipda Ali Maffud menyebut masih ada tiga kepala keluarga atau sembilan jiwa di lokasi pengungsian.",
    "Kementerian PUPR mencatat 233 km jalan tol baru beroperasi sejak Januari hingga Agustus 2023. Menteri PUPR "
    "Basuki Hadimuljono mengatakan targetnya 440 km hingga akhir tahun.",
    # Indonesian about Malaysia: ringgit and Kuala Lumpur do not make it Malay.
    "Ekspor produk minyak sawit Malaysia pada 1-25 Oktober turun sekitar 0,3 sampai 0,4 persen dibanding bulan "
    "sebelumnya. Ringgit menguat 0,17 persen terhadap dolar AS sehingga harga sawit menjadi lebih mahal.",
]


def test_language_malay_paragraph_stays_malay() -> None:
    assert detect_language(MALAY_PARAGRAPH) == "ms"


@pytest.mark.parametrize("text", INDONESIAN_PARAGRAPHS)
def test_language_indonesian_paragraph_is_not_malay(text: str) -> None:
    assert detect_language(text) == "id"


def test_language_marker_scores_count_each_standard() -> None:
    indonesian, malay = marker_scores("Polisi menahan warga karena uang Rp 5.000 hilang, Senin.")
    assert indonesian > 0 and malay == 0
    indonesian, malay = marker_scores("Polis menahan lelaki itu kerana wang RM300 hilang pada Isnin.")
    assert malay > 0 and indonesian == 0


def test_language_capitalised_names_are_not_markers() -> None:
    # "Wang" is a surname here, not Malay for money; "Mau" a name, not Indonesian for "want".
    assert marker_scores("Pebulu tangkis China Wang Yilyu mengalahkan Mau Tanaka di Tokyo.") == (0, 0)


def test_language_english_about_indonesia_stays_english() -> None:
    text = (
        "Indonesia's central bank kept its benchmark rate at 5.75 percent on Thursday, while the rupiah weakened "
        "to Rp 15,600 per dollar by 16:00 WIB, traders in Jakarta said."
    )
    assert detect_language(text) == "en"
