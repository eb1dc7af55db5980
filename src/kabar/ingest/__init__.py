"""Reading articles from files, directories and records."""

from kabar.ingest.readers import parse_record, read_file, read_html, read_paths, read_text, unique_ids

__all__ = ["parse_record", "read_file", "read_html", "read_paths", "read_text", "unique_ids"]
