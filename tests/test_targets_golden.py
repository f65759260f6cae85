"""Golden manifests of a synthetic course (``pkg_course``): any change to the XML is deliberate.

Rewrite with ``pytest tests/test_targets_golden.py --update-golden`` and review the diff.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from pkg_course import make_course, make_site  # noqa: E402

from efop_author.targets import TARGETS  # noqa: E402

MANIFEST = {"scorm12": "imsmanifest.xml", "scorm2004": "imsmanifest.xml", "xapi": "tincan.xml",
            "cmi5": "cmi5.xml"}


@pytest.mark.parametrize("bundle", [False, True], ids=["module", "bundle"])
@pytest.mark.parametrize("target_name", sorted(MANIFEST))
def test_golden_manifest(golden, target_name, bundle):
    course = make_course()
    pkg = TARGETS[target_name]().package(course, make_site(course, target_name), bundle=bundle)[0]
    data = next(f.data for f in pkg.files if f.arcname == MANIFEST[target_name])
    kind = "bundle" if bundle else "module"
    golden(f"targets/{target_name}-{kind}-{MANIFEST[target_name]}", data)
