"""Extraction stages: entities, dates, quantities, quotes, and entity linking."""
