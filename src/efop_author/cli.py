"""Command line: a thin click adapter over the core functions (build, new, validate...).

Each command parses its options, calls exactly one core function, prints the diagnostics
and returns the exit code: 0 ok, 1 content errors, 2 usage errors. Heavy modules are imported
inside the commands so that ``--help`` stays fast.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from efop_author import COURSE_FILES, TARGET_NAMES, __version__
from efop_author.diagnostics import Diagnostics, EfopError
from efop_author.messages import t


CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class _Command(click.Command):
    """A click command whose --help option text comes from the catalogue."""

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        opt = super().get_help_option(ctx)
        if opt is not None:
            opt.help = t("cli.opt-help")
        return opt


class _ShownError(click.ClickException):
    """An :class:`EfopError`, shown by click: « Error: message », exit status 2."""

    exit_code = 2


class _Group(_Command, click.Group):
    command_class = _Command

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except EfopError as exc:
            raise _ShownError(exc.message) from None

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        """Commands defined elsewhere get the catalogue's --help text too."""
        if not isinstance(cmd, _Command):
            cmd.__class__ = type(cmd.__class__.__name__, (_Command, cmd.__class__), {})
        super().add_command(cmd, name)


def find_project(path: Path | None) -> Path:
    """The course project to work on: PATH, else ./ if it has course.yml, else ./content/,
    else the course embedded in the installed package."""

    def is_project(p: Path) -> bool:
        return any((p / n).is_file() for n in COURSE_FILES)

    if path is not None:
        if not path.exists():
            raise EfopError(t("cli.no-such-path", path=str(path)))
        return path
    cwd = Path.cwd()
    for candidate in (cwd, cwd / "content", Path(__file__).parent / "content"):
        if is_project(candidate):
            return candidate
    raise EfopError(t("cli.no-project"))


def print_diagnostics(diags: Diagnostics) -> None:
    for d in diags.sorted():
        click.echo(d.format(), err=True)


@click.group(cls=_Group, context_settings=CONTEXT_SETTINGS, help=t("cli.help"))
@click.version_option(__version__, "-V", "--version", prog_name="efop-author", message="%(prog)s %(version)s",
                      help=t("cli.opt-version"))
def cli() -> None:
    pass


@cli.command(help=t("cli.build-help"))
@click.argument("project", required=False, type=click.Path(path_type=Path, file_okay=False))
@click.option("-t", "--target", "targets", multiple=True, type=click.Choice(TARGET_NAMES), help=t("cli.opt-target"))
@click.option("-o", "--output", "out", type=click.Path(path_type=Path, file_okay=False), default=None, help=t("cli.opt-output"))
@click.option("--bundle", is_flag=True, help=t("cli.opt-bundle"))
@click.option("--strict", is_flag=True, help=t("cli.opt-strict"))
@click.option("-q", "--quiet", is_flag=True, help=t("cli.opt-quiet"))
def build(project: Path | None, targets: tuple[str, ...], out: Path | None, bundle: bool, strict: bool, quiet: bool) -> None:
    import gc

    from efop_author.entry import BATCH_GC_THRESHOLDS
    from efop_author.build import build_course

    # A build allocates millions of short-lived objects (Markdown tokens) and almost no
    # cycles: collecting every 700 allocations cost about 6 % of the CPU on 100 modules.
    # (Set already when run as a command; not when called from Python.)
    gc.set_threshold(*BATCH_GC_THRESHOLDS)
    root = find_project(project)
    show_progress = not quiet and sys.stderr.isatty()

    def progress(msg: str) -> None:
        if show_progress:
            click.echo("  " + msg, err=True)

    result = build_course(root, targets=targets, out=out, bundle=bundle, strict=strict, progress=progress)
    print_diagnostics(result.diagnostics)
    d = result.diagnostics
    if not result.ok:
        click.echo(t("cli.build-failed", errors=len(d.errors), warnings=len(d.warnings)), err=True)
        sys.exit(1)
    if not quiet:
        where = out if out is not None else Path("build")
        click.echo(t("cli.build-done", n=len(result.written), out=str(where), warnings=len(d.warnings)))
        for path in result.written:
            click.echo(f"  {path}")


@cli.command(help=t("cli.new-help"))
@click.argument("path", type=click.Path(path_type=Path, file_okay=False))
@click.option("--title", default=None, help=t("cli.opt-title"))
def new(path: Path, title: str | None) -> None:
    from efop_author.scaffold import create_project

    try:
        created = create_project(path, title=title)
    except FileExistsError:
        raise EfopError(t("cli.new-exists", path=str(path))) from None
    click.echo(t("cli.new-done", path=str(created)))


_LAZY_COMMANDS = {
    "validate": ("efop_author.validate.command", "validate_command"),
    "preview": ("efop_author.preview.command", "preview_command"),
    "report": ("efop_author.report.command", "report_command"),
}
"""Commands defined elsewhere, imported only when used (keeps start-up and --help fast)."""


def _lazy_list(self: click.Group, ctx: click.Context) -> list[str]:
    return sorted({*click.Group.list_commands(self, ctx), *_LAZY_COMMANDS})


def _lazy_get(self: click.Group, ctx: click.Context, name: str) -> click.Command | None:
    if name in _LAZY_COMMANDS and name not in self.commands:
        import importlib

        module, attr = _LAZY_COMMANDS[name]
        self.add_command(getattr(importlib.import_module(module), attr), name)
    return click.Group.get_command(self, ctx, name)


_Group.list_commands = _lazy_list  # type: ignore[method-assign]
_Group.get_command = _lazy_get  # type: ignore[method-assign]


def main() -> None:
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    try:
        cli(prog_name="efop-author")
    except SystemExit as exc:
        _leave(exc.code)
    _leave(0)


def _leave(code: object) -> None:
    """Exit with ``code`` without the interpreter's teardown when that is safe.

    After a build, tearing down the interpreter (freeing every object, then every module,
    one by one) takes about 35 ms, a tenth of building a 10-module course. Nothing needs it:
    our files are closed, temporary folders removed and workers reaped before this point.
    What others registered to run at exit (``atexit``: logging, coverage...) still runs,
    and the standard streams are flushed; with other threads alive, or without the hooks
    this needs, the normal exit is taken.
    """
    import atexit
    import threading

    run_exitfuncs = getattr(atexit, "_run_exitfuncs", None)
    if run_exitfuncs is None or threading.active_count() > 1:
        sys.exit(code)
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # sys.exit("message"): printed, status 1, as Python does
        print(code, file=sys.stderr)
        status = 1
    run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):  # closed or broken pipe: nothing more to say
            status = status or 1
    os._exit(status)
