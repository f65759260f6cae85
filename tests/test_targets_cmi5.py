"""cmi5 target: cmi5.xml valid against CourseStructure.xsd (standards §6.1, checklist §7.5)."""

from __future__ import annotations

import sys
from pathlib import Path

from lxml import etree

sys.path.insert(0, str(Path(__file__).parent))
import xsd  # noqa: E402
from pkg_course import make_course, make_module, make_site  # noqa: E402

from efop_author.targets._cam import CMI5  # noqa: E402
from efop_author.targets.cmi5 import Cmi5  # noqa: E402

NS = {"c": CMI5}
IRI = "https://efop.example/courses/efop-test"


def member(pkg, name: str) -> bytes:
    return next(f.data for f in pkg.files if f.arcname == name)


def test_cmi5_per_module_and_bundle():
    course = make_course()
    pkgs = Cmi5().package(course, make_site(course, "cmi5"))
    assert [p.name for p in pkgs] == ["efop-test-m-un-cmi5.zip", "efop-test-m-deux-cmi5.zip"]
    course_ids = set()
    for pkg, module in zip(pkgs, course.modules, strict=True):
        data = member(pkg, "cmi5.xml")
        xsd.assert_valid("cmi5", data)
        root = etree.fromstring(data)
        cid = root.find("c:course", NS).get("id")
        (au,) = root.findall("c:au", NS)
        assert au.get("id") == f"{IRI}/{module.id}" != cid
        course_ids.add(cid)
        assert au.findtext("c:url", namespaces=NS) == f"{module.id}/index.html"
        if module.mastery_score is None:
            assert au.get("moveOn") == "Completed" and au.get("masteryScore") is None
        else:
            assert au.get("moveOn") == "CompletedAndPassed"
            assert au.get("masteryScore") == "0.8"
    assert len(course_ids) == 2
    (pkg,) = Cmi5().package(course, make_site(course, "cmi5"), bundle=True)
    assert pkg.name == "efop-test-cmi5.zip"
    data = member(pkg, "cmi5.xml")
    xsd.assert_valid("cmi5", data)
    root = etree.fromstring(data)
    assert root.find("c:course", NS).get("id") == IRI
    assert [a.get("id") for a in root.findall("c:au", NS)] == [f"{IRI}/m-un", f"{IRI}/m-deux"]
    urls = [a.findtext("c:url", namespaces=NS) for a in root.findall("c:au", NS)]
    assert set(urls) <= {f.arcname for f in pkg.files}


def test_cmi5_escaped_titles_validate():
    course = make_course(title='A & <b> "c"', modules=(make_module("m", "É & <x> ]]>"),))
    for bundle in (False, True):
        (pkg,) = Cmi5().package(course, make_site(course, "cmi5"), bundle=bundle)
        xsd.assert_valid("cmi5", member(pkg, "cmi5.xml"))
