"""Shared test set-up: deterministic output, no colour, English unless a test asks."""

import os

import pytest
from hypothesis import HealthCheck, settings

# CI (any CI service sets CI): the same examples every run and no deadline, so a slow
# shared machine never fails a property test by timing or by a new random draw.
settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
if os.environ.get("CI"):
    settings.load_profile("ci")

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
