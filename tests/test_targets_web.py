"""Web target: the site as a folder ``web/`` with a course home."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from pkg_course import make_course, make_site  # noqa: E402

from efop_author.targets.web import Web  # noqa: E402


def member(pkg, name: str) -> bytes:
    return next(f.data for f in pkg.files if f.arcname == name)


def test_web_folder():
    course = make_course()
    site = make_site(course, "web")
    (pkg,) = Web().package(course, site)
    assert pkg.kind == "dir" and pkg.name == "web" and pkg.extra == ()
    names = {f.arcname for f in pkg.files}
    assert {"index.html", "efop/lms.js", "m-un/index.html", "m-deux/assets/chart.svg"} <= names
    assert member(pkg, "index.html") == site.home
    (pkg,) = Web().package(course, make_site(course, "web", home=False))
    home = member(pkg, "index.html")
    assert b'href="m-un/index.html"' in home and b"<!DOCTYPE html>" in home
    esc = make_course(title="A & <b>")
    (pkg,) = Web().package(esc, make_site(esc, "web", home=False))
    assert b"A &amp; &lt;b&gt;" in member(pkg, "index.html")
