"""``cryptocourse doctor``: check a learner's set-up and say in plain words what to fix.

Each check returns a :class:`Finding` (ok or not, what was seen, how to fix it). Used by the
command line (``cryptocourse doctor``) and by notebook 00's environment-check cell.
"""
from __future__ import annotations

import importlib.metadata as md
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

INSTALL_HINT = ("from the course's clone run: python -m pip install -e .   (installed from a wheel instead: "
                "python -m pip install --force-reinstall WHEEL)")


def required_packages() -> dict[str, str]:
    """The course's dependencies and their version ranges, read from the installed package's metadata
    (so they are the ones pyproject.toml declares, never a copy): ``{"numpy": ">=1.26", ...}``."""
    from packaging.requirements import Requirement

    try:
        declared = md.requires("cryptocourse") or []
    except md.PackageNotFoundError:
        return {}
    out = {}
    for text in declared:
        req = Requirement(text)
        if req.marker is not None and not req.marker.evaluate({"extra": ""}):
            continue  # an extra (tests, tools) or another platform's requirement
        out[req.name] = str(req.specifier)
    return out


@dataclass
class Finding:
    """One check of the learner's environment."""

    name: str
    ok: bool
    detail: str
    fix: str = ""

    def line(self) -> str:
        mark = "OK  " if self.ok else "FIX "
        text = f"[{mark}] {self.name}: {self.detail}"
        if not self.ok and self.fix:
            text += f"\n       how to fix: {self.fix}"
        return text


def _version_tuple(text: str) -> tuple:
    parts = []
    for piece in text.replace("-", ".").split("."):
        digits = "".join(ch for ch in piece if ch.isdigit())
        if not digits:
            break
        parts.append(int(digits))
    return tuple(parts)


def check_python() -> Finding:
    version = ".".join(map(str, sys.version_info[:3]))
    ok = (3, 10) <= sys.version_info[:2] <= (3, 13)
    return Finding("Python", ok, f"{version} at {sys.executable} (the course supports 3.10 to 3.13)",
                   "install Python 3.11, 3.12 or 3.13 (python.org), then create a fresh virtual environment "
                   "(3.14 is not supported yet: the smart-contract compiler has no build for it)")


def check_package(name: str, wanted: str) -> Finding:
    """Is ``name`` installed in a version ``wanted`` allows (a specifier such as ``>=1.26,<3``; a bare
    version means at least that one)?"""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        version = md.version(name)
    except md.PackageNotFoundError:
        return Finding(name, False, "not installed", INSTALL_HINT)
    text = wanted if wanted[:1] in "<>=!~" else f">={wanted}"
    try:
        spec = SpecifierSet(text)
    except InvalidSpecifier:
        raise ValueError(f"wanted must be a version or a version specifier such as '>=1.26', got {wanted!r}") from None
    ok = spec.contains(version, prereleases=True) if spec else True
    need = ", ".join(sorted((str(s) for s in spec), reverse=True)).replace(">=", ">= ").replace("==", "== ").replace("<", "< ")
    return Finding(name, ok, f"{version} (need {need or 'any version'})", f"install a matching version: {INSTALL_HINT}")


def check_widgets_extension() -> Finding:
    """The JupyterLab front-end half of ipywidgets (without it: 'Error displaying widget')."""
    try:
        version = md.version("jupyterlab_widgets")
    except md.PackageNotFoundError:
        return Finding("JupyterLab widgets extension", False, "jupyterlab_widgets is not installed",
                       'python -m pip install "ipywidgets>=8.1,<9" (it brings jupyterlab_widgets 3)')
    candidates = [Path(sys.prefix) / "share/jupyter/labextensions/@jupyter-widgets/jupyterlab-manager"]
    found = [p for p in candidates if (p / "package.json").exists()]
    if not found:
        return Finding("JupyterLab widgets extension", False,
                       f"jupyterlab_widgets {version} is installed but its front-end files are missing",
                       'reinstall it: python -m pip install --force-reinstall "jupyterlab_widgets>=3,<4"')
    front = json.loads((found[0] / "package.json").read_text()).get("version", "?")
    try:
        ipyw = md.version("ipywidgets")
    except md.PackageNotFoundError:
        ipyw = "0"
    ok = _version_tuple(version)[:1] == (3,) and _version_tuple(ipyw)[:1] == (8,)
    return Finding("JupyterLab widgets extension", ok,
                   f"front end {front} (jupyterlab_widgets {version}) with ipywidgets {ipyw}",
                   "ipywidgets 8 needs jupyterlab_widgets 3: " + INSTALL_HINT)


def check_kernel() -> Finding:
    """The notebook kernel is a Python that can import the course package."""
    try:
        from jupyter_client.kernelspec import KernelSpecManager

        spec = KernelSpecManager().get_kernel_spec("python3")
    except Exception as exc:  # no kernelspec machinery or no python3 kernel
        return Finding("notebook kernel", False, f"no 'python3' kernel found ({exc})",
                       "python -m pip install ipykernel && python -m ipykernel install --sys-prefix")
    python = spec.argv[0]
    if python in ("python", "python3"):
        python = sys.executable
    try:
        out = subprocess.run([python, "-c", "import cryptocourse, sys; print(sys.executable)"],
                             capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return Finding("notebook kernel", False, f"could not start {python}: {exc}",
                       "python -m ipykernel install --sys-prefix (from the course's environment)")
    if out.returncode != 0:
        return Finding("notebook kernel", False, f"the kernel's Python ({python}) cannot import cryptocourse",
                       f"{INSTALL_HINT}, or install a kernel for this environment: "
                       "python -m ipykernel install --sys-prefix")
    return Finding("notebook kernel", True, f"python3 kernel runs {out.stdout.strip()} and imports cryptocourse")


def check_evm() -> Finding:
    """Smart contracts need titanoboa to compile and run a Vyper contract offline."""
    code = ("import boa\nc = boa.loads('x: public(uint256)\\n@deploy\\ndef __init__():\\n    self.x = 7\\n')\n"
            "assert c.x() == 7\nprint('ok')")
    try:
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return Finding("EVM (titanoboa + vyper)", False, f"did not run: {exc}", INSTALL_HINT)
    if out.returncode != 0 or "ok" not in out.stdout:
        last = (out.stderr.strip().splitlines() or ["unknown error"])[-1]
        return Finding("EVM (titanoboa + vyper)", False, f"could not run a contract: {last}", INSTALL_HINT)
    return Finding("EVM (titanoboa + vyper)", True, "compiled and ran a Vyper contract offline")


def _folder_in_use() -> Path | None:
    """The course folder this check runs in: the current folder, or its parent (a notebook in notebooks/)."""
    from .workspace import is_course_folder

    for folder in (Path.cwd(), Path.cwd().parent):
        if is_course_folder(folder):
            return folder
    return None


def check_course_files() -> Finding:
    """The lessons are where the course runs: in this folder (a clone or a copied course folder), or
    carried by the installed package for `cryptocourse lab` to copy."""
    from .course import LESSONS
    from .workspace import course_source

    folder = _folder_in_use()
    if folder is None:
        try:
            source = course_source()
        except FileNotFoundError as exc:
            return Finding("course notebooks", False, str(exc).removeprefix("cryptocourse: "),
                           "reinstall the course (see the README's quick start)")
        folder, where = source, "carried by the installed course (`cryptocourse lab` copies them into your folder)"
    else:
        where = f"in {folder}"
    missing = [les.notebook for les in LESSONS if not (folder / les.notebook).exists()]
    if missing:
        return Finding("course notebooks", False, f"{len(missing)} of {len(LESSONS)} missing {where}, e.g. {missing[0]}",
                       "run `cryptocourse lab` in this folder to add the missing ones (your own files are kept)")
    return Finding("course notebooks", True, f"all {len(LESSONS)} lessons {where}")


def diagnose(evm: bool = True) -> list[Finding]:
    """Run every check and return the findings (nothing is changed on the machine).

    ``evm=False`` is the quick check (about a second): it skips compiling a test contract, which
    takes a few seconds alone and much longer on a busy shared hub.
    """
    if not isinstance(evm, bool):
        raise TypeError(f"evm must be True or False, got {evm!r}")
    findings = [check_python()]
    required = required_packages()
    if not required:
        findings.append(Finding("cryptocourse", False, "the course package is not installed in this Python",
                                INSTALL_HINT))
    findings += [check_package(name, wanted) for name, wanted in sorted(required.items())]
    findings += [check_widgets_extension(), check_kernel(), check_course_files()]
    if evm:
        findings.append(check_evm())
    return findings


def report(findings: list[Finding]) -> str:
    lines = [f.line() for f in findings]
    bad = [f for f in findings if not f.ok]
    lines.append("")
    lines.append("All good: you are ready for the course." if not bad else
                 f"{len(bad)} thing(s) to fix (see 'how to fix' above), then run `cryptocourse doctor` again.")
    return "\n".join(lines)
