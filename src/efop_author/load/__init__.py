"""Load stage: a course project folder -> (model.Course, Diagnostics). Reads only.

Two passes: the first reads every YAML file and front matter (ids, titles, page files), so
that the second can check links between pages and modules while rendering Markdown.
All problems are collected; the caller decides (errors -> exit 1).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from efop_author import COURSE_FILES
from efop_author.diagnostics import Diagnostic, Diagnostics, SourceLocation
from efop_author.load.markdown import ModuleContext, render_markdown
from efop_author.load.quiz import parse_quiz
from efop_author.load.schema import Field, check_id, check_mapping, check_nonempty, check_score, line_of
from efop_author.load.source import RealPaths, split_front_matter
from efop_author.load.yaml_marks import LMap, YamlError, load_yaml
from efop_author.messages import t
from efop_author.parallel import pmap
from efop_author.model import (
    PAGE_KINDS,
    Accessibility,
    Course,
    GlossaryEntry,
    Module,
    Page,
)


Meanwhile = Callable[[Path, Mapping[str, Any]], None]
"""Work for the loading process while workers render the modules (see :func:`load_course`)."""


def _check_iri(value: Any) -> str | None:
    v = str(value)
    ok = v.startswith(("http://", "https://")) and " " not in v and "#" not in v and len(v) > 10
    return None if ok else "load.bad-iri"


def _check_language(value: Any) -> str | None:
    return None if value in ("fr", "en") else "load.bad-language"


COURSE_FIELDS = {
    "id": Field(str, required=True, check=check_id),
    "title": Field(str, required=True, check=check_nonempty),
    "language": Field(str, default="fr", check=_check_language),
    "version": Field(str, required=True, check=check_nonempty),
    "publisher": Field(str, required=True, check=check_nonempty),
    "iri": Field(str, required=True, check=_check_iri),
    "description": Field(str, default=""),
    "mastery_score": Field(int, check=check_score),
    "targets": Field(list, default=["scorm12"]),
    "theme": Field(str, default="default"),
    "theme_options": Field(dict, default={}),
    "modules": Field(list),
    "allow_raw_html": Field(bool, default=False),
    "suppress_warnings": Field(list, default=[]),
    "accessibility": Field(dict, default={}),
}
MODULE_FIELDS = {
    "id": Field(str, required=True, check=check_id),
    "title": Field(str, required=True, check=check_nonempty),
    "description": Field(str, default=""),
    "objectives": Field(list, default=[]),
    "duration": Field(int),
    "mastery_score": Field(int, check=check_score),
    "pages": Field(list),
}
PAGE_FIELDS = {
    "id": Field(str, required=True, check=check_id),
    "title": Field(str, required=True, check=check_nonempty),
    "type": Field(str, default="content"),
}
QUIZ_KEYS = ("pass_score", "attempts", "shuffle", "questions")
ACCESSIBILITY_FIELDS = {
    "status": Field(str, default="non conforme"),
    "contact": Field(str),
    "audit_date": Field(str),
}


@dataclass
class _PageSource:
    path: Path
    display: str
    front: LMap
    values: dict[str, Any]
    body: str
    body_offset: int


@dataclass
class _ModuleSource:
    folder: Path
    display: str
    values: dict[str, Any]
    data: LMap
    pages: list[_PageSource]


class Loader:
    def __init__(self, root: Path, jobs: int = 1, meanwhile: Meanwhile | None = None) -> None:
        self.root = root.resolve()
        self.jobs = jobs
        """Worker processes for the per-module pass (see :mod:`efop_author.parallel`)."""
        self.meanwhile = meanwhile
        """Run by this process during the per-module pass (see :func:`~efop_author.parallel.pmap`)."""
        self.diags = Diagnostics()
        self.paths = RealPaths()

    # -- helpers --------------------------------------------------------------------------
    def rel(self, path: Path) -> str:
        try:
            return self.paths.resolve(path).relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def read_text(self, path: Path) -> str | None:
        try:
            return path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            line = path.read_bytes()[: exc.start].count(b"\n") + 1
            self.diags.error("load.encoding", t("load.encoding"), SourceLocation(self.rel(path), line))
        except OSError as exc:
            self.diags.error("load.missing-file", t("load.unreadable", error=exc.strerror or str(exc)),
                             SourceLocation(self.rel(path)))
        return None

    def read_yaml(self, path: Path, text: str | None = None, offset: int = 0) -> Any:
        if text is None:
            text = self.read_text(path)
            if text is None:
                return None
        try:
            return load_yaml(text, offset)
        except YamlError as exc:
            for p in exc.problems:
                self.diags.error(p.code, t(p.message_key, detail=p.detail), SourceLocation(self.rel(path), p.line))
            return None

    # -- course ---------------------------------------------------------------------------
    def load(self) -> Course | None:
        course_file = next((self.root / n for n in COURSE_FILES if (self.root / n).is_file()), None)
        if course_file is None:
            self.diags.error("load.missing-file", t("load.no-course-file", root=str(self.root)),
                             SourceLocation(self.root.as_posix()))
            return None
        shown = self.rel(course_file)
        data = self.read_yaml(course_file)
        if data is None and not self.diags.errors:
            data = LMap()
            data.line, data.key_lines = 1, {}
        if data is None:
            return None
        values = check_mapping(data, COURSE_FIELDS, shown, self.diags, what=t("load.what-course"))
        if values is None:
            return None
        self.diags.suppressed = frozenset(str(x) for x in values["suppress_warnings"] or [])
        glossary = self.load_glossary()
        sources = self.discover_modules(values, data, shown)
        modules = self.build_modules(sources, values, glossary)
        if not modules and not self.diags.errors:
            self.diags.error("load.no-modules", t("load.no-modules"), SourceLocation(shown, 1))
        acc = check_mapping(values["accessibility"], ACCESSIBILITY_FIELDS, shown, self.diags,
                            what="accessibility", line=line_of(data, "accessibility")) or {}
        targets = tuple(str(x) for x in values["targets"] or ["scorm12"])
        return Course(
            id=values["id"] or "course",
            title=values["title"] or "",
            language=values["language"] or "fr",
            version=values["version"] or "0",
            publisher=values["publisher"] or "",
            iri=(values["iri"] or "https://example.invalid/course").rstrip("/"),
            description=values["description"] or "",
            mastery_score=values["mastery_score"],
            targets=targets,
            theme=values["theme"] or "default",
            allow_raw_html=bool(values["allow_raw_html"]),
            suppress_warnings=tuple(self.diags.suppressed),
            modules=tuple(modules),
            glossary=glossary,
            accessibility=Accessibility(
                status=acc.get("status") or "non conforme",
                contact=acc.get("contact"),
                audit_date=acc.get("audit_date"),
            ),
            root=self.root,
            loc=SourceLocation(shown, 1),
            options=dict(values["theme_options"] or {}),
        )

    def load_glossary(self) -> tuple[GlossaryEntry, ...]:
        path = next((self.root / n for n in ("glossary.yml", "glossary.yaml") if (self.root / n).is_file()), None)
        if path is None:
            return ()
        data = self.read_yaml(path)
        shown = self.rel(path)
        if data is None:
            return ()
        if not isinstance(data, dict):
            self.diags.error("load.bad-type", t("load.not-a-mapping", what=t("load.what-glossary")), SourceLocation(shown, 1))
            return ()
        entries = []
        for term, value in data.items():
            line = line_of(data, term)
            if isinstance(value, str):
                expansion, definition = value, None
            elif isinstance(value, dict):
                v = check_mapping(value, {"expansion": Field(str, required=True), "definition": Field(str)},
                                  shown, self.diags, what=t("load.what-glossary-entry"), line=line)
                if v is None or not v["expansion"]:
                    continue
                expansion, definition = v["expansion"], v["definition"]
            else:
                self.diags.error("load.bad-type", t("load.bad-glossary-entry", term=term), SourceLocation(shown, line))
                continue
            entries.append(GlossaryEntry(term=str(term), expansion=expansion.strip(),
                                         definition=(definition or "").strip() or None,
                                         loc=SourceLocation(shown, line)))
        return tuple(sorted(entries, key=lambda e: e.term.casefold()))

    def discover_modules(self, values: dict[str, Any], data: LMap, shown: str) -> list[_ModuleSource]:
        modules_dir = self.root / "modules"
        folders: list[tuple[Path, SourceLocation]] = []
        if values["modules"]:
            listed = data["modules"]
            for i, name in enumerate(values["modules"]):
                loc = SourceLocation(shown, line_of(listed, i))
                folder = modules_dir / str(name)
                if not (folder / "module.yml").is_file():
                    self.diags.error("load.missing-file", t("load.missing-module", name=name), loc)
                    continue
                folders.append((folder, loc))
        elif modules_dir.is_dir():
            for folder in sorted(p for p in modules_dir.iterdir() if p.is_dir()):
                if (folder / "module.yml").is_file():
                    folders.append((folder, SourceLocation(self.rel(folder / "module.yml"), 1)))
        out = []
        for folder, _loc in folders:
            src = self.read_module(folder)
            if src is not None:
                out.append(src)
        return out

    def read_module(self, folder: Path) -> _ModuleSource | None:
        path = folder / "module.yml"
        shown = self.rel(path)
        data = self.read_yaml(path)
        if data is None:
            return None
        values = check_mapping(data, MODULE_FIELDS, shown, self.diags, what=t("load.what-module"))
        if values is None:
            return None
        if values["pages"]:
            files = []
            for i, name in enumerate(values["pages"]):
                p = folder / str(name)
                if not p.is_file():
                    self.diags.error("load.missing-file", t("load.missing-page", name=name),
                                     SourceLocation(shown, line_of(data["pages"], i)))
                    continue
                files.append(p)
        else:
            files = sorted(folder.glob("*.md"))
        pages = [p for p in (self.read_page(f) for f in files) if p is not None]
        if not files:
            self.diags.error("load.no-pages", t("load.no-pages", module=folder.name), SourceLocation(shown, 1))
        return _ModuleSource(folder=folder, display=shown, values=values, data=data, pages=pages)

    def read_page(self, path: Path) -> _PageSource | None:
        shown = self.rel(path)
        text = self.read_text(path)
        if text is None:
            return None
        parts = split_front_matter(text)
        if parts.front is None:
            key = "load.front-matter-unclosed" if parts.front_line == -1 else "load.front-matter-missing"
            self.diags.error("load.front-matter", t(key), SourceLocation(shown, 1))
            return None
        front = self.read_yaml(path, parts.front, parts.front_line - 1)
        if front is None:
            return None
        if not isinstance(front, LMap):
            self.diags.error("load.front-matter", t("load.front-matter-not-mapping"), SourceLocation(shown, 2))
            return None
        kind = front.get("type", "content")
        page_only = LMap({k: v for k, v in front.items() if k not in QUIZ_KEYS or kind != "quiz"})
        page_only.line, page_only.key_lines = front.line, front.key_lines
        values = check_mapping(page_only, PAGE_FIELDS, shown, self.diags, what=t("load.what-page"), line=2)
        if values is None:
            return None
        if values["type"] not in PAGE_KINDS:
            self.diags.error("load.bad-value", t("load.bad-page-type", value=values["type"], kinds=", ".join(PAGE_KINDS)),
                             SourceLocation(shown, line_of(front, "type", 2)))
            values["type"] = "content"
        if values["type"] == "quiz" and "questions" not in front:
            self.diags.error("load.missing-field", t("load.missing-field", key="questions", what=t("load.what-quiz")),
                             SourceLocation(shown, 2))
        return _PageSource(path, shown, front, values, parts.body, parts.body_line_offset)

    # -- second pass ----------------------------------------------------------------------
    def build_modules(self, sources: list[_ModuleSource], course: dict[str, Any],
                      glossary: tuple[GlossaryEntry, ...]) -> list[Module]:
        page_maps = {
            s.folder.name: (s.values["id"] or s.folder.name, {p.path.name: p.values["id"] for p in s.pages if p.values["id"]})
            for s in sources
        }
        seen_modules: dict[str, str] = {}
        todo = []
        for src in sources:
            mid = src.values["id"]
            if mid is None:
                continue
            here = SourceLocation(src.display, line_of(src.data, "id"))
            if mid in seen_modules:
                self.diags.error("load.duplicate-id", t("load.duplicate-module", id=mid, first=seen_modules[mid]), here)
                continue
            seen_modules[mid] = str(here)
            todo.append(src)

        def one(index: int) -> tuple[Module, list[Diagnostic]]:
            # Each module reports into its own list, so that workers can send it back.
            shared, self.diags = self.diags, Diagnostics(suppressed=self.diags.suppressed)
            try:
                module = self.build_module(todo[index], course, glossary, page_maps)
                return module, self.diags.items
            finally:
                self.diags = shared

        modules = []
        meanwhile, self.meanwhile = self.meanwhile, None  # once, even if load() is called again
        task = partial(meanwhile, self.root, course) if meanwhile is not None else None
        for module, diags in pmap(one, len(todo), self.jobs, meanwhile=task):
            modules.append(module)
            self.diags.extend(diags)
        return modules

    def build_module(self, src: _ModuleSource, course: dict[str, Any], glossary: tuple[GlossaryEntry, ...],
                     page_maps: dict[str, tuple[str, dict[str, str]]]) -> Module:
        mid = src.values["id"]
        ctx = ModuleContext(
            root=self.root,
            module_dir=src.folder,
            module_id=mid,
            page_files=page_maps[src.folder.name][1],
            other_modules=page_maps,
            glossary=glossary,
            allow_html=bool(course["allow_raw_html"]),
            diags=self.diags,
            paths=self.paths,
        )
        pages: list[Page] = []
        seen: dict[str, str] = {}
        for ps in src.pages:
            pid = ps.values["id"]
            if pid is None:
                continue
            here = SourceLocation(ps.display, line_of(ps.front, "id", 2))
            if pid in seen:
                self.diags.error("load.duplicate-id", t("load.duplicate-page", id=pid, first=seen[pid]), here)
                continue
            seen[pid] = str(here)
            pages.append(self.build_page(ps, ctx))
        objectives = []
        for i, obj in enumerate(src.values["objectives"] or []):
            line = line_of(src.data["objectives"], i)
            objectives.append(self.inline(str(obj), mid, src.folder / "module.yml", src.display, line, ctx)[0])
        mastery = src.values["mastery_score"]
        if mastery is None:
            mastery = course["mastery_score"]
        return Module(
            id=mid,
            title=src.values["title"] or mid,
            folder=src.folder.name,
            description=src.values["description"] or "",
            objectives=tuple(objectives),
            duration_minutes=src.values["duration"],
            mastery_score=mastery,
            pages=tuple(pages),
            assets=tuple(sorted(ctx.assets.values(), key=lambda a: a.arcname)),
            loc=SourceLocation(src.display, 1),
        )

    def inline(self, text: str, page_id: str, path: Path, shown: str, line: int,
               ctx: ModuleContext) -> tuple[str, str]:
        r = render_markdown(text, page_id=page_id, path=path, display_path=shown,
                            line_offset=line - 1, ctx=ctx, inline=True)
        return r.html, r.text

    def build_page(self, ps: _PageSource, ctx: ModuleContext) -> Page:
        pid = ps.values["id"]
        body = render_markdown(ps.body, page_id=pid, path=ps.path, display_path=ps.display,
                               line_offset=ps.body_offset, ctx=ctx)
        quiz = None
        if ps.values["type"] == "quiz" and "questions" in ps.front:
            quiz_front = LMap({k: v for k, v in ps.front.items() if k in QUIZ_KEYS})
            quiz_front.line, quiz_front.key_lines = ps.front.line, ps.front.key_lines

            def inline(text: str, line: int) -> tuple[str, str]:
                return self.inline(text, pid, ps.path, ps.display, line, ctx)

            quiz = parse_quiz(quiz_front, ps.display, self.diags, inline)
        return Page(
            id=pid,
            title=ps.values["title"] or pid,
            kind=ps.values["type"],
            html=body.html,
            headings=body.headings,
            loc=SourceLocation(ps.display, 1),
            quiz=quiz,
        )


def load_course(
    root: Path | str, *, jobs: int = 1, meanwhile: Meanwhile | None = None
) -> tuple[Course | None, Diagnostics]:
    """Load a course project. Returns (course or None when unusable, diagnostics).

    ``jobs`` > 1 renders the modules' Markdown in that many worker processes; if the course
    gets that far, ``meanwhile(root, settings)`` is called once by this process while they do
    (or before the per-module pass when the load is serial), with the course folder and the
    checked values of ``course.yml`` (``theme``, ``theme_options``, ``targets``...)."""
    loader = Loader(Path(root), jobs, meanwhile)
    course = loader.load()
    return course, loader.diags
