"""The deviation registry without a browser: every entry has its recorded traces, and each recorded trace still
diverges from the model exactly as the entry says (and in no way the registry does not know)."""

from __future__ import annotations

import pytest

from peerspec.oracle.conformance import recorded_verdicts, reproduces
from peerspec.oracle.deviations import TRACES_DIR, load_registry
from peerspec.oracle.implementations.offline import UnsafeURL, ensure_offline, url_host

REGISTRY = load_registry()
ENTRIES = [pytest.param(d, b, id=f"{d.id}.{b}") for d in REGISTRY.deviations for b in d.implementations]


@pytest.mark.parametrize(("deviation", "browser"), ENTRIES)
def test_the_recorded_trace_still_diverges_as_the_entry_says(deviation: object, browser: str) -> None:
    from peerspec.oracle.deviations import Deviation

    assert isinstance(deviation, Deviation)
    assert deviation.recorded_trace_path(browser).exists(), "record it: peerspec conformance --impl B --record"
    verdicts = recorded_verdicts(deviation, browser, REGISTRY)
    assert reproduces(verdicts, deviation), [v.describe() for v in verdicts]


def test_every_entry_says_what_the_spec_says_and_why() -> None:
    for d in REGISTRY.deviations:
        assert d.spec.get("section") and d.spec.get("says") and d.implementation_does and d.why and d.match, d.id


@pytest.mark.parametrize(
    "url", ["stun:example.com", "A:0", "stun:1.2.3.4", "turn:u@example.org:3478", "stun:[::1]:3478", "stun:ab.in/valid"]
)
def test_a_url_whose_host_is_not_under_invalid_is_never_sent(url: str) -> None:
    with pytest.raises(UnsafeURL):
        ensure_offline({"op": "setConfiguration", "args": {"configuration": {"iceServers": [{"urls": [url]}]}}})


@pytest.mark.parametrize("url", ["stun:a.invalid", "turns:x.y.invalid:5349?transport=tcp", "stun:", "relative-url"])
def test_urls_under_invalid_or_without_a_host_are_sent(url: str) -> None:
    ensure_offline({"op": "construct", "args": {"configuration": {"iceServers": [{"urls": url}]}}})
    assert url_host(url) in (None, "") or str(url_host(url)).endswith(".invalid")


def test_every_recorded_trace_belongs_to_an_entry() -> None:
    """conformance/traces/ holds the recorded run of each entry in each of its browsers, and nothing else."""
    expected = {d.recorded_trace_path(browser).name for d in REGISTRY.deviations for browser in d.implementations}
    assert {p.name for p in TRACES_DIR.glob("*.jsonl")} == expected
