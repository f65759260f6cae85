"""``efop-author preview [PROJECT] [--port N] [--no-open]`` (registered by :mod:`efop_author.cli`)."""

from __future__ import annotations

import errno
import sys
import webbrowser
from pathlib import Path

import click

from efop_author.cli import _Command
from efop_author.diagnostics import EfopError
from efop_author.messages import t

DEFAULT_PORT = 8000
PORT_TRIES = 20


@click.command(cls=_Command, help=t("preview.help"))
@click.argument("project", required=False, type=click.Path(path_type=Path, file_okay=False))
@click.option("-p", "--port", type=click.IntRange(0, 65535), default=None, help=t("preview.opt-port"))
@click.option("--no-open", "no_open", is_flag=True, help=t("preview.opt-no-open"))
def preview_command(project: Path | None, port: int | None, no_open: bool) -> None:
    import gc

    from efop_author import entry
    from efop_author.cli import find_project
    from efop_author.preview.server import PreviewServer

    if entry.usual_gc_thresholds is not None:  # a server that keeps running: the usual ones
        gc.set_threshold(*entry.usual_gc_thresholds)
    root = find_project(project)

    def echo(line: str) -> None:
        click.echo(line, err=True)

    server = None
    ports = [port] if port is not None else list(range(DEFAULT_PORT, DEFAULT_PORT + PORT_TRIES))
    for candidate in ports:
        try:
            server = PreviewServer(root, candidate, echo=echo)
            break
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise
            if port is not None:
                raise EfopError(t("preview.port-busy", port=port)) from None
    if server is None:
        raise EfopError(t("preview.no-port", first=ports[0], last=ports[-1]))
    snap = server.builder.snapshot
    title = snap.course.title if snap.course is not None else root.name
    click.echo(t("preview.serving", title=title, url=server.url))
    click.echo(t("preview.loopback"))
    sys.stdout.flush()
    if not no_open:
        webbrowser.open(server.url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo(t("preview.stopped"), err=True)
