"""`efop-author new`: copy the starter course template (shipped in the package) to a folder."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

TEMPLATE = Path(__file__).parent / "template"


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:48].strip("-")
    return slug if slug and slug[0].isalpha() else f"cours-{slug}".strip("-")


def french_typography(text: str) -> str:
    """Narrow no-break spaces inside « » and before : ; ! ? (what the fr.* lint expects)."""
    text = re.sub(r"«[ \u00a0]*", "«\u202f", text)
    text = re.sub(r"[ \u00a0]*»", "\u202f»", text)
    return re.sub(r"[ \u00a0]+([:;!?])", "\u202f\\1", text)


def create_project(path: Path, *, title: str | None = None) -> Path:
    """Create a course project at ``path`` from the template; refuse a non-empty folder."""
    if path.exists() and any(path.iterdir()):
        raise FileExistsError(path)
    course_id = _slug(path.resolve().name)
    values = {
        "{{course_id}}": course_id,
        "{{course_title}}": french_typography(title) if title else "Mon nouveau cours",
    }
    for src in sorted(TEMPLATE.rglob("*")):
        if src.is_dir() or src.name.startswith(".") or "__pycache__" in src.parts:
            continue
        dest = path / src.relative_to(TEMPLATE)
        dest.parent.mkdir(parents=True, exist_ok=True)
        if src.suffix in (".yml", ".md"):
            text = src.read_text(encoding="utf-8")
            for key, value in values.items():
                text = text.replace(key, value.replace('"', "'"))
            dest.write_text(text, encoding="utf-8")
        else:
            dest.write_bytes(src.read_bytes())
    return path
