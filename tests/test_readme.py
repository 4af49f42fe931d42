"""README's provider table and the registry name the same schemes with the same aliases."""

from __future__ import annotations

import re
from pathlib import Path

from inspector.signatures import SCHEMES

README = Path(__file__).resolve().parents[1] / "README.md"
TABLE_HEADING = ("| provider (aliases) | headers | signed | algorithm / encoding | tolerance "
                 "| source |")


def provider_rows(text: str) -> list[str]:
    """The first cell of every row of the provider table."""
    lines = text.splitlines()
    start = lines.index(TABLE_HEADING) + 2  # past the heading and its |---| line
    cells = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        cells.append(line.split("|")[1].strip())
    return cells


def named(cell: str) -> tuple[str, tuple[str, ...]]:
    """`name` (`alias`, `alias`) -> the name and its aliases."""
    match = re.fullmatch(r"`([^`]+)`(?: \((`[^`]+`(?:, `[^`]+`)*)\))?", cell)
    assert match, f"provider cell {cell!r} is not `name` or `name` (`alias`, …)"
    aliases = tuple(re.findall(r"`([^`]+)`", match.group(2) or ""))
    return match.group(1), aliases


def test_the_table_has_one_row_per_registered_scheme_with_its_aliases() -> None:
    rows = [named(cell) for cell in provider_rows(README.read_text(encoding="utf-8"))]
    documented = dict(rows)
    assert len(documented) == len(rows), "a provider has two rows"
    registered = {scheme.name: tuple(scheme.aliases) for scheme in SCHEMES}
    assert sorted(set(registered) - set(documented)) == [], "registered, but no README row"
    assert sorted(set(documented) - set(registered)) == [], "a README row the registry lacks"
    assert documented == registered


def test_the_reader_finds_a_missing_and_an_unknown_row() -> None:
    table = f"{TABLE_HEADING}\n|---|---|---|---|---|---|\n| `svix` | … |\n| `nobody` (`x`) | … |\n"
    assert [named(cell) for cell in provider_rows(table)] == [("svix", ()), ("nobody", ("x",))]
