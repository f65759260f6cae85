#!/usr/bin/env python3
"""Benchmark ``efop-author build -t scorm12`` against the floor, as whole processes.

    python benchmarks/run.py [--sizes 1x5,10x8,100x10] [--runs 5] [--seed 1] [--write-doc]

For each size, generates the corpus (``make_corpus.py``, cached in ``--work``), then runs each
command once as a warm-up and ``--runs`` more times, alternating the two commands so that
noise from other processes hits both alike. Each run is one child process measured on its own
with ``os.wait4``: wall time (perf_counter around spawn + wait), CPU time (user + sys) and peak
RSS (``ru_maxrss``). Prints a Markdown table of medians and ratios (efop-author / floor), the
size of the run-time JS + CSS shipped in a package (entries under ``efop/``) against the 60 KB
budget, and with ``--write-doc`` refreshes the block between the ``bench:results`` markers in
``docs/performance.md`` (nothing else in that file is touched).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import time
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DOC = REPO / "docs" / "performance.md"
BEGIN = "<!-- bench:results:start (written by benchmarks/run.py --write-doc) -->"
END = "<!-- bench:results:end -->"
RUNTIME_BUDGET = 60 * 1024
TARGET_RATIO = 1.5


@dataclass
class Sample:
    wall: float
    cpu: float
    rss_kib: int


@dataclass
class Series:
    samples: list[Sample] = field(default_factory=list)

    def med(self, attr: str) -> float:
        return statistics.median(getattr(s, attr) for s in self.samples)

    def spread(self, attr: str) -> tuple[float, float]:
        vals = [getattr(s, attr) for s in self.samples]
        return min(vals), max(vals)


def run_once(cmd: list[str], env: dict[str, str], out: Path) -> Sample:
    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    err = proc.stderr.read()  # small; read before waiting so a chatty child cannot block
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.stderr.close()
    if proc.returncode != 0:
        raise SystemExit(f"command failed ({proc.returncode}): {shlex.join(cmd)}\n{err.decode(errors='replace')}")
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)


def corpus(work: Path, modules: int, pages: int, seed: int) -> Path:
    """Generate (or reuse, when the generator and arguments are unchanged) one corpus."""
    path = work / f"corpus-{modules}x{pages}-s{seed}"
    stamp = hashlib.sha256((HERE / "make_corpus.py").read_bytes()).hexdigest()[:16]
    if (path / ".stamp").is_file() and (path / ".stamp").read_text() == stamp:
        return path
    subprocess.run([sys.executable, str(HERE / "make_corpus.py"), str(path), "--modules", str(modules),
                    "--pages", str(pages), "--seed", str(seed)], check=True)
    (path / ".stamp").write_text(stamp)
    return path


def runtime_size(out: Path) -> tuple[int, int, dict[str, int]] | None:
    """(raw bytes, gzip-ish bytes, per file) of the entries under ``efop/`` in one module zip."""
    zips = sorted(out.glob("*.zip"))
    if not zips:
        return None
    with zipfile.ZipFile(zips[0]) as zf:
        files = {i.filename: i.file_size for i in zf.infolist() if i.filename.startswith("efop/") and not i.is_dir()}
        packed = sum(len(zlib.compress(zf.read(n), 9)) for n in files)
    return sum(files.values()), packed, files


def machine() -> str:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kib / 1024 / 1024:.0f} Gio de RAM"
    except (OSError, ValueError, IndexError):
        pass
    return f"{os.cpu_count()} cœurs ({cpu}){mem}, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def loadavg() -> str:
    try:
        return Path("/proc/loadavg").read_text().split()[0].replace(".", ",")
    except OSError:
        return "?"


def versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    out = []
    for name in ("markdown-it-py", "mdit-py-plugins", "PyYAML", "Jinja2", "lxml", "click"):
        try:
            out.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            pass
    import yaml

    out.append(f"libyaml {'oui' if getattr(yaml, '__with_libyaml__', False) else 'NON'}")
    return ", ".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1x5,10x8,100x10", help="comma-separated MODULESxPAGES")
    ap.add_argument("--runs", type=int, default=5, help="measured runs per command (after one warm-up)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "efop-bench")
    ap.add_argument("--efop", default=f"{shlex.quote(sys.executable)} -m efop_author",
                    help="command that runs efop-author (default: this Python, -m efop_author, PYTHONPATH=src)")
    ap.add_argument("--write-doc", action="store_true", help=f"refresh the results block in {DOC.relative_to(REPO)}")
    ap.add_argument("--only", choices=("efop", "floor"), help="measure one command only")
    a = ap.parse_args(argv)

    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(x for x in (str(REPO / "src"), env.get("PYTHONPATH")) if x)
    env.pop("SOURCE_DATE_EPOCH", None)
    # Byte-code as an installed package has it (pip compiles .pyc at install time): with
    # PYTHONDONTWRITEBYTECODE set (as in some shells here), every run would recompile
    # efop_author's sources (~0.3 s) while the floor's libraries are already compiled.
    # The warm-up writes the .pyc files, outside the tree.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(a.work / "pycache")
    # Compiled templates likewise (efop-author keeps them in the user's cache folder, as
    # Python keeps .pyc files): written by the warm-up, in a folder of the benchmark.
    env["EFOP_AUTHOR_CACHE_DIR"] = str(a.work / "cache")
    a.work.mkdir(parents=True, exist_ok=True)

    a.load_before = loadavg()
    rows: list[tuple[str, Series, Series]] = []
    runtime: tuple[int, int, dict[str, int]] | None = None
    for size in a.sizes.split(","):
        m, p = (int(x) for x in size.lower().split("x"))
        src = corpus(a.work, m, p, a.seed)
        outs = {"efop": a.work / f"out-efop-{size}", "floor": a.work / f"out-floor-{size}"}
        cmds = {
            "efop": [*shlex.split(a.efop), "build", "-t", "scorm12", "-o", str(outs["efop"]), str(src)],
            "floor": [sys.executable, str(HERE / "floor.py"), str(src), str(outs["floor"])],
        }
        names = [a.only] if a.only else ["efop", "floor"]
        series = {n: Series() for n in ("efop", "floor")}
        for n in names:  # warm-up: page cache, .pyc files
            run_once(cmds[n], env, outs[n])
        for i in range(a.runs):
            for n in (names if i % 2 == 0 else names[::-1]):
                s = run_once(cmds[n], env, outs[n])
                series[n].samples.append(s)
                print(f"  {size:>7} {n:5} run {i + 1}: {s.wall:.3f} s wall, {s.cpu:.3f} s cpu, {s.rss_kib / 1024:.1f} MiB",
                      file=sys.stderr)
        if "efop" in names and (runtime is None or size == "10x8"):
            runtime = runtime_size(outs["efop"]) or runtime
        rows.append((size, series["efop"], series["floor"]))

    a.load_after = loadavg()
    table = render(rows, runtime, a)
    print(table)
    if a.write_doc:
        write_doc(table)
        print(f"updated {DOC.relative_to(REPO)}", file=sys.stderr)
    return 0


def num(x: float, digits: int) -> str:
    """French decimal comma."""
    return f"{x:.{digits}f}".replace(".", ",")


def fmt_t(x: float) -> str:
    return f"{num(x, 3)} s" if x < 10 else f"{num(x, 1)} s"


def fmt_mib(kib: float) -> str:
    return f"{kib / 1024:.0f} Mio"


def cell(s: Series, attr: str, fmt) -> str:
    return fmt(s.med(attr)) if s.samples else "–"


def ratio(size: str, e: Series, f: Series, attr: str) -> str:
    """efop-author / floor, flagged when a time ratio misses the target on 10x8 and larger."""
    if not (e.samples and f.samples):
        return "–"
    r = e.med(attr) / f.med(attr)
    over = attr != "rss_kib" and size != "1x5" and r > TARGET_RATIO
    return f"**{num(r, 2)}** ⚠" if over else f"**{num(r, 2)}**"


def render(rows: list[tuple[str, Series, Series]], runtime, a) -> str:
    lines = [
        f"Machine : {machine()}.  ",
        f"Bibliothèques : {versions()}.  ",
        (f"Mesuré le {time.strftime('%Y-%m-%d %H:%M %Z')} par `python benchmarks/run.py --runs {a.runs}` : "
         f"un tour de chauffe puis la médiane de {a.runs} exécutions par commande, les deux commandes en "
         f"alternance ; corpus de graine {a.seed}. Rapport = efop-author / plancher. Charge moyenne de la "
         f"machine (1 min) : {a.load_before} au début, {a.load_after} à la fin (2 cœurs partagés : au-delà de 2, "
         f"les temps écoulés sont gonflés ; le temps CPU l'est moins)."),
        "",
        ("| taille (modules × pages) | efop-author (écoulé) | plancher (écoulé) | rapport | "
         "efop-author (CPU) | plancher (CPU) | rapport CPU | efop-author (RSS max) | plancher (RSS max) | rapport RSS |"),
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size, e, f in rows:
        lines.append(
            f"| {size.replace('x', ' × ')} | {cell(e, 'wall', fmt_t)} | {cell(f, 'wall', fmt_t)} "
            f"| {ratio(size, e, f, 'wall')} "
            f"| {cell(e, 'cpu', fmt_t)} | {cell(f, 'cpu', fmt_t)} | {ratio(size, e, f, 'cpu')} "
            f"| {cell(e, 'rss_kib', fmt_mib)} | {cell(f, 'rss_kib', fmt_mib)} | {ratio(size, e, f, 'rss_kib')} |"
        )
    spreads = []
    for size, e, f in rows:
        for name, s in (("efop-author", e), ("plancher", f)):
            if s.samples:
                lo, hi = s.spread("wall")
                spreads.append(f"{name} {size.replace('x', '×')} {num(lo, 2)}–{num(hi, 2)} s")
    lines += ["", f"Dispersion du temps écoulé (min–max) : {' ; '.join(spreads)}.", ""]
    if runtime is not None:
        raw, packed, files = runtime
        verdict = "dans le" if raw <= RUNTIME_BUDGET else "**au-delà du**"
        detail = ", ".join(f"`{k}` {num(v / 1024, 1)} Ko" for k, v in sorted(files.items()))
        lines.append(f"Run-time livré dans chaque paquet (fichiers sous `efop/`) : **{num(raw / 1024, 1)} Ko** "
                     f"({num(packed / 1024, 1)} Ko compressés), {verdict} budget de 60 Ko — {detail}.")
    return "\n".join(lines) + "\n"


def write_doc(table: str) -> None:
    block = f"{BEGIN}\n{table}{END}"
    text = DOC.read_text(encoding="utf-8") if DOC.is_file() else ""  # re-read just before writing
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        text = head + block + tail
    else:
        text = text.rstrip("\n") + ("\n\n" if text else "") + "## Construction\n\n" + block + "\n"
    tmp = DOC.with_suffix(".md.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, DOC)


if __name__ == "__main__":
    sys.exit(main())
