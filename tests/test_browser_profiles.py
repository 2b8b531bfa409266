"""A browser run leaves no folder behind (issue 10 item 14): its profile, and what the browser puts in a temporary
folder (its TMPDIR is inside ours: Chromium's org.chromium.Chromium.* singleton folders), go with it when it
stops, after a restart too."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from tests.browser_fixtures import BROWSERS, ORACLES, BrowserOwner


def _ours(oracle: object) -> Path:
    folder = getattr(oracle, "_tmp", None)
    assert folder is not None
    return Path(folder.name)


@pytest.mark.parametrize("name", BROWSERS)
def test_no_folder_of_a_browser_run_remains_after_it_stops(name: str) -> None:
    chromium_folders = set(Path(tempfile.gettempdir()).glob("org.chromium.Chromium.*"))
    oracle = ORACLES[name]()
    oracle.start()
    folders = [_ours(oracle)]
    try:
        assert oracle.run_traces([[{"op": "construct", "args": {}}]])[0][0]["outcome"] == {"ok": None}
        oracle.restart()
        folders.append(_ours(oracle))
        assert (folders[-1] / "profile").is_dir()
    finally:
        oracle.stop()
    assert [folder for folder in folders if folder.exists()] == []
    if name == "chromium":  # its singleton folders went into our TMPDIR, not the system's
        assert set(Path(tempfile.gettempdir()).glob("org.chromium.Chromium.*")) <= chromium_folders


@pytest.mark.parametrize("name", BROWSERS)
@pytest.mark.parametrize("how", ["SIGTERM", "SIGKILL"])
def test_the_folder_of_a_killed_run_is_gone_by_the_next_start(name: str, how: str) -> None:
    owner = BrowserOwner(name)
    assert owner.folder.is_dir()
    owner.end(how)
    if how == "SIGTERM":  # the process cleaned up after itself on the way out
        assert not owner.folder.exists()
    oracle = ORACLES[name]()
    oracle.start()
    oracle.stop()
    assert not owner.folder.exists()
