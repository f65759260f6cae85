"""Orchestrator: load -> render -> package -> validate -> write, all or nothing.

Every package is produced and validated in memory first; only when the whole build is free
of errors (and of warnings under ``--strict``) are the packages written, each atomically.
So a failing build leaves the previous output intact.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from efop_author.diagnostics import Diagnostics
from efop_author.messages import t

SUSPEND_LIMIT = 4096
"""SCORM 1.2 CMIString4096: the most ``cmi.suspend_data`` may hold in standard mode."""

Progress = Callable[[str], None]


@dataclass
class BuildResult:
    diagnostics: Diagnostics
    written: list[Path] = field(default_factory=list)
    course_title: str = ""

    @property
    def ok(self) -> bool:
        return not self.diagnostics.errors


def build_course(
    project: Path,
    *,
    targets: Sequence[str] = (),
    out: Path | None = None,
    bundle: bool = False,
    strict: bool = False,
    validate: bool = True,
    progress: Progress | None = None,
) -> BuildResult:
    """Build ``project`` for ``targets`` (default: the course's own) into ``out``."""
    from efop_author.lint import lint_course
    from efop_author.load import load_course

    say = progress or (lambda _msg: None)
    course, diags = load_course(project)
    diags.extend(lint_course(course))
    result = BuildResult(diags)
    if course is None or diags.has_errors(strict):
        _promote(diags, strict)
        return result
    result.course_title = course.title
    out = out if out is not None else Path.cwd() / "build"

    from efop_author.package.writer import PackageError, package_bytes, write_bytes, write_dir
    from efop_author.render.site import render_site
    from efop_author.targets import get_target

    chosen = list(targets) or list(course.targets)
    outputs: list[tuple[object, bytes | None]] = []
    for name in chosen:
        try:
            target = get_target(name)
        except KeyError:
            diags.error("build.unknown-target", t("build.unknown-target", name=name), course.loc)
            continue
        site, render_diags = render_site(course, name, target.lms_adapter)
        diags.extend(render_diags)
        if name == "scorm12":
            for rm in site.modules:
                if rm.suspend_max > SUSPEND_LIMIT:
                    diags.error(
                        "runtime.suspend-overflow",
                        t("build.suspend-overflow", module=rm.module.id, size=rm.suspend_max, limit=SUSPEND_LIMIT),
                        rm.module.loc,
                    )
        if diags.errors:
            continue
        try:
            packages = target.package(course, site, bundle=bundle)
        except PackageError as exc:
            diags.error("package.error", exc.format_message(), course.loc)
            continue
        for pkg in packages:
            data = package_bytes(pkg) if pkg.kind == "zip" else None
            if validate and data is not None:
                _validate(pkg.name, data, diags)
            outputs.append((pkg, data))
            say(t("build.packaged", name=pkg.name, target=target.title))
    if diags.has_errors(strict):
        _promote(diags, strict)
        return result
    out.mkdir(parents=True, exist_ok=True)
    for pkg, data in outputs:
        if data is None:
            result.written.append(write_dir(pkg, out))  # type: ignore[arg-type]
        else:
            result.written.append(write_bytes(out / pkg.name, data))  # type: ignore[attr-defined]
            for extra_name, extra_data in pkg.extra:  # type: ignore[attr-defined]
                write_bytes(out / extra_name, extra_data)
    return result


def _validate(name: str, data: bytes, diags: Diagnostics) -> None:
    """Run the package validator on an in-memory package; its findings fail the build."""
    from efop_author.validate import validate_package

    report = validate_package(data, lms="moodle", display=name)
    diags.extend(report.diagnostics)


def _promote(diags: Diagnostics, strict: bool) -> None:
    """Under --strict, a warning fails the build: say so once."""
    if strict and diags.warnings and not diags.errors:
        diags.error("build.strict", t("build.strict", n=len(diags.warnings)))
