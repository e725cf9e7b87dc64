"""The documentation in README and docs/: every link resolves, every error code is explained, every example builds."""

from __future__ import annotations

import re

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


def add_example(root, number: int, example: str) -> str:
    """Write the guide's example into the site's sources (as a folder when it names files); its kind."""
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
    return kind


@pytest.mark.slow
def test_the_guide_examples_build(example_copy):
    """Every example of the authors' guide, added to a copy of the example network, builds with no
    diagnostic at its own file (one build for all of them: each has a path of its own)."""
    kinds = {number: add_example(example_copy, number, example) for number, example in enumerate(examples())}
    assert len(kinds) >= 5 and set(kinds.values()) == {"news", "events", "practices"}
    result = build_site(example_copy)
    for number, kind in kinds.items():
        entry = result.site.by_slug[kind][f"iz-rukovodstva-{number}"]
        own = f"content/{kind}/2026-11-20-iz-rukovodstva-{number}"
        assert entry.title and not [d for d in result.diagnostics if d.location.path.startswith(own)], number


# ---- links and the module map ------------------------------------------------------------------------

DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)\)")


def prose(path) -> str:
    """The text outside code: fenced blocks and `inline code` hold examples, not links."""
    text = re.sub(r"^```.*?^```", "", path.read_text(encoding="utf-8"), flags=re.S | re.M)
    return re.sub(r"`[^`\n]*`", "", text)


def anchors(path) -> set[str]:
    """GitHub's heading ids: lower case, punctuation dropped, spaces made hyphens."""
    headings = re.findall(r"^#{1,6} (.+)$", re.sub(r"^```.*?^```", "", path.read_text(encoding="utf-8"),
                                                         flags=re.S | re.M), re.M)
    return {re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-") for heading in headings}


def broken_links(path) -> list[str]:
    broken = []
    for target in LINK.findall(prose(path)):
        if re.match(r"[a-z]+:", target):
            continue
        name, _, anchor = target.partition("#")
        file = (path.parent / name).resolve() if name else path
        if not file.exists() or (anchor and (file.suffix != ".md" or anchor not in anchors(file))):
            broken.append(target)
    return broken


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_every_link_resolves(path):
    assert broken_links(path) == []


def test_the_link_checker_sees_a_broken_file_and_anchor(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("# Заголовок: раз\n[a](page.md#заголовок-раз) [b](#нет) [c](missing.md) "
                    "`[d](in-code.md)`\n```\n[e](in-fence.md)\n```\n", encoding="utf-8")
    assert broken_links(page) == ["#нет", "missing.md"]


def test_readme_stays_short():
    assert (REPO / "README.md").stat().st_size <= 10_000


def test_the_module_map_names_every_module():
    """docs/developers.md lists each module of src/netsite under its subpackage."""
    text = (REPO / "docs/developers.md").read_text(encoding="utf-8")
    table = text.split("## Module map", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for where, names in re.findall(r"^\| (top|`\w+/`) \| ([^|]+) \|", table, re.M):
        rows.setdefault(where.strip("`/"), set()).update(re.findall(r"`(\w+)`", names))
    package = REPO / "src" / "netsite"
    actual = {"top": {p.stem for p in package.glob("*.py") if not p.stem.startswith("__")}}
    for folder in package.iterdir():
        if (folder / "__init__.py").exists():
            actual[folder.name] = {p.stem for p in folder.glob("*.py") if not p.stem.startswith("__")}
    assert rows == actual


def test_ci_runs_exactly_the_readme_commands():
    """.ci/run is the README's two commands, so what CI proves is what a newcomer types."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    commands = re.search(r"## Две команды\n.*?```sh\n(.*?)```", readme, re.S)[1].splitlines()
    ci = (REPO / ".ci/run").read_text(encoding="utf-8").splitlines()
    assert len(commands) == 2 and [line for line in ci if line and not line.startswith(("#", "set ", "cd "))] == commands
    assert "scripts/test-deps" in commands[1] and "pytest -n" in commands[1] and "venv" in commands[0]
    assert (REPO / "scripts/test-deps").stat().st_mode & 0o111, "scripts/test-deps must be executable"
