"""Storage: SQLite by default, PostgreSQL for teams, one interface."""

from kabar.store.sql import SQLStore, open_store, resolve_url

__all__ = ["SQLStore", "open_store", "resolve_url"]
