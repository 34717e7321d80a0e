"""The worker is killed (SIGKILL) mid-publish and restarted: each post is published once.

The worker runs as a real subprocess (`sinergi worker`) on its own SQLite database with the
database task backend, against the fake Graph API in this process. The fake server holds its
answer at a chosen step, which makes the moment of the kill deterministic.
"""

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.channels.fakes import FakePlatforms

ROOT = Path(__file__).resolve().parents[2]
POSTS = 3


def _env(data_dir: Path, fake: FakePlatforms) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "SINERGI_", "DATABASE_URL"))
    }
    return env | {
        "SINERGI_DATA_DIR": str(data_dir),
        "SINERGI_SECRET_KEY": "crash-test-secret",
        "SINERGI_META_GRAPH_URL": fake.graph_url,
        "SINERGI_BASE_URL": "https://toko.example.id",
        "SINERGI_TASK_STALE_AFTER": "0",
        "SINERGI_CHANNELS_LEASE": "1",
        "SINERGI_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "sinergi.settings",
    }


def _run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "sinergi.cli", "worker", "--interval", "0.1"],
        cwd=ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


def _wait(condition, timeout: float = 60) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


@pytest.mark.parametrize(
    "kill_at", ["container_created", "publish_taken_effect", "carousel_published"]
)
def test_killed_worker_restarted_publishes_each_post_exactly_once(tmp_path, kill_at):
    with FakePlatforms() as fake:
        env = _env(tmp_path, fake)
        log = tmp_path / "worker.log"
        hold = threading.Event()
        if kill_at == "container_created":
            fake.state.hold_on_status = hold  # the container exists and its id is saved
            reached = fake.state.status_seen
        else:
            fake.state.hold_after_publish = hold  # Instagram published; the answer is lost
            reached = fake.state.publish_seen
        kind = "carousel" if kill_at == "carousel_published" else "instagram"
        _run(env, "-m", "sinergi.cli", "migrate", "--no-input", "-v", "0")
        _run(env, "-m", "tests.channels.crash_helper", "setup", str(POSTS), kind)

        worker = _worker(env, log)
        try:
            assert reached.wait(60), log.read_text()[-3000:]
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait(10)
        finally:
            if worker.poll() is None:
                worker.kill()
        hold.set()
        fake.state.hold_on_status = fake.state.hold_after_publish = None
        before = json.loads(_run(env, "-m", "tests.channels.crash_helper", "report"))
        assert before[0]["status"] == "publishing"
        assert before[0]["container_id"]  # saved before the kill
        assert before[0]["platform_post_id"] == ""

        time.sleep(1.2)  # the dead run's lease (1 s) runs out
        _run(env, "-m", "tests.channels.crash_helper", "requeue")  # the stale-task sweeper
        worker = _worker(env, log)
        try:
            _wait(
                lambda: (
                    len(fake.state.media) == POSTS
                    and all(
                        row["status"] == "published"
                        for row in json.loads(
                            _run(env, "-m", "tests.channels.crash_helper", "report")
                        )
                    )
                ),
                timeout=90,
            )
        finally:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(10)
            except subprocess.TimeoutExpired:
                worker.kill()

        rows = json.loads(_run(env, "-m", "tests.channels.crash_helper", "report"))
        assert [row["status"] for row in rows] == ["published"] * POSTS
        assert sorted(fake.state.publishes.values()) == [1] * POSTS  # no container published twice
        assert sorted(row["platform_post_id"] for row in rows) == sorted(
            m["id"] for m in fake.state.media
        )
        # The saved containers (and a carousel's saved items) were reused, not re-created.
        items = 3 if kind == "carousel" else 0
        assert fake.state.calls("/media", "POST") == POSTS * (1 + items)
        if kind == "carousel":
            assert [len(m["children"]) for m in fake.state.media] == [3] * POSTS


def test_a_worker_killed_after_facebook_took_a_video_does_not_upload_it_again(tmp_path):
    """``POST /{page}/videos`` published the video, the worker died before it saved the id:
    the next run finds the video on the Page instead of uploading (publishing) it again."""
    with FakePlatforms() as fake:
        env = _env(tmp_path, fake)
        log = tmp_path / "worker.log"
        hold = threading.Event()
        fake.state.hold_after_video = hold
        _run(env, "-m", "sinergi.cli", "migrate", "--no-input", "-v", "0")
        _run(env, "-m", "tests.channels.crash_helper", "setup", str(POSTS), "facebook_video")

        worker = _worker(env, log)
        try:
            assert fake.state.video_seen.wait(60), log.read_text()[-3000:]
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait(10)
        finally:
            if worker.poll() is None:
                worker.kill()
        hold.set()
        fake.state.hold_after_video = None
        before = json.loads(_run(env, "-m", "tests.channels.crash_helper", "report"))
        assert before[0]["status"] == "publishing"
        assert before[0]["publish_requested_at"] is not None
        assert before[0]["container_id"] == ""  # the answer never arrived
        assert len(fake.state.videos) == 1  # but Facebook has the video

        time.sleep(1.2)  # the dead run's lease (1 s) runs out
        _run(env, "-m", "tests.channels.crash_helper", "requeue")
        worker = _worker(env, log)
        try:
            _wait(
                lambda: all(
                    row["status"] == "published"
                    for row in json.loads(_run(env, "-m", "tests.channels.crash_helper", "report"))
                ),
                timeout=90,
            )
        finally:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(10)
            except subprocess.TimeoutExpired:
                worker.kill()

        rows = json.loads(_run(env, "-m", "tests.channels.crash_helper", "report"))
        assert fake.state.calls("/videos", "POST") == POSTS  # one upload per post, never two
        assert len(fake.state.videos) == POSTS
        assert sorted(row["platform_post_id"] for row in rows) == sorted(
            v["post_id"] for v in fake.state.videos.values()
        )
