"""``efop-author report``: statements from an LRS -> table, CSV or HTML.

Credentials come from options or ``EFOP_LRS_ENDPOINT`` / ``EFOP_LRS_USERNAME`` /
``EFOP_LRS_PASSWORD``; they are never printed (errors name the endpoint without any
``user:password@`` part). The statements are streamed (:func:`lrs.iter_statements`) into a
:class:`~efop_author.report.summary.Summarizer`, so memory does not grow with their number.
"""

from __future__ import annotations

import sys
import urllib.parse
from datetime import date, datetime, timezone
from pathlib import Path

import click

from efop_author.messages import t
from efop_author.report.output import render_csv, render_html, render_table
from efop_author.report.summary import Summarizer, parse_time


def _instant(option: str, value: str | None, *, end: bool = False) -> str | None:
    """ISO 8601 instant (UTC, ``Z``) of a date or date-time option value."""
    if not value:
        return None
    dt = parse_time(value)
    if dt is None:
        try:
            day = date.fromisoformat(value)
        except ValueError:
            try:
                naive = datetime.fromisoformat(value)
            except ValueError:
                raise click.UsageError(t("report.bad-date", option=option, value=value)) from None
            dt = naive.astimezone(timezone.utc)
        else:
            dt = datetime(day.year, day.month, day.day, tzinfo=timezone.utc)
            if end:
                dt = dt.replace(hour=23, minute=59, second=59, microsecond=999000)
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


@click.command("report", help=t("report.help"))
@click.option("--endpoint", envvar="EFOP_LRS_ENDPOINT", show_envvar=True, metavar="URL",
              help=t("report.opt-endpoint"))
@click.option("--username", "-u", envvar="EFOP_LRS_USERNAME", show_envvar=True, help=t("report.opt-username"))
@click.option("--password", envvar="EFOP_LRS_PASSWORD", show_envvar=True, help=t("report.opt-password"))
@click.option("--course", "course", metavar="IRI", help=t("report.opt-course"))
@click.option("--since", metavar="DATE", help=t("report.opt-since"))
@click.option("--until", metavar="DATE", help=t("report.opt-until"))
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "html"]), default="table", show_default=True,
              help=t("report.opt-format"))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help=t("report.opt-output"))
@click.option("--server-filter/--no-server-filter", default=False, show_default=True,
              help=t("report.opt-server-filter"))
@click.option("--page-size", type=click.IntRange(1, 10_000), default=500, show_default=True,
              help=t("report.opt-page-size"))
def report_command(endpoint, username, password, course, since, until, fmt, output, server_filter, page_size) -> None:
    from efop_author.report.lrs import LrsConfig, LrsError, iter_statements  # noqa: PLC0415

    if not endpoint:
        raise click.UsageError(t("report.no-endpoint"))
    parts = urllib.parse.urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        from efop_author.report.lrs import strip_userinfo  # noqa: PLC0415

        raise click.UsageError(t("report.bad-endpoint", value=strip_userinfo(endpoint)))
    if username and password is None:
        if sys.stdin.isatty():
            password = click.prompt("Password", hide_input=True, err=True)
        else:
            raise click.UsageError(t("report.no-password"))
    since_i = _instant("--since", since)
    until_i = _instant("--until", until, end=True)
    config = LrsConfig(endpoint=endpoint, username=username or None, password=password)
    summarizer = Summarizer(course)
    lo = parse_time(since_i) if since_i else None
    hi = parse_time(until_i) if until_i else None
    try:
        for statement in iter_statements(config, activity=course if server_filter else None, since=since_i, until=until_i, limit=page_size):
            if lo or hi:  # in case the LRS ignored since/until
                stored = parse_time(statement.get("stored"))
                if stored is not None and ((lo and stored <= lo) or (hi and stored > hi)):
                    continue
            summarizer.add(statement)
    except LrsError as exc:
        raise click.ClickException(str(exc)) from None
    report = summarizer.report(since=since_i, until=until_i)
    text = {"table": render_table, "csv": render_csv, "html": render_html}[fmt](report)
    if output is None:
        click.echo(text, nl=False)
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(output.name + ".tmp")
    tmp.write_text(text, encoding="utf-8", newline="")
    tmp.replace(output)
    click.echo(t("report.written", path=output, n=report.statements, rows=len(report.rows)), err=True)
