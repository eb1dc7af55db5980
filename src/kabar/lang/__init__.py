"""Language resources in one home: the tokenizer and word pattern, the stop-word list, the gazetteer and word
lists (data files under ``kabar/data``), and Indonesian morphology. Every stage takes them from here."""

from kabar.lang.morph import completes_title, is_common_word, root_of, root_words
from kabar.lang.resources import (
    GazetteerEntry,
    attribution_cues,
    cue_pattern,
    data_lines,
    gazetteer,
    gazetteer_max_len,
    is_stopword,
    stopwords,
    title_complements,
    word_lists,
)
from kabar.lang.tokens import LETTER_WORD, SPELLED_WORD, TOKEN, WORD, Token, fold, name_key, tokenize, words

__all__ = [
    "LETTER_WORD",
    "SPELLED_WORD",
    "TOKEN",
    "WORD",
    "GazetteerEntry",
    "Token",
    "attribution_cues",
    "completes_title",
    "cue_pattern",
    "data_lines",
    "fold",
    "gazetteer",
    "gazetteer_max_len",
    "is_common_word",
    "is_stopword",
    "name_key",
    "root_of",
    "root_words",
    "stopwords",
    "title_complements",
    "tokenize",
    "word_lists",
    "words",
]
