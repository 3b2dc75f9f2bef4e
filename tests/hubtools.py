"""Drive the deploy/ JupyterHub recipe from Python: start it, add learners, run notebooks in their
kernels over the Jupyter REST and websocket APIs (used by tests/test_hub.py and benchmarks/hub_load.py)."""
from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "deploy" / "jupyterhub_config.py"
CHP_CACHE = Path(os.environ.get("CRYPTOCOURSE_CHP_DIR", Path.home() / ".cache" / "cryptocourse-chp"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def find_proxy() -> str | None:
    """configurable-http-proxy: on PATH, in the cache, or installed into the cache with npm (None if no npm)."""
    found = shutil.which("configurable-http-proxy")
    if found:
        return found
    cached = CHP_CACHE / "node_modules" / ".bin" / "configurable-http-proxy"
    if cached.exists():
        return str(cached)
    if not (shutil.which("npm") and shutil.which("node")):
        return None
    CHP_CACHE.mkdir(parents=True, exist_ok=True)
    subprocess.run(["npm", "install", "--silent", "--prefix", str(CHP_CACHE), "configurable-http-proxy@4"],
                   check=True, capture_output=True, timeout=300)
    return str(cached) if cached.exists() else None


SHARED_ENV = Path(os.environ.get("CRYPTOCOURSE_HUB_ENV", "/opt/cryptocourse-hub-test"))


def others_can_run(path: Path) -> bool:
    """True when a user who is not the owner can execute ``path`` (every parent folder searchable)."""
    path = Path(path).resolve()
    return all(p.stat().st_mode & 0o001 for p in [path, *path.parents])


def _course_fingerprint() -> str:
    import hashlib

    h = hashlib.sha256()
    for p in sorted([ROOT / "pyproject.toml", ROOT / "setup.py", *ROOT.glob("cryptocourse/**/*.py"),
                     *ROOT.glob("cryptocourse/**/*.vy"), *ROOT.glob("notebooks/*.ipynb"), *ROOT.glob("exercises/**/*.ipynb")]):
        h.update(str(p.relative_to(ROOT)).encode() + p.read_bytes())
    return h.hexdigest()


def hub_python() -> str:
    """A Python with the course and JupyterHub that the learners' accounts can run.

    This test environment's own Python when others can run it; otherwise (e.g. a pyenv Python under
    /root) a shared environment is built once from the system Python in SHARED_ENV, as an instructor
    installs the course for a hub (``pip install ".[hub]"``), and refreshed when the course changes.
    """
    if others_can_run(Path(sys.executable)) and others_can_run(ROOT / "cryptocourse" / "__init__.py"):
        return sys.executable
    python = SHARED_ENV / "bin" / "python"
    stamp = SHARED_ENV / ".course-fingerprint"
    fingerprint = _course_fingerprint()
    if not python.exists():
        system = shutil.which("python3", path="/usr/local/bin:/usr/bin:/bin")
        subprocess.run([system, "-m", "venv", str(SHARED_ENV)], check=True, capture_output=True, timeout=300)
        stamp.unlink(missing_ok=True)
    if not stamp.exists() or stamp.read_text() != fingerprint:
        pip = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
        subprocess.run(pip + [f"{ROOT}[hub]"], check=True, capture_output=True, timeout=1200)
        subprocess.run(pip + ["--no-deps", "--force-reinstall", str(ROOT)], check=True, capture_output=True,
                       timeout=600)
        stamp.write_text(fingerprint)
    return str(python)


def why_no_hub() -> str | None:
    """The reason a real hub cannot run here, or None."""
    if not sys.platform.startswith("linux"):
        return "the hub recipe is for Linux"
    if os.geteuid() != 0:
        return "spawning learners as their own system users needs root (CI runs as root)"
    if not shutil.which("useradd"):
        return "useradd is missing"
    try:
        import jupyterhub  # noqa: F401
        import jupyterhub_idle_culler  # noqa: F401
    except ImportError:
        return "jupyterhub is not installed (pip install -e '.[test]')"
    if find_proxy() is None:
        return "node/npm are missing, so configurable-http-proxy cannot be installed (apt-get install nodejs npm)"
    if not others_can_run(Path(sys.executable)) and not shutil.which("python3", path="/usr/local/bin:/usr/bin:/bin"):
        return "no Python that the learners' accounts can run (this one is private, and there is no system python3)"
    return None


class Hub:
    """A running hub from deploy/jupyterhub_config.py, on loopback, with an admin service token."""

    def __init__(self, state: Path, extra_env: dict | None = None) -> None:
        self.state = Path(state)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.token = secrets.token_hex(24)
        self.users: list[str] = []
        env = dict(os.environ, CRYPTOCOURSE_HUB_TESTING="1", CRYPTOCOURSE_HUB_AUTH="dummy",
                   CRYPTOCOURSE_HUB_IP="127.0.0.1", CRYPTOCOURSE_HUB_PORT=str(self.port),
                   CRYPTOCOURSE_HUB_API_PORT=str(free_port()), CRYPTOCOURSE_PROXY_API_PORT=str(free_port()),
                   CRYPTOCOURSE_PROXY_COMMAND=find_proxy() or "configurable-http-proxy",
                   CRYPTOCOURSE_HUB_STATE=str(self.state), CRYPTOCOURSE_HUB_TEST_TOKEN=self.token)
        env.update(extra_env or {})
        self.log = open(self.state / "hub.log", "w")
        self.python = hub_python()
        self.proc = subprocess.Popen([self.python, "-m", "jupyterhub", "-f", str(CONFIG)], cwd=self.state, env=env,
                                     stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                     start_new_session=True)
        self._wait(lambda: requests.get(f"{self.url}/hub/api", timeout=2).ok, 60, "the hub to answer")

    def _wait(self, ready, seconds: float, what: str) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the hub exited while waiting for {what}:\n{self.log_text()[-3000:]}")
            try:
                if ready():
                    return
            except requests.RequestException:
                pass
            time.sleep(0.25)
        raise TimeoutError(f"timed out waiting for {what}:\n{self.log_text()[-3000:]}")

    def log_text(self) -> str:
        self.log.flush()
        return (self.state / "hub.log").read_text(errors="replace")

    def api(self, method: str, path: str, **kw) -> requests.Response:
        r = requests.request(method, f"{self.url}/hub/api{path}", headers={"Authorization": f"token {self.token}"},
                             timeout=60, **kw)
        return r

    def add_learner(self) -> str:
        """A throwaway system account (home created by useradd, as an instructor would), known to the hub."""
        name = f"cc{uuid.uuid4().hex[:8]}"
        subprocess.run(["useradd", "-m", "-s", "/bin/sh", name], check=True, capture_output=True)
        self.users.append(name)
        self.api("POST", f"/users/{name}").raise_for_status()
        return name

    def start_server(self, name: str) -> None:
        r = self.api("POST", f"/users/{name}/server")
        if r.status_code not in (201, 202):
            raise RuntimeError(f"spawn failed: {r.status_code} {r.text}\n{self.log_text()[-3000:]}")

    def wait_ready(self, name: str, seconds: float = 120) -> None:
        self._wait(lambda: (self.api("GET", f"/users/{name}").json().get("servers", {}).get("", {}) or {}).get("ready"),
                   seconds, f"{name}'s server")

    def user_token(self, name: str) -> str:
        r = self.api("POST", f"/users/{name}/tokens", json={"note": "course test", "expires_in": 3600})
        r.raise_for_status()
        return r.json()["token"]

    def close(self) -> None:
        for name in self.users:
            try:
                self.api("DELETE", f"/users/{name}/server")
            except requests.RequestException:
                pass
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, 15)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, 9)
        for name in self.users:
            subprocess.run(["pkill", "-KILL", "-u", name], capture_output=True)
            subprocess.run(["userdel", "-r", name], capture_output=True)
        self.log.close()


@contextmanager
def running_hub(state: Path, extra_env: dict | None = None):
    hub = Hub(state, extra_env)
    try:
        yield hub
    finally:
        hub.close()


class Kernel:
    """A kernel in a learner's server, driven over the REST and websocket APIs."""

    def __init__(self, hub: Hub, name: str, token: str, path: str = "cryptocourse/notebooks") -> None:
        import websocket

        self.base = f"{hub.url}/user/{name}/api"
        self.headers = {"Authorization": f"token {token}"}
        r = requests.post(f"{self.base}/kernels", json={"name": "python3", "path": path}, headers=self.headers,
                          timeout=60)
        r.raise_for_status()
        self.id = r.json()["id"]
        ws_url = f"ws://127.0.0.1:{hub.port}/user/{name}/api/kernels/{self.id}/channels"
        self.ws = websocket.create_connection(ws_url, header=[f"Authorization: token {token}"], timeout=300)
        self.session = uuid.uuid4().hex

    def execute(self, code: str, timeout: float = 300) -> dict:
        """Run ``code``; return {"status", "stdout", "error"} once the kernel replies."""
        msg_id = uuid.uuid4().hex
        self.ws.send(json.dumps({
            "header": {"msg_id": msg_id, "username": "test", "session": self.session, "msg_type": "execute_request",
                       "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell",
            "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True}}))
        out, error, status, idle = [], None, None, False
        end = time.monotonic() + timeout
        while (status is None or not idle) and time.monotonic() < end:
            raw = self.ws.recv()
            if isinstance(raw, bytes):       # a message with binary buffers (widgets): not one we wait for
                continue
            msg = json.loads(raw)
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = msg["header"]["msg_type"]
            if kind == "stream":
                out.append(msg["content"]["text"])
            elif kind == "error":
                error = f"{msg['content']['ename']}: {msg['content']['evalue']}"
            elif kind == "execute_reply":
                status = msg["content"]["status"]
            elif kind == "status" and msg["content"]["execution_state"] == "idle":
                idle = True
        return {"status": status, "stdout": "".join(out), "error": error}

    def run_notebook(self, cells: list[str]) -> float:
        """Run every code cell in order (seconds taken); raises on the first error."""
        start = time.monotonic()
        for code in cells:
            reply = self.execute(code)
            if reply["status"] != "ok":
                raise AssertionError(f"cell failed: {reply['error']}\n{code[:300]}")
        return time.monotonic() - start

    def close(self) -> None:
        try:
            self.ws.close()
        finally:
            requests.delete(f"{self.base}/kernels/{self.id}", headers=self.headers, timeout=30)


def code_cells(notebook: dict) -> list[str]:
    cells = []
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            cells.append(src)
    return cells
