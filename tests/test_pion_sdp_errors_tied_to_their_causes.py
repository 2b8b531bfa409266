"""Pion answers a remote description that fails with a plain Error (no rtcerr type) on two paths, each an entry of
its own: pion/sdp's Unmarshal refuses the text before the signaling state moves (pion-sdp-syntax-error-is-a-plain-error,
its "sdp: ..." messages), or the text parses, the state moves, and Pion's own checks of the description fail
afterwards (pion-bad-sdp-unnamed-error-after-state-change, its "SetRemoteDescription called with ..." messages). A
plain Error with neither text has no registered cause."""

from __future__ import annotations

from dataclasses import replace

import pytest

from peerspec.oracle.conformance import recorded_verdicts
from peerspec.oracle.deviations import Deviation, load_registry, trace_steps
from peerspec.oracle.model_runner import replay
from peerspec.oracle.verdicts import verdicts_of

REGISTRY = load_registry()
SYNTAX = "pion-sdp-syntax-error-is-a-plain-error"
AFTER_STATE_CHANGE = "pion-bad-sdp-unnamed-error-after-state-change"


def deviation(entry: str) -> Deviation:
    return next(d for d in REGISTRY.deviations if d.id == entry)


def error_name_words(entry: str, observed_error: dict[str, object] | None = None) -> list[tuple[str, str | None]]:
    """The verdicts on the error name of the entry's recorded trace, or of the model's run of the entry's trace
    with `observed_error` as the implementation's outcome of its last step."""
    if observed_error is None:
        verdicts = recorded_verdicts(deviation(entry), "pion", REGISTRY)
    else:
        model = replay(trace_steps(list(deviation(entry).trace)), seed=7, profile=REGISTRY.profile("pion"))
        observed = [*model[:-1], replace(model[-1], outcome={"error": observed_error})]
        verdicts = verdicts_of(observed, "pion", REGISTRY)
    return [(v.verdict, v.deviation) for v in verdicts if v.divergence.observation == "error name"]


def test_an_m_line_pion_sdp_refuses_is_the_syntax_entry_and_the_state_stays_stable() -> None:
    assert error_name_words(SYNTAX) == [("known", SYNTAX)]
    recorded = [v.divergence.observation for v in recorded_verdicts(deviation(SYNTAX), "pion", REGISTRY)]
    assert "after.signalingState" not in recorded


def test_text_that_parses_and_lacks_ice_credentials_is_the_after_state_change_entry() -> None:
    assert error_name_words(AFTER_STATE_CHANGE) == [("known", AFTER_STATE_CHANGE)]


@pytest.mark.parametrize("entry", [SYNTAX, AFTER_STATE_CHANGE])
def test_a_plain_error_with_neither_text_is_new(entry: str) -> None:
    assert error_name_words(entry, {"kind": "reject", "name": "Error", "message": ""}) == [("new", None)]


def test_the_other_path_s_message_goes_to_the_other_entry() -> None:
    pion_sdp: dict[str, object] = {"kind": "reject", "name": "Error", "message": "sdp: invalid syntax"}
    assert error_name_words(AFTER_STATE_CHANGE, pion_sdp) == [("known", SYNTAX)]
