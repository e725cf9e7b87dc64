"""The authors' documentation in docs/: every error code is explained, every example builds."""

from __future__ import annotations

import re
import shutil

import pytest
from PIL import Image

from netsite.messages import codes

from conftest import REPO, build_site


def test_the_error_catalogue_explains_every_registered_code_and_no_other():
    """docs/oshibki.md against the registry of codes (netsite.messages.codes(), read from the catalogue)."""
    text = (REPO / "docs/oshibki.md").read_text(encoding="utf-8")
    first_cells = [line.split("|")[1] for line in text.splitlines() if line.startswith("| `")]
    explained = {code for cell in first_cells for code in re.findall(r"`([a-z][a-z0-9_.-]*)`", cell)}
    registered = codes()
    assert registered - explained == set(), "add these codes to docs/oshibki.md"
    assert explained - registered == set(), "docs/oshibki.md explains codes netsite does not have"


def examples() -> list[str]:
    text = (REPO / "docs/avtoram.md").read_text(encoding="utf-8")
    return [block for block in re.findall(r"```markdown\n(.*?)```", text, flags=re.S) if block.startswith("---\n")]


def kind_of(example: str) -> str:
    if "\nstart:" in example:
        return "events"
    return "practices" if "\nauthors:" in example else "news"


@pytest.mark.parametrize("number", range(len(examples())))
def test_the_guide_examples_build(tmp_path, number):
    """Each example is added to a copy of the example network: as a folder when it names files."""
    root = tmp_path / "site"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "netsite.yaml", root / "netsite.yaml")
    example = examples()[number]
    kind = kind_of(example)
    names = set(re.findall(r"([\w-]+\.(?:jpg|pdf))", example))
    folder = root / "content" / kind / f"2026-11-20-iz-rukovodstva-{number}"
    if names:
        folder.mkdir()
        (folder / "index.md").write_text(example, encoding="utf-8")
    else:
        folder.with_suffix(".md").write_text(example, encoding="utf-8")
    for name in names:
        if name.endswith(".jpg"):
            Image.new("RGB", (4, 4), "green").save(folder / name)
        else:
            (folder / name).write_bytes(b"%PDF-1.4\n%%EOF\n")
    result = build_site(root)
    entry = result.site.by_slug[kind][f"iz-rukovodstva-{number}"]
    assert entry.title and not [d for d in result.diagnostics if d.location.path.startswith(f"content/{kind}/2026")]
