"""Sentences about what students' own files get told (unclosed brackets, booleans, encodings)."""

STUDENTS: dict[str, dict[str, str]] = {}
