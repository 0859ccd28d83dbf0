"""Sentences about make's sheets, keys and its output folder."""

MAKING: dict[str, dict[str, str]] = {}
