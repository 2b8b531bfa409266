"""Each registry matcher below takes a divergence only when the trace shows the entry's own root cause before it
(its `earlier` condition): the same observation without that cause is new, so a future bug of the same shape is
not blamed on an entry that does not explain it. The observed traces are the model's own run with one
observation changed, so each test names exactly the difference it judges."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import replace

import pytest

from peerspec.oracle.deviations import VECTORS_DIR, load_registry, trace_steps
from peerspec.oracle.model_runner import replay
from peerspec.oracle.trace import Step
from peerspec.oracle.verdicts import first_divergence_decides, verdicts_of

REGISTRY = load_registry()
HEADER = {"peerspecTrace": 2}
CONSTRUCT = {"op": "construct", "args": {}}
ANSWER = {"op": "createAnswer", "args": {}}
ROLLBACK = {"op": "setLocalDescription", "args": {"description": {"type": "rollback"}}}


def calls_of(vector: str) -> list[dict[str, object]]:
    """A committed vector's calls (header first), without the model's outcomes."""
    lines = [json.loads(line) for line in (VECTORS_DIR / f"{vector}.jsonl").read_text(encoding="utf-8").splitlines()]
    return [lines[0]] + [{"op": line["op"], "args": line["args"]} for line in lines[1:]]


def far_end_offer(vector: str) -> dict[str, object]:
    (offer,) = [c for c in calls_of(vector) if c.get("op") == "setRemoteDescription"]
    return offer


def as_the_model_runs(raw: Sequence[Mapping[str, object]], implementation: str) -> list[Step]:
    return replay(trace_steps(raw), seed=7, profile=REGISTRY.profile(implementation))


def with_credentials(steps: list[Step], number: int, credentials: list[list[str]]) -> list[Step]:
    """The model's run with step `number`'s (an offer's or answer's) ICE credentials replaced."""
    step = steps[number - 1]
    made = (step.outcome or {})["ok"]
    assert isinstance(made, dict)
    changed = list(steps)
    changed[number - 1] = replace(step, outcome={"ok": {**made, "iceCredentials": credentials}})
    return changed


def words(observed: list[Step], implementation: str) -> list[tuple[int, str, str | None]]:
    return [(v.divergence.step, v.verdict, v.deviation) for v in verdicts_of(observed, implementation, REGISTRY)]


TWO_PAIRS = [["aaaa", "a" * 24], ["bbbb", "b" * 24]]


@pytest.mark.parametrize(
    "vector",
    [
        "answer-rejects-an-offered-section-of-an-unsupported-media-type",
        "remote-sections-without-mids-get-recvonly-transceivers",
    ],
)
@pytest.mark.parametrize("implementation", ["chromium", "wrtc"])
def test_an_answer_with_a_pair_per_unbundled_section_is_ambiguous_under_the_spec(
    vector: str, implementation: str
) -> None:
    """A remote offer with an m=text section (rejected, in no BUNDLE group) or with sections without a=mid (which
    cannot be bundled): JSEP's one pair per connection against RFC 8839 §5.4's pair per m= section."""
    model = as_the_model_runs([HEADER, CONSTRUCT, far_end_offer(vector), ANSWER], implementation)
    observed = with_credentials(model, 3, TWO_PAIRS)
    entry = f"{implementation}-unbundled-sections-have-their-own-ice-credentials"
    assert words(observed, implementation) == [(3, "ambiguous", entry)]


@pytest.mark.parametrize("implementation", ["chromium", "wrtc"])
def test_an_answer_with_two_pairs_to_a_bundled_offer_is_new(implementation: str) -> None:
    """The harness's remote offer bundles every section: a second pair in the answer has no registered cause
    (wrtc-pooled-answers-keep-credentials needs a candidate pool, and none is asked for here)."""
    model = as_the_model_runs(
        [CONSTRUCT, {"op": "setRemoteDescription", "args": {"description": {"$remote": "offer"}}}, ANSWER],
        implementation,
    )
    assert words(with_credentials(model, 3, TWO_PAIRS), implementation) == [(3, "new", None)]


DATA_OFFER = [
    CONSTRUCT,
    {"op": "createDataChannel", "args": {"label": "chat"}},
    {"op": "createOffer", "args": {}},
]
ROLLED_BACK = [
    *DATA_OFFER,
    {"op": "setLocalDescription", "args": {"description": {"type": "offer", "sdp": {"$sdp": "last-offer"}}}},
    ROLLBACK,
    {"op": "createOffer", "args": {}},
]


@pytest.mark.parametrize(
    ("implementation", "entry"),
    [
        ("chromium", "chromium-offer-after-rollback-omits-data-section"),
        ("wrtc", "wrtc-offer-rollback-drops-data-section"),
    ],
)
def test_an_offer_without_sections_is_the_rollback_entry_only_after_a_rollback(implementation: str, entry: str) -> None:
    """The offer after a rolled-back data offer has no m= section (the entry); the same empty offer with no
    rollback before it is new."""
    after_rollback = with_credentials(as_the_model_runs(ROLLED_BACK, implementation), 6, [])
    assert (6, "known", entry) in words(after_rollback, implementation)
    no_rollback = with_credentials(as_the_model_runs(DATA_OFFER, implementation), 3, [])
    assert words(no_rollback, implementation) == [(3, "new", None)]


def test_a_wrtc_offer_without_the_transceivers_it_lacks_is_not_implemented_not_the_rollback_entry() -> None:
    """wrtc has no addTransceiver: the vector's offer then has no m= section, a consequence of the call that is
    not there, not of a rollback (there is none in the vector)."""
    vector = "an-added-transceiver-recycles-the-rejected-section"
    model = as_the_model_runs(calls_of(vector), "wrtc")
    observed = [
        replace(s, outcome={"notImplemented": "wrtc does not implement addTransceiver"}, after=None)
        if s.op == "addTransceiver"
        else s
        for s in model
    ]
    first_offer = next(n for n, s in enumerate(observed, start=1) if s.op == "createOffer")
    observed = with_credentials(observed, first_offer, [])
    verdicts = first_divergence_decides(verdicts_of(observed, "wrtc", REGISTRY))
    assert not any(v.deviation == "wrtc-offer-rollback-drops-data-section" for v in verdicts)
    assert verdicts[0].verdict == "not-implemented"
    assert {v.verdict for v in verdicts} <= {"not-implemented", "consequence"}


IMPLICIT_OFFER_THEN_LAST_OFFER = [
    *DATA_OFFER,
    {"op": "setLocalDescription", "args": {}},
    {"op": "setLocalDescription", "args": {"description": {"type": "offer", "sdp": {"$sdp": "last-offer"}}}},
]


def test_the_last_offer_refused_after_an_implicit_offer_is_the_restartice_entry_only_after_restartice() -> None:
    """chromium-implicit-offer-after-early-restartice-replaces-last-offer: restartIce() is what makes Chromium's
    implicit offer differ from the one createOffer returned; with no restartIce() before it the refusal is new."""
    model = as_the_model_runs(IMPLICIT_OFFER_THEN_LAST_OFFER, "chromium")
    assert (model[4].outcome or {}).get("ok", "absent") is None, "the model applies createOffer's offer"
    refused: dict[str, object] = {"error": {"kind": "reject", "name": "InvalidAccessError", "message": ""}}
    observed = [*model[:4], replace(model[4], outcome=refused)]
    assert [w for w in words(observed, "chromium") if w[0] == 5][:1] == [(5, "new", None)]


def test_negotiationneeded_again_after_a_data_exchange_is_the_rolled_back_data_entry_only_after_a_rollback() -> None:
    """chromium-data-renegotiated-after-a-rolled-back-data-section is a consequence of a rolled-back data
    section: one more negotiationneeded event as an answer is applied, with no rollback before it, is new."""
    negotiated = [
        *DATA_OFFER,
        {"op": "setLocalDescription", "args": {"description": {"type": "offer", "sdp": {"$sdp": "last-offer"}}}},
        {"op": "setRemoteDescription", "args": {"description": {"$remote": "answer"}}},
    ]
    model = as_the_model_runs(negotiated, "chromium")
    after = dict(model[4].after or {})
    fired = after["negotiationneeded"]
    assert isinstance(fired, int)
    observed = [*model[:4], replace(model[4], after={**after, "negotiationneeded": fired + 1})]
    assert words(observed, "chromium") == [(5, "new", None)]
