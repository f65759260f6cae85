"""Load stage: read a Markdown file and split its YAML front matter, keeping line offsets."""

from __future__ import annotations

from pathlib import Path

from efop_author.records import record


@record
class SourceParts:
    front: str | None
    """Front matter text (between the ``---`` fences), or None when absent."""
    front_line: int
    """1-based line of the first front-matter line (after the opening fence)."""
    body: str
    body_line_offset: int
    """Number of lines before the body: body line ``n`` (0-based) is file line ``n + offset + 1``."""


def split_front_matter(text: str) -> SourceParts:
    """Split ``---`` fenced YAML front matter from a Markdown text.

    The body is never stripped, so markdown-it line maps plus ``body_line_offset`` give file
    lines. A file that opens a fence but never closes it returns ``front=None`` and the caller
    reports ``load.front-matter``; here we signal it with ``front_line=-1``.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip("\r\n").rstrip() != "---":
        return SourceParts(None, 0, text, 0)
    for i in range(1, len(lines)):
        if lines[i].rstrip("\r\n").rstrip() in ("---", "..."):
            front = "".join(lines[1:i])
            body = "".join(lines[i + 1 :])
            return SourceParts(front, 2, body, i + 1)
    return SourceParts(None, -1, text, 0)


class RealPaths:
    """``Path.resolve()`` with resolved directories cached, for one load.

    ``resolve()`` costs one ``lstat`` per path component (about 7 per page or image of a
    course); with the parent directory cached it is one ``lstat`` per file. The result is the
    same: when a path's last component is not a symlink, its real path is its parent's real
    path joined with its name. Assumes the tree does not change during one load.
    """

    def __init__(self) -> None:
        self._dirs: dict[Path, Path] = {}

    def dir(self, path: Path) -> Path:
        """``path.resolve()``, cached (for directories that several files share)."""
        real = self._dirs.get(path)
        if real is None:
            real = self._dirs[path] = path.resolve()
        return real

    def resolve(self, path: Path) -> Path:
        """Same as ``path.resolve()``."""
        if path.name in ("", ".", "..") or path.is_symlink():
            return path.resolve()
        return self.dir(path.parent) / path.name
