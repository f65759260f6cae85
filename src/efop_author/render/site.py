"""Render stage: course model + theme → in-memory :class:`~efop_author.render.Site`.

``render_site(course, target, adapter)`` renders one HTML document per module (every page a
``<section>``, then the annexes: the glossary when the course has one, and the accessibility
statement), copies the theme's static files into ``efop/`` (``course.css``, ``runtime.js`` and
the target's adapter as ``lms.js``) and, for every target, a course home ``index.html``
(packagers use it for the web target and bundles only). ``RenderedModule.suspend_max`` is the
worst-case size of the module's resume state; build.py turns a SCORM 1.2 size over 4096 into
``runtime.suspend-overflow``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from efop_author.diagnostics import Diagnostic, Diagnostics
from efop_author.messages import t as msg
from efop_author.records import record
from efop_author.render import RenderedModule, Site, session
from efop_author.render.context import (
    ANNEX_ACCESSIBILITY,
    ANNEX_GLOSSARY,
    DocumentFields,
    HomeContext,
    ModuleDocContext,
    ThemeCtx,
    Translator,
    annex_ctx,
    course_ctx,
    glossary_ctx,
    json_for_script,
    make_translator,
    module_ctx,
    module_data,
    page_ctx,
    theme_ctx,
)
from efop_author.render.suspend import suspend_worst_case
from efop_author.render.theme import THEME_CSS, Theme, make_env, render_template, resolve_theme

if TYPE_CHECKING:
    from efop_author.model import Course, Module

SHARED_CSS = "css/course.css"
SHARED_RUNTIME = "js/runtime.js"
ADAPTERS = "js/lms/"


def _shared_files(theme: Theme, adapter: str, diags: Diagnostics) -> dict[str, bytes]:
    """``efop/`` content: theme static files, ``css/`` and ``js/`` flattened for the core ones."""
    shared: dict[str, bytes] = {}
    for rel, path in theme.iter_static():
        if rel.startswith(ADAPTERS):
            continue  # only the target's adapter ships, as lms.js
        if rel == SHARED_CSS:
            shared["course.css"] = path.read_bytes()
        elif rel == SHARED_RUNTIME:
            shared["runtime.js"] = path.read_bytes()
        else:
            shared[rel] = path.read_bytes()
    lms = _adapter_file(theme, adapter, diags)
    if lms is not None:
        shared["lms.js"] = _INCLUDE.sub(lambda m: _adapter_file(theme, m.group(1).decode("ascii"), diags) or b"", lms)
    return shared


_INCLUDE = re.compile(rb"^[ \t]*/\* efop:include ([A-Za-z0-9_.-]+) \*/[ \t]*\n", re.MULTILINE)
"""A line of an adapter replaced by a file of ``static/js/lms/`` (code that two adapters share,
such as the xAPI helpers of ``xapi.js`` and ``cmi5.js``): one file ships."""


def _adapter_file(theme: Theme, name: str, diags: Diagnostics) -> bytes | None:
    """A file of the theme's ``static/js/lms/`` (child theme first), or None, reported."""
    path = theme.static_file(ADAPTERS + name)
    if path is None:
        diags.error("render.unknown-adapter", msg("render.unknown-adapter", name=name, path="static/" + ADAPTERS))
        return None
    return path.read_bytes()


def _render_module(
    env: jinja2.Environment, theme: Theme, course: Course, module: Module, target: str, diags: Diagnostics
) -> RenderedModule:
    t = make_translator(course.language, theme.ui_strings(course.language))
    total = len(module.pages)
    pages = [page_ctx(p, module, i + 1, total) for i, p in enumerate(module.pages)]
    glossary = glossary_ctx(course)
    annexes = []
    if glossary:
        annexes.append(annex_ctx(ANNEX_GLOSSARY, "glossary", t("glossary"), total))
    annexes.append(annex_ctx(ANNEX_ACCESSIBILITY, "accessibility", t("accessibility-title"), total))
    data = module_data(course, module, target, [*pages, *annexes], theme.ui_strings(course.language))
    ctx = ModuleDocContext(
        **_document_fields(theme, course, target, "../efop/", t),
        module=module_ctx(course, module),
        pages=pages,
        annexes=annexes,
        glossary=glossary,
        data_json=json_for_script(data),
    )
    html = render_template(env, "module.html", ctx, diags, course.root)
    files: dict[str, bytes] = {"index.html": (html or "").encode("utf-8")}
    for asset in module.assets:
        files[asset.arcname] = asset.source.read_bytes()
    return RenderedModule(module=module, files=files, suspend_max=suspend_worst_case(module))


def _document_fields(theme: Theme, course: Course, target: str, efop: str, t: Translator) -> DocumentFields:
    return DocumentFields(t=t, lang=course.language, target=target, efop=efop, theme=_theme_ctx(theme),
                          course=course_ctx(course, theme.options))


def _theme_ctx(theme: Theme) -> ThemeCtx:
    return theme_ctx(theme.name, THEME_CSS if theme.variables else None, theme.logo_href, theme.logo_alt)


@record
class _Prepared:
    """What rendering needs besides the modules: resolved once per session."""

    theme: Theme
    env: jinja2.Environment
    shared: dict[str, bytes]
    found: tuple[Diagnostic, ...]
    """Diagnostics of the theme and the shared files, reported by every render."""


def prepare(root: Path | None, theme: str, options: Mapping[str, Any], adapter: str) -> None:
    """Resolve the theme of a course (its folder, ``theme`` and ``theme_options``), read the
    shared files and load every template now, in a render session, so that processes forked
    afterwards start with them."""
    prepared = _prepare(root, theme, options, adapter)
    env = prepared.env
    for name in env.list_templates(extensions=("html", "xml", "txt", "j2")):
        try:
            env.get_template(name)
        except jinja2.TemplateError:
            pass  # reported, with its location, when it is rendered


def _prepare(root: Path | None, name: str, options: Mapping[str, Any], adapter: str) -> _Prepared:
    key = ("site", root, name, repr(sorted(options.items())), adapter)
    return session.remembered(key, partial(_prepare_now, root, name, options, adapter))


def _prepare_now(root: Path | None, name: str, options: Mapping[str, Any], adapter: str) -> _Prepared:
    theme, theme_diags = resolve_theme(name, root, dict(options))
    diags = Diagnostics()
    diags.extend(theme_diags)
    shared = _shared_files(theme, adapter, diags)
    shared.update(theme.extra_files())  # theme.yml: variables (theme.css) and logo
    return _Prepared(theme, make_env(theme), shared, tuple(diags))


def render_site(course: Course, target: str, adapter: str, *, home: bool = True) -> tuple[Site, Diagnostics]:
    """Render ``course`` for ``target``; ``adapter`` is a file of the theme's ``static/js/lms/``.
    ``home``: render the course home too (what bundles and the web target use)."""
    prepared = _prepare(course.root, course.theme, course.options, adapter)
    theme, env = prepared.theme, prepared.env
    diags = Diagnostics(suppressed=frozenset(course.suppress_warnings))
    diags.extend(prepared.found)  # so that suppress_warnings applies to theme.contrast too
    shared = dict(prepared.shared)
    modules = tuple(_render_module(env, theme, course, m, target, diags) for m in course.modules)
    home_html = _render_home(env, theme, course, target, diags) if home else None
    site = Site(
        course=course,
        target=target,
        shared=shared,
        modules=modules,
        home=home_html.encode("utf-8") if home_html is not None else None,
    )
    return site, diags


def _render_home(env: jinja2.Environment, theme: Theme, course: Course, target: str, diags: Diagnostics) -> str | None:
    t = make_translator(course.language, theme.ui_strings(course.language))
    home_ctx = HomeContext(
        **_document_fields(theme, course, target, "efop/", t),
        modules=[module_ctx(course, m) for m in course.modules],
        glossary=glossary_ctx(course),
    )
    return render_template(env, "home.html", home_ctx, diags, course.root)
