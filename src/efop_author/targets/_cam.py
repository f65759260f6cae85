"""Shared IMS content-packaging helpers for every target.

- namespaces and :class:`lxml.builder.ElementMaker` factories with the exact prefixes LMSs
  expect (Moodle's manifest parser is not namespace-aware: the prefixes must be literally
  ``adlcp``, ``imsss``, ``adlseq``, ``adlnav``);
- file lists: which files of a rendered :class:`~efop_author.render.Site` go into a package;
- identifier derivation: manifest/item/resource ids from the course and module ids only
  (never from titles or counters), so they are stable across builds;
- serialisation of an lxml tree to UTF-8 bytes.

Manifests are only ever built with ElementMaker: escaping is right by construction.
"""

from __future__ import annotations

import re
from functools import cache
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

from lxml import etree, html
from lxml.builder import ElementMaker

from efop_author.messages import t
from efop_author.package.writer import PackageError, check_arcname, is_media
from efop_author.targets.base import Package, PackageFile

if TYPE_CHECKING:
    from efop_author.model import Course, Module
    from efop_author.render import RenderedModule, Site

XSI = "http://www.w3.org/2001/XMLSchema-instance"

# SCORM 1.2 (standards §1.2)
IMSCP12 = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
# No xsi:schemaLocation is written: it would name XSD files that the package cannot ship (the
# official XSDs are third-party files the project does not redistribute), and LMSs, Moodle
# included, never read it. The validator warns (scorm12.missing-xsd) about packages that name
# absent XSDs; ours name none. These constants remain for the validator's tests.
SCHEMA_LOCATION_12 = (
    f"{IMSCP12} imscp_rootv1p1p2.xsd {ADLCP12} adlcp_rootv1p2.xsd"
)

# SCORM 2004 4th Edition (standards §3.1)
IMSCP = "http://www.imsglobal.org/xsd/imscp_v1p1"
ADLCP = "http://www.adlnet.org/xsd/adlcp_v1p3"
ADLSEQ = "http://www.adlnet.org/xsd/adlseq_v1p3"
ADLNAV = "http://www.adlnet.org/xsd/adlnav_v1p3"
IMSSS = "http://www.imsglobal.org/xsd/imsss"
SCHEMA_LOCATION_2004 = (
    f"{IMSCP} imscp_v1p1.xsd {ADLCP} adlcp_v1p3.xsd {ADLSEQ} adlseq_v1p3.xsd "
    f"{ADLNAV} adlnav_v1p3.xsd {IMSSS} imsss_v1p0.xsd"
)

# Tin Can (standards §5.2) and cmi5 (standards §6.1)
TINCAN = "http://projecttincan.com/tincan.xsd"
CMI5 = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"

XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'

NSMAP_12 = {None: IMSCP12, "adlcp": ADLCP12, "xsi": XSI}
NSMAP_2004 = {
    None: IMSCP,
    "adlcp": ADLCP,
    "adlseq": ADLSEQ,
    "adlnav": ADLNAV,
    "imsss": IMSSS,
    "xsi": XSI,
}

SHARED_DIR = "efop"
"""Folder of the shared run-time/theme files in every package."""

MAX_TITLE = 200
"""SCORM 1.2 ``title`` is at most 200 characters (imscp_rootv1p1p2.xsd)."""
MAX_VERSION = 20
"""``manifest/@version`` is at most 20 characters."""


def maker(namespace: str | None, nsmap: Mapping[str | None, str]) -> ElementMaker:
    """An ElementMaker for ``namespace`` that declares ``nsmap`` on the elements it creates."""
    return ElementMaker(namespace=namespace, nsmap=dict(nsmap))


def qname(namespace: str, local: str) -> str:
    """Clark notation ``{ns}local`` for attributes such as ``adlcp:scormtype``."""
    return f"{{{namespace}}}{local}"


def tostring(root: etree._Element) -> bytes:
    """UTF-8 XML with declaration, pretty printed (stable, byte-identical on every build)."""
    nsmap = root.nsmap
    etree.cleanup_namespaces(
        root, top_nsmap=nsmap, keep_ns_prefixes=[p for p in nsmap if p is not None]
    )
    body = etree.tostring(root, xml_declaration=False, encoding="UTF-8", pretty_print=True)
    return XML_DECLARATION + body


# ---------------------------------------------------------------------------------------------
# identifiers


def xml_id(kind: str, *parts: str) -> str:
    """``KIND-part1-part2``: a valid, stable ``xs:ID`` derived from slug ids.

    Slugs (``[a-z][a-z0-9-]*``) never contain ``_``; ids of course-level objects that must not
    clash with a module id use an ``_`` suffix (see :func:`shared_resource_id`).
    """
    ident = "-".join((kind, *parts))
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.-]*", ident):
        raise ValueError(f"not an xs:ID: {ident!r}")
    return ident


def shared_resource_id(course: Course) -> str:
    """Id of the ``asset`` resource holding the shared ``efop/`` files (bundles)."""
    return xml_id("RES", course.id) + "_shared"


def clip(text: str, limit: int = MAX_TITLE) -> str:
    """``text`` cut to ``limit`` characters (with an ellipsis when cut)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def manifest_version(course: Course) -> str:
    return course.version[:MAX_VERSION]


# ---------------------------------------------------------------------------------------------
# text


def html_text(fragment: str) -> str:
    """Plain text of an inline/block HTML fragment, whitespace collapsed."""
    if not fragment or not fragment.strip():
        return ""
    if "<" not in fragment and "&" not in fragment:
        return " ".join(fragment.split())
    node = html.fragment_fromstring(fragment, create_parent="div")
    return " ".join(node.text_content().split())


@cache
def _inline_md() -> object:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False})


def markdown_text(text: str) -> str:
    """Plain text of a Markdown inline string (``description`` fields): markup removed, raw
    ``<`` kept as text."""
    if not text or not text.strip():
        return ""
    return html_text(_inline_md().renderInline(text))  # type: ignore[attr-defined]


def languages(course: Course) -> tuple[str, ...]:
    """Language tags of multilingual names: the course language first, then ``fr``/``en``.

    The model has no translations yet, so every language gets the same text.
    """
    first = course.language or "fr"
    return tuple(dict.fromkeys((first, "fr", "en")))


# ---------------------------------------------------------------------------------------------
# file lists


def shared_files(site: Site) -> dict[str, bytes]:
    """``efop/...`` → bytes."""
    return {f"{SHARED_DIR}/{name}": data for name, data in site.shared.items()}


def module_files(rendered: RenderedModule) -> dict[str, bytes]:
    """``<module-id>/...`` → bytes."""
    mid = rendered.module.id
    if mid == SHARED_DIR:
        raise PackageError(t("package.module-clash", module=mid))
    return {f"{mid}/{name}": data for name, data in rendered.files.items()}


def launch_href(module: Module) -> str:
    return f"{module.id}/index.html"


def package_files(files: Mapping[str, bytes]) -> tuple[PackageFile, ...]:
    """Sorted :class:`PackageFile` values, names checked, media flagged as stored."""
    result = []
    for name in sorted(files):
        check_arcname(name)
        result.append(PackageFile(name, files[name], compress=not is_media(name)))
    return tuple(result)


def make_package(
    name: str,
    files: Mapping[str, bytes],
    *,
    kind: str = "zip",
    extra: Iterable[tuple[str, bytes]] = (),
) -> Package:
    return Package(name=name, files=package_files(files), kind=kind, extra=tuple(extra))


def package_name(course: Course, target: str, module: Module | None = None) -> str:
    """``{course}-{module}-{target}.zip`` per module, ``{course}-{target}.zip`` for a bundle."""
    if module is None:
        return f"{course.id}-{target}.zip"
    return f"{course.id}-{module.id}-{target}.zip"


def moodle_sheet(course: Course, module: Module | None, package: str) -> tuple[tuple[str, bytes], ...]:
    """The French Moodle import sheet ``{stem}.moodle.md`` next to a SCORM 1.2 package.

    The sheet (render stage, :func:`efop_author.render.moodle_sheet.moodle_import_sheet`) is
    written for SCORM 1.2 (``adlcp:masteryscore``, 1.2 suspend_data limit), so only the
    ``scorm12`` target attaches it.
    """
    from efop_author.render.moodle_sheet import moodle_import_sheet

    stem = package.removesuffix(".zip")
    text = moodle_import_sheet(course, module)
    return ((f"{stem}.moodle.md", text.encode("utf-8")),)


# ---------------------------------------------------------------------------------------------
# the packaging loop shared by every zip target

ModuleManifest = Callable[["Module", list[str]], bytes]
"""(module, every file of its package) -> manifest bytes."""
BundleManifest = Callable[[dict[str, list[str]], list[str]], bytes]
"""(module id -> its files, shared files) -> manifest bytes of the whole-course package."""


def assemble(
    course: Course,
    site: Site,
    *,
    target: str,
    manifest: str,
    per_module: ModuleManifest,
    whole: BundleManifest,
    bundle: bool,
    sheet: bool = False,
) -> list[Package]:
    """One package per module, or one for the course (``bundle``): shared ``efop/`` files,
    the module folders, the course home in bundles, and the manifest file named ``manifest``.
    ``sheet`` attaches the Moodle import sheet next to each package."""
    shared = shared_files(site)

    def extra(module: Module | None, name: str) -> tuple[tuple[str, bytes], ...]:
        return moodle_sheet(course, module, name) if sheet else ()

    if bundle:
        files = dict(shared)
        if site.home is not None:
            files["index.html"] = site.home
        shared_list = list(files)
        per: dict[str, list[str]] = {}
        for rendered in site.modules:
            mfiles = module_files(rendered)
            files.update(mfiles)
            per[rendered.module.id] = list(mfiles)
        files[manifest] = whole(per, shared_list)
        name = package_name(course, target)
        return [make_package(name, files, extra=extra(None, name))]
    packages = []
    for rendered in site.modules:
        files = dict(shared)
        files.update(module_files(rendered))
        files[manifest] = per_module(rendered.module, list(files))
        name = package_name(course, target, rendered.module)
        packages.append(make_package(name, files, extra=extra(rendered.module, name)))
    return packages


def cp_resource(
    maker_: ElementMaker,
    type_attr: str,
    ident: str,
    files: list[str],
    *,
    href: str | None = None,
    kind: str = "sco",
    depends: tuple[str, ...] = (),
) -> etree._Element:
    """An IMS CP ``<resource>`` (SCORM 1.2 ``adlcp:scormtype`` / 2004 ``adlcp:scormType``)."""
    attrs = {"identifier": ident, "type": "webcontent", type_attr: kind}
    if href is not None:
        attrs["href"] = href
    return maker_.resource(
        attrs,
        *(maker_.file(href=f) for f in files),
        *(maker_.dependency(identifierref=d) for d in depends),
    )


CPManifest = Callable[["Course", tuple[str, ...], str, list[etree._Element], list[etree._Element]], bytes]
"""(course, identifier parts, organization title, items, resources) -> ``imsmanifest.xml``."""


def assemble_cp(
    course: Course,
    site: Site,
    *,
    target: str,
    bundle: bool,
    manifest: CPManifest,
    item: Callable[[Course, Module], etree._Element],
    resource: Callable[..., etree._Element],
    sheet: bool = False,
) -> list[Package]:
    """:func:`assemble` for an IMS content-package target (SCORM 1.2, 2004): one SCO per
    module; in a bundle, each SCO depends on one ``asset`` resource holding the shared
    files. The target gives its manifest, item and resource makers."""

    def per_module(module: Module, files: list[str]) -> bytes:
        res = resource(xml_id("RES", course.id, module.id), sorted(files), href=launch_href(module))
        return manifest(course, (course.id, module.id), module.title, [item(course, module)], [res])

    def whole(module_files_: dict[str, list[str]], shared: list[str]) -> bytes:
        shared_id = shared_resource_id(course)
        items, resources = [], []
        for module in course.modules:
            if module.id not in module_files_:
                continue
            items.append(item(course, module))
            resources.append(
                resource(
                    xml_id("RES", course.id, module.id),
                    sorted(module_files_[module.id]),
                    href=launch_href(module),
                    depends=(shared_id,) if shared else (),
                )
            )
        if shared:
            resources.append(resource(shared_id, sorted(shared), kind="asset"))
        return manifest(course, (course.id,), course.title, items, resources)

    return assemble(course, site, target=target, manifest="imsmanifest.xml", bundle=bundle, sheet=sheet,
                    per_module=per_module, whole=whole)
