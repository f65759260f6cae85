"""Hand-made packages that imitate common vendor layouts (all must validate without errors)."""

from __future__ import annotations

from validate_support.hostile import make_zip
from validate_support.manifests import CMI5_COMPLEX, SCORM12_MULTI, SCORM2004_SEQ

HTML = b"<!doctype html><html><head><script src=\"../shared/api.js\"></script></head><body>x</body></html>"
XSDS12 = ("imscp_rootv1p1p2.xsd", "adlcp_rootv1p2.xsd", "imsmd_rootv1p2p1.xsd", "ims_xml.xsd")

# An authoring-tool style SCORM 1.2 package: one SCO, a launcher in a sub-folder, the XSDs at the
# root, a metadata file, dozens of assets declared one by one, inline LOM metadata.
STORYLINE_LIKE = """<?xml version="1.0" encoding="UTF-8" standalone="no" ?>
<manifest identifier="Storyline_6A5dQz" version="1.0"
  xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>1.2</schemaversion>
    <lom xmlns="http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"><general><title><langstring xml:lang="fr">Sécurité</langstring></title></general></lom>
  </metadata>
  <organizations default="Storyline_6A5dQz_ORG">
    <organization identifier="Storyline_6A5dQz_ORG">
      <title>Sécurité incendie</title>
      <item identifier="Storyline_6A5dQz_SCO" identifierref="Storyline_6A5dQz_RES" isvisible="true">
        <title>Sécurité incendie</title>
        <adlcp:masteryscore>80</adlcp:masteryscore>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="Storyline_6A5dQz_RES" type="webcontent" href="scormdriver/indexAPI.html" adlcp:scormtype="sco">
      <file href="scormdriver/indexAPI.html"/>
      <file href="scormdriver/scormdriver.js"/>
      <file href="story.html"/>
      {files}
      <file href="metadata.xml"/>
    </resource>
  </resources>
</manifest>
"""

TINCAN_LIKE = """<?xml version="1.0" encoding="utf-8" ?>
<tincan xmlns="http://projecttincan.com/tincan.xsd">
  <activities>
    <activity id="https://vendor.example/courses/fire-safety" type="http://adlnet.gov/expapi/activities/course">
      <name lang="fr-FR">Sécurité incendie</name>
      <description lang="fr-FR">Module</description>
      <launch lang="fr-FR">story.html</launch>
    </activity>
    <activity id="https://vendor.example/courses/fire-safety/q1" type="http://adlnet.gov/expapi/activities/cmi.interaction">
      <name lang="fr-FR">Question 1</name>
      <description lang="fr-FR">…</description>
      <interactionType>choice</interactionType>
      <correctResponsePatterns><correctResponsePattern>a[,]c</correctResponsePattern></correctResponsePatterns>
      <choices>
        <component><id>a</id><description lang="fr-FR">A</description></component>
        <component><id>b</id><description lang="fr-FR">B</description></component>
        <component><id>c</id><description lang="fr-FR">C</description></component>
      </choices>
    </activity>
  </activities>
</tincan>
"""


def storyline_like() -> bytes:
    assets = [f"story_content/slides/s{i:03d}.js" for i in range(40)] + [
        f"story_content/media/img{i}.png" for i in range(10)]
    manifest = STORYLINE_LIKE.format(files="\n      ".join(f'<file href="{a}"/>' for a in assets))
    files = {"imsmanifest.xml": manifest.encode(), "scormdriver/indexAPI.html": HTML,
             "scormdriver/scormdriver.js": b"var API = null;", "story.html": HTML,
             "metadata.xml": b"<lom/>"}
    files.update({x: b"<xsd/>" for x in XSDS12})
    files.update({a: b"x" for a in assets})
    return make_zip(files)


def multi_sco_12() -> bytes:
    """Nested items, xml:base on a resource, assets shared through a dependency."""
    files = {"imsmanifest.xml": SCORM12_MULTI.encode(), "sco1/index.html": HTML, "sco2/index.html": HTML,
             "quiz/index.html": HTML, "shared/api.js": b"//", "shared/style.css": b"body{}",
             "meta.xml": b"<x/>"}
    return make_zip(files)


def sequencing_2004() -> bytes:
    files = {"imsmanifest.xml": SCORM2004_SEQ.encode(), "m1/index.html": HTML, "m2/index.html": HTML,
             "common/runtime.js": b"//"}
    return make_zip(files)


def sub_manifest_12() -> bytes:
    """Resources in a sub-manifest, in nested folders, reached through xml:base on both levels."""
    manifest = """<?xml version="1.0"?>
<manifest identifier="OUTER" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="O"><organization identifier="O"><title>T</title>
    <item identifier="I1" identifierref="R_IN"><title>Inner</title></item>
    <item identifier="I2" identifierref="R_OUT"><title>Outer</title></item>
  </organization></organizations>
  <resources>
    <resource identifier="R_OUT" type="webcontent" adlcp:scormtype="sco" xml:base="units/a/" href="start.html">
      <file href="start.html"/><file href="../common/lib.js"/>
    </resource>
  </resources>
  <manifest identifier="INNER">
    <organizations/>
    <resources>
      <resource identifier="R_IN" type="webcontent" adlcp:scormtype="sco" xml:base="units/b/deep/" href="index.html">
        <file href="index.html"/>
      </resource>
    </resources>
  </manifest>
</manifest>"""
    return make_zip({"imsmanifest.xml": manifest.encode(), "units/a/start.html": HTML,
                     "units/common/lib.js": b"//", "units/b/deep/index.html": HTML})


def tincan_like() -> bytes:
    return make_zip({"tincan.xml": TINCAN_LIKE.encode(), "story.html": HTML})


def cmi5_blocks() -> bytes:
    return make_zip({"cmi5.xml": CMI5_COMPLEX.encode(), "au1/index.html": HTML, "au3/index.html": HTML})


VENDOR_PACKAGES = {
    "storyline-like-scorm12": storyline_like,
    "multi-sco-scorm12": multi_sco_12,
    "sub-manifest-scorm12": sub_manifest_12,
    "sequencing-scorm2004": sequencing_2004,
    "tincan-like": tincan_like,
    "cmi5-blocks": cmi5_blocks,
}
