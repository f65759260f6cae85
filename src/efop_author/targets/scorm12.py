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


def _resource(
    ident: str,
    files: list[str],
    *,
    href: str | None = None,
    scormtype: str = "sco",
    depends: tuple[str, ...] = (),
) -> etree._Element:
    attrs = {"identifier": ident, "type": "webcontent", qname(ADLCP12, "scormtype"): scormtype}
    if href is not None:
        attrs["href"] = href
    return E.resource(
        attrs,
        *(E.file(href=f) for f in files),
        *(E.dependency(identifierref=d) for d in depends),
    )


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


def module_manifest(course: Course, module: Module, files: list[str]) -> bytes:
    """The manifest of a one-module package whose SCO lists ``files`` (sorted)."""
    href = _cam.launch_href(module)
    res = _resource(xml_id("RES", course.id, module.id), sorted(files), href=href)
    return _manifest(course, (course.id, module.id), module.title, [_item(course, module)], [res])


def bundle_manifest(course: Course, module_files: dict[str, list[str]], shared: list[str]) -> bytes:
    """The manifest of a whole-course package: ``module_files`` maps module id → its files."""
    shared_id = _cam.shared_resource_id(course)
    items, resources = [], []
    for module in course.modules:
        if module.id not in module_files:
            continue
        items.append(_item(course, module))
        resources.append(
            _resource(
                xml_id("RES", course.id, module.id),
                sorted(module_files[module.id]),
                href=_cam.launch_href(module),
                depends=(shared_id,) if shared else (),
            )
        )
    if shared:
        resources.append(_resource(shared_id, sorted(shared), scormtype="asset"))
    return _manifest(course, (course.id,), course.title, items, resources)


class Scorm12:
    name: ClassVar[str] = "scorm12"
    title: ClassVar[str] = "SCORM 1.2"
    lms_adapter: ClassVar[str] = "scorm12.js"

    def package(self, course: Course, site: Site, *, bundle: bool = False) -> list[Package]:
        shared = _cam.shared_files(site)
        if bundle:
            files = dict(shared)
            if site.home is not None:
                files["index.html"] = site.home
            shared_list = list(files)
            per_module: dict[str, list[str]] = {}
            for rendered in site.modules:
                mfiles = _cam.module_files(rendered)
                files.update(mfiles)
                per_module[rendered.module.id] = list(mfiles)
            files["imsmanifest.xml"] = bundle_manifest(course, per_module, shared_list)
            name = _cam.package_name(course, self.name)
            extra = _cam.moodle_sheet(course, None, name)
            return [_cam.make_package(name, files, extra=extra)]

        packages = []
        for rendered in site.modules:
            module = rendered.module
            files = dict(shared)
            files.update(_cam.module_files(rendered))
            files["imsmanifest.xml"] = module_manifest(course, module, list(files))
            name = _cam.package_name(course, self.name, module)
            extra = _cam.moodle_sheet(course, module, name)
            packages.append(_cam.make_package(name, files, extra=extra))
        return packages
