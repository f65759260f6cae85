"""Orchestrator: load -> render -> package -> validate -> write, all or nothing.

Every package is produced and validated in memory first; only when the whole build is free
of errors (and of warnings under ``--strict``) are the packages written, each atomically.
So a failing build leaves the previous output intact.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from efop_author.diagnostics import Diagnostic, Diagnostics, Severity
from efop_author.messages import t
from efop_author.records import record

if TYPE_CHECKING:
    from efop_author.model import Course
    from efop_author.parallel import Helper
    from efop_author.targets.base import Package

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
    jobs: int | None = None,
) -> BuildResult:
    """Build ``project`` for ``targets`` (default: the course's own) into ``out``.

    ``jobs``: worker processes for per-module work (default: the usable cores; 1 = serial).

    With several processes, work that only this process can do overlaps the workers':
    while they render the modules' Markdown, it imports the later stages; while they make
    the first target's per-module packages, it runs the lints on the whole course (packages
    are only staged until then: lint errors still mean nothing is written). After
    :func:`start_early` (the ``build`` command), all this happens in the process it started,
    and this one only relays the progress and returns the result."""
    from efop_author.parallel import can_fork, default_jobs, tell
    from efop_author.render.session import render_session

    global _early
    jobs = default_jobs() if jobs is None else jobs
    helper, _early = _early, None
    if helper is not None:
        with helper, _stop_on_termination():
            if jobs > 1 and can_fork():
                return helper.call(build_course, project, targets=tuple(targets), out=out, bundle=bundle,
                                   strict=strict, validate=validate, progress=tell, jobs=jobs,
                                   on_message=progress)
    with render_session():  # theme, templates and shared files: once per build
        return _build(project, targets=targets, out=out, bundle=bundle, strict=strict, validate=validate,
                      progress=progress, jobs=jobs)


_early: Helper | None = None
"""The process started by :func:`start_early` for the next :func:`build_course`."""


def start_early() -> None:
    """Fork the process that will run the next :func:`build_course` of this process, and
    have it import the build and loading code now.

    The ``efop-author build`` command calls this before it imports click to parse its
    command line (about 20 ms): that parsing and these imports (about 45 ms) then run on two
    cores instead of one after the other. The build itself runs in that process (it forks its
    own workers), which sends back the progress messages and the result; nothing else
    changes."""
    from efop_author.parallel import Helper

    global _early
    try:
        _early = Helper(_import_build_stack)
    except OSError:  # no process to spare: the build runs here, as when called from Python
        _early = None


@contextmanager
def _stop_on_termination() -> Iterator[None]:
    """While the early process builds, ``SIGTERM`` or ``SIGHUP`` here (a CI time-out, a closed
    terminal) stops it too, cleanly (its staging folder removed), instead of letting it finish
    alone: they raise ``SystemExit`` here, and leaving the helper's ``with`` block stops it."""
    import signal

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    kept = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for sig, handler in kept.items():
            signal.signal(sig, handler)


def _import_build_stack() -> None:
    import efop_author.load  # noqa: F401 - the loader, Markdown and YAML parsers, the model
    import efop_author.render.session  # noqa: F401


def _build(project: Path, *, targets: Sequence[str], out: Path | None, bundle: bool, strict: bool,
           validate: bool, progress: Progress | None, jobs: int) -> BuildResult:
    from efop_author.load import load_course

    say = progress or (lambda _msg: None)
    course, diags = load_course(project, jobs=jobs, meanwhile=partial(_prepare_later_stages, targets))
    result = BuildResult(diags)
    names = list(targets) or list(course.targets if course is not None else ())
    # The lints run alongside the workers making the first target's packages, or first.
    overlap = (course is not None and not diags.has_errors(strict) and bool(names)
               and _in_workers(course, names[0], bundle, jobs))
    if not overlap:
        diags.extend(_lint(course))
    if course is None or diags.has_errors(strict):
        _promote(diags, strict)
        return result
    result.course_title = course.title
    out = out if out is not None else Path.cwd() / "build"

    from efop_author.package.writer import write_dir
    from efop_author.targets import get_target

    # Zips are written by whoever makes them (workers included) into a staging folder next to
    # the output, then moved into place only when the whole build succeeded.
    created = not out.exists()
    out.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=".efop-build-", dir=out))
    try:
        outputs: list[_Output] = []
        for index, name in enumerate(names):
            try:
                target = get_target(name)
            except KeyError:
                diags.error("build.unknown-target", t("build.unknown-target", name=name), course.loc)
                continue
            lint_found: list[Diagnostic] = []
            with_lint = overlap and index == 0
            made, found = _produce_all(course, name, bundle=bundle, validate=validate, jobs=jobs, stage=stage,
                                       meanwhile=partial(_lint_into, lint_found, course) if with_lint else None)
            if with_lint:
                diags.extend(lint_found)
                if diags.has_errors(strict):  # as if the lints had run first: nothing produced
                    _promote(diags, strict)
                    return result
            for d in dict.fromkeys(found):  # chunks repeat course-level findings (theme...): once each
                diags.add(d)
            for o in made:
                say(t("build.packaged", name=o.name, target=target.title))
            outputs.extend(made)
        if diags.has_errors(strict):
            _promote(diags, strict)
            return result
        for o in outputs:
            if o.package is not None:
                result.written.append(write_dir(o.package, out))
                continue
            for side in (*o.extra, o.name):
                os.replace(stage / side, out / side)
            result.written.append(out / o.name)
        return result
    finally:
        shutil.rmtree(stage, ignore_errors=True)
        if created and not any(out.iterdir()):
            out.rmdir()


@record
class _Output:
    """A package made and validated: staged zip, or the package itself for folder targets."""

    name: str
    """File name of the zip, written in the staging folder."""
    extra: tuple[str, ...] = ()
    """Side files written next to it in the staging folder (the Moodle import sheet)."""
    package: Package | None = None
    """Folder targets (web): the package itself, written at the end."""


def _prepare_later_stages(targets: Sequence[str], root: Path, settings: Mapping[str, Any]) -> None:
    """Run while the workers load the modules, so that the workers of the next stages
    inherit it: import what rendering, packaging, validation and the lints need, and
    prepare the theme for the first target."""
    from efop_author.render.site import prepare
    from efop_author.targets import TARGETS

    _import_later_stages()
    names = list(targets) or [str(x) for x in settings.get("targets") or ["scorm12"]]
    if names and names[0] in TARGETS:
        prepare(root, str(settings.get("theme") or "default"), dict(settings.get("theme_options") or {}),
                TARGETS[names[0]].lms_adapter)


def _import_later_stages() -> None:
    """Import what rendering, packaging, validation and the lints need."""
    import encodings.cp437  # noqa: F401 - zipfile, reading back entry names

    import efop_author.lint.a11y
    import efop_author.lint.french
    import efop_author.package.writer
    import efop_author.render.moodle_sheet
    import efop_author.render.site
    import efop_author.targets
    import efop_author.validate
    import efop_author.validate.cp
    import efop_author.validate.security
    import efop_author.validate.xml  # noqa: F401


def _lint(course: Course | None) -> list[Diagnostic]:
    from efop_author.lint import lint_course

    return lint_course(course)


def _lint_into(found: list[Diagnostic], course: Course) -> None:
    found.extend(_lint(course))


def _in_workers(course: Course, name: str, bundle: bool, jobs: int) -> bool:
    """Whether the packages of target ``name`` are made by several processes: one zip per
    module, enough modules, and forking allowed."""
    from efop_author import TARGET_NAMES
    from efop_author.parallel import MIN_ITEMS, can_fork

    return (name in TARGET_NAMES and name != "web" and not bundle and jobs > 1
            and len(course.modules) >= MIN_ITEMS and can_fork())


def _produce_all(
    course: Course, name: str, *, bundle: bool, validate: bool, jobs: int, stage: Path,
    meanwhile: Callable[[], None] | None = None,
) -> tuple[list[_Output], list[Diagnostic]]:
    """Render, package and validate ``course`` for one target. Per-module zip packages are
    independent: with several modules they are made in parallel, one module per work item,
    while this process runs ``meanwhile``."""
    from efop_author.parallel import pmap
    from efop_author.render.site import prepare
    from efop_author.targets import get_target

    modules = course.modules
    if not _in_workers(course, name, bundle, jobs):
        if meanwhile is not None:
            meanwhile()
        return _produce(course, name, bundle=bundle, validate=validate, stage=stage)
    # Usually done already, while the modules were loaded; once, before the workers fork.
    prepare(course.root, course.theme, course.options, get_target(name).lms_adapter)

    def one(index: int) -> tuple[list[_Output], list[Diagnostic]]:
        part = replace(course, modules=modules[index : index + 1])
        return _produce(part, name, bundle=False, validate=validate, stage=stage)

    made: list[_Output] = []
    found: list[Diagnostic] = []
    for outs, diags in pmap(one, len(modules), jobs, meanwhile=meanwhile):
        made.extend(outs)
        found.extend(diags)
    return made, found


def _produce(
    course: Course, name: str, *, bundle: bool, validate: bool, stage: Path
) -> tuple[list[_Output], list[Diagnostic]]:
    from efop_author.package.writer import PackageError, package_bytes, write_bytes
    from efop_author.render.site import render_site
    from efop_author.targets import get_target

    target = get_target(name)
    site, render_diags = render_site(course, name, target.lms_adapter, home=bundle or name == "web")
    found = list(render_diags)
    if name == "scorm12":
        for rm in site.modules:
            if rm.suspend_max > SUSPEND_LIMIT:
                found.append(Diagnostic(
                    "runtime.suspend-overflow", Severity.ERROR,
                    t("build.suspend-overflow", module=rm.module.id, size=rm.suspend_max, limit=SUSPEND_LIMIT),
                    rm.module.loc,
                ))
    if any(d.severity is Severity.ERROR for d in found):
        return [], found
    try:
        packages = target.package(course, site, bundle=bundle)
    except PackageError as exc:
        return [], [*found, Diagnostic("package.error", Severity.ERROR, exc.format_message(), course.loc)]
    made = []
    for pkg in packages:
        if pkg.kind != "zip":
            made.append(_Output(pkg.name, package=pkg))
            continue
        data = package_bytes(pkg)
        if validate:
            from efop_author.validate import validate_package

            found.extend(validate_package(data, lms="moodle", display=pkg.name).diagnostics)
        if any(d.severity is Severity.ERROR for d in found):
            continue  # nothing will be written: spare the disk
        write_bytes(stage / pkg.name, data)
        for side, side_data in pkg.extra:
            write_bytes(stage / side, side_data)
        made.append(_Output(pkg.name, tuple(side for side, _ in pkg.extra)))
    return made, found


def _promote(diags: Diagnostics, strict: bool) -> None:
    """Under --strict, a warning fails the build: say so once."""
    if strict and diags.warnings and not diags.errors:
        diags.error("build.strict", t("build.strict", n=len(diags.warnings)))
