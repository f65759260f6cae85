"""Validate stage: check any e-learning package (SCORM 1.2, SCORM 2004, xAPI/Tin Can, cmi5).

The API follows xmlschema's shape (architecture convention 8)::

    detect(pkg) -> "scorm12" | "scorm2004" | "xapi" | "cmi5" | None
    iter_errors(pkg, *, lms=None, schemas=None) -> Iterator[Diagnostic]   # errors and warnings
    validate(pkg, ...)     # raises ValidationError on the first error
    is_valid(pkg, ...) -> bool
    validate_paths(paths, ...) -> list[PackageReport]                    # many at once

``pkg`` is a zip path, zip bytes, an unpacked package folder, or a bare ``cmi5.xml``. Nothing is
extracted to disk and hostile input only ever produces diagnostics. This package never imports
:mod:`efop_author.targets`, so it judges third-party packages and our own alike.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from efop_author import COURSE_FILES
from efop_author.diagnostics import Diagnostic, EfopError, Severity, SourceLocation
from efop_author.messages import t
from efop_author.validate._ctx import Context
from efop_author.validate.source import ReadError, Source, open_source
from efop_author.validate.xsd import SchemaError, schema_dir_from, xsd_errors
from efop_author.validate.ziplevel import Inventory, check_archive

__all__ = [
    "FORMATS", "PackageReport", "SchemaError", "ValidationError", "detect", "is_valid", "iter_errors",
    "validate", "validate_paths",
]

FORMATS = ("scorm12", "scorm2004", "xapi", "cmi5")
MAX_MANIFEST_BYTES = 16 * 1024**2
PathLike = str | os.PathLike[str]
Target = bytes | PathLike


class ValidationError(EfopError):
    """Raised by :func:`validate` on the first error; ``diagnostic`` says which."""

    exit_code = 1

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.format())
        self.diagnostic = diagnostic


@dataclass
class PackageReport:
    """The outcome for one path: a package, or a course project folder (``format="course"``)."""

    path: str
    format: str | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]

    def ok(self, strict: bool = False) -> bool:
        return not self.errors and not (strict and self.warnings)


def _display(target: Target) -> str:
    return "<bytes>" if isinstance(target, (bytes, bytearray)) else Path(target).as_posix()


def _bare_xml(target: Target) -> Path | None:
    if isinstance(target, (bytes, bytearray)):
        return None
    p = Path(target)
    return p if p.is_file() and p.name.lower().endswith(".xml") else None


class _Run:
    """One package validation; ``format`` is known once the manifest has been read."""

    def __init__(self, target: Target, *, lms: str | None, schemas: PathLike | None,
                 display: str | None = None) -> None:
        self.target = target
        self.ctx = Context(display or _display(target), lms)
        self.schema_dir = schema_dir_from(schemas)
        self.format: str | None = None

    def __iter__(self) -> Iterator[Diagnostic]:
        ctx = self.ctx
        bare = _bare_xml(self.target)
        if bare is not None:
            yield from self._bare(bare)
            return
        try:
            source = open_source(self.target, ctx.display)
        except ReadError as exc:
            ctx.error("zip.unreadable", None, reason=exc.args[0] if exc.args else "")
            yield from ctx.drain()
            return
        try:
            inv = check_archive(source, ctx)
            yield from ctx.drain()
            if inv.fatal or not inv.manifests:
                return
            yield from self._manifest(source, inv)
            from efop_author.validate.security import scan_package

            scan_package(source, inv, ctx)
            yield from ctx.drain()
        finally:
            source.close()

    def _bare(self, path: Path) -> Iterator[Diagnostic]:
        """A lone XML file: ``cmi5.xml`` stands alone; other manifests use their folder."""
        name = path.name
        if name != "cmi5.xml":
            self.target = path.parent
            self.ctx.display = path.parent.as_posix()
            yield from self
            return
        self.ctx.display = path.parent.as_posix()
        try:
            data = path.read_bytes()[: MAX_MANIFEST_BYTES + 1]
        except OSError as exc:
            self.ctx.error("zip.unreadable", None, reason=str(exc))
            yield from self.ctx.drain()
            return
        yield from self._check_xml("cmi5.xml", data, None)

    def _manifest(self, source: Source, inv: Inventory) -> Iterator[Diagnostic]:
        name = inv.manifests[0]
        try:
            data = source.read(name, MAX_MANIFEST_BYTES)
        except ReadError as exc:
            reason = exc.args[0] if exc.args else ""
            if reason == "too-large":
                self.ctx.error("xml.too-large", name, size=inv.files[name].size, limit=MAX_MANIFEST_BYTES)
            else:
                self.ctx.error("zip.corrupt-entry", name, reason=reason)
            yield from self.ctx.drain()
            return
        yield from self._check_xml(name, data, inv)

    def _check_xml(self, name: str, data: bytes, inv: Inventory | None) -> Iterator[Diagnostic]:
        from efop_author.validate import xml

        ctx = self.ctx
        root = xml.parse(data, ctx, name)
        if root is None:
            self.format = {"imsmanifest.xml": None, "cmi5.xml": "cmi5", "tincan.xml": "xapi"}[name]
            yield from ctx.drain()
            return
        if name == "imsmanifest.xml":
            from efop_author.validate.cp import check_manifest, detect_manifest

            family = detect_manifest(root)
            self.format = family
            check_manifest(root, family, inv or Inventory(), ctx, data)
        elif name == "cmi5.xml":
            from efop_author.validate.cmi5 import check_cmi5

            family = self.format = "cmi5"
            check_cmi5(root, inv, ctx)
        else:
            from efop_author.validate.tincan import check_tincan

            self.format = "xapi"
            family = ""
            check_tincan(root, inv, ctx)
        yield from ctx.drain()
        if self.schema_dir is not None and family:
            for e in xsd_errors(root, family, self.schema_dir):
                ctx.error(f"{family}.xsd", name, e.line, detail=e.message)
            yield from ctx.drain()


def detect(target: Target) -> str | None:
    """The package format (``scorm12``, ``scorm2004``, ``xapi``, ``cmi5``), or None."""
    from efop_author.validate import xml

    bare = _bare_xml(target)
    if bare is not None:
        if bare.name == "cmi5.xml":
            return "cmi5"
        target = bare.parent
    try:
        source = open_source(target)
    except ReadError:
        return None
    try:
        ctx = Context(_display(target))
        inv = check_archive(source, ctx)
        if inv.fatal or not inv.manifests:
            return None
        name = inv.manifests[0]
        if name == "cmi5.xml":
            return "cmi5"
        if name == "tincan.xml":
            return "xapi"
        try:
            data = source.read(name, MAX_MANIFEST_BYTES)
        except ReadError:
            return None
        root = xml.parse(data, ctx, name)
        if root is None:
            return None
        from efop_author.validate.cp import detect_manifest

        return detect_manifest(root)
    finally:
        source.close()


def iter_errors(target: Target, *, lms: str | None = None, schemas: PathLike | None = None
                ) -> Iterator[Diagnostic]:
    """Every diagnostic (errors and warnings) for one package, in check order.

    ``lms="moodle"`` adds the Moodle-specific checks; ``schemas`` (else ``$EFOP_AUTHOR_SCHEMAS``)
    adds the official-XSD pass. Raises :class:`SchemaError` only if that folder is unusable.
    """
    return iter(_Run(target, lms=lms, schemas=schemas))


def validate(target: Target, *, lms: str | None = None, schemas: PathLike | None = None) -> None:
    """Raise :class:`ValidationError` on the first error (warnings do not raise)."""
    for d in iter_errors(target, lms=lms, schemas=schemas):
        if d.severity is Severity.ERROR:
            raise ValidationError(d)


def is_valid(target: Target, *, lms: str | None = None, schemas: PathLike | None = None,
             strict: bool = False) -> bool:
    """True when the package has no error (and, with ``strict``, no warning)."""
    for d in iter_errors(target, lms=lms, schemas=schemas):
        if d.severity is Severity.ERROR or (strict and d.severity is Severity.WARNING):
            return False
    return True


def validate_package(target: Target, *, lms: str | None = None, schemas: PathLike | None = None,
                     display: str | None = None) -> PackageReport:
    """Validate one package into a :class:`PackageReport`."""
    start = time.perf_counter()
    run = _Run(target, lms=lms, schemas=schemas, display=display)
    diags = list(run)
    return PackageReport(run.ctx.display, run.format, diags, time.perf_counter() - start)




def expand_paths(paths: Iterable[PathLike]) -> list[tuple[str, Path]]:
    """``(kind, path)`` for each thing to check: ``course``, ``package`` or ``empty`` (a folder
    with no package in it). A folder that is neither a course nor an unpacked package is
    searched for ``*.zip`` files (recursively, sorted)."""
    from efop_author.validate.ziplevel import ROOT_MANIFESTS

    out: list[tuple[str, Path]] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            if any((p / n).is_file() for n in COURSE_FILES):
                out.append(("course", p))
            elif any((p / n).is_file() for n in ROOT_MANIFESTS):
                out.append(("package", p))
            else:
                zips = sorted(z for z in p.rglob("*") if z.suffix.lower() == ".zip" and z.is_file())
                out.extend(("package", z) for z in zips)
                if not zips:
                    out.append(("empty", p))
        else:
            out.append(("package", p))
    return out


def validate_course(path: Path) -> PackageReport:
    """The loader's (and linter's) diagnostics for a course project folder, without building."""
    start = time.perf_counter()
    shown = path.as_posix()
    try:
        from efop_author.load import load_course  # written in parallel; imported lazily
    except ImportError:
        d = Diagnostic("validate.loader-unavailable", Severity.ERROR, t("validate.loader-unavailable"),
                       SourceLocation(shown))
        return PackageReport(shown, "course", [d])
    try:
        course, diags = load_course(path)
        try:
            from efop_author.lint import lint_course  # the same checks as ``build``
        except ImportError:
            pass
        else:
            diags.extend(lint_course(course))
    except EfopError as exc:
        d = Diagnostic("validate.course-error", Severity.ERROR,
                       t("validate.course-error", detail=exc.format_message()), SourceLocation(shown))
        return PackageReport(shown, "course", [d], time.perf_counter() - start)
    return PackageReport(shown, "course", list(diags), time.perf_counter() - start)


def validate_paths(paths: Iterable[PathLike], *, lms: str | None = None,
                   schemas: PathLike | None = None) -> list[PackageReport]:
    """Validate several paths: zips, unpacked folders, folders of zips, course projects."""
    reports = []
    for kind, p in expand_paths(paths):
        if kind == "course":
            reports.append(validate_course(p))
        elif kind == "empty":
            d = Diagnostic("validate.no-package", Severity.ERROR, t("validate.no-package"),
                           SourceLocation(p.as_posix()))
            reports.append(PackageReport(p.as_posix(), None, [d]))
        else:
            reports.append(validate_package(p, lms=lms, schemas=schemas))
    return reports
