"""How big a learner's environment is, against the environment that also runs the tests.

    python benchmarks/env_size.py            # both installs, about 2-4 minutes with a warm pip cache

Creates two fresh virtual environments in a temporary folder: the learner's (`pip install .`, what a
workshop machine or hub image needs) and the maintainer's (`pip install ".[test]"`, adding pytest,
nbval, playwright, ruff...). Reports each one's size on disk and install time, and writes
benchmarks/results/env_size.json. A figure, never an assertion.
"""
from __future__ import annotations

import json
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _size_mib(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink()) / 2**20


def measure(spec: str, where: Path) -> dict:
    env = where / "venv"
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "venv", str(env)], check=True)
    subprocess.run([str(env / "bin" / "pip"), "install", "-q", "--disable-pip-version-check", spec], check=True,
                   cwd=ROOT)
    seconds = time.perf_counter() - start
    return {"install": f"pip install {spec}", "size_mib": round(_size_mib(env), 1), "install_s": round(seconds, 1)}


def main() -> int:
    results = {}
    for name, spec in (("learner", "."), ("tests", ".[test]")):
        with tempfile.TemporaryDirectory(prefix=f"envsize-{name}-") as tmp:
            results[name] = measure(spec, Path(tmp))
        print(f"{name:8s} {results[name]['install']:28s} {results[name]['size_mib']:8.1f} MiB "
              f"{results[name]['install_s']:6.1f} s")
    out = {"machine": {"python": platform.python_version(), "platform": platform.platform()}, **results}
    target = ROOT / "benchmarks" / "results" / "env_size.json"
    tmp = target.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    tmp.replace(target)
    print(f"wrote {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
