"""Sentences about class summaries and feedback names in both languages."""

CLASSZH: dict[str, dict[str, str]] = {}
