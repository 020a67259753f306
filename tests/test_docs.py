"""The design travels with the code: nothing cites a design document outside the repository,
and every relative link in the docs, the README and code comments resolves
(docs/README.md)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
# Spelled in pieces so that this file does not cite them itself.
OUTSIDE = ("../" + "shared", "DESIGN" + ".md", "DESIGN" + " §", "STYLE" + " habit")
SKIP_DIRS = {".git", ".venv", "build", "node_modules", "__pycache__", ".pytest_cache"}

_LINK = re.compile(r"\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.M)
_FENCE = re.compile(r"^(```|~~~).*?^\1", re.M | re.S)
_CODE = re.compile(r"`[^`\n]*`")
_CITED = re.compile(r"\bdocs/([\w-]+\.md)(?:#([\w-]+))?")


def repository_files() -> list[Path]:
    """Tracked and untracked-but-not-ignored files, or a walk where git is not available."""
    try:
        out = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        ).stdout
        files = [ROOT / p for p in out.decode().split("\0") if p]
    except (OSError, subprocess.CalledProcessError):
        files = [
            p
            for p in ROOT.rglob("*")
            if p.is_file() and not SKIP_DIRS.intersection(p.relative_to(ROOT).parts)
        ]
    return [p for p in files if p.is_file()]


def text_of(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        return None  # fonts, pictures, compiled translations


def markdown_pages() -> list[Path]:
    return [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]


def anchors(page: Path) -> set[str]:
    """``<a id="…">`` targets and GitHub-style heading slugs of a Markdown page."""
    text = _FENCE.sub("", page.read_text(encoding="utf-8"))
    found = set(re.findall(r"<a\s+(?:id|name)=\"([^\"]+)\"", text))
    for heading in re.findall(r"^#{1,6}\s+(.+?)\s*#*\s*$", text, re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        found.add(slug)
    return found


def links(page: Path) -> list[str]:
    text = _CODE.sub("", _FENCE.sub("", page.read_text(encoding="utf-8")))
    return _LINK.findall(text) + _REFERENCE.findall(text)


def test_the_docs_pages_exist() -> None:
    for name in ("README.md", "architecture.md", "sync-protocol.md", "storage.md", "glossary.md"):
        assert (DOCS / name).is_file(), name


def test_nothing_cites_a_design_document_outside_the_repository() -> None:
    offenders = []
    for path in repository_files():
        text = text_of(path)
        if text is None:
            continue
        for n, line in enumerate(text.splitlines(), 1):
            if any(marker in line for marker in OUTSIDE):
                offenders.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


@pytest.mark.parametrize("page", markdown_pages(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(page: Path) -> None:
    broken = []
    for target in links(page):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):  # https:, mailto:
            continue
        path, _, fragment = target.partition("#")
        dest = (page.parent / path).resolve() if path else page
        if not dest.exists():
            broken.append(f"{target}: no such file")
        elif not dest.resolve().is_relative_to(ROOT):
            broken.append(f"{target}: outside the repository")
        elif fragment and dest.suffix == ".md" and fragment not in anchors(dest):
            broken.append(f"{target}: no section #{fragment}")
    assert not broken, f"{page.relative_to(ROOT)}:\n" + "\n".join(broken)


def test_code_comments_point_at_sections_that_exist() -> None:
    broken = []
    for path in repository_files():
        if path.suffix not in (".py", ".toml", ".ini", ".mako", "") or DOCS in path.parents:
            continue
        text = text_of(path)
        if text is None:
            continue
        for page, fragment in _CITED.findall(text):
            dest = DOCS / page
            if not dest.is_file():
                broken.append(f"{path.relative_to(ROOT)}: docs/{page} does not exist")
            elif fragment and fragment not in anchors(dest):
                broken.append(f"{path.relative_to(ROOT)}: docs/{page}#{fragment} does not exist")
    assert not broken, "\n".join(broken)
