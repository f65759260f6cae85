"""Render stage: resolve a theme (built-in or project, with ``extends``) and build its Jinja env.

A theme is a folder with ``theme.yml`` (``name``, ``extends``, ``options``), ``templates/`` and
``static/``. The built-in ``default`` theme ships inside the installed package
(``efop_author/themes/default``, hatch force-include) or, in a source checkout, in the
repository's ``themes/default``. A course project may define ``themes/<name>/theme.yml`` with
``extends: default`` (or another project theme). Templates are looked up child first; a
template can extend its parent's template of the same name as ``base/<name>``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import yaml

import efop_author
from efop_author.diagnostics import Diagnostics, SourceLocation, loc_of
from efop_author.messages import t as msg

BUILTIN = "default"
_MAX_DEPTH = 8


def builtin_theme_dir() -> Path:
    """The built-in default theme: inside the installed package, else the source checkout's."""
    installed = Path(efop_author.__file__).parent / "themes" / BUILTIN
    if (installed / "templates").is_dir():
        return installed
    return Path(__file__).resolve().parents[3] / "themes" / BUILTIN


@dataclass(frozen=True, slots=True)
class Theme:
    name: str
    dirs: tuple[Path, ...]
    """Theme folders, the theme itself first, then its parents (the built-in one last)."""
    options: dict[str, Any] = field(default_factory=dict)
    """Options merged from the themes' ``theme.yml`` (child wins), then ``course.options``."""

    @property
    def template_dirs(self) -> list[Path]:
        return [d / "templates" for d in self.dirs if (d / "templates").is_dir()]

    def static_file(self, rel: str) -> Path | None:
        """The first theme in the chain that has ``static/<rel>``."""
        for d in self.dirs:
            p = d / "static" / rel
            if p.is_file():
                return p
        return None

    def iter_static(self) -> Iterator[tuple[str, Path]]:
        """Every static file (posix path relative to ``static/``), the child's version winning."""
        seen: dict[str, Path] = {}
        for d in self.dirs:
            root = d / "static"
            if not root.is_dir():
                continue
            for p in sorted(root.rglob("*")):
                if p.is_file():
                    seen.setdefault(p.relative_to(root).as_posix(), p)
        yield from sorted(seen.items())


def _read_manifest(folder: Path, diags: Diagnostics, root: Path | None) -> dict[str, Any]:
    path = folder / "theme.yml"
    if not path.is_file():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, OSError, UnicodeDecodeError) as exc:
        line = 0
        mark = getattr(exc, "problem_mark", None)
        if mark is not None:
            line = mark.line + 1
        diags.error("render.theme-yaml", msg("render.theme-yaml", error=exc), loc_of(path, line, root))
        return {}
    if not isinstance(data, dict):
        diags.error("render.theme-yaml", msg("render.theme-yaml", error=type(data).__name__), loc_of(path, 1, root))
        return {}
    return data


def resolve_theme(
    name: str, project_root: Path | None, course_options: dict[str, object] | None = None
) -> tuple[Theme, Diagnostics]:
    """Resolve ``name`` to a :class:`Theme`: ``<project>/themes/<name>`` or the built-in one."""
    diags = Diagnostics()
    dirs: list[Path] = []
    manifests: list[dict[str, Any]] = []
    current: str | None = name or BUILTIN
    chain: list[str] = []
    while current is not None:
        if current in chain or len(chain) >= _MAX_DEPTH:
            diags.error("render.theme-loop", msg("render.theme-loop", chain=" → ".join([*chain, current])))
            break
        chain.append(current)
        project_dir = project_root / "themes" / current if project_root is not None else None
        if current != BUILTIN and project_dir is not None and (project_dir / "theme.yml").is_file():
            folder = project_dir
        elif current == BUILTIN:
            folder = builtin_theme_dir()
        else:
            expected = f"themes/{current}/theme.yml"
            diags.error("render.unknown-theme", msg("render.unknown-theme", name=current, path=expected))
            folder = builtin_theme_dir()
            current = BUILTIN
        data = _read_manifest(folder, diags, project_root)
        dirs.append(folder)
        manifests.append(data)
        if current == BUILTIN:
            break
        parent = data.get("extends", BUILTIN)
        current = str(parent) if parent else BUILTIN
    if dirs[-1] != builtin_theme_dir():
        dirs.append(builtin_theme_dir())
    options: dict[str, Any] = {}
    for data in reversed(manifests):
        opts = data.get("options")
        if isinstance(opts, dict):
            options.update(opts)
    options.update(course_options or {})
    return Theme(name=chain[0], dirs=tuple(dirs), options=options), diags


def _loader(dirs: tuple[Path, ...]) -> jinja2.BaseLoader:
    own = jinja2.FileSystemLoader([str(d / "templates") for d in dirs[:1]])
    if len(dirs) == 1:
        return own
    parent = _loader(dirs[1:])
    return jinja2.ChoiceLoader([jinja2.FileSystemLoader([str(d / "templates") for d in dirs]), jinja2.PrefixLoader({"base": parent})])


def make_env(theme: Theme) -> jinja2.Environment:
    """A strict Jinja environment: autoescape, ``StrictUndefined``, child-first search path."""
    env = jinja2.Environment(
        loader=_loader(theme.dirs),
        autoescape=jinja2.select_autoescape(("html", "xml"), default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env


def template_error_location(exc: BaseException, env: jinja2.Environment, root: Path | None) -> SourceLocation | None:
    """The template file and line of a Jinja error (syntax error or error at render time)."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        path = exc.filename or exc.name or "?"
        return _display(path, exc.lineno or 0, root)
    tb = exc.__traceback__
    found: SourceLocation | None = None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".txt", ".j2")) and Path(filename).is_file():
            found = _display(filename, tb.tb_lineno, root)
        tb = tb.tb_next
    return found


def _display(path: str, line: int, root: Path | None) -> SourceLocation:
    p = Path(path)
    for base in (root, builtin_theme_dir().parent.parent):
        if base is None:
            continue
        try:
            return SourceLocation(p.resolve().relative_to(base.resolve()).as_posix(), line)
        except ValueError:
            continue
    return SourceLocation(p.as_posix(), line)


def render_template(
    env: jinja2.Environment,
    name: str,
    context: Any,
    diags: Diagnostics,
    root: Path | None,
) -> str | None:
    """Render ``name``; a template error becomes a ``render.template-error`` diagnostic."""
    try:
        return env.get_template(name).render(context)
    except (jinja2.TemplateError, TypeError, ValueError, KeyError, AttributeError) as exc:
        loc = template_error_location(exc, env, root)
        if not isinstance(exc, jinja2.TemplateError) and loc is None:
            raise  # a bug in Python code, not in a template
        template = loc.path if loc else name
        diags.error("render.template-error", msg("render.template-error", template=template, error=_oneline(exc)), loc)
        return None


def _oneline(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text.splitlines()[0] if text else type(exc).__name__

