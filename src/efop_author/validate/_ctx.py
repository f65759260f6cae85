"""Validate stage: the per-package reporting context (codes, severities, locations)."""

from __future__ import annotations

from dataclasses import dataclass, field

from efop_author.diagnostics import Diagnostic, Severity, SourceLocation
from efop_author.messages import t


@dataclass
class Context:
    """Collects the diagnostics of one package; ``display`` is the package as shown to users."""

    display: str
    lms: str | None = None
    items: list[Diagnostic] = field(default_factory=list)

    def loc(self, member: str | None, line: int = 0) -> SourceLocation:
        if member is None:
            return SourceLocation(self.display, line)
        return SourceLocation(f"{self.display}!{member}", line)

    def add(self, code: str, severity: Severity, member: str | None = None, line: int | None = 0,
            **kw: object) -> None:
        self.items.append(Diagnostic(code, severity, t(code, **kw), self.loc(member, line or 0)))

    def error(self, code: str, member: str | None = None, line: int | None = 0, **kw: object) -> None:
        self.add(code, Severity.ERROR, member, line, **kw)

    def warning(self, code: str, member: str | None = None, line: int | None = 0, **kw: object) -> None:
        self.add(code, Severity.WARNING, member, line, **kw)

    def moodle(self, code: str, severity: Severity, member: str | None = None, line: int | None = 0,
               **kw: object) -> None:
        """A Moodle-specific diagnostic (``moodle.*``): only reported under ``--lms moodle``."""
        if self.lms == "moodle":
            self.add(code, severity, member, line, **kw)

    @property
    def has_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.items)

    def drain(self) -> list[Diagnostic]:
        out, self.items = self.items, []
        return out
