"""Hostile inputs for the validator: zip slip, zip bombs, entity attacks, truncation, noise."""

from __future__ import annotations

import io
import struct
import zipfile

from validate_support.manifests import SCORM12_SINGLE

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<manifest identifier="x" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"><metadata><schema>&lol9;</schema></metadata></manifest>
"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE manifest [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<manifest identifier="x" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"><metadata><schema>&xxe;</schema></metadata>
<organizations/><resources/></manifest>
"""

XXE_PARAMETER = b"""<?xml version="1.0"?>
<!DOCTYPE manifest [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>
<manifest identifier="x" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"/>
"""


def make_zip(entries: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in entries.items():
            zf.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), data, compress_type=compression)
    return buf.getvalue()


def scorm_files() -> dict[str, bytes]:
    return {"imsmanifest.xml": SCORM12_SINGLE.encode(), "index.html": b"<!doctype html><title>x</title>",
            "app.js": b"var x = 1;"}


def valid_package() -> bytes:
    return make_zip(scorm_files())


def zip_slip() -> bytes:
    files = scorm_files()
    files.update({"../../evil.sh": b"rm -rf /", "/etc/cron.d/x": b"x", "C:/Windows/x.dll": b"x",
                  "a/../../b.txt": b"x", "sub\\..\\..\\c.txt": b"x"})
    return make_zip(files)


def ratio_bomb(size: int = 64 * 1024**2) -> bytes:
    """One member of ``size`` zero bytes: deflate shrinks it about 1000 times."""
    files = scorm_files()
    files["big.bin"] = bytes(size)
    return make_zip(files)


def declared_size_bomb() -> bytes:
    """A tiny zip whose central directory declares a 4 GB member (lying headers)."""
    data = bytearray(valid_package())
    pos = data.find(b"PK\x01\x02")
    while pos != -1:
        struct.pack_into("<I", data, pos + 24, 0xFFFFFFF0)  # uncompressed size
        pos = data.find(b"PK\x01\x02", pos + 4)
    return bytes(data)


def many_entries(count: int = 20_001) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("imsmanifest.xml", SCORM12_SINGLE)
        for i in range(count):
            zf.writestr(f"f/{i}.txt", b"")
    return buf.getvalue()


def manifest_package(manifest: bytes) -> bytes:
    files = scorm_files()
    files["imsmanifest.xml"] = manifest
    return make_zip(files)


def deep_manifest(depth: int) -> bytes:
    items = "".join(f'<item identifier="I{i}"><title>t</title>' for i in range(depth))
    items += "</item>" * depth
    text = SCORM12_SINGLE.replace('<organization identifier="ORG_001"><title>Module</title>',
                                  f'<organization identifier="ORG_001"><title>Module</title>{items}')
    return text.encode()
