"""The workshop recipe, run for real: deploy/jupyterhub_config.py with configurable-http-proxy (npm)
on loopback, three learners with system accounts made by useradd, each server spawned, a lesson run
in each learner's kernel through the REST and websocket APIs, and one learner unable to read another's
files. Skipped, saying why, without root, useradd, jupyterhub or node/npm; CI has them all."""
from __future__ import annotations

import json
import os
import pwd
import stat

import pytest
import requests

from hubtools import Kernel, code_cells, running_hub, why_no_hub

REASON = why_no_hub()
pytestmark = pytest.mark.skipif(REASON is not None, reason=REASON or "")
LESSON = "cryptocourse/notebooks/01_money_math.ipynb"


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    with running_hub(tmp_path_factory.mktemp("hub")) as running:
        learners = [running.add_learner() for _ in range(3)]
        for name in learners:
            running.start_server(name)
        for name in learners:
            running.wait_ready(name)
        running.learners = learners
        running.tokens = {name: running.user_token(name) for name in learners}
        yield running


def test_each_learner_gets_the_course_and_a_private_home(hub):
    for name in hub.learners:
        home = pwd.getpwnam(name).pw_dir
        mode = stat.S_IMODE(os.stat(home).st_mode)
        assert mode == 0o700, f"{home} is {oct(mode)}"
        r = requests.get(f"{hub.url}/user/{name}/api/contents/{LESSON}", timeout=30,
                         headers={"Authorization": f"token {hub.tokens[name]}"})
        assert r.ok, r.text
        assert os.stat(os.path.join(home, "cryptocourse")).st_uid == pwd.getpwnam(name).pw_uid


def test_a_lesson_runs_in_every_learners_kernel(hub):
    for name in hub.learners:
        r = requests.get(f"{hub.url}/user/{name}/api/contents/{LESSON}", timeout=30,
                         headers={"Authorization": f"token {hub.tokens[name]}"})
        kernel = Kernel(hub, name, hub.tokens[name])
        try:
            seconds = kernel.run_notebook(code_cells(r.json()["content"]))
            whoami = kernel.execute("import getpass, resource; print(getpass.getuser(), "
                                    "resource.getrlimit(resource.RLIMIT_AS)[0])")
        finally:
            kernel.close()
        user, limit = whoami["stdout"].split()
        assert user == name and int(limit) == 3 * 1024**3, whoami
        assert seconds < 120


def test_one_learner_cannot_read_anothers_answers(hub):
    alice, bob = hub.learners[:2]
    bob_home = pwd.getpwnam(bob).pw_dir
    kernel = Kernel(hub, alice, hub.tokens[alice])
    try:
        probe = kernel.execute(
            "import os\n"
            "for path in [" + json.dumps(bob_home) + ", " + json.dumps(os.path.join(bob_home, LESSON)) + "]:\n"
            "    try:\n"
            "        open(path).read() if path.endswith('.ipynb') else os.listdir(path)\n"
            "        print('READ', path)\n"
            "    except PermissionError:\n"
            "        print('DENIED', path)\n")
    finally:
        kernel.close()
    assert probe["stdout"].split().count("DENIED") == 2, probe
    # and the hub will not hand alice's token bob's server
    r = requests.get(f"{hub.url}/user/{bob}/api/contents/{LESSON}", timeout=30,
                     headers={"Authorization": f"token {hub.tokens[alice]}"}, allow_redirects=False)
    assert r.status_code in (302, 403, 404)


def test_the_dummy_authenticator_is_refused_outside_tests(tmp_path):
    import subprocess
    import sys

    from hubtools import CONFIG

    env = dict(os.environ, CRYPTOCOURSE_HUB_AUTH="dummy", CRYPTOCOURSE_HUB_STATE=str(tmp_path))
    env.pop("CRYPTOCOURSE_HUB_TESTING", None)
    load = ("from traitlets.config import Config\n"
            f"exec(open({str(CONFIG)!r}).read(), {{'get_config': Config}})")
    probe = subprocess.run([sys.executable, "-c", load], env=env, capture_output=True, text=True, timeout=60)
    assert probe.returncode != 0 and "for tests only" in probe.stderr, probe.stderr
