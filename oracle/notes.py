"""Keeps NOTES.md's generated part, the lifecycle diagram, in step with the live machine.

python -m peerspec.oracle.notes          # rewrite NOTES.md's diagram block
python -m peerspec.oracle.notes --check  # exit 1 if it is stale
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Final

from peerspec.oracle.diagram import lifecycle_diagram

NOTES: Final = Path(__file__).resolve().parent.parent / "NOTES.md"
START, END = "<!-- lifecycle-diagram:start -->", "<!-- lifecycle-diagram:end -->"
_BLOCK: Final = re.compile(re.escape(START) + r".*?" + re.escape(END), re.DOTALL)


def with_current_diagram(notes: str) -> str:
    """NOTES.md's text with the diagram block replaced by the one the live machine draws."""
    if START not in notes or END not in notes:
        raise ValueError(f"NOTES.md has no {START} ... {END} block")
    block = f"{START}\n```mermaid\n{lifecycle_diagram('mermaid')}```\n{END}"
    return _BLOCK.sub(lambda _match: block, notes, count=1)


def main(argv: list[str]) -> int:
    text = NOTES.read_text(encoding="utf-8")
    current = with_current_diagram(text)
    if "--check" in argv:
        if current != text:
            print("NOTES.md's lifecycle diagram is stale: run python -m peerspec.oracle.notes", file=sys.stderr)
            return 1
        return 0
    NOTES.write_text(current, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
