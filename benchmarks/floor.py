#!/usr/bin/env python3
"""The floor: the least any Python tool must do to turn a course corpus into module zips.

    python benchmarks/floor.py CORPUS OUT_DIR

Reads every YAML file and front matter with ``yaml.CSafeLoader``, renders each page's
Markdown (and each quiz prompt) with markdown-it-py (CommonMark + tables) into a trivial
template string, and writes one zip per module: HTML deflated, PNG stored. No validation, no
theme, no diagnostics, no manifest: a lower bound for efop-author's ``build``, run as one whole
process like it.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import yaml
from markdown_it import MarkdownIt

TEMPLATE = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title></head>
<body><main><h1>{title}</h1>
{body}</main></body></html>
"""
STORED = {".png", ".jpg", ".jpeg", ".gif", ".mp4", ".webm", ".mp3", ".pdf", ".zip"}


def read_yaml(text: str):
    return yaml.load(text, Loader=yaml.CSafeLoader)


def split(text: str) -> tuple[dict, str]:
    _, front, body = text.split("---\n", 2)
    return read_yaml(front), body


def main(argv: list[str]) -> int:
    corpus, out = Path(argv[0]), Path(argv[1])
    out.mkdir(parents=True, exist_ok=True)
    course = read_yaml((corpus / "course.yml").read_text(encoding="utf-8"))
    glossary_file = corpus / "glossary.yml"
    if glossary_file.is_file():
        read_yaml(glossary_file.read_text(encoding="utf-8"))
    lang = course.get("language", "fr")
    md = MarkdownIt("commonmark").enable("table")
    for folder in sorted(p for p in (corpus / "modules").iterdir() if p.is_dir()):
        module = read_yaml((folder / "module.yml").read_text(encoding="utf-8"))
        name = out / f"{course['id']}-{module['id']}-floor.zip"
        with zipfile.ZipFile(name, "w", zipfile.ZIP_DEFLATED) as zf:
            for page in sorted(folder.glob("*.md")):
                front, body = split(page.read_text(encoding="utf-8"))
                html = md.render(body)
                for q in front.get("questions") or ():
                    html += "<p>" + md.renderInline(q["prompt"]) + "</p>\n"
                doc = TEMPLATE.format(lang=lang, title=front["title"], body=html)
                zf.writestr(f"{module['id']}/{page.stem}.html", doc)
            for asset in sorted((folder / "assets").rglob("*")) if (folder / "assets").is_dir() else ():
                if asset.is_file():
                    kind = zipfile.ZIP_STORED if asset.suffix.lower() in STORED else zipfile.ZIP_DEFLATED
                    zf.write(asset, f"{module['id']}/{asset.relative_to(folder).as_posix()}", compress_type=kind)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
