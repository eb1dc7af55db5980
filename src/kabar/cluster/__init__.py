"""Event clustering: near-duplicates and online, incremental grouping of articles into events."""
