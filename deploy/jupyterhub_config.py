"""JupyterHub on one machine for a cryptocourse workshop (README: "Workshops"; tested by tests/test_hub.py).

Set up, as root, on the machine (Linux, Python 3.10-3.13, Node 18+):

    git clone REPO cryptocourse && python3 -m venv /opt/cryptocourse && /opt/cryptocourse/bin/pip install "./cryptocourse[hub]"
    npm install -g configurable-http-proxy
    groupadd learners && useradd -m -G learners learner01 && passwd learner01   # one account per learner
    /opt/cryptocourse/bin/jupyterhub -f cryptocourse/deploy/jupyterhub_config.py

What this file sets, each overridable by an environment variable:

* log-in: PAM (the machine's accounts, in the group ``CRYPTOCOURSE_HUB_GROUP``, default ``learners``;
  with no such group, any account may log in). ``CRYPTOCOURSE_HUB_AUTH=native`` uses
  NativeAuthenticator (sign-up with instructor approval; ``pip install jupyterhub-nativeauthenticator``).
  The dummy authenticator (any password) is refused unless ``CRYPTOCOURSE_HUB_TESTING=1``;
* every learner's home is made private (mode 0700) before their server starts: homes created by
  ``useradd`` are often world-readable, and learners could read each other's answers;
* each learner's server starts in a copy of the course in ``~/cryptocourse`` (``cryptocourse lab
  --copy-only``: a learner's edited notebooks are never overwritten) and opens the start page;
* memory: ``CRYPTOCOURSE_MEM_LIMIT`` (default 3G) caps each process of a learner's server (the
  server and each kernel) with RLIMIT_AS, so one runaway notebook cannot take the machine down. A
  kernel running the heaviest lesson peaks at about 330 MiB (benchmarks/results/hub_load.json);
* idle culling: kernels idle for 30 min are shut down by the server, servers idle for
  ``CRYPTOCOURSE_IDLE_TIMEOUT`` seconds (default 3600) by jupyterhub-idle-culler;
* addresses: the hub listens on ``CRYPTOCOURSE_HUB_IP:CRYPTOCOURSE_HUB_PORT`` (default
  0.0.0.0:8000; put it behind HTTPS, e.g. a reverse proxy, for anything but a closed room), its
  internal API and the proxy's on 127.0.0.1; state (database, cookie secret) in
  ``CRYPTOCOURSE_HUB_STATE`` (default: the current folder).

nbgitpuller is the alternative to the package copy when the course should follow a git repository:
``https://HUB/hub/user-redirect/git-pull?repo=REPO_URL&branch=main&targetpath=cryptocourse&urlpath=lab/tree/cryptocourse/notebooks/00_start_here.ipynb``
(``targetpath`` names the folder: without it nbgitpuller uses the repository's name, and links
that expect ``cryptocourse/`` break).
"""
from __future__ import annotations

import grp
import os
import pwd
import resource
import sys

from jupyterhub.spawner import LocalProcessSpawner

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file

env = os.environ.get
BIN = os.path.dirname(sys.executable)          # the environment JupyterHub and the course are installed in
STATE = os.path.abspath(env("CRYPTOCOURSE_HUB_STATE", "."))
TESTING = env("CRYPTOCOURSE_HUB_TESTING") == "1"

# -- network --------------------------------------------------------------------------------
c.JupyterHub.ip = env("CRYPTOCOURSE_HUB_IP", "0.0.0.0")
c.JupyterHub.port = int(env("CRYPTOCOURSE_HUB_PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(env("CRYPTOCOURSE_HUB_API_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{env('CRYPTOCOURSE_PROXY_API_PORT', '8001')}"
if env("CRYPTOCOURSE_PROXY_COMMAND"):         # configurable-http-proxy when it is not on PATH
    c.ConfigurableHTTPProxy.command = [env("CRYPTOCOURSE_PROXY_COMMAND")]
c.JupyterHub.db_url = f"sqlite:///{os.path.join(STATE, 'jupyterhub.sqlite')}"
c.JupyterHub.cookie_secret_file = os.path.join(STATE, "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = os.path.join(STATE, "jupyterhub.pid")

# -- who logs in ------------------------------------------------------------------------------
AUTH = env("CRYPTOCOURSE_HUB_AUTH", "pam")
if AUTH == "pam":
    c.JupyterHub.authenticator_class = "pam"
    group = env("CRYPTOCOURSE_HUB_GROUP", "learners")
    try:
        grp.getgrnam(group)
        c.PAMAuthenticator.allowed_groups = {group}
    except KeyError:
        c.Authenticator.allow_all = True       # every account of this machine
    c.Authenticator.admin_users = set(filter(None, env("CRYPTOCOURSE_HUB_ADMINS", "").split(",")))
elif AUTH == "native":
    c.JupyterHub.authenticator_class = "native"
    c.Authenticator.admin_users = set(filter(None, env("CRYPTOCOURSE_HUB_ADMINS", "").split(",")))
elif AUTH == "dummy":
    if not TESTING:
        raise SystemExit("CRYPTOCOURSE_HUB_AUTH=dummy lets anyone in: it is for tests only "
                         "(set CRYPTOCOURSE_HUB_TESTING=1 to acknowledge)")
    c.JupyterHub.authenticator_class = "dummy"
    c.Authenticator.allow_all = True
else:
    raise SystemExit(f"CRYPTOCOURSE_HUB_AUTH must be pam, native or dummy (got {AUTH!r})")


# -- each learner's server ------------------------------------------------------------------------
def _bytes(text: str) -> int:
    units = {"K": 1024, "M": 1024**2, "G": 1024**3}
    text = text.strip().upper()
    return int(float(text[:-1]) * units[text[-1]]) if text and text[-1] in units else int(text)


class CourseSpawner(LocalProcessSpawner):
    """LocalProcessSpawner that also caps each process's memory (RLIMIT_AS, inherited by kernels)."""

    def make_preexec_fn(self, name):
        become_user = super().make_preexec_fn(name)
        limit = int(self.mem_limit or 0)

        def preexec():
            if limit:
                resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
            become_user()

        return preexec


def private_home(spawner) -> None:
    """Make the learner's home exist, belong to them and be closed to everyone else (mode 0700)."""
    user = pwd.getpwnam(spawner.user.name)
    os.makedirs(user.pw_dir, exist_ok=True)
    os.chown(user.pw_dir, user.pw_uid, user.pw_gid)
    os.chmod(user.pw_dir, 0o700)


c.JupyterHub.spawner_class = CourseSpawner
c.Spawner.pre_spawn_hook = private_home
c.Spawner.mem_limit = _bytes(env("CRYPTOCOURSE_MEM_LIMIT", "3G"))
c.Spawner.default_url = "/lab/tree/cryptocourse/notebooks/00_start_here.ipynb"
c.Spawner.notebook_dir = "~"
COPY_COURSE = f'"{BIN}/cryptocourse" lab --copy-only --dir "$HOME/cryptocourse" > "$HOME/.cryptocourse-copy.log" 2>&1'
c.Spawner.cmd = ["sh", "-c", f'umask 077; {COPY_COURSE}; exec "{BIN}/jupyterhub-singleuser" "$@"',
                 "jupyterhub-singleuser"]
c.Spawner.args = ["--MappingKernelManager.cull_idle_timeout=1800", "--MappingKernelManager.cull_interval=300"]
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120

# -- idle servers -------------------------------------------------------------------------------
c.JupyterHub.load_roles = [{
    "name": "idle-culler",
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    "services": ["idle-culler"],
}]
c.JupyterHub.services = [{
    "name": "idle-culler",
    "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={int(env('CRYPTOCOURSE_IDLE_TIMEOUT', '3600'))}"],
}]

if TESTING and env("CRYPTOCOURSE_HUB_TEST_TOKEN"):    # tests drive the hub through its REST API
    c.JupyterHub.services.append({"name": "course-test", "api_token": env("CRYPTOCOURSE_HUB_TEST_TOKEN")})
    c.JupyterHub.load_roles.append({"name": "course-test", "scopes": ["admin:users", "admin:servers", "tokens"],
                                    "services": ["course-test"]})
