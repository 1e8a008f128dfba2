"""The language switch in the header (docs/vertalen.md)."""
