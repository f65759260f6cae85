"""`pip install .` into a fresh virtual environment, then `new` + `build` from another folder.

Proves that the default theme (and the scaffold) ship inside the installed package: nothing is
read from the repository checkout.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_installed_tool_creates_and_builds_a_course(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    # System site packages provide the (already installed) dependencies, so the test needs no
    # download; the project itself is installed from a wheel built from this checkout.
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    py = venv / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    subprocess.run(
        [str(py), "-m", "pip", "install", "--quiet", "--no-deps", "--disable-pip-version-check", str(REPO)],
        check=True, env=env, cwd=tmp_path,
    )
    exe = venv / "bin" / "efop-author"
    work = tmp_path / "elsewhere"
    work.mkdir()
    run = subprocess.run([str(exe), "new", "mon-cours"], cwd=work, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    run = subprocess.run([str(exe), "build", "mon-cours", "-o", "sortie"], cwd=work, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    zips = sorted((work / "sortie").glob("*.zip"))
    assert [z.name for z in zips] == ["mon-cours-premier-module-scorm12.zip"]
    with zipfile.ZipFile(zips[0]) as zf:
        names = zf.namelist()
    assert "imsmanifest.xml" in names
    assert any(n.endswith("/index.html") for n in names)
    # the installed package, not the checkout, provided the theme
    where = subprocess.run([str(py), "-c", "import efop_author; print(efop_author.__file__)"],
                           cwd=work, env=env, capture_output=True, text=True, check=True).stdout
    assert str(venv) in where
