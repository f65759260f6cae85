"""CLI: contract tests (the core function gets the right arguments) and end-to-end builds."""

from __future__ import annotations

import os
import pty
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from unittest import mock

import pytest
from click.testing import CliRunner

from efop_author import __version__
from efop_author.build import BuildResult
from efop_author.cli import TARGET_NAMES, cli
from efop_author.entry import BATCH_GC_THRESHOLDS
from efop_author.diagnostics import Diagnostics

ROOTS = Path(__file__).parent / "roots"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def course(tmp_path: Path) -> Path:
    dest = tmp_path / "course"
    shutil.copytree(ROOTS / "minimal", dest)
    return dest


def test_target_choices_match_registry() -> None:
    from efop_author.targets import TARGETS

    assert tuple(sorted(TARGETS)) == TARGET_NAMES


def test_version_and_help(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output
    for args in ([], ["build"], ["new"], ["validate"]):
        result = runner.invoke(cli, [*args, "--help"])
        assert result.exit_code == 0, (args, result.output)
        assert "Affiche cette aide" in result.output


def test_build_passes_options_to_core(runner: CliRunner, course: Path, tmp_path: Path) -> None:
    with mock.patch("efop_author.build.build_course", autospec=True, return_value=BuildResult(Diagnostics())) as core:
        result = runner.invoke(cli, ["build", str(course), "-t", "scorm12", "-t", "xapi", "-o", str(tmp_path / "o"), "--bundle", "--strict", "-q"])
    assert result.exit_code == 0, result.output
    args, kwargs = core.call_args
    assert args == (course,)
    assert kwargs["targets"] == ("scorm12", "xapi")
    assert kwargs["out"] == tmp_path / "o"
    assert kwargs["bundle"] is True and kwargs["strict"] is True


def test_build_defaults_to_content_folder(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "course.yml").write_text("id: x\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with mock.patch("efop_author.build.build_course", autospec=True, return_value=BuildResult(Diagnostics())) as core:
        result = runner.invoke(cli, ["build"])
    assert result.exit_code == 0, result.output
    assert core.call_args.args == (tmp_path / "content",)


def test_usage_errors_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    assert runner.invoke(cli, ["build", "-t", "scorm13", str(tmp_path)]).exit_code == 2
    assert runner.invoke(cli, ["build", str(tmp_path / "absent")]).exit_code == 2
    assert runner.invoke(cli, ["nope"]).exit_code == 2


def test_build_end_to_end(runner: CliRunner, course: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(cli, ["build", str(course), "-t", "scorm12", "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    zips = sorted(p.name for p in out.glob("*.zip"))
    assert zips == ["demo-intro-scorm12.zip"]
    with zipfile.ZipFile(out / zips[0]) as zf:
        assert "imsmanifest.xml" in zf.namelist()
        assert "intro/index.html" in zf.namelist()
        assert "intro/assets/chart.svg" in zf.namelist()


def test_content_error_exit_1_and_nothing_written(runner: CliRunner, course: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    ok = runner.invoke(cli, ["build", str(course), "-t", "scorm12", "-o", str(out)])
    assert ok.exit_code == 0, ok.stderr
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    page = course / "modules/01-intro/02-contenu.md"
    page.write_text(page.read_text(encoding="utf-8").replace("id: contenu", "id: accueil"), encoding="utf-8")
    bad = runner.invoke(cli, ["build", str(course), "-t", "scorm12", "-o", str(out)])
    assert bad.exit_code == 1
    assert "modules/01-intro/02-contenu.md:2: error:" in bad.stderr and "[load.duplicate-id]" in bad.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_strict_fails_on_warning(runner: CliRunner, course: Path, tmp_path: Path) -> None:
    page = course / "modules/01-intro/02-contenu.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n# Titre de niveau 1\n", encoding="utf-8")
    out = tmp_path / "out"
    assert runner.invoke(cli, ["build", str(course), "-t", "scorm12", "-o", str(out)]).exit_code == 0
    result = runner.invoke(cli, ["build", str(course), "-t", "scorm12", "-o", str(tmp_path / "o2"), "--strict"])
    assert result.exit_code == 1 and "[load.h1-in-body]" in result.stderr
    assert not (tmp_path / "o2").exists() or not any((tmp_path / "o2").iterdir())


def test_new_then_build(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "nouveau"
    assert runner.invoke(cli, ["new", str(target), "--title", "Cours « test » & co"]).exit_code == 0
    assert runner.invoke(cli, ["new", str(target)]).exit_code == 2  # not empty
    result = runner.invoke(cli, ["build", str(target), "-o", str(tmp_path / "o"), "--strict"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr


def test_english_locale(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["build", str(tmp_path)], env={**os.environ, "EFOP_AUTHOR_LANG": "en"})
    assert result.exit_code == 1
    assert "no course.yml" in result.stderr and "[load.missing-file]" in result.stderr


@pytest.mark.parametrize(
    ("args", "status", "stream", "text"),
    [
        (["--version"], 0, "stdout", f"efop-author {__version__}"),
        (["build", "{course}", "-t", "scorm12", "-o", "{out}"], 0, "stdout", "scorm12.zip"),
        (["build", "{bad}", "-t", "scorm12", "-o", "{out}"], 1, "stderr", "[load.duplicate-id]"),
        (["build", "--pas-une-option"], 2, "stderr", "--pas-une-option"),
    ],
)
def test_entry_point_exit_status_output_and_atexit(
    course: Path, tmp_path: Path, args: list[str], status: int, stream: str, text: str
) -> None:
    """The console script leaves without the interpreter's teardown: the status, every line
    written and the exit hooks others registered (logging, coverage...) must survive it.
    It raises the garbage collector's thresholds before importing anything of its own."""
    bad = tmp_path / "bad"
    shutil.copytree(course, bad)
    page = bad / "modules/01-intro/02-contenu.md"
    page.write_text(page.read_text(encoding="utf-8").replace("id: contenu", "id: accueil"), encoding="utf-8")
    argv = [a.format(course=course, bad=bad, out=tmp_path / "out") for a in args]
    hook = tmp_path / "atexit.txt"
    code = (
        "import atexit, gc, sys\n"
        f"atexit.register(lambda: open({str(hook)!r}, 'w').write(f'ran {{gc.get_threshold()}}'))\n"
        f"sys.argv = ['efop-author', *{argv!r}]\n"
        "from efop_author.entry import main\n"
        "assert 'click' not in sys.modules and 'efop_author.cli' not in sys.modules\n"
        "main()\n"
    )
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1] / "src"))
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == status, proc.stderr
    assert text in getattr(proc, stream)
    assert hook.read_text(encoding="utf-8") == f"ran {BATCH_GC_THRESHOLDS}"


def _leftovers(marker: str) -> list[str]:
    """Processes whose command line mentions ``marker``."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and marker in (proc / "cmdline").read_bytes().decode(errors="replace"):
                found.append(proc.name)
        except OSError:
            pass
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to look for processes left behind")
def test_build_command_starts_its_process_early_with_the_same_result(tmp_path: Path) -> None:
    """``efop-author build`` forks the process that builds before it parses its command line
    (click's import then overlaps the build's): same packages, messages and exit status as a
    one-process build, progress included, and no process left behind."""
    course = tmp_path / "course"
    shutil.copytree(Path(__file__).resolve().parents[1] / "content", course)
    page = next((course / "modules").glob("03-*/02-*.md"))
    page.write_text(page.read_text(encoding="utf-8") + "\n# Un titre de niveau 1 : à corriger\n", encoding="utf-8")
    report = tmp_path / "forks.txt"
    code = (
        "import atexit, sys\n"
        "from efop_author import parallel\n"
        f"atexit.register(lambda: open({str(report)!r}, 'a').write(f'{{parallel.forks}}\\n'))\n"
        "from efop_author.entry import main\n"
        "main()\n"
    )
    runs = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"out-{jobs}"
        env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1] / "src"), EFOP_AUTHOR_JOBS=jobs)
        proc = subprocess.run([sys.executable, "-c", code, "build", str(course), "-t", "scorm12", "-t", "xapi",
                               "-o", str(out)], env=env, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr
        runs[jobs] = (proc.stdout.replace(str(out), "OUT"), proc.stderr,
                      {p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert runs["1"] == runs["2"]
    assert "[load.h1-in-body]" in runs["2"][1] and len(runs["2"][2]) == 18
    # One process started by the command itself with 2 jobs: the early one (which forks the
    # workers); none with 1 job.
    assert report.read_text(encoding="utf-8").split() == ["0", "1"]
    # Progress (shown when stderr is a terminal) comes from the early process as it goes.
    shown = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"tty-{jobs}"
        env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1] / "src"), EFOP_AUTHOR_JOBS=jobs)
        master, slave = pty.openpty()
        proc = subprocess.Popen([sys.executable, "-c", code, "build", str(course), "-t", "scorm12", "-o", str(out)],
                                env=env, stdout=subprocess.DEVNULL, stderr=slave)
        os.close(slave)
        chunks = []
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the terminal's other end is closed: the process has ended
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(master)
        assert proc.wait(timeout=300) == 0
        shown[jobs] = [line for line in b"".join(chunks).decode().replace("\r\n", "\n").splitlines()
                       if "scorm12.zip" in line]
    assert shown["1"] == shown["2"] and len(shown["2"]) == 6, shown
    # A usage error after the early start: click's message and status; the early process ends.
    marker = str(tmp_path / "unique-output")
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1] / "src"), EFOP_AUTHOR_JOBS="2")
    proc = subprocess.run([sys.executable, "-c", code, "build", "--pas-une-option", "-o", marker], env=env,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "--pas-une-option" in proc.stderr
    for _ in range(50):
        if not _leftovers(marker):
            break
        time.sleep(0.1)
    assert _leftovers(marker) == []


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to look for processes left behind")
def test_build_command_terminated_stops_its_early_process(tmp_path: Path) -> None:
    """SIGTERM to ``efop-author build`` (a CI time-out) while its early process is making the
    packages: both stop, the staging folder is removed, nothing is written."""
    repo = Path(__file__).resolve().parents[1]
    course = tmp_path / "course"
    subprocess.run([sys.executable, str(repo / "benchmarks" / "make_corpus.py"), str(course), "--modules", "40",
                    "--pages", "4", "--seed", "3"], check=True, capture_output=True, timeout=120)
    out = tmp_path / "sortie"
    out.mkdir()
    env = dict(os.environ, PYTHONPATH=str(repo / "src"), EFOP_AUTHOR_JOBS="2")
    proc = subprocess.Popen([sys.executable, "-m", "efop_author", "build", str(course), "-t", "scorm12", "-o", str(out)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not any(p.name.startswith(".efop-build-") for p in out.iterdir()):  # packages being made
        assert proc.poll() is None and time.monotonic() < deadline, "the build ended before it could be stopped"
        time.sleep(0.002)
    proc.terminate()
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 128 + 15, err
    for _ in range(50):
        if not _leftovers(str(out)):
            break
        time.sleep(0.1)
    assert _leftovers(str(out)) == []
    assert list(out.iterdir()) == []
