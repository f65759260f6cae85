"""The package writer: deterministic zips, SOURCE_DATE_EPOCH, atomic replacement."""

from __future__ import annotations

import os
import stat
import zipfile
from pathlib import Path

import pytest

from efop_author.package import writer
from efop_author.package.writer import PackageError, write_package, zip_bytes
from efop_author.targets.base import Package, PackageFile


def _pkg(name: str = "demo-scorm12.zip", *, marker: bytes = b"v1", kind: str = "zip") -> Package:
    files = (
        PackageFile("zeta/index.html", b"<p>z</p>" * 50),
        PackageFile("efop/runtime.js", b"/* js */" + marker),
        PackageFile("m/assets/photo.png", b"\x89PNG" + b"\0" * 200),
        PackageFile("m/assets/font.woff2", b"wOF2" * 40, compress=True),  # media by extension
        PackageFile("m/notes.txt", b"a" * 300, compress=False),  # stored on request
        PackageFile("imsmanifest.xml", b"<manifest/>" + marker),
        PackageFile("a.css", b"body{}"),
    )
    extra = ((name.removesuffix(".zip") + ".moodle.md", b"# Fiche " + marker),) if kind == "zip" else ()
    return Package(name=name, files=files, kind=kind, extra=extra)


def test_entries_order_times_modes_and_compression(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    data = zip_bytes(_pkg())
    import io

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        infos = zf.infolist()
        names = [i.filename for i in infos]
        # the format's root manifest first, then sorted
        assert names[0] == "imsmanifest.xml"
        assert names[1:] == sorted(names[1:])
        for i in infos:
            assert i.date_time == (1980, 1, 1, 0, 0, 0)
            assert i.create_system == 3
            assert stat.S_IMODE(i.external_attr >> 16) == 0o644
            assert i.extra == b""
            assert i.flag_bits & 0x800 == 0  # ASCII names
        by_name = {i.filename: i for i in infos}
        assert by_name["m/assets/photo.png"].compress_type == zipfile.ZIP_STORED
        assert by_name["m/assets/font.woff2"].compress_type == zipfile.ZIP_STORED
        assert by_name["m/notes.txt"].compress_type == zipfile.ZIP_STORED
        assert by_name["zeta/index.html"].compress_type == zipfile.ZIP_DEFLATED
        assert zf.testzip() is None
        assert zf.read("efop/runtime.js") == b"/* js */v1"


def test_two_writes_are_byte_identical(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    a = write_package(_pkg(), tmp_path / "a")
    b = write_package(_pkg(), tmp_path / "b")
    assert a.read_bytes() == b.read_bytes()
    # same input in another order: same bytes
    p = _pkg()
    shuffled = Package(p.name, tuple(reversed(p.files)), p.kind, p.extra)
    assert zip_bytes(shuffled) == a.read_bytes()


def test_source_date_epoch_is_honoured(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14T22:13:20Z
    data = zip_bytes(_pkg())
    import io

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert {i.date_time for i in zf.infolist()} == {(2023, 11, 14, 22, 13, 20)}
    assert zip_bytes(_pkg()) == data
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000002")
    assert zip_bytes(_pkg()) != data
    # before 1980 (not representable in a zip): clamped
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    with zipfile.ZipFile(io.BytesIO(zip_bytes(_pkg()))) as zf:
        assert zf.infolist()[0].date_time == (1980, 1, 1, 0, 0, 0)


def test_side_files_written(tmp_path):
    path = write_package(_pkg(), tmp_path)
    assert path == tmp_path / "demo-scorm12.zip"
    assert (tmp_path / "demo-scorm12.moodle.md").read_bytes() == b"# Fiche v1"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "demo-scorm12.moodle.md",
        "demo-scorm12.zip",
    ]


@pytest.mark.parametrize(
    "name",
    ["", "/abs.html", "a/../b.html", "./a.html", "a//b", "C:/x.html", "a\\b.html",
     "données.png", "a b.html", "a?.html", "a#b.html"],
)
def test_bad_entry_names_rejected(tmp_path, name):
    pkg = Package("x.zip", (PackageFile(name, b"x"),))
    with pytest.raises(PackageError):
        write_package(pkg, tmp_path)
    assert not (tmp_path / "x.zip").exists()


def test_duplicate_entries_rejected_case_insensitively(tmp_path):
    pkg = Package("x.zip", (PackageFile("A.html", b"1"), PackageFile("a.html", b"2")))
    with pytest.raises(PackageError):
        write_package(pkg, tmp_path)


@pytest.mark.parametrize("name", ["../x.zip", "a/b.zip", ".", ""])
def test_bad_package_names_rejected(tmp_path, name):
    with pytest.raises(PackageError):
        write_package(Package(name, (PackageFile("a.html", b"1"),)), tmp_path / "out")


def _no_temp_files(folder: Path) -> bool:
    return not [p for p in folder.iterdir() if p.name.startswith(".")]


def test_failure_while_writing_keeps_previous_zip(tmp_path, monkeypatch):
    first = write_package(_pkg(marker=b"v1"), tmp_path)
    before = first.read_bytes()
    sheet_before = (tmp_path / "demo-scorm12.moodle.md").read_bytes()

    calls = {"n": 0}
    real = writer._write_zip32

    def disk_full(entries, fileobj, date_time):
        class HalfFull:
            def write(self, data):
                calls["n"] += 1
                fileobj.write(data[: len(data) // 2])  # in the middle of the archive
                raise OSError(28, "No space left on device")

        real(entries, HalfFull(), date_time)

    monkeypatch.setattr(writer, "_write_zip32", disk_full)
    with pytest.raises(PackageError):
        write_package(_pkg(marker=b"v2"), tmp_path)
    assert calls["n"] == 1
    assert first.read_bytes() == before
    assert (tmp_path / "demo-scorm12.moodle.md").read_bytes() == sheet_before
    assert _no_temp_files(tmp_path)


def test_failure_at_rename_keeps_previous_zip(tmp_path, monkeypatch):
    first = write_package(_pkg(marker=b"v1"), tmp_path)
    before = first.read_bytes()

    def failing_replace(src, dst):
        raise OSError(5, "I/O error")

    monkeypatch.setattr(writer.os, "replace", failing_replace)
    with pytest.raises(PackageError):
        write_package(_pkg(marker=b"v2"), tmp_path)
    assert first.read_bytes() == before
    assert _no_temp_files(tmp_path)


def test_non_os_error_also_cleans_up(tmp_path, monkeypatch):
    first = write_package(_pkg(marker=b"v1"), tmp_path)
    before = first.read_bytes()

    def boom(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(writer, "_deflate", boom)
    with pytest.raises(RuntimeError):
        write_package(_pkg(marker=b"v2"), tmp_path)
    assert first.read_bytes() == before
    assert _no_temp_files(tmp_path)


def test_zip_file_mode(tmp_path):
    path = write_package(_pkg(), tmp_path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


# -- folder packages (web target) ----------------------------------------------------------


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_dir_package_written_and_replaced(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    v1 = Package("web", (PackageFile("index.html", b"v1"), PackageFile("old/only.html", b"x")),
                 kind="dir")
    out = write_package(v1, tmp_path)
    assert out == tmp_path / "web"
    assert _tree(out) == {"index.html": b"v1", "old/only.html": b"x"}
    assert int((out / "index.html").stat().st_mtime) == 1700000000
    v2 = Package("web", (PackageFile("index.html", b"v2"), PackageFile("m/a.html", b"a")),
                 kind="dir")
    write_package(v2, tmp_path)
    # swapped, not merged: the file of v1 that v2 lacks is gone
    assert _tree(out) == {"index.html": b"v2", "m/a.html": b"a"}
    assert _no_temp_files(tmp_path)


def test_dir_failure_keeps_previous_folder(tmp_path, monkeypatch):
    v1 = Package("web", (PackageFile("index.html", b"v1"),), kind="dir")
    out = write_package(v1, tmp_path)
    real = Path.write_bytes
    calls = {"n": 0}

    def failing(self, data):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(28, "No space left on device")
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", failing)
    v2 = Package("web", (PackageFile("index.html", b"v2"), PackageFile("b.html", b"b")), kind="dir")
    with pytest.raises(PackageError):
        write_package(v2, tmp_path)
    assert _tree(out) == {"index.html": b"v1"}
    assert _no_temp_files(tmp_path)


def test_dir_failure_at_swap_restores_previous_folder(tmp_path, monkeypatch):
    v1 = Package("web", (PackageFile("index.html", b"v1"),), kind="dir")
    out = write_package(v1, tmp_path)
    real = os.replace
    calls = {"n": 0}

    def failing(src, dst):
        calls["n"] += 1
        if calls["n"] == 2:  # 1: old folder moved aside, 2: new folder moved in
            raise OSError(5, "I/O error")
        return real(src, dst)

    monkeypatch.setattr(writer.os, "replace", failing)
    with pytest.raises(PackageError):
        write_package(Package("web", (PackageFile("index.html", b"v2"),), kind="dir"), tmp_path)
    assert _tree(out) == {"index.html": b"v1"}
    assert _no_temp_files(tmp_path)


def test_orchestrator_helpers(tmp_path, monkeypatch):
    """``package_bytes`` + ``write_bytes`` (what build.py uses) give what write_package gives."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    data = writer.package_bytes(_pkg())
    dest = writer.write_bytes(tmp_path / "demo-scorm12.zip", data)
    assert dest.read_bytes() == write_package(_pkg(), tmp_path / "b").read_bytes()
    web = writer.write_dir(Package("web", (PackageFile("index.html", b"x"),), kind="dir"), tmp_path)
    assert (web / "index.html").read_bytes() == b"x"
    real = os.replace
    monkeypatch.setattr(writer.os, "replace", lambda *a: (_ for _ in ()).throw(OSError(5, "EIO")))
    with pytest.raises(PackageError):
        writer.write_bytes(dest, b"other")
    monkeypatch.setattr(writer.os, "replace", real)
    assert dest.read_bytes() == data
    assert _no_temp_files(tmp_path)


def _real_packages() -> list[Package]:
    """Packages of the real course: every target, per module and bundled."""
    from efop_author.load import load_course
    from efop_author.render.site import render_site
    from efop_author.targets import get_target

    course, diags = load_course(Path(__file__).resolve().parents[1] / "content")
    assert course is not None and not diags.errors
    packages = []
    for name in ("scorm12", "scorm2004", "xapi", "cmi5"):
        target = get_target(name)
        site, _ = render_site(course, name, target.lms_adapter)
        for bundle in (False, True):
            packages.extend(target.package(course, site, bundle=bundle))
    return packages


def _zipfile_bytes(pkg: Package) -> bytes:
    """The same package written entry by entry with the standard library's zipfile."""
    import io

    buf = io.BytesIO()
    writer._write_zip64(writer.ordered_files(pkg.files), buf, writer.zip_date_time())
    return buf.getvalue()


@pytest.mark.parametrize("epoch", [None, "1700000000"])
def test_archive_is_the_one_zipfile_writes(monkeypatch, epoch):
    """The writer assembles archives itself (so that the shared run-time files are
    compressed once per build): byte for byte what zipfile writes, and zipfile reads it."""
    if epoch is None:
        monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    else:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    for pkg in (_pkg(), *_real_packages()):
        data = zip_bytes(pkg)
        assert data == _zipfile_bytes(pkg), pkg.name
        import io

        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            assert zf.testzip() is None
            assert {i.filename: zf.read(i) for i in zf.infolist()} == {f.arcname: f.data for f in pkg.files}


def test_many_entries_fall_back_to_zipfile_with_zip64(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    files = tuple(PackageFile(f"d/f{i:05d}.txt", b"x") for i in range(0xFFFF))
    pkg = Package(name="big.zip", files=files)
    data = zip_bytes(pkg)
    assert data == _zipfile_bytes(pkg)
    import io

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert len(zf.infolist()) == 0xFFFF
