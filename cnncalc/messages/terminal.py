"""Sentences about tables on narrow terminals."""

TERMINAL: dict[str, dict[str, str]] = {}
