"""The only disk writer for packages: deterministic zips, atomic replacement.

Determinism (same sources → same bytes, ``SOURCE_DATE_EPOCH`` honoured):

- entries in a fixed order: the root manifest of the format first (``imsmanifest.xml``,
  ``tincan.xml``, ``cmi5.xml``), then every other entry sorted by name;
- every entry gets the same ``date_time`` (``SOURCE_DATE_EPOCH`` in UTC, else 1980-01-01),
  the same permissions (``-rw-r--r--``), ``create_system`` Unix, no extra field, no comment;
- one compression: deflate level 6 (level 9 costs 40 % more CPU for 0.3 % smaller files), except media that are already compressed (png, jpg,
  mp4, woff2, pdf, zip...), which are stored;
- names are checked (relative, ASCII ``[A-Za-z0-9._-]`` segments, no duplicates even by case).

Atomicity: a zip (and each side file) is written to a temporary file in the destination folder,
then moved over the old one with :func:`os.replace`; a failure removes the temporary file and
leaves the previous package untouched. A folder package (``kind="dir"``, the web target) is
written to a temporary folder, then swapped with the old one.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import tempfile
import struct
import time
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from efop_author.diagnostics import EfopError
from efop_author.messages import t

if TYPE_CHECKING:
    from efop_author.targets.base import Package, PackageFile

__all__ = [
    "FIRST_ENTRIES",
    "MEDIA_EXTENSIONS",
    "PackageError",
    "check_arcname",
    "is_media",
    "ordered_files",
    "package_bytes",
    "write_bytes",
    "write_dir",
    "write_package",
    "zip_bytes",
    "zip_date_time",
]

FIRST_ENTRIES = ("mimetype", "imsmanifest.xml", "tincan.xml", "cmi5.xml")
"""Root entries written first, in this order, when present (format marker files)."""

MEDIA_EXTENSIONS = frozenset(
    {
        "png", "jpg", "jpeg", "gif", "webp", "avif",
        "mp4", "webm", "mp3", "m4a", "ogg",
        "woff", "woff2", "pdf", "zip", "gz",
    }
)  # fmt: skip
"""Already-compressed formats: stored in the zip, not deflated."""

COMPRESSION = zipfile.ZIP_DEFLATED
COMPRESS_LEVEL = 6
FILE_MODE = 0o644
DIR_MODE = 0o755
_EPOCH_1980 = 315532800  # 1980-01-01T00:00:00Z, the smallest zip date
_MAX_ZIP_EPOCH = 4354819199  # 2107-12-31T23:59:59Z, the largest zip date

_SEGMENT = re.compile(r"^[A-Za-z0-9._-]+$")
_SIDE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


class PackageError(EfopError):
    """A package cannot be built or written (bad file name, disk error...)."""

    exit_code = 1


def check_arcname(name: str) -> None:
    """Raise :class:`PackageError` unless ``name`` is a safe, portable zip entry name."""
    reason = None
    if not name:
        reason = "package.reason-empty"
    elif "\\" in name:
        reason = "package.reason-backslash"
    elif name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        reason = "package.reason-absolute"
    else:
        for seg in name.split("/"):
            if seg in ("", ".", ".."):
                reason = "package.reason-parent" if seg else "package.reason-empty"
                break
            if not _SEGMENT.match(seg):
                reason = "package.reason-non-ascii"
                break
    if reason:
        raise PackageError(t("package.bad-arcname", name=name, reason=t(reason)))


def is_media(name: str) -> bool:
    """True for file types that are already compressed (stored, not deflated)."""
    return name.rsplit(".", 1)[-1].lower() in MEDIA_EXTENSIONS if "." in name else False


def zip_date_time() -> tuple[int, int, int, int, int, int]:
    """The one timestamp of every entry: ``SOURCE_DATE_EPOCH`` (UTC) or 1980-01-01 00:00:00."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    try:
        epoch = int(raw) if raw else _EPOCH_1980
    except ValueError:
        epoch = _EPOCH_1980
    epoch = min(max(epoch, _EPOCH_1980), _MAX_ZIP_EPOCH)
    return time.gmtime(epoch)[:6]


def ordered_files(files: Iterable[PackageFile], package_name: str = "") -> list[PackageFile]:
    """Check names and duplicates, then order: :data:`FIRST_ENTRIES` first, the rest sorted."""
    seen: dict[str, str] = {}
    result = []
    for f in files:
        check_arcname(f.arcname)
        folded = f.arcname.lower()
        if folded in seen:
            raise PackageError(t("package.duplicate-entry", name=f.arcname, package=package_name))
        seen[folded] = f.arcname
        result.append(f)
    first = {name: i for i, name in enumerate(FIRST_ENTRIES)}
    result.sort(key=lambda f: (first.get(f.arcname, len(first)), f.arcname))
    return result


def zip_bytes(pkg: Package) -> bytes:
    """The zip file of ``pkg`` as bytes (what :func:`write_package` writes)."""
    import io

    buf = io.BytesIO()
    _write_zip(pkg, buf)
    return buf.getvalue()


package_bytes = zip_bytes
"""Alias used by the build orchestrator (zip in memory, validated, then written)."""


def write_bytes(dest: Path | str, data: bytes) -> Path:
    """Atomically write ``data`` to ``dest`` (a zip made by :func:`zip_bytes`, or a side file).

    The folder must exist; the previous ``dest`` is untouched when anything fails.
    """
    dest = Path(dest)
    _check_name(dest.name)
    try:
        _atomic_write(dest, lambda fh: fh.write(data))
    except OSError as exc:
        raise PackageError(t("package.write-failed", path=dest, error=exc)) from exc
    return dest


def write_dir(pkg: Package, out_dir: Path | str) -> Path:
    """Write a folder package (``kind="dir"``) as ``out_dir/pkg.name``, swapped in atomically."""
    out = Path(out_dir)
    _check_name(pkg.name)
    dest = out / pkg.name
    try:
        out.mkdir(parents=True, exist_ok=True)
        _write_dir(pkg, dest)
    except OSError as exc:
        raise PackageError(t("package.write-failed", path=dest, error=exc)) from exc
    return dest


def _write_zip(pkg: Package, fileobj: object) -> None:
    files = ordered_files(pkg.files, pkg.name)
    date_time = zip_date_time()
    entries = [(f.arcname.encode("ascii"), *_entry_data(f)) for f in files]
    total = sum(len(data) + 2 * len(name) + _LOCAL.size + _CENTRAL.size for name, _, _, _, data in entries)
    if len(entries) >= 0xFFFF or total > _ZIP32_LIMIT or any(size * 1.05 > _ZIP32_LIMIT for _, _, _, size, _ in entries):
        _write_zip64(files, fileobj, date_time)
        return
    _write_zip32(entries, fileobj, date_time)  # type: ignore[arg-type]


_ZIP32_LIMIT = 0x7FFFFFFF
"""Beyond this (or 65,535 entries), zipfile writes the archive, with its zip64 records."""
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_VERSION = 20  # what zipfile writes for stored and deflated entries


def _entry_data(f: PackageFile) -> tuple[int, int, int, bytes]:
    """(method, CRC-32, uncompressed size, data as stored in the zip)."""
    if not f.compress or is_media(f.arcname):
        return zipfile.ZIP_STORED, zlib.crc32(f.data), len(f.data), f.data
    crc, deflated = _deflate(f.data)
    return zipfile.ZIP_DEFLATED, crc, len(f.data), deflated


@functools.lru_cache(maxsize=16)
def _deflate(data: bytes) -> tuple[int, bytes]:
    """CRC-32 and raw deflate stream of ``data``, as zipfile computes them. Kept for the last
    few contents: the run-time files (``efop/``) are the same in every package of a build,
    and compressing them again for each one cost half of the zip time."""
    compressor = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, -15)
    return zlib.crc32(data), compressor.compress(data) + compressor.flush()


def _write_zip32(entries: list[tuple[bytes, int, int, int, bytes]], fileobj: object,
                 date_time: tuple[int, int, int, int, int, int]) -> None:
    """The archive zipfile would write for these entries (same bytes; a test compares),
    without compressing the same content twice."""
    year, month, day, hour, minute, second = date_time
    dos_time = hour << 11 | minute << 5 | second // 2
    dos_date = (year - 1980) << 9 | month << 5 | day
    external = (0o100000 | FILE_MODE) << 16
    out: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for name, method, crc, size, data in entries:
        out.append(_LOCAL.pack(b"PK\x03\x04", _VERSION, 0, 0, method, dos_time, dos_date, crc, len(data),
                               size, len(name), 0))
        out.append(name)
        out.append(data)
        central.append(_CENTRAL.pack(b"PK\x01\x02", _VERSION, 3, _VERSION, 0, 0, method, dos_time, dos_date, crc,
                                     len(data), size, len(name), 0, 0, 0, 0, external, offset))
        central.append(name)
        offset += _LOCAL.size + len(name) + len(data)
    directory = b"".join(central)
    out.append(directory)
    out.append(_END.pack(b"PK\x05\x06", 0, 0, len(entries), len(entries), len(directory), offset, 0))
    fileobj.write(b"".join(out))  # type: ignore[attr-defined]


def _write_zip64(files: list[PackageFile], fileobj: object, date_time: tuple[int, int, int, int, int, int]) -> None:
    with zipfile.ZipFile(fileobj, "w", allowZip64=True) as zf:  # type: ignore[arg-type]
        for f in files:
            info = zipfile.ZipInfo(f.arcname, date_time=date_time)
            info.create_system = 3  # Unix, so that external_attr carries the mode
            info.external_attr = (0o100000 | FILE_MODE) << 16
            stored = not f.compress or is_media(f.arcname)
            if stored:
                zf.writestr(info, f.data, compress_type=zipfile.ZIP_STORED)
            else:
                zf.writestr(info, f.data, compress_type=COMPRESSION, compresslevel=COMPRESS_LEVEL)


def _check_name(name: str) -> None:
    if not _SIDE_NAME.match(name) or name in (".", ".."):
        raise PackageError(t("package.bad-name", name=name))


def _atomic_write(dest: Path, writer: object) -> None:
    """Write through ``writer(fileobj)`` into a temp file next to ``dest``, then replace it.

    Readers see the old file or the new one, never a partial one, and a failing build leaves
    the old one. No ``fsync`` (as MkDocs, Sphinx or zip do not): it protects against a power
    cut, not against a failing build, and cost up to 0.8 s per build when other processes
    were writing to the disk."""
    fd, tmp_name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            writer(fh)  # type: ignore[operator]
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _write_dir(pkg: Package, dest: Path) -> None:
    files = ordered_files(pkg.files, pkg.name)
    epoch = _epoch_for_mtime()
    tmp = Path(tempfile.mkdtemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".tmp"))
    old: Path | None = None
    try:
        os.chmod(tmp, DIR_MODE)
        for f in files:
            target = tmp.joinpath(*f.arcname.split("/"))
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(f.data)
            os.chmod(target, FILE_MODE)
            os.utime(target, (epoch, epoch))
        if dest.is_dir() and not dest.is_symlink():
            old = Path(tempfile.mkdtemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".old"))
            old.rmdir()
            os.replace(dest, old)
        elif dest.exists() or dest.is_symlink():
            dest.unlink()
        try:
            os.replace(tmp, dest)
        except BaseException:
            if old is not None:
                os.replace(old, dest)  # put the previous folder back
                old = None
            raise
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _epoch_for_mtime() -> int:
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    try:
        return max(int(raw), 0) if raw else _EPOCH_1980
    except ValueError:
        return _EPOCH_1980


def write_package(pkg: Package, out_dir: Path | str) -> Path:
    """Write ``pkg`` (and its side files) into ``out_dir``; return the package path.

    Raises :class:`PackageError` on a bad name or a disk error; the previous package with the
    same name, if any, is then left as it was.
    """
    out = Path(out_dir)
    _check_name(pkg.name)
    for side_name, _ in pkg.extra:
        _check_name(side_name)
    dest = out / pkg.name
    try:
        out.mkdir(parents=True, exist_ok=True)
        if pkg.kind == "dir":
            _write_dir(pkg, dest)
        elif pkg.kind == "zip":
            files = ordered_files(pkg.files, pkg.name)  # fail before touching the disk
            del files
            _atomic_write(dest, lambda fh: _write_zip(pkg, fh))
        else:
            raise ValueError(f"unknown package kind {pkg.kind!r}")
        for side_name, data in pkg.extra:
            _atomic_write(out / side_name, lambda fh, data=data: fh.write(data))
    except OSError as exc:
        raise PackageError(t("package.write-failed", path=dest, error=exc)) from exc
    return dest
