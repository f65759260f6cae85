"""Hostile inputs never crash or hang the validator: every outcome is a diagnostic.

Zip slip, zip bombs (ratio, lying sizes, entry count), billion laughs, XXE, truncated zips,
random bytes, excessive nesting, and a property-based test over 2,000 mutated packages.
"""

from __future__ import annotations

import random
import sys
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent))
from validate_support import hostile  # noqa: E402
from validate_support.manifests import Base  # noqa: E402

from efop_author.diagnostics import Diagnostic, Severity  # noqa: E402
from efop_author.validate import detect, is_valid, iter_errors, validate_package  # noqa: E402

LIMIT_SECONDS = 2.0


def run(data: bytes) -> list[Diagnostic]:
    start = time.perf_counter()
    diags = list(iter_errors(data))
    assert time.perf_counter() - start < LIMIT_SECONDS
    assert all(isinstance(d, Diagnostic) for d in diags)
    return diags


def codes(diags: list[Diagnostic]) -> set[str]:
    return {d.code for d in diags}


def test_valid_package_is_valid() -> None:
    assert is_valid(hostile.valid_package())


def test_zip_slip_entries_are_errors_and_never_read() -> None:
    diags = run(hostile.zip_slip())
    slips = [d for d in diags if d.code == "zip.unsafe-path"]
    assert len(slips) == 5
    assert all(d.severity is Severity.ERROR for d in slips)


def test_ratio_bomb_is_refused_before_decompression() -> None:
    diags = run(hostile.ratio_bomb())
    assert "zip.compression-ratio" in codes(diags)
    assert not any(d.code.startswith("scorm12.") for d in diags)  # analysis stopped


def test_lying_sizes_are_refused() -> None:
    assert "zip.too-large" in codes(run(hostile.declared_size_bomb()))


def test_too_many_entries() -> None:
    assert codes(run(hostile.many_entries())) == {"zip.too-many-entries"}


@pytest.mark.parametrize("manifest", [hostile.BILLION_LAUGHS, hostile.XXE, hostile.XXE_PARAMETER,
                                      hostile.XXE.decode().encode("utf-16")],
                         ids=["billion-laughs", "xxe", "xxe-parameter", "xxe-utf16"])
def test_entity_attacks_are_refused(manifest: bytes) -> None:
    diags = run(hostile.manifest_package(manifest))
    assert "xml.doctype" in codes(diags)
    assert not any("root:" in d.message for d in diags)  # nothing of /etc/passwd leaked


def test_excessive_nesting_is_a_diagnostic() -> None:
    assert "xml.not-well-formed" in codes(run(hostile.manifest_package(hostile.deep_manifest(2000))))
    assert "xml.not-well-formed" not in codes(run(hostile.manifest_package(hostile.deep_manifest(200))))


def test_truncated_zips() -> None:
    data = hostile.valid_package()
    for cut in range(0, len(data), 7):
        diags = run(data[:cut])
        assert any(d.severity is Severity.ERROR for d in diags), cut
        assert detect(data[:cut]) in (None, "scorm12")


def test_random_bytes() -> None:
    rnd = random.Random(4)
    for size in (0, 1, 4, 22, 100, 1000, 5000):
        for _ in range(5):
            diags = run(bytes(rnd.getrandbits(8) for _ in range(size)))
            assert codes(diags) == {"zip.unreadable"}


def test_not_a_file(tmp_path: Path) -> None:
    (tmp_path / "x.zip").write_bytes(b"PK\x05\x06" + bytes(18))  # an empty archive
    report = validate_package(tmp_path / "x.zip")
    assert codes(report.diagnostics) == {"zip.no-manifest"}


def _corpus() -> list[tuple[Base, bytes]]:
    from validate_support.manifests import all_cases, package

    originals = [c for c in all_cases() if c.label == "original"]
    return [(c.base, package(c)) for c in originals]


CORPUS = _corpus()
NASTY_NAMES = ["../x", "/abs", "a\\b.html", "IMSMANIFEST.XML", "sub/imsmanifest.xml", "é.html",
               "__MACOSX/._x", "a/./b", "x" * 300, "tincan.xml", "cmi5.xml", "\x00.html", "C:/x"]


@st.composite
def mutated_packages(draw: st.DrawFn) -> bytes:
    base, data = draw(st.sampled_from(CORPUS))
    kind = draw(st.sampled_from(["bytes", "manifest", "members"]))
    if kind == "bytes":
        out = bytearray(data)
        for _ in range(draw(st.integers(1, 8))):
            pos = draw(st.integers(0, len(out) - 1))
            op = draw(st.sampled_from(["flip", "cut", "insert"]))
            if op == "flip":
                out[pos] ^= draw(st.integers(1, 255))
            elif op == "cut":
                del out[pos:pos + draw(st.integers(1, 64))]
            else:
                out[pos:pos] = draw(st.binary(min_size=1, max_size=16))
            if not out:
                break
        return bytes(out)
    with zipfile.ZipFile(__import__("io").BytesIO(data)) as zf:
        files = {i.filename: zf.read(i) for i in zf.infolist()}
    if kind == "manifest":
        text = bytearray(files[base.manifest_name])
        for _ in range(draw(st.integers(1, 6))):
            pos = draw(st.integers(0, len(text) - 1))
            text[pos:pos + draw(st.integers(0, 12))] = draw(st.sampled_from(
                [b"<", b">", b"&", b'"', b"", b"<item>", b"</title>", b"&#0;", b"\xff", b"xml:base=\"../\"",
                 b"<!DOCTYPE x>", b"href=\"../../x\"", b" identifier=\"1\"", b"\xc3"]))
        files[base.manifest_name] = bytes(text)
    else:
        for name in draw(st.lists(st.sampled_from(NASTY_NAMES), min_size=1, max_size=4)):
            files[name] = draw(st.binary(max_size=64))
    return hostile.make_zip(files)


@settings(max_examples=2000, deadline=LIMIT_SECONDS * 1000, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutated_packages())
def test_mutated_packages_only_produce_diagnostics(data: bytes) -> None:
    run(data)
    detect(data)
