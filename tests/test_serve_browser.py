"""The live viewer in a real browser: Playwright drives Debian's Chromium (headless, offline, a fresh profile
removed afterwards) on the page `peerspec serve` serves from a thread on an ephemeral loopback port. Editing a
call changes its verdict to the model's; the form and the text are one trace; bad input gets a message and the
page recovers; "Run in my browser" runs the calls in this Chromium's RTCPeerConnection and names the registry
entries of its known deviations; a host outside .invalid is refused first; a share link reproduces the trace and
the download is the trace. The screenshot the README shows (docs/serve.png) is taken here;
PEERSPEC_SCREENSHOT=docs/serve.png refreshes it.

Gated like every browser test: PEERSPEC_BROWSER_TESTS=1 (tests/browser_fixtures.py)."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from peerspec.oracle.implementations.chromium import CHROMIUM, CHROMIUM_ARGS
from peerspec.oracle.serve.evaluation import evaluate
from peerspec.oracle.serve.server import ViewerThread
from tests.browser_fixtures import needs

pytestmark = needs("chromium")

ROOT = Path(__file__).resolve().parent.parent
# The committed picture is refreshed only when asked (PEERSPEC_SCREENSHOT=docs/serve.png); a plain run writes
# its screenshot under pytest's tmp_path, so a test run never modifies the checkout.
SCREENSHOT_TARGET = os.environ.get("PEERSPEC_SCREENSHOT")
TIMEOUT_MS = 20_000
OUTSIDE = '{"op": "construct", "args": {"configuration": {"iceServers": [{"urls": "stun:stun.example.org"}]}}}\n'


@pytest.fixture(scope="module")
def viewer() -> Iterator[ViewerThread]:
    served = ViewerThread().start()
    try:
        yield served
    finally:
        served.stop()


@pytest.fixture(scope="module")
def context() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright  # type: ignore[import-not-found, unused-ignore]

    profile = tempfile.mkdtemp(prefix="peerspec-serve-chromium-")
    try:
        with sync_playwright() as playwright:
            browser_context = playwright.chromium.launch_persistent_context(
                profile,
                executable_path=CHROMIUM,
                headless=True,
                args=CHROMIUM_ARGS,
                viewport={"width": 1500, "height": 1000},
                accept_downloads=True,
            )
            browser_context.set_default_timeout(TIMEOUT_MS)
            try:
                yield browser_context
            finally:
                browser_context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def page(context: Any, viewer: ViewerThread) -> Iterator[Any]:
    opened = context.new_page()
    problems: list[str] = []
    opened.on("pageerror", lambda error: problems.append(str(error)))
    opened.goto(viewer.url)
    _wait_evaluations(opened, 1)
    yield opened
    opened.close()
    assert problems == [], problems  # the page's own scripts never failed


def _evaluations(page: Any) -> int:
    return int(page.evaluate("() => globalThis.peerspecViewer.evaluations"))


def _wait_evaluations(page: Any, at_least: int) -> None:
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while _evaluations(page) < at_least:
        assert time.monotonic() < deadline, "the page never showed a verdict"
        time.sleep(0.01)


def _trace_text(page: Any) -> str:
    return str(page.locator("[data-testid=trace-text]").input_value())


def _verdicts(page: Any) -> list[str]:
    return [str(text) for text in page.locator("[data-testid^=verdict-]").all_inner_texts()]


def _model_verdicts(text: str) -> list[str]:
    """What the model says of each step, in the page's words (the outcome, the credential badges, the dictionary
    getConfiguration() returns)."""
    shown = []
    for step in evaluate(text)["steps"]:
        badges = "".join(f" {c['label']} {'new' if c['new'] else 'unchanged'}" for c in step["credentials"])
        dictionary = f"\n{step['configuration']['text']}" if step["configuration"] else ""
        shown.append(step["outcome"] + badges + dictionary)
    return shown


def _set_text(page: Any, text: str) -> None:
    """The trace text replaced as a paste replaces it: the new value, then one input event (Playwright's fill()
    retypes a long text until its own checks time out)."""
    before = _evaluations(page)
    page.locator("[data-testid=trace-text]").evaluate(
        "(area, text) => { area.value = text; area.dispatchEvent(new Event('input', {bubbles: true})); }", text
    )
    _wait_evaluations(page, before + 1)


def test_editing_a_call_changes_its_verdict_to_the_models(page: Any) -> None:
    assert _verdicts(page) == _model_verdicts(_trace_text(page))
    assert _verdicts(page)[3] == "throws InvalidAccessError"  # a TURN server without credentials
    field = page.locator("[data-testid=json-4]")
    with_credentials = '{"iceServers":[{"urls":"turn:turn.example.invalid","username":"u","credential":"p"}]}'
    field.fill(with_credentials[:-1])  # one keystroke short: not JSON yet, and the page says so
    page.locator("[data-testid=message]").get_by_text("not JSON").wait_for()
    before = _evaluations(page)
    pressed = time.perf_counter()
    field.press("}")
    page.locator("[data-testid=verdict-4]").get_by_text("returns", exact=True).wait_for()
    seen = time.perf_counter() - pressed
    _wait_evaluations(page, before + 1)
    latency = page.evaluate("() => globalThis.peerspecViewer.lastLatencyMs")
    print(f"keystroke to verdict: {seen * 1000:.0f} ms seen by Playwright, {latency:.0f} ms inside the page")
    assert _verdicts(page) == _model_verdicts(_trace_text(page))
    assert with_credentials in _trace_text(page).splitlines()[3]


def test_the_form_and_the_text_are_one_trace(page: Any) -> None:
    _set_text(
        page,
        '{"op": "construct", "args": {}}\n{"op": "createDataChannel", "args": {"label": "x"}}\n'
        '{"op": "createOffer", "args": {}}\n',
    )
    assert [page.locator(f"[data-testid=op-{n}]").input_value() for n in (1, 2, 3)] == [
        "construct",
        "createDataChannel",
        "createOffer",
    ]
    before = _evaluations(page)
    page.locator("[data-testid=op-3]").select_option("close")
    _wait_evaluations(page, before + 1)
    assert _trace_text(page).splitlines()[2] == '{"op": "close", "args": {}}'
    before = _evaluations(page)
    page.locator("[data-testid=mode-1]").select_option("undefined")
    _wait_evaluations(page, before + 1)
    assert _trace_text(page).splitlines()[0] == '{"op": "construct", "args": {"configuration": {"$js": "undefined"}}}'
    assert _verdicts(page) == _model_verdicts(_trace_text(page))


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("{not json\n", "trace, line 1: not JSON"),
        ('{"op": "construct", "args": {}}\n{"op": "fly", "args": {}}\n', "trace, line 2: unknown op 'fly'"),
        ('{"op": "construct", "args": {}}\n' + '{"op": "close", "args": {}}\n' * 200, "at most 200 steps"),
    ],
)
def test_bad_input_gets_a_clear_message_and_the_page_recovers(page: Any, text: str, said: str) -> None:
    _set_text(page, text)
    message = page.locator("[data-testid=message]")
    assert said in message.inner_text() and message.inner_text().startswith("The trace cannot be evaluated: ")
    assert _verdicts(page) == []
    good = '{"op": "construct", "args": {}}\n{"op": "close", "args": {}}\n'
    _set_text(page, good)
    assert message.inner_text() == ""
    assert _verdicts(page) == _model_verdicts(good)


def test_running_in_the_browser_shows_where_it_departs_naming_known_deviations(page: Any, tmp_path: Path) -> None:
    page.locator("[data-testid=run-browser]").click()
    summary = page.locator("[data-testid=browser-summary]")
    summary.get_by_text("Your browser (").wait_for()
    text = summary.inner_text()
    assert "judged as chromium" in text
    assert "Known deviation chromium-getconfiguration-extra-members" in text  # step 3, getConfiguration()
    assert "a new divergence" not in text, text
    assert page.locator("[data-testid=browser-1]").inner_text() == "returns = model"
    page.locator("[data-testid=step-7]").click()  # setLocalDescription: the lifecycle leaves new
    lifecycle = evaluate(_trace_text(page))["steps"][6]["after"]["lifecycle"]
    assert page.locator("svg#lifecycle .state.current").get_attribute("data-state") == lifecycle
    taken = page.locator("svg#lifecycle .edge.taken")
    assert (taken.get_attribute("data-source"), taken.get_attribute("data-dest")) == ("new", lifecycle)
    screenshot = ROOT / SCREENSHOT_TARGET if SCREENSHOT_TARGET else tmp_path / "serve.png"
    screenshot.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.stat().st_size > 10_000  # a rendered page, not an empty image


def test_a_host_outside_invalid_is_refused_before_it_reaches_the_browser(page: Any) -> None:
    _set_text(page, OUTSIDE)
    assert _verdicts(page) == _model_verdicts(OUTSIDE)  # the model evaluates it: nothing leaves the machine
    page.locator("[data-testid=run-browser]").click()
    message = page.locator("[data-testid=message]", has_text="Not run:")
    message.wait_for(timeout=TIMEOUT_MS)  # the click's answer replaces the evaluation's notice
    assert message.inner_text().startswith("Not run: stun:stun.example.org names a host outside .invalid")
    assert page.locator("[data-testid=browser-summary]").inner_text() == ""


def test_the_guard_reads_the_text_that_runs_even_before_its_verdicts_are_shown(page: Any) -> None:
    message = page.locator("[data-testid=message]")
    page.locator("[data-testid=trace-text]").evaluate(  # an edit and a click in one task: no verdict in between
        "(area, text) => { area.value = text; area.dispatchEvent(new Event('input', {bubbles: true}));"
        " document.querySelector('[data-testid=run-browser]').click(); }",
        OUTSIDE,
    )
    message.get_by_text("Not run: stun:stun.example.org").wait_for()
    assert page.locator("[data-testid=browser-summary]").inner_text() == ""


def test_a_share_link_reproduces_the_trace_and_the_download_is_the_trace(page: Any, context: Any) -> None:
    text = '{"op": "construct", "args": {}}\n{"op": "restartIce", "args": {}}\n{"op": "getConfiguration", "args": {}}\n'
    _set_text(page, text)
    link = page.locator("[data-testid=share-link]").get_attribute("href")
    with page.expect_download() as download:
        page.locator("#download").click()
    assert Path(download.value.path()).read_text(encoding="utf-8") == text
    shared = context.new_page()
    try:
        shared.goto(page.url.split("#")[0].rstrip("/") + link)
        _wait_evaluations(shared, 1)
        assert _trace_text(shared) == text
        assert _verdicts(shared) == _model_verdicts(text)
    finally:
        shared.close()


def test_an_example_loads_a_rule_vectors_calls(page: Any, viewer: ViewerThread) -> None:
    options = page.locator("#examples option[value]:not([value=''])")
    first = options.first.get_attribute("value")
    before = _evaluations(page)
    page.locator("#examples").select_option(first)
    _wait_evaluations(page, before + 1)
    from urllib.request import urlopen

    with urlopen(f"{viewer.url}api/examples/{first}", timeout=10) as answer:
        assert _trace_text(page) == json.loads(answer.read())["trace"]
