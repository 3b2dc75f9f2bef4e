"""The course in a real browser: JupyterLab + headless Chromium, driven by Playwright.

For every lesson in the manifest: open it in JupyterLab (started exactly as `cryptocourse lab`
starts it), run all cells, wait for the kernel, and assert there is no error output and no widget
that failed to render. For every dashboard (``.cc-dashboard``), move its first slider with the
keyboard, as a person would, and assert that the view changed (the numbers or the figure).

Screenshots of every notebook after Run All, and of every dashboard, are saved in
``test-artifacts/browser/``.

Needs Debian's ``chromium`` (``apt-get install chromium``) and the ``playwright`` package (in the
test extra). Without Chromium the tests skip with one line saying how to enable them, except in CI
(CI=true), where a missing browser is a failure. JupyterLab runs with throwaway config, settings and
workspace folders, so a learner's own Jupyter settings are never touched, and on a throwaway copy of
the notebooks (autosave off too), so running them never writes outputs into the repository.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from cryptocourse.course import LESSONS

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts" / "browser"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
TOKEN = "cryptocourse-browser-test"

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - the test extra installs it
    sync_playwright = None

_WHY = ("browser tests skipped: install Chromium (sudo apt-get install chromium) and "
        "`pip install -e \".[test]\"` to enable them")
if not CHROMIUM or sync_playwright is None:
    if os.environ.get("CI") == "true":
        raise RuntimeError("CI=true but Chromium or playwright is missing: " + _WHY)
    pytestmark = pytest.mark.skip(reason=_WHY)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _snapshot() -> dict:
    return {p: p.read_bytes() for folder in ("notebooks", "exercises") for p in (ROOT / folder).rglob("*.ipynb")}


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab started as the README's first command starts it, with throwaway settings."""
    home = tmp_path_factory.mktemp("jupyter-home")
    settings = home / "settings"
    # Render every cell (no virtual scrolling) so outputs are in the page; no news/update checks.
    (settings / "@jupyterlab/notebook-extension").mkdir(parents=True)
    (settings / "@jupyterlab/notebook-extension/tracker.jupyterlab-settings").write_text(
        json.dumps({"windowingMode": "none"}))
    (settings / "@jupyterlab/docmanager-extension").mkdir(parents=True)
    (settings / "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings").write_text(
        json.dumps({"autosave": False}))
    (settings / "@jupyterlab/apputils-extension").mkdir(parents=True)
    (settings / "@jupyterlab/apputils-extension/notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(home / "config"), JUPYTER_RUNTIME_DIR=str(home / "runtime"),
               JUPYTERLAB_SETTINGS_DIR=str(settings), JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
               MPLBACKEND="module://matplotlib_inline.backend_inline")
    course = home / "course"  # `cryptocourse lab` serves the course folder it is started in
    for folder in ("notebooks", "exercises"):
        shutil.copytree(ROOT / folder, course / folder)
    port = _free_port()
    log = (home / "lab.log").open("wb")
    proc = subprocess.Popen([str(Path(sys.executable).parent / "cryptocourse"), "lab", "--no-browser",
                             "--port", str(port), "--token", TOKEN],
                            cwd=course, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={TOKEN}", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("JupyterLab did not start; see " + str(home / "lab.log")) from None
                time.sleep(0.5)
        before = _snapshot()
        yield base
        assert _snapshot() == before, "the browser run changed notebooks in the repository"
    finally:
        try:
            os.killpg(proc.pid, 15)
            proc.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(proc.pid, 9)
        log.close()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        try:
            yield b
        finally:
            b.close()


ERROR_JS = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('.jp-OutputArea-output')) {
    const t = el.innerText || '';
    if (el.getAttribute('data-mime-type') === 'application/vnd.jupyter.stderr' &&
        (t.includes('Traceback') || /^\\w*(Error|Exception)\\b/m.test(t))) bad.push(t.slice(0, 400));
    if (t.includes('Error displaying widget') || t.includes('model not found')) bad.push(t.slice(0, 200));
  }
  return bad;
}"""

PROMPTS_JS = """() => Array.from(document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt'))
                  .map(e => e.textContent.trim())"""


def _run_all(page, timeout_s: float = 120) -> None:
    """Run > Run All Cells, as a person would; retry if the kernel was not ready to take it."""
    for _attempt in range(4):
        page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).first.click()
        page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).first.click()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if any(p != "[ ]:" for p in page.evaluate(PROMPTS_JS)):
                break
            time.sleep(0.25)
        else:
            page.keyboard.press("Escape")
            continue
        break
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        prompts = page.evaluate(PROMPTS_JS)
        if prompts and all(p.startswith("[") and p[1:-2].strip().isdigit() for p in prompts):
            status = page.locator(".jp-Notebook-ExecutionIndicator").first.get_attribute("data-status")
            if status in (None, "idle"):
                return
        time.sleep(0.25)
    raise AssertionError(f"cells did not finish running in {timeout_s:g} s: prompts {prompts}")


def _view_state(dash) -> tuple[str, str]:
    summary = dash.locator(".cc-summary").first.inner_text()
    img = dash.locator(".cc-figure").first
    return summary, (img.get_attribute("src") or "") if img.count() else ""


@pytest.mark.parametrize("stem", [l.stem for l in LESSONS])
def test_notebook_runs_and_dashboards_react(lab, browser, stem):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    lesson = next(l for l in LESSONS if l.stem == stem)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    console_errors = []
    page.on("pageerror", lambda exc: console_errors.append(str(exc)))
    try:
        page.goto(f"{lab}/lab/tree/{lesson.notebook}?token={TOKEN}&reset", wait_until="domcontentloaded")
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)
        page.locator("text=Kernel status: Idle").first.wait_for(state="attached", timeout=60_000)
        _run_all(page)
        page.wait_for_timeout(500)  # let widget views finish rendering
        page.screenshot(path=str(ARTIFACTS / f"{stem}.png"))
        errors = page.evaluate(ERROR_JS)
        assert not errors, f"{lesson.notebook}: error output in the browser:\n" + "\n---\n".join(errors)
        unrendered = page.locator(".jp-OutputArea-output", has_text="Loading widget...").count()
        assert unrendered == 0, f"{lesson.notebook}: {unrendered} widget(s) never rendered"
        dashboards = page.locator(".cc-dashboard")
        assert lesson.number == 0 or dashboards.count() >= 1, f"{lesson.notebook}: no dashboard rendered"
        for k in range(dashboards.count()):
            dash = dashboards.nth(k)
            dash.scroll_into_view_if_needed()
            dash.locator(".cc-figure").first.wait_for(state="visible", timeout=30_000)
            before = _view_state(dash)
            handle = dash.locator(".noUi-handle").first
            if handle.count():
                handle.focus()
                for _ in range(3):
                    handle.press("ArrowRight")
            else:
                select = dash.locator("select").first
                select.focus()
                select.press("ArrowDown")
            deadline = time.monotonic() + 20
            while _view_state(dash) == before and time.monotonic() < deadline:
                page.wait_for_timeout(100)
            dash.screenshot(path=str(ARTIFACTS / f"{stem}-dashboard-{k + 1}.png"))
            assert _view_state(dash) != before, f"{lesson.notebook}: dashboard {k + 1} did not react to its control"
        assert not console_errors, f"{lesson.notebook}: JavaScript errors: {console_errors[:3]}"
    finally:
        context.close()
