"""xAPI / Tin Can target: tincan.xml (standards §5, checklist §7.4)."""

from __future__ import annotations

import sys
from pathlib import Path

from lxml import etree

sys.path.insert(0, str(Path(__file__).parent))
from pkg_course import make_course, make_module, make_site  # noqa: E402

from efop_author.targets._cam import TINCAN  # noqa: E402
from efop_author.targets.xapi import Xapi  # noqa: E402

NS = {"t": TINCAN}
IRI = "https://efop.example/courses/efop-test"


def member(pkg, name: str) -> bytes:
    return next(f.data for f in pkg.files if f.arcname == name)


def _check_tincan(data: bytes, pkg) -> etree._Element:
    root = etree.fromstring(data)
    assert root.tag == f"{{{TINCAN}}}tincan"
    acts = root.findall("t:activities/t:activity", NS)
    ids = [a.get("id") for a in acts]
    assert len(ids) == len(set(ids))
    assert all(i.startswith("https://") and " " not in i for i in ids)
    launches = [a for a in acts if a.find("t:launch", NS) is not None]
    assert launches == [acts[0]]  # exactly one, the first activity
    launch = acts[0].findtext("t:launch", namespaces=NS)
    assert launch in {f.arcname for f in pkg.files}
    for a in acts:
        assert a.get("type").startswith("http://adlnet.gov/expapi/activities/")
        assert {n.get("lang") for n in a.findall("t:name", NS)} == {"fr", "en"}
        assert {n.get("lang") for n in a.findall("t:description", NS)} == {"fr", "en"}
    return root


def test_tincan_per_module():
    course = make_course()
    pkgs = Xapi().package(course, make_site(course, "xapi"))
    assert [p.name for p in pkgs] == ["efop-test-m-un-xapi.zip", "efop-test-m-deux-xapi.zip"]
    root = _check_tincan(member(pkgs[0], "tincan.xml"), pkgs[0])
    acts = root.findall("t:activities/t:activity", NS)
    assert acts[0].get("id") == f"{IRI}/m-un"
    assert acts[0].findtext("t:launch", namespaces=NS) == "m-un/index.html"
    by_id = {a.get("id").rsplit("/", 1)[1]: a for a in acts[1:]}
    assert all(a.get("id").startswith(f"{IRI}/m-un/quiz/") for a in acts[1:])

    def get(qid, path):
        return [e.text for e in by_id[qid].findall(path, NS)]

    assert get("nombre-qpv", "t:interactionType") == ["choice"]
    assert get("nombre-qpv", "t:correctResponsePatterns/t:correctResponsePattern") == ["b"]
    assert get("nombre-qpv", "t:choices/t:component/t:id") == ["a", "b"]
    assert get("multi", "t:correctResponsePatterns/t:correctResponsePattern") == ["a[,]c"]
    assert get("multi", "t:choices/t:component/t:description")[:2] == ["A & B", "A & B"]
    assert get("vrai-faux", "t:interactionType") == ["true-false"]
    assert get("vrai-faux", "t:correctResponsePatterns/t:correctResponsePattern") == ["false"]
    assert get("acteurs", "t:interactionType") == ["matching"]
    assert get("acteurs", "t:correctResponsePatterns/t:correctResponsePattern") == ["1[.]a[,]2[.]b"]
    assert get("acteurs", "t:source/t:component/t:id") == ["1", "2"]
    assert get("acteurs", "t:target/t:component/t:id") == ["a", "b", "c"]
    assert get("etapes", "t:interactionType") == ["sequencing"]
    assert get("etapes", "t:correctResponsePatterns/t:correctResponsePattern") == ["a[,]b[,]c"]
    assert get("sigle", "t:interactionType") == ["fill-in"]
    assert get("sigle", "t:correctResponsePatterns/t:correctResponsePattern") == [
        "prioritaire de la politique de la ville",
        "prioritaire",
    ]
    # the second module has no quiz: one activity only
    root2 = _check_tincan(member(pkgs[1], "tincan.xml"), pkgs[1])
    assert len(root2.findall("t:activities/t:activity", NS)) == 1


def test_tincan_bundle_and_no_credentials():
    course = make_course()
    (pkg,) = Xapi().package(course, make_site(course, "xapi"), bundle=True)
    assert pkg.name == "efop-test-xapi.zip"
    data = member(pkg, "tincan.xml")
    root = _check_tincan(data, pkg)
    acts = root.findall("t:activities/t:activity", NS)
    assert acts[0].get("id") == IRI
    assert acts[0].get("type") == "http://adlnet.gov/expapi/activities/course"
    assert acts[0].findtext("t:launch", namespaces=NS) == "index.html"
    assert [a.get("id") for a in acts[1:3]] == [f"{IRI}/m-un", f"{IRI}/m-deux"]
    for f in pkg.files:
        low = f.data.lower()
        assert b"endpoint=" not in low and b"basic " not in low and b"password" not in low
    # without a home, the first module is launched
    (pkg,) = Xapi().package(course, make_site(course, "xapi", home=False), bundle=True)
    root = etree.fromstring(member(pkg, "tincan.xml"))
    assert root.findtext("t:activities/t:activity/t:launch", namespaces=NS) == "m-un/index.html"


def test_tincan_case_sensitive_fill_in():
    from dataclasses import replace

    from efop_author.targets.xapi import interaction

    q = next(q for q in make_module("m").pages[1].quiz.questions if q.type == "fill-in")
    assert interaction(replace(q, case_sensitive=True))[1][0] == (
        "{case_matters=true}prioritaire de la politique de la ville"
    )

