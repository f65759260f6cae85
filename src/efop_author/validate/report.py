"""Validate stage: report formats for ``efop-author validate`` (text, json, junit, github).

- ``text``: ``path:line: severity: message [code]`` lines, then one summary line per package;
- ``json``: one document, described by ``docs/validate-report.schema.json``;
- ``junit``: JUnit XML, one test case per package (GitLab and Jenkins show it as test results);
- ``github``: GitHub Actions workflow commands (``::error file=…,line=…::…``), annotations on the run.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from lxml import etree

from efop_author.diagnostics import Diagnostic, Severity
from efop_author.messages import t
from efop_author.validate import PackageReport

FORMATS = ("text", "json", "junit", "github")
JSON_VERSION = 1


def summary_line(r: PackageReport) -> str:
    fmt = r.format or t("validate.unknown-format")
    if r.errors:
        return t("validate.summary-errors", path=r.path, format=fmt, errors=len(r.errors),
                 warnings=len(r.warnings))
    if r.warnings:
        return t("validate.summary-warnings", path=r.path, format=fmt, warnings=len(r.warnings))
    return t("validate.summary-ok", path=r.path, format=fmt)


def total_line(reports: Sequence[PackageReport], strict: bool) -> str:
    valid = sum(1 for r in reports if r.ok(strict))
    return t("validate.total", count=len(reports), valid=valid, invalid=len(reports) - valid)


def to_text(reports: Sequence[PackageReport], strict: bool = False) -> tuple[str, str]:
    """``(diagnostics, summary)``: the CLI prints the first to stderr, the second to stdout."""
    diags = [d.format() for r in reports for d in r.diagnostics]
    lines = [summary_line(r) for r in reports]
    if len(reports) > 1:
        lines.append(total_line(reports, strict))
    return "\n".join(diags), "\n".join(lines)


def to_json(reports: Sequence[PackageReport], strict: bool = False) -> str:
    doc = {
        "version": JSON_VERSION,
        "tool": "efop-author validate",
        "strict": strict,
        "packages": [{
            "path": r.path,
            "format": r.format,
            "valid": r.ok(strict),
            "errors": len(r.errors),
            "warnings": len(r.warnings),
            "diagnostics": [d.as_dict() for d in r.diagnostics],
        } for r in reports],
        "summary": {
            "packages": len(reports),
            "valid": sum(1 for r in reports if r.ok(strict)),
            "invalid": sum(1 for r in reports if not r.ok(strict)),
            "errors": sum(len(r.errors) for r in reports),
            "warnings": sum(len(r.warnings) for r in reports),
        },
    }
    return json.dumps(doc, ensure_ascii=False, indent=2)


def to_junit(reports: Sequence[PackageReport], strict: bool = False) -> str:
    suites = etree.Element("testsuites", name="efop-author validate")
    suite = etree.SubElement(suites, "testsuite", name="efop-author validate", tests=str(len(reports)),
                             failures=str(sum(1 for r in reports if not r.ok(strict))), errors="0",
                             skipped="0", time=f"{sum(r.seconds for r in reports):.3f}")
    for r in reports:
        case = etree.SubElement(suite, "testcase", classname=f"validate.{r.format or 'unknown'}",
                                name=r.path, time=f"{r.seconds:.3f}")
        if not r.ok(strict):
            failing = r.errors if r.errors else r.warnings
            failure = etree.SubElement(case, "failure", message=summary_line(r),
                                       type=failing[0].code if failing else "error")
            failure.text = "\n".join(d.format() for d in r.diagnostics)
        elif r.diagnostics:
            out = etree.SubElement(case, "system-out")
            out.text = "\n".join(d.format() for d in r.diagnostics)
    return etree.tostring(suites, xml_declaration=True, encoding="UTF-8", pretty_print=True).decode()


def _gh_escape(value: str, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def _gh_line(d: Diagnostic, package: str) -> str:
    level = {Severity.ERROR: "error", Severity.WARNING: "warning"}.get(d.severity, "notice")
    member = ""
    if d.loc and "!" in d.loc.path:
        member = d.loc.path.split("!", 1)[1]
    props = [f"file={_gh_escape(package, True)}"]
    if d.loc and d.loc.line and not member:
        props.append(f"line={d.loc.line}")
    props.append(f"title={_gh_escape(d.code, True)}")
    where = f"{member}:{d.loc.line}: " if member and d.loc and d.loc.line else (f"{member}: " if member else "")
    return f"::{level} {','.join(props)}::{_gh_escape(where + d.message)}"


def to_github(reports: Sequence[PackageReport], strict: bool = False) -> str:
    lines = [_gh_line(d, r.path) for r in reports for d in r.diagnostics]
    lines.extend(summary_line(r) for r in reports)
    return "\n".join(lines)
