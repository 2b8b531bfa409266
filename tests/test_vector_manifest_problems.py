"""A manifest case that lacks a member, or names no file, is one clear error naming the case (issue 10 item 9)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from peerspec.oracle.errors import OracleError
from peerspec.oracle.vectors import MANIFEST, load_vectors

VECTORS = Path(__file__).resolve().parent.parent / "vectors"


@pytest.mark.parametrize("member", ["file", "sha256", "id"])
def test_a_case_without_a_member_is_one_error_naming_the_case(tmp_path: Path, member: str) -> None:
    copy = tmp_path / "vectors"
    shutil.copytree(VECTORS, copy)
    index = json.loads((copy / MANIFEST).read_text(encoding="utf-8"))
    del index["cases"][2][member]
    (copy / MANIFEST).write_text(json.dumps(index), encoding="utf-8")
    with pytest.raises(OracleError) as raised:
        load_vectors(copy)
    message = str(raised.value)
    assert "\n" not in message and "case 3" in message and member in message, message
