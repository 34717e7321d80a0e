import os
import subprocess
import sys

import pytest

from sinergi.cli import OWN_COMMANDS


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sinergi.cli", *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=env,
    )


@pytest.mark.parametrize("command", OWN_COMMANDS)
def test_each_command_has_help(command):
    result = _run(command, "--help")

    assert result.returncode == 0
    assert f"usage: sinergi {command}" in result.stdout


def test_top_level_help_lists_commands_and_pass_through():
    result = _run("--help")

    assert result.returncode == 0
    for command in OWN_COMMANDS:
        assert command in result.stdout
    assert "management commands" in result.stdout


def test_other_commands_go_to_django(tmp_path):
    result = _run("--data-dir", str(tmp_path), "check")

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_data_dir_may_follow_the_command_and_seed_refuses_to_seed_twice(tmp_path):
    # The embedded default, whatever database the test run itself uses.
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SINERGI_DATA_DIR"}}
    env["DJANGO_SETTINGS_MODULE"] = "sinergi.settings"

    first = _run("seed", "--shops", "3", "--data-dir", str(tmp_path), env=env)
    second = _run("seed", "--shops", "3", "--data-dir", str(tmp_path), env=env)

    assert first.returncode == 0, first.stderr
    assert "3 shops" in first.stdout
    assert (tmp_path / "sinergi.sqlite3").exists()
    assert second.returncode == 1
    assert "already holds an ecosystem" in second.stdout
