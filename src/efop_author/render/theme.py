"""Render stage: resolve a theme (built-in or project, with ``extends``) and build its Jinja env.

A theme is a folder with ``theme.yml`` (``name``, ``extends``, ``options``), ``templates/`` and
``static/``. The built-in ``default`` theme ships inside the installed package
(``efop_author/themes/default``, hatch force-include) or, in a source checkout, in the
repository's ``themes/default``. A course project may define ``themes/<name>/theme.yml`` with
``extends: default`` (or another project theme). Templates are looked up child first; a
template can extend its parent's template of the same name as ``base/<name>``.

A project theme's ``theme.yml`` may also set CSS custom properties of the default theme
(``variables``, shipped as ``efop/theme.css``), a ``logo`` with its ``logo_alt`` (shipped as
``efop/logo/<file>``) and UI ``strings`` (per language or for every language); every value is
checked here (``theme.*`` diagnostics, located in ``theme.yml``), and a colour override that
breaks a contrast pair of :data:`~efop_author.render.palette.PAIRS` is a ``theme.contrast``
warning. Guide for designers: ``docs/themes.md``.
"""

from __future__ import annotations

import functools
import math
import os
import re
from collections.abc import Iterator
from dataclasses import field
from pathlib import Path
from typing import Any

import jinja2

from efop_author.records import record
import efop_author
from efop_author.diagnostics import Diagnostics, SourceLocation, loc_of
from efop_author.load.schema import close_matches
from efop_author.load.yaml_marks import LMap, YamlError, load_yaml
from efop_author.messages import t as msg
from efop_author.render import palette

BUILTIN = "default"
_MAX_DEPTH = 8
THEME_CSS = "theme.css"
LANGUAGES = ("fr", "en")
KEYS = ("name", "extends", "options", "variables", "logo", "logo_alt", "strings")
LOGO_TYPES = (".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp")


@functools.lru_cache(maxsize=1)
def builtin_theme_dir() -> Path:
    """The built-in default theme: inside the installed package, else the source checkout's."""
    installed = Path(efop_author.__file__).parent / "themes" / BUILTIN
    if (installed / "templates").is_dir():
        return installed
    return Path(__file__).resolve().parents[3] / "themes" / BUILTIN


@record
class Theme:
    name: str
    dirs: tuple[Path, ...]
    """Theme folders, the theme itself first, then its parents (the built-in one last)."""
    options: dict[str, Any] = field(default_factory=dict)
    """Options merged from the themes' ``theme.yml`` (child wins), then ``course.options``."""
    variables: dict[str, str] = field(default_factory=dict)
    """CSS custom properties set by the themes (name without ``--efop-`` → value), child wins."""
    logo: Path | None = None
    logo_alt: str = ""
    strings: dict[str, dict[str, str]] = field(default_factory=dict)
    """UI string overrides: ``{"*": {...}, "fr": {...}, "en": {...}}`` (``*``: every language)."""

    @property
    def logo_href(self) -> str | None:
        """Path of the logo in the shared folder (``efop/``), or None."""
        if self.logo is None:
            return None
        for d in self.dirs:
            try:
                return self.logo.relative_to(d / "static").as_posix()  # already a static file
            except ValueError:
                continue
        return "logo/" + self.logo.name

    @property
    def variables_css(self) -> bytes | None:
        """The ``:root`` override stylesheet (``efop/theme.css``), or None without variables."""
        if not self.variables:
            return None
        lines = [f"  {palette.PREFIX}{name}: {value};" for name, value in self.variables.items()]
        return ("/* Variables of the theme (theme.yml) */\n:root {\n" + "\n".join(lines) + "\n}\n").encode("utf-8")

    def extra_files(self) -> dict[str, bytes]:
        """Shared files made from ``theme.yml``: ``theme.css`` and the logo."""
        out: dict[str, bytes] = {}
        css = self.variables_css
        if css is not None:
            out[THEME_CSS] = css
        href = self.logo_href
        if self.logo is not None and href is not None and self.logo.is_file():
            out.setdefault(href, self.logo.read_bytes())
        return out

    def ui_strings(self, lang: str) -> dict[str, str]:
        """The string overrides for ``lang`` (the language's own win over ``*``)."""
        return {**self.strings.get("*", {}), **self.strings.get(lang, {})}

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
        data = load_yaml(path.read_text(encoding="utf-8"))
    except YamlError as exc:
        line = exc.problems[0].line if exc.problems else 0
        diags.error("render.theme-yaml", msg("render.theme-yaml", error=exc), loc_of(path, line, root))
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        diags.error("render.theme-yaml", msg("render.theme-yaml", error=exc), loc_of(path, 0, root))
        return {}
    if data is None:
        return {}
    if not isinstance(data, dict):
        diags.error("render.theme-yaml", msg("render.theme-yaml", error=type(data).__name__), loc_of(path, 1, root))
        return {}
    return data


def _hint(name: str, known: list[str]) -> str:
    near = close_matches(name, known, n=1, cutoff=0.6)
    return msg("theme.did-you-mean", name=near[0]) if near else ""


class _ManifestChecker:
    """Checks one project theme's ``theme.yml`` and collects its variables, logo and strings."""

    def __init__(self, folder: Path, data: dict[str, Any], diags: Diagnostics, root: Path | None, known_vars: dict[str, str]) -> None:
        self.folder = folder
        self.data = data
        self.diags = diags
        self.root = root
        self.known_vars = known_vars
        self.path = folder / "theme.yml"

    def loc(self, mapping: Any, key: str | None = None) -> SourceLocation:
        line = 0
        if isinstance(mapping, LMap):
            line = mapping.line_of(key) if key is not None else mapping.line
        return loc_of(self.path, line, self.root)

    def check_keys(self) -> None:
        for key in self.data:
            if key not in KEYS:
                hint = _hint(str(key), list(KEYS)) or msg("theme.known-keys", keys=", ".join(KEYS))
                self.diags.error("theme.unknown-key", msg("theme.unknown-key", key=key) + " " + hint, self.loc(self.data, key))

    def mapping(self, key: str) -> dict[str, Any] | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.diags.error("theme.bad-type", msg("theme.bad-type", key=key, expected=msg("theme.type-mapping")), self.loc(self.data, key))
            return None
        return value

    def variables(self) -> dict[str, tuple[str, SourceLocation]]:
        out: dict[str, tuple[str, SourceLocation]] = {}
        raw = self.mapping("variables")
        if not raw:
            return out
        for key, value in raw.items():
            name = palette.variable_name(str(key))
            where = self.loc(raw, key)
            if name not in self.known_vars:
                hint = _hint(name, sorted(self.known_vars))
                self.diags.error("theme.unknown-variable", msg("theme.unknown-variable", name=key, hint=hint).rstrip(), where)
                continue
            if isinstance(value, bool) or not isinstance(value, (str, int, float)):
                self.diags.error("theme.bad-value", msg("theme.bad-value", name=key, reason=msg("theme.type-text")), where)
                continue
            text = " ".join(str(value).split())
            problem = palette.check_value(text)
            if problem:
                self.diags.error("theme.bad-value", msg("theme.bad-value", name=key, reason=msg(problem)), where)
                continue
            out[name] = (text, where)
        return out

    def logo(self) -> tuple[Path, str] | None:
        raw = self.data.get("logo")
        if raw is None:
            return None
        where = self.loc(self.data, "logo")
        if not isinstance(raw, str) or not raw.strip():
            self.diags.error("theme.bad-type", msg("theme.bad-type", key="logo", expected=msg("theme.type-text")), where)
            return None
        rel = raw.strip()
        path = (self.folder / rel).resolve()
        try:
            path.relative_to(self.folder.resolve())
        except ValueError:
            self.diags.error("theme.bad-value", msg("theme.bad-value", name="logo", reason=msg("theme.logo-outside")), where)
            return None
        if path.suffix.lower() not in LOGO_TYPES:
            self.diags.error("theme.bad-value", msg("theme.bad-value", name="logo", reason=msg("theme.logo-format")), where)
            return None
        if not path.is_file():
            shown = loc_of(self.folder / rel, 0, self.root).path
            self.diags.error("theme.missing-file", msg("theme.missing-file", path=shown), where)
            return None
        if path.suffix.lower() == ".svg" and _UNSAFE_SVG.search(path.read_text(encoding="utf-8", errors="replace")):
            self.diags.error("theme.bad-value", msg("theme.bad-value", name="logo", reason=msg("theme.logo-script")), where)
            return None
        alt = self.data.get("logo_alt")
        if alt is None:
            self.diags.error("theme.missing-alt", msg("theme.missing-alt"), where)
            alt = ""
        elif not isinstance(alt, str):
            self.diags.error("theme.bad-type", msg("theme.bad-type", key="logo_alt", expected=msg("theme.type-text")), self.loc(self.data, "logo_alt"))
            alt = ""
        return path, " ".join(alt.split())

    def strings(self) -> dict[str, dict[str, str]]:
        out: dict[str, dict[str, str]] = {}
        raw = self.mapping("strings")
        if not raw:
            return out
        for key, value in raw.items():
            if key in LANGUAGES and isinstance(value, dict):
                for sub, text in value.items():
                    self._string(out.setdefault(str(key), {}), str(sub), text, self.loc(value, sub), str(key))
            else:
                self._string(out.setdefault("*", {}), str(key), value, self.loc(raw, key), None)
        return out

    def _string(self, into: dict[str, str], key: str, text: Any, where: SourceLocation, lang: str | None) -> None:
        catalogue = ui_catalogue()
        if key not in catalogue:
            self.diags.error("theme.unknown-string", msg("theme.unknown-string", key=key, hint=_hint(key, sorted(catalogue))).rstrip(), where)
            return
        if isinstance(text, bool) or not isinstance(text, (str, int, float)):
            self.diags.error("theme.bad-type", msg("theme.bad-type", key=key, expected=msg("theme.type-text")), where)
            return
        text = str(text)
        allowed = catalogue[key]
        for name in _PLACEHOLDER.findall(text):
            if name not in allowed:
                names = ", ".join("{" + n + "}" for n in sorted(allowed)) or "—"
                self.diags.error("theme.bad-value", msg("theme.string-placeholder", key=key, name=name, names=names), where)
                return
        into[key] = text


_UNSAFE_SVG = re.compile(r"<script|\son[a-z]+\s*=|javascript:|<foreignObject", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def ui_catalogue() -> dict[str, set[str]]:
    """Every UI string key a theme may override (templates and run-time), with its placeholders."""
    from efop_author.messages import render as render_messages
    from efop_author.messages import runtime as runtime_messages

    out: dict[str, set[str]] = {}
    for table in (render_messages.UI, runtime_messages.UI):
        for strings in table.values():
            for key, text in strings.items():
                out.setdefault(key, set()).update(_PLACEHOLDER.findall(text))
    return out


def default_variables(theme_dirs: tuple[Path, ...] | list[Path] = ()) -> dict[str, str]:
    """The ``--efop-*`` custom properties of the effective ``course.css`` (the default theme's)."""
    for d in (*theme_dirs, builtin_theme_dir()):
        css = d / "static" / "css" / "course.css"
        if css.is_file():
            found = palette.custom_properties(css.read_text(encoding="utf-8"))
            if found:
                return found
    return {}


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
    known = default_variables(dirs)
    variables: dict[str, tuple[str, SourceLocation]] = {}
    logo: tuple[Path, str] | None = None
    strings: dict[str, dict[str, str]] = {}
    for folder, data in reversed(list(zip(dirs, manifests))):
        if folder == builtin_theme_dir() or not data:
            continue
        checker = _ManifestChecker(folder, data, diags, project_root, known)
        checker.check_keys()
        variables.update(checker.variables())
        logo = checker.logo() or logo
        for lang, table in checker.strings().items():
            strings.setdefault(lang, {}).update(table)
    _check_contrast(known, variables, diags)
    theme = Theme(
        name=chain[0],
        dirs=tuple(dirs),
        options=options,
        variables={name: value for name, (value, _) in variables.items()},
        logo=logo[0] if logo else None,
        logo_alt=logo[1] if logo else "",
        strings=strings,
    )
    return theme, diags


def _check_contrast(known: dict[str, str], variables: dict[str, tuple[str, SourceLocation]], diags: Diagnostics) -> None:
    """A ``theme.contrast`` warning for each default pair that the overrides bring under its minimum."""
    if not variables:
        return
    values = {**known, **{name: value for name, (value, _) in variables.items()}}
    for problem in palette.contrast_problems(values, only=set(variables)):
        pair = problem.pair
        where = (variables.get(pair.fg) or variables[pair.bg])[1]
        ratio = f"{math.floor(problem.ratio * 100) / 100:.2f}".rstrip("0").rstrip(".")
        text = msg(
            "theme.contrast",
            fg=pair.fg,
            bg=pair.bg,
            use=msg("theme.use." + pair.use),
            ratio=ratio,
            minimum=f"{pair.minimum:g}",
        )
        diags.warning("theme.contrast", text, where)


def _loader(dirs: tuple[Path, ...]) -> jinja2.BaseLoader:
    own = jinja2.FileSystemLoader([str(d / "templates") for d in dirs[:1]])
    if len(dirs) == 1:
        return own
    parent = _loader(dirs[1:])
    return jinja2.ChoiceLoader([jinja2.FileSystemLoader([str(d / "templates") for d in dirs]), jinja2.PrefixLoader({"base": parent})])


_ENV_OPTIONS = {
    "undefined": jinja2.StrictUndefined,
    "trim_blocks": True,
    "lstrip_blocks": True,
    "keep_trailing_newline": True,
}


class TemplateCodeCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates, like ``.pyc`` files for Python: compiling the theme's templates
    costs about 0.08 s a build, loading them about 0.003 s.

    Two levels: a dictionary for the process (and the workers it forks, which inherit it),
    then files in the user's cache folder (:func:`cache_dir`; none: memory only). Jinja
    checks the template's source checksum on every load, so an edited template (preview)
    is compiled again, never served stale. Keys also carry our environment options and
    Jinja's version, which the compiled code depends on.
    """

    _memory: dict[tuple[str, str], Any] = {}

    def __init__(self, directory: Path | None) -> None:
        self.enabled = directory is not None
        # Not Jinja's default folder (a shared one under /tmp): ours, or none.
        self.directory = str(directory) if directory is not None else ""
        self.pattern = "__jinja2_%s.cache"

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return super().get_cache_key(f"{_CACHE_TAG}|{name}", filename)

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._memory.get((bucket.key, bucket.checksum))
        if code is None and self.enabled:
            super().load_bytecode(bucket)
            code = bucket.code
            if code is not None:
                self._memory[(bucket.key, bucket.checksum)] = code
        bucket.code = code

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._memory[(bucket.key, bucket.checksum)] = bucket.code
        if self.enabled:
            try:
                super().dump_bytecode(bucket)
            except OSError:  # read-only or full cache folder: memory only
                self.enabled = False


_CACHE_TAG = f"efop-author {efop_author.__version__}|jinja {jinja2.__version__}|autoescape html xml|" + repr(sorted(
    (k, v if isinstance(v, bool) else getattr(v, "__name__", repr(v))) for k, v in _ENV_OPTIONS.items()
))


def cache_dir() -> Path | None:
    """Where compiled templates are kept: ``EFOP_AUTHOR_CACHE_DIR`` (empty: nowhere), else
    ``$XDG_CACHE_HOME/efop-author`` or ``~/.cache/efop-author``; ``None`` when it cannot be
    created, or when others could write in it: what is read back from it is code, so a
    folder of another user or writable by others is not used (memory only)."""
    env = os.environ.get("EFOP_AUTHOR_CACHE_DIR")
    if env is not None:
        base = Path(env) if env.strip() else None
    else:
        xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
        base = Path(xdg) / "efop-author" if xdg else Path.home() / ".cache" / "efop-author"
    if base is None:
        return None
    folder = base / "templates"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.stat()
    except (OSError, RuntimeError):  # RuntimeError: no home directory
        return None
    if hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & 0o022):
        return None
    return folder


_CODE_CACHE: TemplateCodeCache | None = None


def code_cache() -> TemplateCodeCache:
    global _CODE_CACHE
    if _CODE_CACHE is None:
        _CODE_CACHE = TemplateCodeCache(cache_dir())
    return _CODE_CACHE


def make_env(theme: Theme) -> jinja2.Environment:
    """A strict Jinja environment: autoescape, ``StrictUndefined``, child-first search path."""
    env = jinja2.Environment(
        loader=_loader(theme.dirs),
        bytecode_cache=code_cache(),
        autoescape=jinja2.select_autoescape(("html", "xml"), default_for_string=True),
        **_ENV_OPTIONS,
        auto_reload=False,  # one environment per build: no per-include file freshness check
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

