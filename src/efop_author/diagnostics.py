"""Diagnostics: values (not log lines) that every stage returns, printed once by the CLI.

A diagnostic has a stable, language-neutral ``code`` (``load.unknown-key``), a severity, a
French message taken from the message catalogue (:mod:`efop_author.messages`) and a
location ``path:line``. Stages collect them in a :class:`Diagnostics` list; the CLI prints
them all, then exits 1 once if any is an error.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from efop_author.records import record


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@record
class SourceLocation:
    """Where something comes from: a file (or zip member) and a 1-based line (0 = unknown)."""

    path: str
    """Display path: relative to the project (or ``package.zip!member``)."""
    line: int = 0
    """1-based line number; 0 when unknown."""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


@record
class Diagnostic:
    """One finding: a stable code, a severity, a message and where."""

    code: str
    """Stable code ``stage.slug`` (e.g. ``load.duplicate-id``); never translated."""
    severity: Severity
    message: str
    """Human message (French by default), already formatted."""
    loc: SourceLocation | None = None

    def format(self) -> str:
        where = f"{self.loc}: " if self.loc else ""
        label = _SEVERITY_LABEL[self.severity]
        return f"{where}{label}: {self.message} [{self.code}]"

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "path": self.loc.path if self.loc else None,
            "line": self.loc.line if self.loc else None,
        }


# The severity word stays in English ("error"/"warning"), like gcc and Sphinx, so that editors
# and CI problem matchers recognise `path:line: error: message`.
_SEVERITY_LABEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "info"}


@dataclass
class Diagnostics:
    """An ordered collector of diagnostics, with warning promotion and suppression."""

    items: list[Diagnostic] = field(default_factory=list)
    suppressed: frozenset[str] = frozenset()

    def add(self, diag: Diagnostic) -> None:
        if diag.severity is not Severity.ERROR and diag.code in self.suppressed:
            return
        self.items.append(diag)

    def error(self, code: str, message: str, loc: SourceLocation | None = None) -> None:
        self.add(Diagnostic(code, Severity.ERROR, message, loc))

    def warning(self, code: str, message: str, loc: SourceLocation | None = None) -> None:
        self.add(Diagnostic(code, Severity.WARNING, message, loc))

    def extend(self, diags: Iterable[Diagnostic]) -> None:
        for d in diags:
            self.add(d)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.WARNING]

    def has_errors(self, strict: bool = False) -> bool:
        return bool(self.errors) or (strict and bool(self.warnings))

    def sorted(self) -> list[Diagnostic]:
        """Stable order: by path, then line, then code (so output never depends on timing)."""
        return sorted(
            self.items,
            key=lambda d: (d.loc.path if d.loc else "", d.loc.line if d.loc else 0, d.code),
        )


def loc_of(path: Path | str, line: int = 0, root: Path | None = None) -> SourceLocation:
    """A location whose path is shown relative to ``root`` when possible (posix separators)."""
    p = Path(path)
    if root is not None:
        try:
            p = p.resolve().relative_to(root.resolve())
        except ValueError:
            pass
    return SourceLocation(p.as_posix(), line)


class EfopError(Exception):
    """An error a user should see without a traceback (bad usage, missing project...).

    The CLI shows it as click shows its own errors (« Error: message », exit status 2). It does
    not derive from ``click.ClickException`` so that the stages do not import click: a build's
    loading process starts while the command line is still being parsed."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def format_message(self) -> str:
        return self.message
