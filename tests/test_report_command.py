"""The ``report`` command: registered in the CLI, credentials never echoed, option errors."""

from __future__ import annotations

import socket

from click.testing import CliRunner

from efop_author.cli import cli


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_registered_and_documented():
    result = CliRunner().invoke(cli, ["report", "--help"])
    assert result.exit_code == 0
    for text in ("EFOP_LRS_ENDPOINT", "EFOP_LRS_USERNAME", "EFOP_LRS_PASSWORD", "--course", "--since",
                 "--until", "--format", "--output"):
        assert text in result.output


def test_credentials_never_echoed():
    env = {"EFOP_LRS_ENDPOINT": f"http://127.0.0.1:{_closed_port()}/xAPI/",
           "EFOP_LRS_USERNAME": "key-user", "EFOP_LRS_PASSWORD": "s3cr3t-pa55"}
    result = CliRunner().invoke(cli, ["report"], env=env)
    assert result.exit_code == 1
    assert "s3cr3t-pa55" not in result.output
    result = CliRunner().invoke(
        cli, ["report", "--endpoint", f"http://key-user:s3cr3t-pa55@127.0.0.1:{_closed_port()}/xAPI/"], env={})
    assert result.exit_code == 1
    assert "s3cr3t-pa55" not in result.output and "key-user" not in result.output


def test_option_errors():
    runner = CliRunner()
    assert runner.invoke(cli, ["report"], env={"EFOP_LRS_ENDPOINT": ""}).exit_code == 2
    bad = runner.invoke(cli, ["report", "--endpoint", "http://127.0.0.1:9/x/", "--since", "hier"])
    assert bad.exit_code == 2 and "hier" in bad.output
    bad = runner.invoke(cli, ["report", "--endpoint", "ftp://x:secret-ftp@h/"])
    assert bad.exit_code == 2 and "secret-ftp" not in bad.output
    bad = runner.invoke(cli, ["report", "--endpoint", "http://127.0.0.1:9/x/", "-u", "someone"], input="")
    assert bad.exit_code == 2
