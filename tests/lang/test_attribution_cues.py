"""One list of attribution cue words serves quotes and the attribution of figures."""

import re

from kabar.extract import quotes
from kabar.lang import attribution_cues, cue_pattern


def test_every_role_is_read_from_the_one_data_file() -> None:
    cues = attribution_cues()
    assert set(cues) == {"pre", "post", "trailing", "leading", "reporting", "source", "said"}
    assert "mengatakan" in cues["pre"] and "mengatakan" in cues["reporting"]
    assert "menurut" in cues["post"] and "menurut" in cues["source"] and "menurut" in cues["leading"]
    assert cues["pre"] == quotes.PRE_CUES and cues["post"] == quotes.POST_CUES


def test_a_phrase_wins_over_its_first_word_and_spaces_stretch() -> None:
    found = re.search(rf"(?P<cue>{cue_pattern('trailing')})\s+X", "angka itu, according  to X")
    assert found is not None and re.sub(r"\s+", " ", found.group("cue")) == "according to"
