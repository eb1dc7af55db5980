"""The API's request bodies (validated by pydantic; a bad body answers 422 in the one error shape)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

MAX_COMPARE_ARTICLES = 50


class ArticleIn(BaseModel):
    id: str | None = Field(default=None, max_length=300)
    title: str | None = None
    text: str = Field(min_length=1)
    published: str | None = None
    source: str | None = None
    url: str | None = None
    language: str | None = None


class ArticlesIn(BaseModel):
    articles: list[ArticleIn] = Field(min_length=1)  # at most 64 per request (413): kabar.api.write

    def records(self) -> list[dict[str, Any]]:
        return [a.model_dump(exclude_none=True) for a in self.articles]


class CompareIn(BaseModel):
    articles: list[ArticleIn] = Field(min_length=1, max_length=MAX_COMPARE_ARTICLES)
    brief_length: int | None = Field(default=None, ge=1, le=50)

    def records(self) -> list[dict[str, Any]]:
        return [a.model_dump(exclude_none=True) for a in self.articles]


class PairIn(BaseModel):
    id: str | None = None
    premise: str = Field(min_length=1)
    hypothesis: str = Field(min_length=1)


class RelateIn(BaseModel):
    pairs: list[PairIn] = Field(min_length=1, max_length=1000)

    def triples(self) -> list[tuple[str, str, str]]:
        return [(p.id or str(k), p.premise, p.hypothesis) for k, p in enumerate(self.pairs, start=1)]


class UrlIn(BaseModel):
    url: str = Field(min_length=8, max_length=2000)
