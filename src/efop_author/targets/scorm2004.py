"""SCORM 2004 4th Edition target (standards §3.1–3.2): ``imsmanifest.xml`` + the rendered site.

Same shape as SCORM 1.2 (see :mod:`efop_author.targets.scorm12`): per module one SCO, or with
``bundle`` one SCO per module plus an ``asset`` resource for the shared files. Differences:

- namespaces imscp_v1p1 / adlcp_v1p3 / adlseq / adlnav / imsss (literal prefixes, Moodle reads
  them as strings), ``schemaversion`` ``2004 4th Edition``, ``adlcp:scormType`` (camelCase);
- no ``masteryscore`` in 2004: a module with a mastery score gets a primary objective
  ``satisfiedByMeasure="true"`` with ``minNormalizedMeasure`` = score / 100 (the LMS exposes it
  as ``cmi.scaled_passing_score``);
- every SCO item has ``deliveryControls completionSetByContent="true"
  objectiveSetByContent="true"`` (the content reports its own status);
- no Moodle import sheet: the render stage's sheet is written for SCORM 1.2;
- the organization has ``controlMode choice="true" flow="true"`` (flow defaults to false, which
  makes Continue/Previous and, in a strict sequencer, the Start request fail); no rollup or
  sequencing rules (Moodle's sequencer is partial).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from efop_author.targets import _cam
from efop_author.targets._cam import ADLCP, IMSCP, IMSSS, NSMAP_2004, clip, qname, xml_id

if TYPE_CHECKING:
    from lxml import etree

    from efop_author.model import Course, Module
    from efop_author.render import Site
    from efop_author.targets.base import Package

E = _cam.maker(IMSCP, NSMAP_2004)
SS = _cam.maker(IMSSS, NSMAP_2004)

SCHEMA_VERSION = "2004 4th Edition"


def scaled(score: int) -> str:
    """A 0–100 score as a normalized measure ``0``–``1`` (at most 4 decimals, no trailing 0)."""
    text = f"{score / 100:.4f}".rstrip("0").rstrip(".")
    return text or "0"


def _resource(ident: str, files: list[str], **kw: object) -> etree._Element:
    return _cam.cp_resource(E, qname(ADLCP, "scormType"), ident, files, **kw)  # type: ignore[arg-type]


def _item(course: Course, module: Module) -> etree._Element:
    seq: list[etree._Element] = []
    if module.mastery_score is not None:
        seq.append(
            SS.objectives(
                SS.primaryObjective(
                    SS.minNormalizedMeasure(scaled(module.mastery_score)),
                    objectiveID=f"{module.id}-mastery",
                    satisfiedByMeasure="true",
                )
            )
        )
    seq.append(SS.deliveryControls(completionSetByContent="true", objectiveSetByContent="true"))
    return E.item(
        E.title(clip(module.title)),
        SS.sequencing(*seq),
        identifier=xml_id("ITEM", course.id, module.id),
        identifierref=xml_id("RES", course.id, module.id),
    )


def _manifest(
    course: Course,
    ident_parts: tuple[str, ...],
    org_title: str,
    items: list[etree._Element],
    resources: list[etree._Element],
) -> bytes:
    org_id = xml_id("ORG", *ident_parts)
    root = E.manifest(
        E.metadata(E.schema("ADL SCORM"), E.schemaversion(SCHEMA_VERSION)),
        E.organizations(
            E.organization(
                E.title(clip(org_title)),
                *items,
                SS.sequencing(SS.controlMode(choice="true", flow="true")),
                identifier=org_id,
            ),
            default=org_id,
        ),
        E.resources(*resources),
        {
            "identifier": xml_id("MANIFEST", *ident_parts),
            "version": _cam.manifest_version(course),
        },
    )
    return _cam.tostring(root)


class Scorm2004:
    name: ClassVar[str] = "scorm2004"
    title: ClassVar[str] = "SCORM 2004 4th Edition"
    lms_adapter: ClassVar[str] = "scorm2004.js"

    def package(self, course: Course, site: Site, *, bundle: bool = False) -> list[Package]:
        return _cam.assemble_cp(
            course, site, target=self.name, bundle=bundle,
            manifest=_manifest, item=_item, resource=_resource,
        )
