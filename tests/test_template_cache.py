"""Compiled templates are kept (memory, then the user's cache folder) like .pyc files:
never stale, never required, and the same bytes with or without them."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from efop_author.render import theme as theme_mod
from efop_author.render.sample import sample_course
from efop_author.render.site import render_site

SRC = Path(__file__).resolve().parents[1] / "src"
CONTENT = Path(__file__).resolve().parents[1] / "content"


def _project_theme(root: Path, marker: str) -> Path:
    folder = root / "themes" / "maison"
    (folder / "templates").mkdir(parents=True, exist_ok=True)
    (folder / "theme.yml").write_text("extends: default\n", encoding="utf-8")
    (folder / "templates" / "base.html").write_text(
        '{% extends "base/base.html" %}\n{% block head %}<meta name="maison" content="' + marker + '">{% endblock %}\n',
        encoding="utf-8",
    )
    return root


def _marker(site) -> list[str]:  # noqa: ANN001
    from lxml import html

    doc = html.document_fromstring(site.modules[0].files["index.html"])
    return doc.xpath('//meta[@name="maison"]/@content')


def _build_in_fresh_process(out: Path, cache: str | None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(SRC))
    env.pop("EFOP_AUTHOR_CACHE_DIR", None)
    if cache is not None:
        env["EFOP_AUTHOR_CACHE_DIR"] = cache
    code = textwrap.dedent(f"""
        from pathlib import Path
        from efop_author.build import build_course
        r = build_course(Path({str(CONTENT)!r}), targets=("scorm12",), out=Path({str(out)!r}), jobs=1)
        assert r.ok, [d.format() for d in r.diagnostics]
    """)
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)


def test_cache_folder_is_filled_and_builds_are_identical_with_or_without_it(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    runs = {}
    for name, where in (("cold", str(cache)), ("warm", str(cache)), ("none", "")):
        proc = _build_in_fresh_process(tmp_path / name, where)
        assert proc.returncode == 0, proc.stderr
        runs[name] = {p.name: p.read_bytes() for p in sorted((tmp_path / name).iterdir())}
        if name == "cold":
            compiled = sorted((cache / "templates").glob("*.cache"))
            assert len(compiled) >= 5  # base, module, home and their partials
            stamps = {p: p.stat().st_mtime_ns for p in compiled}
    assert {p: p.stat().st_mtime_ns for p in stamps} == stamps  # warm run: read, not rewritten
    assert len(runs["cold"]) == 12
    assert runs["cold"] == runs["warm"] == runs["none"]


def test_an_edited_template_is_compiled_again_in_the_same_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What ``preview`` relies on: the cache is checked against the template's source."""
    monkeypatch.setattr(theme_mod, "_CODE_CACHE", theme_mod.TemplateCodeCache(tmp_path / "cache"))
    (tmp_path / "cache").mkdir()
    root = _project_theme(tmp_path / "p", "avant")
    site, diags = render_site(sample_course(root=root, theme="maison"), "scorm12", "scorm12.js")
    assert list(diags) == [] and _marker(site) == ["avant"]
    _project_theme(root, "après")
    site, diags = render_site(sample_course(root=root, theme="maison"), "scorm12", "scorm12.js")
    assert list(diags) == [] and _marker(site) == ["après"]


def test_unusable_cache_folder_means_memory_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "fichier"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("EFOP_AUTHOR_CACHE_DIR", str(blocker / "sous-dossier"))
    assert theme_mod.cache_dir() is None
    monkeypatch.setenv("EFOP_AUTHOR_CACHE_DIR", "")
    assert theme_mod.cache_dir() is None
    monkeypatch.setattr(theme_mod, "_CODE_CACHE", None)
    root = _project_theme(tmp_path / "p", "sans-cache")
    site, diags = render_site(sample_course(root=root, theme="maison"), "scorm12", "scorm12.js")
    assert list(diags) == [] and _marker(site) == ["sans-cache"]
    assert not (blocker.parent / "templates").exists()


def test_default_cache_folder_follows_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EFOP_AUTHOR_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert theme_mod.cache_dir() == tmp_path / "xdg" / "efop-author" / "templates"
    assert (tmp_path / "xdg" / "efop-author" / "templates").is_dir()


def test_cache_folder_writable_by_others_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Compiled templates are code: a folder others can write to is never read."""
    shared = tmp_path / "partage"
    (shared / "templates").mkdir(parents=True)
    os.chmod(shared / "templates", 0o777)
    monkeypatch.setenv("EFOP_AUTHOR_CACHE_DIR", str(shared))
    assert theme_mod.cache_dir() is None
    os.chmod(shared / "templates", 0o700)
    assert theme_mod.cache_dir() == shared / "templates"
