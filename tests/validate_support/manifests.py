"""Valid base manifests (SCORM 1.2, SCORM 2004 4th Ed., cmi5) and systematic mutations of them.

Each base is valid against the official XSDs and clean for the native validator. The mutation
operators cover the acceptance list: missing required elements, wrong order, bad ids, wrong
namespaces, bad attribute values (and a few more: unknown attributes, stray text, bad text).
"""

from __future__ import annotations

import copy
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

CP12 = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
CP04 = "http://www.imsglobal.org/xsd/imscp_v1p1"
ADLCP04 = "http://www.adlnet.org/xsd/adlcp_v1p3"
IMSSS = "http://www.imsglobal.org/xsd/imsss"
ADLSEQ = "http://www.adlnet.org/xsd/adlseq_v1p3"
ADLNAV = "http://www.adlnet.org/xsd/adlnav_v1p3"
CMI5 = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"

SCORM12_SINGLE = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="MOD_001" version="1" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="ORG_001">
    <organization identifier="ORG_001"><title>Module</title>
      <item identifier="ITEM_001" identifierref="RES_001" isvisible="true"><title>Leçon 1</title>
        <adlcp:masteryscore>80</adlcp:masteryscore></item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="RES_001" type="webcontent" adlcp:scormtype="sco" href="index.html">
      <file href="index.html"/><file href="app.js"/>
    </resource>
  </resources>
</manifest>
"""

SCORM12_MULTI = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="com.vendor.course" version="2.0" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion><adlcp:location>meta.xml</adlcp:location></metadata>
  <organizations default="TOC1">
    <organization identifier="TOC1" structure="hierarchical"><title>Cours</title>
      <item identifier="CH1"><title>Chapitre 1</title>
        <item identifier="SCO1" identifierref="R_SCO1" parameters="?page=1"><title>Partie 1</title>
          <adlcp:maxtimeallowed>00:30:00</adlcp:maxtimeallowed>
          <adlcp:timelimitaction>continue,no message</adlcp:timelimitaction>
          <adlcp:datafromlms>mode=full</adlcp:datafromlms>
          <adlcp:masteryscore>75.5</adlcp:masteryscore>
        </item>
        <item identifier="SCO2" identifierref="R_SCO2" isvisible="false"><title>Partie 2</title>
          <adlcp:prerequisites type="aicc_script">SCO1</adlcp:prerequisites>
        </item>
      </item>
      <item identifier="SCO3" identifierref="R_SCO3"><title>Évaluation</title><metadata/></item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="R_SCO1" type="webcontent" adlcp:scormtype="sco" xml:base="sco1/" href="index.html">
      <file href="index.html"/><dependency identifierref="R_SHARED"/>
    </resource>
    <resource identifier="R_SCO2" type="webcontent" adlcp:scormtype="sco" href="sco2/index.html">
      <file href="sco2/index.html"/><dependency identifierref="R_SHARED"/>
    </resource>
    <resource identifier="R_SCO3" type="webcontent" adlcp:scormtype="sco" href="quiz/index.html">
      <metadata/><file href="quiz/index.html"><metadata/></file><dependency identifierref="R_SHARED"/>
    </resource>
    <resource identifier="R_SHARED" type="webcontent" adlcp:scormtype="asset">
      <file href="shared/api.js"/><file href="shared/style.css"/><file href="meta.xml"/>
    </resource>
  </resources>
</manifest>
"""

SCORM2004_SINGLE = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="MOD_2004" version="1" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss"
  xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3" xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="ORG">
    <organization identifier="ORG"><title>Module</title>
      <item identifier="ITEM" identifierref="RES"><title>Leçon</title>
        <imsss:sequencing>
          <imsss:objectives>
            <imsss:primaryObjective satisfiedByMeasure="true"><imsss:minNormalizedMeasure>0.8</imsss:minNormalizedMeasure></imsss:primaryObjective>
          </imsss:objectives>
          <imsss:deliveryControls completionSetByContent="true" objectiveSetByContent="true"/>
        </imsss:sequencing>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="RES" type="webcontent" adlcp:scormType="sco" href="index.html">
      <file href="index.html"/><file href="app.js"/>
    </resource>
  </resources>
</manifest>
"""

SCORM2004_SEQ = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="SEQ_COURSE" version="1.3" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss"
  xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3" xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="ORG">
    <organization identifier="ORG" adlseq:objectivesGlobalToSystem="false"><title>Parcours</title>
      <item identifier="M1" identifierref="R1"><title>Module 1</title>
        <adlcp:completionThreshold completedByMeasure="true" minProgressMeasure="0.9" progressWeight="1"/>
        <adlcp:data><adlcp:map targetID="urn:efop:shared" readSharedData="true" writeSharedData="true"/></adlcp:data>
        <imsss:sequencing>
          <imsss:limitConditions attemptLimit="3" attemptAbsoluteDurationLimit="PT1H30M"/>
          <imsss:objectives>
            <imsss:primaryObjective objectiveID="m1-primary" satisfiedByMeasure="true">
              <imsss:minNormalizedMeasure>0.75</imsss:minNormalizedMeasure>
              <imsss:mapInfo targetObjectiveID="urn:efop:m1" writeSatisfiedStatus="true"/>
            </imsss:primaryObjective>
            <imsss:objective objectiveID="m1-extra"/>
          </imsss:objectives>
          <imsss:deliveryControls tracked="true" completionSetByContent="true" objectiveSetByContent="true"/>
          <adlseq:objectives><adlseq:objective objectiveID="m1-primary"><adlseq:mapInfo targetObjectiveID="urn:efop:m1" writeRawScore="true"/></adlseq:objective></adlseq:objectives>
        </imsss:sequencing>
        <adlnav:presentation><adlnav:navigationInterface><adlnav:hideLMSUI>continue</adlnav:hideLMSUI><adlnav:hideLMSUI>previous</adlnav:hideLMSUI></adlnav:navigationInterface></adlnav:presentation>
      </item>
      <item identifier="M2" identifierref="R2"><title>Module 2</title>
        <adlcp:timeLimitAction>exit,message</adlcp:timeLimitAction>
        <adlcp:dataFromLMS>level=2</adlcp:dataFromLMS>
        <imsss:sequencing>
          <imsss:sequencingRules>
            <imsss:preConditionRule>
              <imsss:ruleConditions conditionCombination="any"><imsss:ruleCondition referencedObjective="m2-pre" condition="satisfied" operator="not"/></imsss:ruleConditions>
              <imsss:ruleAction action="disabled"/>
            </imsss:preConditionRule>
            <imsss:exitConditionRule><imsss:ruleConditions><imsss:ruleCondition condition="completed"/></imsss:ruleConditions><imsss:ruleAction action="exit"/></imsss:exitConditionRule>
            <imsss:postConditionRule><imsss:ruleConditions><imsss:ruleCondition condition="objectiveMeasureGreaterThan" measureThreshold="0.5"/></imsss:ruleConditions><imsss:ruleAction action="continue"/></imsss:postConditionRule>
          </imsss:sequencingRules>
          <imsss:objectives>
            <imsss:primaryObjective objectiveID="m2-primary"/>
            <imsss:objective objectiveID="m2-pre"><imsss:mapInfo targetObjectiveID="urn:efop:m1" readSatisfiedStatus="true"/></imsss:objective>
          </imsss:objectives>
        </imsss:sequencing>
      </item>
      <imsss:sequencing>
        <imsss:controlMode choice="true" flow="true" forwardOnly="false"/>
        <imsss:rollupRules rollupObjectiveSatisfied="true" objectiveMeasureWeight="0.5">
          <imsss:rollupRule childActivitySet="atLeastCount" minimumCount="1" minimumPercent="0.5">
            <imsss:rollupConditions conditionCombination="all"><imsss:rollupCondition condition="satisfied"/></imsss:rollupConditions>
            <imsss:rollupAction action="satisfied"/>
          </imsss:rollupRule>
        </imsss:rollupRules>
        <imsss:randomizationControls randomizationTiming="never" selectCount="2" reorderChildren="false"/>
        <adlseq:rollupConsiderations requiredForSatisfied="ifAttempted" measureSatisfactionIfActive="true"/>
        <adlseq:constrainedChoiceConsiderations preventActivation="false" constrainChoice="false"/>
      </imsss:sequencing>
    </organization>
  </organizations>
  <resources>
    <resource identifier="R1" type="webcontent" adlcp:scormType="sco" href="m1/index.html">
      <file href="m1/index.html"/><dependency identifierref="COMMON"/>
    </resource>
    <resource identifier="R2" type="webcontent" adlcp:scormType="sco" xml:base="m2/" href="index.html?x=1">
      <file href="index.html"/><dependency identifierref="COMMON"/>
    </resource>
    <resource identifier="COMMON" type="webcontent" adlcp:scormType="asset">
      <file href="common/runtime.js"/>
    </resource>
  </resources>
  <imsss:sequencingCollection>
    <imsss:sequencing ID="SHARED_SEQ"><imsss:controlMode flow="true"/></imsss:sequencing>
  </imsss:sequencingCollection>
</manifest>
"""

CMI5_SIMPLE = """<?xml version="1.0" encoding="utf-8"?>
<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
  <course id="https://efop.example/courses/m1">
    <title><langstring lang="fr-FR">Modul 1</langstring></title>
    <description><langstring lang="fr-FR">Description</langstring></description>
  </course>
  <au id="https://efop.example/courses/m1/au/1" moveOn="CompletedAndPassed" masteryScore="0.8" launchMethod="AnyWindow">
    <title><langstring lang="fr-FR">Leçon 1</langstring></title>
    <description><langstring lang="fr-FR">…</langstring></description>
    <url>au1/index.html</url>
  </au>
</courseStructure>
"""

CMI5_COMPLEX = """<?xml version="1.0" encoding="utf-8"?>
<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd" xmlns:ext="urn:vendor:ext">
  <course id="https://efop.example/courses/c2" ext:build="42">
    <title><langstring lang="fr-FR">Cours</langstring><langstring lang="en-US">Course</langstring></title>
    <description><langstring lang="fr-FR">Desc</langstring></description>
    <ext:meta>x</ext:meta>
  </course>
  <objectives>
    <objective id="https://efop.example/obj/1">
      <description><langstring>Objectif 1</langstring></description>
      <title><langstring>O1</langstring></title>
    </objective>
  </objectives>
  <block id="https://efop.example/courses/c2/block/1">
    <title><langstring>Bloc</langstring></title>
    <description><langstring>Bloc 1</langstring></description>
    <objectives><objective idref="https://efop.example/obj/1"/></objectives>
    <au id="https://efop.example/courses/c2/au/1" moveOn="Passed" masteryScore="0.75" activityType="http://adlnet.gov/expapi/activities/lesson">
      <title><langstring>AU 1</langstring></title>
      <description><langstring>AU 1</langstring></description>
      <objectives><objective idref="https://efop.example/obj/1"/></objectives>
      <url>au1/index.html?lang=fr</url>
      <launchParameters>{"mode":"x"}</launchParameters>
      <entitlementKey>abc</entitlementKey>
    </au>
    <block id="https://efop.example/courses/c2/block/2">
      <title><langstring>Sous-bloc</langstring></title>
      <description><langstring>…</langstring></description>
      <au id="https://efop.example/courses/c2/au/2" launchMethod="OwnWindow">
        <title><langstring>AU 2</langstring></title>
        <description><langstring>AU 2</langstring></description>
        <url>https://cdn.example.org/au2/</url>
      </au>
    </block>
  </block>
  <au id="https://efop.example/courses/c2/au/3" moveOn="Completed">
    <title><langstring>AU 3</langstring></title>
    <description><langstring>AU 3</langstring></description>
    <url>au3/index.html</url>
  </au>
</courseStructure>
"""


@dataclass(frozen=True)
class Base:
    name: str
    family: str
    """``scorm12``, ``scorm2004`` or ``cmi5`` (the official schema set to use)."""
    text: str
    files: tuple[str, ...]
    """Files the package contains besides the manifest (every href of the base)."""

    @property
    def manifest_name(self) -> str:
        return "cmi5.xml" if self.family == "cmi5" else "imsmanifest.xml"


BASES = (
    Base("scorm12-single", "scorm12", SCORM12_SINGLE, ("index.html", "app.js")),
    Base("scorm12-multi", "scorm12", SCORM12_MULTI, (
        "sco1/index.html", "sco2/index.html", "quiz/index.html", "shared/api.js", "shared/style.css",
        "meta.xml")),
    Base("scorm2004-single", "scorm2004", SCORM2004_SINGLE, ("index.html", "app.js")),
    Base("scorm2004-seq", "scorm2004", SCORM2004_SEQ, ("m1/index.html", "m2/index.html", "common/runtime.js")),
    Base("cmi5-simple", "cmi5", CMI5_SIMPLE, ("au1/index.html",)),
    Base("cmi5-complex", "cmi5", CMI5_COMPLEX, ("au1/index.html", "au3/index.html")),
)

BAD_VALUES = ("", "1bad", "not valid", "2.5", "-3", "yes", "http://[bad", "a#b#c", "x" * 2100)
BAD_TEXTS = ("", "abc", "150", "-0.5", "1.5", "x" * 300)
_OTHER_NS = {CP12: ADLCP12, ADLCP12: CP12, CP04: ADLCP04, ADLCP04: CP04, IMSSS: ADLSEQ, ADLSEQ: IMSSS,
             ADLNAV: ADLCP04, CMI5: "urn:vendor:ext"}


@dataclass(frozen=True)
class Case:
    base: Base
    label: str
    xml: bytes


def _serialize(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def mutations(base: Base) -> Iterator[Case]:
    """Every single-point mutation of ``base`` (deterministic order)."""
    original = etree.fromstring(base.text.encode())
    elements = [el for el in original.iter() if isinstance(el.tag, str)]
    paths = list(range(len(elements)))

    def variant() -> tuple[etree._Element, list[etree._Element]]:
        root = copy.deepcopy(original)
        return root, [el for el in root.iter() if isinstance(el.tag, str)]

    yield Case(base, "original", _serialize(original))
    for p in paths:
        el0 = elements[p]
        local = etree.QName(el0).localname
        ns = etree.QName(el0).namespace or ""
        if el0 is not original:
            root, m = variant()
            el = m[p]
            el.getparent().remove(el)
            yield Case(base, f"delete {p}", _serialize(root))
            root, m = variant()
            el = m[p]
            nxt = el.getnext()
            while nxt is not None and not isinstance(nxt.tag, str):
                nxt = nxt.getnext()
            if nxt is not None and nxt.tag != el.tag:
                el.addprevious(copy.deepcopy(nxt))
                nxt.getparent().remove(nxt)
                yield Case(base, f"swap {p}", _serialize(root))
            root, m = variant()
            el = m[p]
            el.addnext(copy.deepcopy(el))
            yield Case(base, f"duplicate {p}", _serialize(root))
        root, m = variant()
        m[p].tag = f"{{{_OTHER_NS.get(ns, 'urn:bogus')}}}{local}"
        yield Case(base, f"namespace {p}", _serialize(root))
        root, m = variant()
        m[p].tag = f"{{{ns}}}{local[0].upper()}{local[1:]}" if ns else local.upper()
        yield Case(base, f"rename {p}", _serialize(root))
        for attr in list(el0.attrib):
            root, m = variant()
            del m[p].attrib[attr]
            yield Case(base, f"drop @{attr} {p}", _serialize(root))
            for i, bad in enumerate(BAD_VALUES):
                root, m = variant()
                m[p].set(attr, bad)
                yield Case(base, f"set @{attr}={i} {p}", _serialize(root))
        root, m = variant()
        m[p].set("foo", "bar")
        yield Case(base, f"unknown attribute {p}", _serialize(root))
        root, m = variant()
        m[p].set("{urn:bogus}foo", "bar")
        yield Case(base, f"foreign attribute {p}", _serialize(root))
        root, m = variant()
        el = m[p]
        if len(el):
            el[0].addprevious(etree.Comment("c"))
            el[0].tail = (el[0].tail or "") + "stray text"
            yield Case(base, f"stray text {p}", _serialize(root))
        else:
            for i, bad in enumerate(BAD_TEXTS):
                root, m = variant()
                m[p].text = bad
                yield Case(base, f"text={i} {p}", _serialize(root))
    # identifiers: the same id twice, an id that is not an NCName, a dangling default
    for p in paths:
        el0 = elements[p]
        for attr in ("identifier", "ID", "id"):
            if attr in el0.attrib:
                for i, bad in enumerate(("1starts-with-digit", "has space", "a:b", "ORG", "RES", "ITEM")):
                    root, m = variant()
                    m[p].set(attr, bad)
                    yield Case(base, f"id {attr}={i} {p}", _serialize(root))


def all_cases() -> list[Case]:
    seen: set[bytes] = set()
    out = []
    for base in BASES:
        for case in mutations(base):
            if case.xml not in seen:
                seen.add(case.xml)
                out.append(case)
    return out


def package(case: Case) -> bytes:
    """A zip holding the (mutated) manifest and every file the base references."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(case.base.manifest_name, case.xml)
        for name in case.base.files:
            zf.writestr(name, "<!doctype html><title>x</title>" if name.endswith(".html") else "/* x */")
    return buf.getvalue()
