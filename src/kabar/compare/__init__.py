"""Comparing sources on one event: alignment, facts, conflicts, brief, and relating two statements."""
