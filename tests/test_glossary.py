"""The glossary: generated notebook in step, every lesson defines or links each term at first use."""
import json
import re

import pytest

from cryptocourse import glossary
from cryptocourse.course import LESSONS, REPO_ROOT, lesson
from cryptocourse.exercises.release import dumps

NOTEBOOK = REPO_ROOT / "notebooks" / "glossary.ipynb"


def test_glossary_notebook_is_generated_from_the_module():
    assert NOTEBOOK.read_text(encoding="utf-8") == dumps(glossary.glossary_notebook()), (
        "notebooks/glossary.ipynb is stale: run `python -m cryptocourse.glossary --write`")


def test_every_term_is_defined_once_with_a_lesson_that_exists():
    names = [t.name.lower() for t in glossary.TERMS]
    assert len(names) == len(set(names))
    for entry in glossary.TERMS:
        assert len(entry.definition.split()) >= 8, f"{entry.name}: define it in a full sentence"
        assert re.fullmatch(r"[A-Za-z0-9-]+", entry.anchor), f"{entry.name}: keep anchors plain"
        if entry.see:
            lesson(entry.see)
        assert entry.regex.search(entry.name), f"{entry.name}: its pattern must find its own name"


@pytest.mark.parametrize("required", ["TVL", "HODL", "MEV", "wei and gwei", "gas", "peg", "stablecoin", "drift",
                                      "GBM", "percentile", "VaR", "flash loan", "calldata",
                                      "logistic regression", "gradient descent"])
def test_the_terms_learners_asked_for_are_there(required):
    assert glossary.term(required).definition


def test_lookup_errors_are_clear():
    with pytest.raises(ValueError, match="glossary term"):
        glossary.term("not a term")
    with pytest.raises(TypeError, match="name must be a string"):
        glossary.term(3)


def test_glossary_links_resolve_and_it_is_reachable():
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    text = "\n".join(c["source"] for c in nb["cells"])
    for target in re.findall(r"\]\(([^)#]+\.ipynb)", text):
        assert (NOTEBOOK.parent / target).exists(), target
    assert "notebooks/glossary.ipynb" in (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    start = (REPO_ROOT / LESSONS[0].notebook).read_text(encoding="utf-8")
    assert "glossary.ipynb" in start


def _anchors_linked(path):
    nb = json.loads((REPO_ROOT / path).read_text(encoding="utf-8"))
    return re.findall(r"glossary\.ipynb#([A-Za-z0-9-]+)", "\n".join(
        "".join(c["source"]) if isinstance(c["source"], list) else c["source"] for c in nb["cells"]))


@pytest.mark.parametrize("les", [l for l in LESSONS if l.number > 0], ids=lambda l: l.code)
def test_each_lesson_defines_or_links_each_term_at_first_use(les):
    nb = json.loads((REPO_ROOT / les.notebook).read_text(encoding="utf-8"))
    cells = ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
             for c in nb["cells"] if c["cell_type"] == "markdown"]
    unexplained = [name for name, (_, ok) in glossary.first_uses(cells).items() if not ok]
    assert not unexplained, (
        f"{les.notebook}: bold the term where it is defined or link the glossary at first use: {unexplained} "
        f"(`python -m cryptocourse.glossary --link {les.notebook}` links them)")
    known = {t.anchor for t in glossary.TERMS}
    assert set(_anchors_linked(les.notebook)) <= known, "a link points to a glossary entry that does not exist"
    assert "glossary.ipynb" in "\n".join(cells), f"{les.notebook}: link the glossary at least once"
