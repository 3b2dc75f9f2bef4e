"""The set-up a newcomer relies on: the README's two commands, environment.yml, the CLI, import speed."""
import json
import os
import re
import socket
import subprocess
import sys
import time
try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib
import urllib.request
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def quickstart() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- quickstart:start -->\s*```bash\n(.*?)```", text, re.S).group(1)
    return [l for l in block.splitlines() if l.strip()]


def test_readme_quick_start_is_two_commands():
    open_cmd, test_cmd = quickstart()
    assert open_cmd.endswith(" && .venv/bin/cryptocourse lab") and "pip install -e ." in open_cmd
    assert "[test]" not in open_cmd, "a learner's install must not pull the test tools"
    assert '.venv/bin/pip install -e ".[test]"' in test_cmd and test_cmd.endswith("-m pytest")
    ci = (ROOT / ".ci/run").read_text()
    assert "quickstart:start" in ci and 'eval "$install_cmd"' in ci and 'eval "$test_cmd"' in ci


def _requirement_map(reqs):
    out = {}
    for req in reqs:
        match = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", req)
        name = match.group(1).lower().replace("-", "_")
        out[name] = match.group(2).replace(" ", "")
    return out


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    # the course itself is installed by postBuild, so the environment (which Binder caches) changes only
    # when a dependency does
    assert not any(d.startswith("-e") or d.strip() == "." for d in pip), "environment.yml must not install the repo"
    declared = _requirement_map(project["dependencies"])
    in_env = _requirement_map([d for d in conda if not d.startswith(("python", "pip"))] + pip)
    assert in_env == declared, f"environment.yml {in_env} != pyproject {declared}"
    python = next(d for d in conda if d.startswith("python"))
    pinned = re.fullmatch(r"python=(3\.\d+)", python)
    assert pinned, f"environment.yml must pin one Python minor version, got {python!r}"
    from packaging.specifiers import SpecifierSet

    supported = SpecifierSet(project["requires-python"])
    assert pinned.group(1) + ".0" in supported, f"python={pinned.group(1)} is outside {supported}"
    assert "3.14.0" not in supported and "3.10.0" in supported
    classifiers = {c.rsplit(" ", 1)[-1] for c in project["classifiers"] if c.startswith("Programming Language :: Python :: 3.")}
    assert classifiers == {"3.10", "3.11", "3.12", "3.13"}


def test_binder_post_build_installs_the_course_without_editable_mode():
    post = (ROOT / "postBuild").read_text()
    assert post.startswith("#!") and os.access(ROOT / "postBuild", os.X_OK)
    installs = [line for line in post.splitlines() if "pip install" in line and not line.lstrip().startswith("#")]
    assert installs and all(line.rstrip().endswith(" .") and " -e" not in line for line in installs)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "mybinder.org/v2/gh/" in readme and "urlpath=lab/tree/notebooks/00_start_here.ipynb" in readme


def test_the_wheel_carries_the_course_and_lab_copies_it_anywhere(tmp_path):
    """Built and installed without a clone, `cryptocourse lab` copies the course into an empty folder;
    a second run after the learner edits a notebook leaves the edit alone and adds what is missing."""
    import zipfile

    import setuptools

    if int(setuptools.__version__.split(".")[0]) < 77:
        pytest.skip(f"building the wheel needs setuptools >= 77 (the test extra has it), found {setuptools.__version__}")
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                            str(ROOT), "-w", str(tmp_path / "dist")], capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stderr
    wheel = next((tmp_path / "dist").glob("cryptocourse-*.whl"))
    from cryptocourse.workspace import course_files

    expected = course_files(ROOT)
    assert len(expected) >= 3 * 14 and "notebooks/00_start_here.ipynb" in expected
    with zipfile.ZipFile(wheel) as zf:
        carried = {n.removeprefix("cryptocourse/_course/"): zf.read(n) for n in zf.namelist()
                   if n.startswith("cryptocourse/_course/")}
    assert sorted(carried) == expected
    assert all(carried[name] == (ROOT / name).read_bytes() for name in expected)

    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(wheel)],
                   check=True, capture_output=True, timeout=300)
    env = dict(os.environ, PYTHONPATH=str(site))
    work = tmp_path / "my course"
    work.mkdir()

    def lab(*extra):
        return subprocess.run([sys.executable, "-m", "cryptocourse.cli", "lab", "--copy-only", *extra], cwd=work,
                              env=env, capture_output=True, text=True, timeout=120)

    where = subprocess.run([sys.executable, "-c", "import cryptocourse; print(cryptocourse.__file__)"], cwd=work,
                           env=env, capture_output=True, text=True, check=True).stdout
    assert where.startswith(str(site)), where
    first = lab()
    assert first.returncode == 0, first.stderr
    assert f"added {len(expected)} notebook(s)" in first.stdout
    assert course_files(work) == expected
    lesson = work / "notebooks" / "01_money_math.ipynb"
    lesson.write_text(lesson.read_text(encoding="utf-8").replace("Money math", "My notes on money math"), encoding="utf-8")
    edited = lesson.read_bytes()
    (work / "exercises" / "07_amms.ipynb").unlink()
    second = lab()
    assert second.returncode == 0, second.stderr
    assert "added 1 notebook(s)" in second.stdout and lesson.read_bytes() == edited
    assert (work / "exercises" / "07_amms.ipynb").read_bytes() == (ROOT / "exercises" / "07_amms.ipynb").read_bytes()
    # the start page's check, run from the copied lessons' folder, finds them there
    check = subprocess.run([sys.executable, "-c", "from cryptocourse.doctor import check_course_files as c; "
                            "print(c().line())"], cwd=work / "notebooks", env=env, capture_output=True, text=True)
    assert "[OK  ] course notebooks: all" in check.stdout and str(work) in check.stdout, check.stdout + check.stderr
    elsewhere = tmp_path / "elsewhere"
    third = lab("--dir", str(elsewhere))
    assert third.returncode == 0 and course_files(elsewhere) == expected, third.stderr


def test_import_is_fast_and_lazy():
    code = ("import time, sys; t = time.perf_counter(); import cryptocourse; "
            "dt = time.perf_counter() - t; "
            "print(dt, 'matplotlib' in sys.modules, 'boa' in sys.modules, 'ipywidgets' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out[1:] == ["False", "False", "False"], "import cryptocourse must not load heavy modules"
    # generous bound (the benchmark measures ~3 ms): catches an eager import of numpy/matplotlib/boa
    assert float(out[0]) < 0.25, f"import cryptocourse took {float(out[0]) * 1000:.0f} ms"
    import cryptocourse

    assert {"finance", "amm", "risk", "dashboards", "exercises", "glossary"} <= set(cryptocourse.__all__)


def test_topic_modules_do_not_import_heavy_libraries():
    from cryptocourse.course import LESSONS

    # every module of the package except the tools that legitimately load the heavy libraries
    import pkgutil

    tools = {"__init__", "__main__", "_validate", "cli", "doctor", "course", "glossary",
             "dashboards", "exercises"}
    present = sorted(m.name for m in pkgutil.iter_modules([str(ROOT / "cryptocourse")]) if m.name not in tools)
    assert {"finance", "amm", "risk", "chain"} <= set(present) and len(present) >= len(LESSONS) - 2
    code = ("import sys, importlib\n"
            f"for m in {present!r}: importlib.import_module('cryptocourse.' + m)\n"
            "print(sorted(x for x in ('matplotlib', 'boa', 'ipywidgets') if x in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_cli_help():
    for args in ([], ["lab", "--help"], ["doctor", "--help"], ["release", "--help"], ["grade", "--help"]):
        done = subprocess.run([str(BIN / "cryptocourse"), *args], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0 and "usage: cryptocourse" in done.stdout


def test_doctor_reports_a_healthy_environment():
    done = subprocess.run([str(BIN / "cryptocourse"), "doctor"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "All good" in done.stdout and "JupyterLab widgets extension" in done.stdout


def test_doctor_explains_a_missing_package(monkeypatch):
    from cryptocourse import doctor

    finding = doctor.check_package("surely-not-installed-package", "1.0")
    assert not finding.ok and "not installed" in finding.detail and "pip install" in finding.fix
    old = doctor.check_package("numpy", "999.0")
    assert not old.ok and "need >= 999.0" in old.detail


def test_release_check_passes():
    done = subprocess.run([str(BIN / "cryptocourse"), "release", "--check"], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_open_command_serves_the_start_page(tmp_path):
    """The README's first command ends in `cryptocourse lab`: start it, fetch the start page, stop it."""
    port, token = _free_port(), "cc-test-token"
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(tmp_path / "config"), JUPYTER_RUNTIME_DIR=str(tmp_path / "rt"),
               JUPYTERLAB_SETTINGS_DIR=str(tmp_path / "settings"), JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "ws"))
    proc = subprocess.Popen([str(BIN / "cryptocourse"), "lab", "--no-browser", "--port", str(port),
                             "--token", token], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    why = proc.stdout.read1().decode() if proc.poll() is not None else "timeout"
                    raise AssertionError("JupyterLab did not start: " + why) from None
                time.sleep(0.5)
        with urllib.request.urlopen(f"{base}/lab/tree/notebooks/00_start_here.ipynb?token={token}", timeout=10) as r:
            page = r.read().decode()
        assert r.status == 200 and "JupyterLab" in page
        with urllib.request.urlopen(f"{base}/api/contents/notebooks/00_start_here.ipynb?token={token}", timeout=10) as r:
            model = json.loads(r.read())
        assert model["type"] == "notebook" and "Start here" in json.dumps(model["content"])
    finally:
        os.killpg(proc.pid, 15)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
