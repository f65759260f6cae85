"""SCORM 1.2 target (standards §1): ``imsmanifest.xml`` + the rendered site.

Per module (default): ``{course}-{module}-scorm12.zip`` with one organization, one item and one
SCO resource launching ``<module-id>/index.html`` that lists every file of the package.

Bundle: ``{course}-scorm12.zip``, one item + one SCO per module; the shared ``efop/`` files (and
the course home, if any) are an ``asset`` resource that every SCO declares as a dependency.

Identifiers: ``MANIFEST-{course}[-{module}]``, ``ORG-{course}[-{module}]``,
``ITEM-{course}-{module}``, ``RES-{course}-{module}``, ``RES-{course}_shared``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from efop_author.targets import _cam
from efop_author.targets._cam import ADLCP12, IMSCP12, NSMAP_12, clip, qname, xml_id

if TYPE_CHECKING:
    from lxml import etree

    from efop_author.model import Course, Module
    from efop_author.render import Site
    from efop_author.targets.base import Package

E = _cam.maker(IMSCP12, NSMAP_12)
ADL = _cam.maker(ADLCP12, NSMAP_12)


def _resource(ident: str, files: list[str], **kw: object) -> etree._Element:
    return _cam.cp_resource(E, qname(ADLCP12, "scormtype"), ident, files, **kw)  # type: ignore[arg-type]


def _item(course: Course, module: Module) -> etree._Element:
    children: list[etree._Element] = [E.title(clip(module.title))]
    if module.mastery_score is not None:
        children.append(ADL.masteryscore(str(module.mastery_score)))
    return E.item(
        *children,
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
        E.metadata(E.schema("ADL SCORM"), E.schemaversion("1.2")),
        E.organizations(
            E.organization(E.title(clip(org_title)), *items, identifier=org_id),
            default=org_id,
        ),
        E.resources(*resources),
        {
            "identifier": xml_id("MANIFEST", *ident_parts),
            "version": _cam.manifest_version(course),
        },
    )
    return _cam.tostring(root)


class Scorm12:
    name: ClassVar[str] = "scorm12"
    title: ClassVar[str] = "SCORM 1.2"
    lms_adapter: ClassVar[str] = "scorm12.js"

    def package(self, course: Course, site: Site, *, bundle: bool = False) -> list[Package]:
        return _cam.assemble_cp(
            course, site, target=self.name, bundle=bundle, sheet=True,
            manifest=_manifest, item=_item, resource=_resource,
        )
