from __future__ import annotations

import pytest

from kabar.text.language import detect_language
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
