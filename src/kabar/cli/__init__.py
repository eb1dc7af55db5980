"""Command-line shell."""
