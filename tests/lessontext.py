"""Read what a learner reads in a notebook, so tests can hold prose to the numbers (claims tests).

The rule (issue 15): every number or comparison stated in a lesson's prose, an answer key or a
model answer is printed by the code beside it, or a test recomputes it from the package and
asserts the sentence still says it. Use::

    from lessontext import prose, states

    def test_liquidation_price_in_the_answer_key():
        value = lending.liquidation_price(5.0, 9_000.0, 0.83)
        states("notebooks/09_lending_and_borrowing.ipynb", f"{value:,.2f} USD")

A changed default that breaks a sentence then fails a test.
"""
from __future__ import annotations

import json
import re

from cryptocourse.course import REPO_ROOT


def _cells(path: str) -> list[dict]:
    return json.loads((REPO_ROOT / path).read_text(encoding="utf-8"))["cells"]


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def prose(path: str) -> str:
    """All markdown of a notebook (answer keys in <details> included), whitespace folded."""
    text = "\n".join(_source(c) for c in _cells(path) if c["cell_type"] == "markdown")
    return re.sub(r"\s+", " ", text)


def code(path: str) -> str:
    """All code cells of a notebook, joined."""
    return "\n".join(_source(c) for c in _cells(path) if c["cell_type"] == "code")


def states(path: str, *phrases: str) -> None:
    """Assert that the notebook's prose contains every phrase (whitespace folded)."""
    text = prose(path)
    for phrase in phrases:
        wanted = re.sub(r"\s+", " ", phrase)
        assert wanted in text, f"{path} no longer says {wanted!r}: update the sentence or the numbers"


def never_states(path: str, *phrases: str) -> None:
    """Assert that a wrong or retired sentence is gone from the notebook's prose."""
    text = prose(path)
    for phrase in phrases:
        assert re.sub(r"\s+", " ", phrase) not in text, f"{path} still says {phrase!r}"
