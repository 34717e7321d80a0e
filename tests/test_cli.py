import subprocess
import sys

import pytest

from sinergi.cli import OWN_COMMANDS


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sinergi.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
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
