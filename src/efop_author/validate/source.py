"""Validate stage: read a package (zip file, zip bytes or unpacked folder) safely, in memory.

Nothing is extracted to disk. Members are read one at a time with a byte cap, so a lying or
hostile archive cannot exhaust memory; Python's ``zipfile`` never returns more than the declared
size of a member, and the zip-level checks refuse archives whose declared sizes are too large.
Every way a corrupt archive can fail is turned into :class:`ReadError` here, at the I/O boundary.
"""

from __future__ import annotations

import io
import lzma
import os
import stat
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from efop_author.records import record

# Errors that zipfile/zlib raise on corrupt or hostile input (never bugs of ours).
CORRUPT = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, struct.error,
           NotImplementedError, RuntimeError, zlib.error, lzma.LZMAError, LookupError, OverflowError)


class ReadError(Exception):
    """A member or the archive cannot be read; ``args[0]`` is a short reason."""


@record
class Member:
    name: str
    """Name as stored in the archive (posix for folders)."""
    size: int
    """Declared uncompressed size."""
    compress_size: int
    compress_type: int = 0
    encrypted: bool = False
    utf8_flag: bool = True
    symlink: bool = False
    is_dir: bool = False
    raw_name: bytes | None = None
    """Original bytes of a name stored without the UTF-8 flag (cp437 round trip)."""


class Source:
    """A package's members and a capped reader."""

    kind = "zip"
    display: str
    members: list[Member]

    def read(self, name: str, limit: int) -> bytes:
        raise NotImplementedError

    def close(self) -> None:
        pass


class ZipSource(Source):
    kind = "zip"

    def __init__(self, data: bytes | Path, display: str) -> None:
        self.display = display
        self._fh: io.BufferedReader | io.BytesIO
        try:
            self._fh = io.BytesIO(data) if isinstance(data, bytes) else open(data, "rb")  # noqa: SIM115
        except OSError as exc:
            raise ReadError(str(exc)) from exc
        try:
            self._zf = zipfile.ZipFile(self._fh)
            infos = self._zf.infolist()
        except CORRUPT as exc:
            self._fh.close()
            raise ReadError(_reason(exc)) from exc
        self._infos: dict[str, zipfile.ZipInfo] = {}
        self.members = []
        for info in infos:
            mode = info.external_attr >> 16
            utf8 = bool(info.flag_bits & 0x800)
            raw = None
            if not utf8 and not info.filename.isascii():
                try:
                    raw = info.filename.encode("cp437")
                except UnicodeEncodeError:
                    raw = None
            member = Member(
                name=info.filename, size=info.file_size, compress_size=info.compress_size,
                compress_type=info.compress_type, encrypted=bool(info.flag_bits & 0x1), utf8_flag=utf8,
                symlink=info.create_system == 3 and stat.S_ISLNK(mode), is_dir=info.filename.endswith("/"),
                raw_name=raw)
            self.members.append(member)
            self._infos.setdefault(info.filename, info)

    def read(self, name: str, limit: int) -> bytes:
        info = self._infos.get(name)
        if info is None:
            raise ReadError("absent")
        if info.file_size > limit:
            raise ReadError("too-large")
        try:
            with self._zf.open(info) as fh:
                data = fh.read(limit + 1)
        except CORRUPT as exc:
            raise ReadError(_reason(exc)) from exc
        if len(data) > limit:
            raise ReadError("too-large")
        return data

    def close(self) -> None:
        try:
            self._zf.close()
        finally:
            self._fh.close()


class DirSource(Source):
    """An unpacked package folder; symbolic links are listed but never followed."""

    kind = "dir"

    def __init__(self, root: Path, display: str) -> None:
        self.display = display
        self.root = root
        self.members = []
        for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
            dirnames.sort()
            base = Path(dirpath)
            for name in sorted(filenames) + [d for d in dirnames if (base / d).is_symlink()]:
                p = base / name
                rel = p.relative_to(root).as_posix()
                try:
                    st = p.lstat()
                except OSError:
                    continue
                link = stat.S_ISLNK(st.st_mode)
                self.members.append(Member(rel, 0 if link else st.st_size, 0 if link else st.st_size,
                                           symlink=link))

    def read(self, name: str, limit: int) -> bytes:
        p = self.root / name
        try:
            if p.is_symlink() or not p.is_file():
                raise ReadError("absent")
            with open(p, "rb") as fh:
                data = fh.read(limit + 1)
        except OSError as exc:
            raise ReadError(_reason(exc)) from exc
        if len(data) > limit:
            raise ReadError("too-large")
        return data


def _reason(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text[:200]


def open_source(target: bytes | str | os.PathLike[str], display: str | None = None) -> Source:
    """Open a zip (path or bytes) or a folder. Raises :class:`ReadError` when unreadable."""
    if isinstance(target, (bytes, bytearray, memoryview)):
        return ZipSource(bytes(target), display or "<bytes>")
    path = Path(target)
    shown = display or path.as_posix()
    if path.is_dir():
        return DirSource(path, shown)
    return ZipSource(path, shown)


def iter_files(source: Source) -> Iterator[Member]:
    for m in source.members:
        if not m.is_dir:
            yield m
