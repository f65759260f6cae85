"""Validate stage: the ``efop-author validate`` click command (registered by ``cli.py``).

``efop-author validate PATH... [--format text|json|junit|github] [--lms moodle] [--schemas DIR]
[--strict]``: exit 0 when no package has an error (no warning either with ``--strict``), 1 when
one has, 2 on usage errors (click's own code).
"""

from __future__ import annotations

from pathlib import Path

import click

from efop_author.messages import t


@click.command("validate", help=t("validate.help"))
@click.argument("paths", nargs=-1, required=True,
                type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "junit", "github"]), default="text",
              show_default=True, help=t("validate.opt-format"))
@click.option("--lms", type=click.Choice(["moodle"]), default=None,
              help=t("validate.opt-lms"))
@click.option("--schemas", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help=t("validate.opt-schemas"))
@click.option("--strict", is_flag=True, help=t("validate.opt-strict"))
def validate_command(paths: tuple[Path, ...], fmt: str, lms: str | None, schemas: Path | None,
                     strict: bool) -> None:
    from efop_author.validate import validate_paths
    from efop_author.validate import report as rep
    from efop_author.validate.xsd import SchemaError, load_schema, schema_dir_from

    schema_dir = schema_dir_from(schemas)
    if schema_dir is not None:
        try:
            for family in ("scorm12", "scorm2004", "cmi5"):
                load_schema(family, schema_dir)
        except SchemaError as exc:
            raise click.UsageError(t("validate.bad-schemas", detail=str(exc))) from exc
    reports = validate_paths(paths, lms=lms, schemas=schema_dir)
    if fmt == "text":
        diags, summary = rep.to_text(reports, strict)
        if diags:
            click.echo(diags, err=True)
        click.echo(summary)
    elif fmt == "json":
        click.echo(rep.to_json(reports, strict))
    elif fmt == "junit":
        click.echo(rep.to_junit(reports, strict), nl=False)
    else:
        click.echo(rep.to_github(reports, strict))
    if not all(r.ok(strict) for r in reports):
        raise SystemExit(1)
