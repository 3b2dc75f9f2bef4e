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

import yaml

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def quickstart() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- quickstart:start -->\s*```bash\n(.*?)```", text, re.S).group(1)
    return [l for l in block.splitlines() if l.strip()]


def test_readme_quick_start_is_two_commands():
    open_cmd, test_cmd = quickstart()
    assert open_cmd.endswith("cryptocourse lab") and "pip install -e" in open_cmd
    assert test_cmd.endswith("-m pytest")
    ci = (ROOT / ".ci/run").read_text()
    assert "quickstart:start" in ci and ".venv/bin/pip install -q -e \".[test]\"" in ci


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
    assert "-e ." in pip, "environment.yml must install the repository itself"
    declared = _requirement_map(project["dependencies"])
    in_env = _requirement_map([d for d in conda if not d.startswith(("python", "pip"))] +
                              [d for d in pip if not d.startswith("-e")])
    assert in_env == declared, f"environment.yml {in_env} != pyproject {declared}"
    python = next(d for d in conda if d.startswith("python"))
    assert python.replace("python", "") == project["requires-python"]


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
    tools = {"__init__", "_validate", "cli", "doctor", "course", "glossary"}
    present = sorted(p.stem for p in (ROOT / "cryptocourse").glob("*.py") if p.stem not in tools)
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
