"""Notebook hygiene and the lesson template, for every notebook in the manifest.

nbval (configured in pyproject.toml) separately runs every notebook top to bottom in a fresh
kernel; these tests check what nbval cannot: how notebooks are stored and that each lesson has the
template's parts (STYLE.md, docs/AUTHORING.md).
"""
import json
import re

import pytest

from cryptocourse.course import LESSONS, REPO_ROOT, course_map_markdown, lesson, next_lesson

LESSON_IDS = [l.stem for l in LESSONS]


def load(path: str) -> dict:
    return json.loads((REPO_ROOT / path).read_text(encoding="utf-8"))


def text_of(cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def all_notebook_paths() -> list[str]:
    paths = []
    for l in LESSONS:
        paths.append(l.notebook)
        if l.has_exercises:
            paths += [l.exercise, l.solution]
    return paths


def test_folders_hold_exactly_the_manifest():
    on_disk = {str(p.relative_to(REPO_ROOT)) for folder in ("notebooks", "exercises", "exercises/solutions")
               for p in (REPO_ROOT / folder).glob("*.ipynb")}
    on_disk.discard("notebooks/glossary.ipynb")   # generated from cryptocourse/glossary.py (tests/test_glossary.py)
    assert on_disk == set(all_notebook_paths()), (
        "notebooks on disk and cryptocourse/course.py disagree: "
        f"not in manifest {sorted(on_disk - set(all_notebook_paths()))}, "
        f"missing {sorted(set(all_notebook_paths()) - on_disk)}")


def test_numbering_is_the_course_order():
    numbers = [l.number for l in LESSONS]
    assert numbers == sorted(numbers) and set(numbers) == set(range(len(set(numbers))))
    for previous, current in zip(LESSONS, LESSONS[1:], strict=False):
        # a lesson placed between two numbers carries a letter: 09, 09b, 10
        assert current.number == previous.number + 1 and not current.suffix or (
            current.number == previous.number and current.suffix > previous.suffix)
    assert len({l.slug for l in LESSONS}) == len(LESSONS) == len({l.code for l in LESSONS})
    for l in LESSONS:
        assert re.fullmatch(r"[a-z0-9_]+", l.slug) and 5 <= l.minutes <= 180
        assert re.fullmatch(r"[a-z]?", l.suffix)


@pytest.mark.parametrize("path", all_notebook_paths())
def test_stored_clean(path):
    nb = load(path)
    assert nb["nbformat"] == 4
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [], f"{path}: code cell {i} has stored outputs"
            assert cell.get("execution_count") is None, f"{path}: code cell {i} has an execution count"
        assert "id" in cell
    source = "\n".join(text_of(c) for c in nb["cells"] if c["cell_type"] == "code")
    for forbidden in ("urllib", "requests.get", "http://", "https://", "time.time()", "datetime.now"):
        assert forbidden not in source, f"{path}: code uses {forbidden!r} (offline, no wall clock)"


def _headings(nb) -> list[str]:
    return [line for c in nb["cells"] if c["cell_type"] == "markdown"
            for line in text_of(c).splitlines() if line.startswith("#")]


@pytest.mark.parametrize("stem", [l.stem for l in LESSONS if l.number > 0])
def test_lesson_follows_the_template(stem):
    les = lesson(stem)
    nb = load(les.notebook)
    cells = nb["cells"]
    first = text_of(cells[0])
    assert cells[0]["cell_type"] == "markdown" and first.startswith(f"# {les.code} · {les.title}"), \
        f"{les.notebook}: first cell must be the title '# {les.code} · {les.title}'"
    heads = _headings(nb)
    for needed in ("## Objectives", "## Setup", "## Try it", "## Check your understanding", "## Summary"):
        assert any(h.startswith(needed) for h in heads), f"{les.notebook}: no '{needed}' section"
    def at(heading):
        return next(i for i, c in enumerate(cells)
                    if c["cell_type"] == "markdown" and any(l.startswith(heading) for l in text_of(c).splitlines()))

    objectives = text_of(cells[at("## Objectives")])
    assert f"{les.minutes} minutes" in objectives, (
        f"{les.notebook}: objectives should give the manifest's time ({les.minutes} minutes)")
    if les.has_exercises:
        assert 10 <= les.exercise_minutes <= 180, f"{les.code}: give the exercise set a time in the manifest"
    setup_at = at("## Setup")
    setup_code = next(text_of(c) for c in cells[setup_at:] if c["cell_type"] == "code")
    assert "cryptocourse" in setup_code, f"{les.notebook}: the setup cell imports from cryptocourse"
    # seeded: a lesson that draws from `rng` seeds it in the setup cell; one that does not says how its
    # simulations are seeded (a seed argument) or that nothing is random, and leaves no unused rng behind
    code_after = "\n".join(text_of(c) for c in cells[setup_at:] if c["cell_type"] == "code")
    uses_rng = any(re.search(r"\brng\b", line) and "default_rng(" not in line for line in code_after.splitlines())
    if uses_rng:
        assert "default_rng(" in setup_code, f"{les.notebook}: the setup cell seeds the rng the lesson uses"
    else:
        setup_text = text_of(cells[setup_at])
        assert "default_rng(" not in setup_code, f"{les.notebook}: an rng is seeded but never used"
        assert "seed" in setup_text or "nothing in this lesson is random" in setup_text, \
            f"{les.notebook}: the setup says how the lesson's simulations are seeded"
    try_at = at("## Try it")
    after = "\n".join(text_of(c) for c in cells[try_at:])
    assert "Dashboard(" in after, f"{les.notebook}: 'Try it' shows a dashboard"
    all_md = "\n".join(text_of(c) for c in cells if c["cell_type"] == "markdown")
    assert "<details>" in all_md, f"{les.notebook}: answers go in a <details> block"
    assert f"../{les.exercise}" in all_md, f"{les.notebook}: link to its exercise set"
    nxt = next_lesson(les)
    if nxt is not None:
        assert f"{nxt.stem}.ipynb" in all_md, f"{les.notebook}: link to the next notebook"


@pytest.mark.parametrize("path", all_notebook_paths())
def test_relative_links_resolve(path):
    nb = load(path)
    base = (REPO_ROOT / path).parent
    for cell in nb["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        for target in re.findall(r"\]\(([^)#\s]+\.ipynb)\)", text_of(cell)):
            assert (base / target).resolve().exists(), f"{path}: broken link {target}"


def test_start_page_shows_the_map_and_the_first_lesson():
    nb = load(LESSONS[0].notebook)
    source = "\n".join(text_of(c) for c in nb["cells"])
    assert "show_course_map()" in source and "01_money_math.ipynb" in source
    assert "diagnose" in source and "check(" in source and "solutions" in source
    assert "[Money math for crypto cash flow](../notebooks/01_money_math.ipynb)" in course_map_markdown("../")


def test_readme_map_matches_the_manifest():
    from cryptocourse.course import MAP_END, MAP_START

    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split(MAP_START)[1].split(MAP_END)[0].strip()
    assert block == course_map_markdown().strip(), \
        "README course map is stale: run `python -m cryptocourse.course --write-readme`"
