"""Shared test set-up: deterministic output, no colour, English unless a test asks."""

import os

import pytest

# Generator scripts need torch; the suite never does.
collect_ignore_glob = ["make_*.py"]

os.environ["NO_COLOR"] = "1"
os.environ["LANG"] = "C.UTF-8"
os.environ.pop("LC_ALL", None)
os.environ.pop("LC_MESSAGES", None)
os.environ.pop("LANGUAGE", None)


@pytest.fixture(autouse=True)
def _english_by_default(monkeypatch):
    from cnncalc import cli

    monkeypatch.setattr(cli.STATE, "lang", "en")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("LANG", "C.UTF-8")
