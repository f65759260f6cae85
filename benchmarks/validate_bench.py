#!/usr/bin/env python3
"""Benchmark ``efop-author validate`` on many packages (target: 500 packages of ~1 MB < 30 s).

    python benchmarks/validate_bench.py [--count 500] [--work /tmp/efop-validate-bench] [--seed 1]

Generates (once, cached in ``--work``) ``--count`` SCORM 1.2 packages of about 1 MB each: a
manifest listing every file, 12 HTML pages, JavaScript and CSS (about 1 MB of text before
compression) and ~700 KB of incompressible media stored as is. Then validates the whole folder
in a child process (``efop-author validate DIR --format json --lms moodle``), measuring wall
time, CPU time and peak RSS with ``os.wait4``. Nothing is extracted to disk by the validator.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
import zipfile
from pathlib import Path

MANIFEST_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="BENCH_{n}" version="1" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="ORG"><organization identifier="ORG"><title>Module {n}</title>
    <item identifier="ITEM" identifierref="RES"><title>Module {n}</title><adlcp:masteryscore>80</adlcp:masteryscore></item>
  </organization></organizations>
  <resources><resource identifier="RES" type="webcontent" adlcp:scormtype="sco" href="index.html">
"""
MANIFEST_TAIL = "</resource></resources></manifest>\n"
WORDS = ("formation emploi insertion quartier prioritaire politique ville mission locale conseiller "
         "parcours accompagnement jeunes dispositif orientation financement région").split()


def make_package(path: Path, n: int, rnd: random.Random) -> None:
    files: dict[str, bytes] = {}
    for i in range(12):
        para = " ".join(rnd.choice(WORDS) for _ in range(6000))
        files[f"pages/p{i:02d}.html"] = (
            f'<!doctype html><html lang="fr"><head><meta charset="utf-8"><link rel="stylesheet" '
            f'href="../efop/course.css"><script defer src="../efop/runtime.js"></script></head><body>'
            f"<h1>Page {i}</h1><p>{para}</p></body></html>").encode()
    files["index.html"] = b'<!doctype html><html><body><a href="pages/p00.html">start</a></body></html>'
    files["efop/runtime.js"] = ("// runtime\n" + "\n".join(
        f"function f{i}(a, b) {{ return a * {i} + b; /* {rnd.choice(WORDS)} */ }}" for i in range(2500))).encode()
    files["efop/course.css"] = "\n".join(f".c{i} {{ margin: {i}px; color: #{i:06x}; }}" for i in range(1500)).encode()
    for i in range(7):
        files[f"media/img{i}.jpg"] = rnd.randbytes(100_000)
    body = "".join(f'<file href="{name}"/>' for name in sorted(files))
    files["imsmanifest.xml"] = (MANIFEST_HEAD.format(n=n) + body + MANIFEST_TAIL).encode()
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w") as zf:
        for name in sorted(files):
            media = name.endswith(".jpg")
            zf.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), files[name],
                        compress_type=zipfile.ZIP_STORED if media else zipfile.ZIP_DEFLATED)
    tmp.replace(path)


def make_corpus(folder: Path, count: int, seed: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    rnd = random.Random(seed)
    for n in range(count):
        path = folder / f"pkg-{n:04d}.zip"
        state = rnd.getstate()
        if not path.exists():
            make_package(path, n, rnd)
        rnd.setstate(state)
        rnd.random()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=500)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--work", type=Path, default=Path("/tmp/efop-validate-bench"))
    args = ap.parse_args()
    corpus = args.work / f"corpus-{args.count}-s{args.seed}"
    t0 = time.perf_counter()
    make_corpus(corpus, args.count, args.seed)
    sizes = [p.stat().st_size for p in corpus.glob("*.zip")]
    print(f"corpus: {len(sizes)} packages, mean {sum(sizes) / len(sizes) / 1e6:.2f} MB, "
          f"total {sum(sizes) / 1e6:.0f} MB (ready in {time.perf_counter() - t0:.1f} s)")
    cmd = [sys.executable, "-m", "efop_author", "validate", str(corpus), "--format", "json", "--lms", "moodle"]
    start = time.perf_counter()
    with open(args.work / "report.json", "wb") as out:
        proc = subprocess.Popen(cmd, stdout=out)
        _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    report = json.loads((args.work / "report.json").read_text())
    print(f"validate: wall {wall:.1f} s, CPU {usage.ru_utime + usage.ru_stime:.1f} s, "
          f"peak RSS {usage.ru_maxrss / 1024:.0f} MB, exit {os.waitstatus_to_exitcode(status)}, "
          f"{report['summary']['valid']}/{report['summary']['packages']} valid, "
          f"{report['summary']['warnings']} warnings")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
