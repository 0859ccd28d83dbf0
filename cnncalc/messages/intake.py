"""Sentences about what grade finds in a submissions folder."""

INTAKE: dict[str, dict[str, str]] = {}
