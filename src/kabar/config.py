"""Settings, each with a default and a line of help, built in one place and passed down."""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True, slots=True)
class Config:
    """Pipeline settings. ``Config.describe()`` lists them with their help."""

    max_file_bytes: int = 20_000_000
    """Files larger than this are refused (bytes)."""
    max_article_chars: int = 2_000_000
    """Articles with more characters than this are refused."""
    min_article_chars: int = 20
    """Articles with fewer non-space characters than this are refused as empty."""
    ner: str = "auto"
    """Entity tier: 'fast' or 'crf' (the CRF with gazetteer and rules), 'accurate' (the e5 token classifier with
    them), 'rules', or 'auto' (fast for annotate and ingest, accurate for compare and the API)."""

    @classmethod
    def describe(cls) -> list[tuple[str, object, str]]:
        """Return (name, default, help) for every setting."""
        docs = {
            "max_file_bytes": "Files larger than this are refused (bytes).",
            "max_article_chars": "Articles with more characters than this are refused.",
            "min_article_chars": "Articles with fewer non-space characters than this are refused as empty.",
            "ner": "Entity tier: fast (crf), accurate, rules, or auto (fast in bulk, accurate for compare).",
        }
        return [(f.name, f.default, docs.get(f.name, "")) for f in fields(cls)]


DEFAULT = Config()
