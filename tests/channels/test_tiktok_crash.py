"""A real ``sinergi worker`` is killed (SIGKILL) after TikTok received a whole video and
while it waits for the status: the restarted worker reads the status of the saved
``publish_id`` instead of uploading again, and each video is posted once."""

import json
import os
import signal
import subprocess
import threading
import time

from tests.channels.fakes import FakePlatforms
from tests.channels.test_crash import _env, _run, _wait, _worker

POSTS = 3


def test_a_worker_killed_after_the_upload_resumes_with_the_status(tmp_path):
    with FakePlatforms() as fake:
        env = _env(tmp_path, fake) | {"SINERGI_TIKTOK_API_URL": fake.base}
        log = tmp_path / "worker.log"
        hold = threading.Event()
        fake.state.hold_on_tiktok_status = hold
        _run(env, "-m", "sinergi.cli", "migrate", "--no-input", "-v", "0")
        _run(env, "-m", "tests.channels.crash_helper", "setup", str(POSTS), "tiktok")

        worker = _worker(env, log)
        try:
            assert fake.state.tiktok_status_seen.wait(60), log.read_text()[-3000:]
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait(10)
        finally:
            if worker.poll() is None:
                worker.kill()
        hold.set()
        fake.state.hold_on_tiktok_status = None
        before = json.loads(_run(env, "-m", "tests.channels.crash_helper", "report"))
        killed = [row for row in before if row["container_id"]]
        assert len(killed) == 1
        assert killed[0]["status"] == "publishing"
        assert killed[0]["publish_requested_at"] is not None  # the final chunk went
        assert sum(fake.state.publishes.values()) == 1  # TikTok has the whole video

        time.sleep(1.2)  # the dead run's lease (1 s) runs out
        _run(env, "-m", "tests.channels.crash_helper", "requeue")  # the stale-task sweeper
        worker = _worker(env, log)
        try:
            try:
                _wait(
                    lambda: all(
                        row["status"] == "published"
                        for row in json.loads(
                            _run(env, "-m", "tests.channels.crash_helper", "report")
                        )
                    ),
                    timeout=90,
                )
            except AssertionError as error:
                report = _run(env, "-m", "tests.channels.crash_helper", "report")
                raise AssertionError(f"{report}\n{log.read_text()[-3000:]}") from error
        finally:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(10)
            except subprocess.TimeoutExpired:
                worker.kill()

        rows = json.loads(_run(env, "-m", "tests.channels.crash_helper", "report"))
        assert fake.state.calls("/video/init/") == POSTS  # one upload per post, never two
        assert sorted(fake.state.publishes.values()) == [1] * POSTS
        assert {row["container_id"] for row in rows} == set(fake.state.publishes)
