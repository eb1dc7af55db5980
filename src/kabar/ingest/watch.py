"""``kabar watch``: keep a corpus fresh from RSS/Atom feeds and OPML lists of feeds.

Each feed is polled on a schedule with a conditional GET (``If-None-Match`` / ``If-Modified-Since`` from its last
answer), so an unchanged feed costs one short request. A feed that fails waits longer each time (the interval
doubled per failure in a row, up to ``MAX_BACKOFF``, or what ``Retry-After`` asks); one that answers again goes
back to the interval. What the watcher knows of each feed (validators, next poll, failures) is in the
database's ``feeds`` table, written after every poll, so a restart resumes where it stopped. New articles go
through the corpus like ``kabar ingest``, and the events they join are compared at once, so event lists and
conflict counts are current as articles arrive.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from kabar.config import DEFAULT, Config
from kabar.errors import FetchError, InputError
from kabar.ingest.feeds import MAX_BYTES, FetchPolicy, Guard, fetch, is_url, looks_like_opml, opml_feeds
from kabar.ingest.readers import read_bounded
from kabar.records import Article, Failure, FeedState

if TYPE_CHECKING:
    from kabar.corpus import Corpus

INTERVAL = 900.0
"""Seconds between two polls of a feed that answers: news sites update feeds every few minutes, and 15 minutes
keeps a corpus within a quarter hour of the news at one small request per feed."""
MAX_BACKOFF = 6 * 3600.0
"""The longest wait after failures in a row (a feed down for a day is tried four times an hour... then hourly)."""
TIMEOUT = 20.0


@dataclass(frozen=True, slots=True)
class Poll:
    """One poll's answer: ``status`` is "new" (content to read), "unchanged" (304 or same validators) or
    "failed" (``error`` says why)."""

    status: str
    content: bytes = b""
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None
    retry_after: float | None = None


@dataclass
class RoundReport:
    """What one round of polls did."""

    polled: int = 0
    new: int = 0
    unchanged: int = 0
    failed: int = 0
    added: int = 0
    new_events: int = 0
    events: set[str] = field(default_factory=set)
    failures: list[Failure] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{self.polled} feed(s) polled: {self.new} with news, {self.unchanged} unchanged, {self.failed} "
                f"failed; {self.added} article(s) added, {self.new_events} new event(s), "
                f"{len(self.events)} event(s) updated")  # fmt: skip


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _parse_iso(value: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


def conditional_get(
    url: str,
    state: FeedState,
    timeout: float = TIMEOUT,
    guard: Guard | None = None,
    policy: FetchPolicy | None = None,
) -> Poll:
    """GET a feed, sending the validators of its last answer; never raises. The fetch is ``kabar ingest``'s: an
    overall deadline, the size limit, and (with ``policy``) the address policy where it connects."""
    headers = {"Accept": "application/rss+xml, application/atom+xml, application/xml, */*"}
    if state.etag:
        headers["If-None-Match"] = state.etag
    if state.last_modified:
        headers["If-Modified-Since"] = state.last_modified
    policy = replace(policy or FetchPolicy(), timeout=timeout, retries=1, max_bytes=MAX_BYTES)
    try:
        if guard is not None:
            guard(url)
        fetched = fetch(url, policy, guard=guard, headers=headers)
    except FetchError as err:
        if err.status == 304:
            return Poll("unchanged", etag=state.etag, last_modified=state.last_modified)
        return Poll("failed", error=err.reason, retry_after=_retry_after(err.retry_after))
    except InputError as err:
        return Poll("failed", error=err.reason)
    etag, modified = fetched.etag, fetched.last_modified
    if (etag and etag == state.etag) or (not etag and modified and modified == state.last_modified):
        return Poll("unchanged", etag=etag, last_modified=modified)
    return Poll("new", fetched.content, etag, modified)


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def read_local(path: str, state: FeedState) -> Poll:
    """A feed file on this machine: "new" when its modification time changed."""
    try:
        stat = Path(path).stat()
        stamp = f"{stat.st_mtime_ns}-{stat.st_size}"
        if stamp == state.etag:
            return Poll("unchanged", etag=stamp)
        return Poll("new", read_bounded(Path(path), MAX_BYTES), etag=stamp)
    except InputError as err:
        return Poll("failed", error=err.reason)
    except OSError as err:
        return Poll("failed", error=f"cannot read: {err.strerror or err}")


def next_state(state: FeedState, poll: Poll, now: datetime, interval: float, added: int) -> FeedState:
    """The feed's state after a poll: validators kept, the next poll scheduled (back-off after failures)."""
    if poll.status == "failed":
        failures = state.failures + 1
        wait = min(MAX_BACKOFF, interval * 2 ** (failures - 1)) if failures > 1 else interval
        wait = max(wait, min(MAX_BACKOFF, poll.retry_after or 0.0))
        return replace(state, last_checked=_iso(now), next_check=_iso(now + timedelta(seconds=wait)),
                       failures=failures, last_status="failed", last_error=poll.error)  # fmt: skip
    return replace(state, etag=poll.etag or state.etag, last_modified=poll.last_modified or state.last_modified,
                   last_checked=_iso(now), next_check=_iso(now + timedelta(seconds=interval)), failures=0,
                   last_status=poll.status, last_error=None, articles=state.articles + added)  # fmt: skip


def expand_sources(sources: Iterable[str], guard: Guard | None = None) -> tuple[list[str], list[Failure]]:
    """The feeds to watch: feed URLs and files as given, OPML lists (files or URLs) replaced by their feeds."""
    feeds: list[str] = []
    failures: list[Failure] = []
    for source in sources:
        try:
            if is_url(source):
                if source.lower().endswith(".opml"):
                    listed = fetch(source, guard=guard).content
                    feeds += [f for f in opml_feeds(listed, source) if is_url(f)]
                else:
                    feeds.append(source)
                continue
            path = Path(source)
            content = read_bounded(path, MAX_BYTES)
            if looks_like_opml(content):
                feeds += opml_feeds(content, source)
            else:
                feeds.append(source)
        except InputError as err:
            failures.append(Failure(err.path, err.reason, err.code))
        except OSError as err:
            failures.append(Failure(source, f"cannot read: {err.strerror or err}", "io"))
    return list(dict.fromkeys(feeds)), failures


class Watcher:
    """Polls feeds into a corpus; ``clock`` and ``sleep`` are injectable so a schedule can be run fast."""

    def __init__(
        self,
        corpus: Corpus,
        interval: float = INTERVAL,
        config: Config = DEFAULT,
        follow_links: bool = True,
        guard: Guard | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.corpus = corpus
        self.store = corpus.store
        self.interval = interval
        self.config = config
        self.follow_links = follow_links
        self.guard = guard
        self.clock = clock
        self.sleep = sleep

    def due(self, feeds: Iterable[str]) -> list[str]:
        states = self.store.feed_states()
        now = self.clock()
        out = []
        for feed in feeds:
            due_at = _parse_iso(states[feed].next_check) if feed in states else None
            if due_at is None or due_at <= now:
                out.append(feed)
        return out

    def poll_round(self, feeds: Iterable[str]) -> RoundReport:
        """Poll every feed that is due; ingest what is new; compare the events that grew."""
        from kabar.ingest.feeds import feed_articles
        from kabar.workflows import ingest_items, refresh_conflicts

        report = RoundReport()
        states = self.store.feed_states()
        for feed in self.due(feeds):
            state = states.get(feed, FeedState(feed))
            poll = (
                read_local(feed, state)
                if not is_url(feed)
                else conditional_get(feed, state, guard=self.guard)
            )
            report.polled += 1
            added = 0
            if poll.status == "new":
                items: Iterator[Article | Failure] = feed_articles(poll.content, feed, self.config, self.follow_links,
                                                                  self.guard)  # fmt: skip
                ingested = ingest_items(self.corpus, items, conflicts=False)
                added = ingested.added
                report.added += ingested.added
                report.new_events += ingested.new_events
                report.events |= ingested.events
                report.failures += ingested.failures
            setattr(report, poll.status, getattr(report, poll.status) + 1)
            if poll.status == "failed":
                report.failures.append(Failure(feed, poll.error or "failed", "fetch"))
            self.store.put_feed_state(next_state(state, poll, self.clock(), self.interval, added))
        refresh_conflicts(self.store, sorted(report.events))
        return report

    def seconds_to_next(self, feeds: Iterable[str]) -> float:
        """How long until the next feed is due (0 when one is due now)."""
        states = self.store.feed_states()
        now = self.clock()
        waits = []
        for feed in feeds:
            due_at = _parse_iso(states[feed].next_check) if feed in states else None
            waits.append(0.0 if due_at is None else max(0.0, (due_at - now).total_seconds()))
        return min(waits, default=self.interval)

    def run(
        self,
        feeds: list[str],
        rounds: int | None = None,
        on_round: Callable[[RoundReport], None] | None = None,
    ) -> None:
        """Poll until stopped (KeyboardInterrupt), or for ``rounds`` rounds."""
        done = 0
        while rounds is None or done < rounds:
            self.sleep(self.seconds_to_next(feeds))
            report = self.poll_round(feeds)
            done += 1
            if on_round is not None:
                on_round(report)
