"""chromium-cantrickle-null-without-media-sections: Chromium's canTrickleIceCandidates stays null when the remote
description it applied has no m= section (it reads the option from the first transport). The matcher takes the
divergence only at a setRemoteDescription whose SDP is written out without an m= line, or is one the trace names
by a tag (`$sdp`, `$remote`: the harness's own descriptions, as in the WPT vector that found it); a null after an
offer with m= sections, applied or refused, has another cause."""

from __future__ import annotations

import json
from dataclasses import replace

from peerspec.oracle.conformance import recorded_verdicts
from peerspec.oracle.deviations import VECTORS_DIR, load_registry, trace_steps
from peerspec.oracle.model_runner import replay
from peerspec.oracle.trace import Step
from peerspec.oracle.verdicts import verdicts_of

REGISTRY = load_registry()
ENTRY = "chromium-cantrickle-null-without-media-sections"
OFFER_WITH_AUDIO = next(
    d for d in REGISTRY.deviations if d.id == "chromium-remote-m-line-with-a-number-of-ports-refused"
)


def model_run(raw: list[dict[str, object]]) -> list[Step]:
    return replay(trace_steps(raw), seed=7, profile=REGISTRY.profile("chromium"))


def with_cantrickle_null(steps: list[Step], number: int) -> list[Step]:
    step = steps[number - 1]
    changed = list(steps)
    changed[number - 1] = replace(step, after={**(step.after or {}), "canTrickleIceCandidates": None})
    return changed


def cantrickle_words(observed: list[Step]) -> list[tuple[int, str, str | None]]:
    return [
        (v.divergence.step, v.verdict, v.deviation)
        for v in verdicts_of(observed, "chromium", REGISTRY)
        if v.divergence.observation == "after.canTrickleIceCandidates"
    ]


def test_an_applied_offer_with_an_audio_section_and_cantrickle_null_is_new() -> None:
    raw = [dict(step) for step in OFFER_WITH_AUDIO.trace]
    description = raw[-1]["args"]["description"]
    sdp = description["sdp"].replace("m=audio 9/2 ", "m=audio 9 ")
    raw[-1] = {"op": "setRemoteDescription", "args": {"description": {"type": "offer", "sdp": sdp}}}
    model = model_run(raw)
    assert (model[-1].after or {})["canTrickleIceCandidates"] is True
    assert [s.op for s in model] == ["construct", "setRemoteDescription"]
    assert cantrickle_words(with_cantrickle_null(model, 2)) == [(2, "new", None)]


def test_after_a_refused_offer_cantrickle_null_is_the_refusals_consequence() -> None:
    """Chromium refuses `m=audio 9/2`: nothing is applied, so canTrickleIceCandidates stays null as a consequence."""
    verdicts = recorded_verdicts(OFFER_WITH_AUDIO, "chromium", REGISTRY)
    trickle = [
        (v.verdict, v.deviation) for v in verdicts if v.divergence.observation == "after.canTrickleIceCandidates"
    ]
    assert trickle == [("consequence", OFFER_WITH_AUDIO.id)]


def test_its_own_offer_without_sections_applied_as_remote_is_the_entry() -> None:
    """The WPT vector that found it: createOffer with no m= section, then that SDP (`$sdp: last-offer`) as remote."""
    lines = (
        (VECTORS_DIR / "wpt" / "wpt-RTCPeerConnection-setRemoteDescription-answer-03.jsonl").read_text().splitlines()
    )
    raw = [json.loads(lines[0])] + [{"op": s["op"], "args": s["args"]} for s in map(json.loads, lines[1:])]
    model = model_run(raw)
    assert model[2].op == "setRemoteDescription" and (model[2].after or {})["canTrickleIceCandidates"] is True
    assert cantrickle_words(with_cantrickle_null(model, 3))[:1] == [(3, "known", ENTRY)]


def test_the_entrys_own_trace_offers_no_m_line() -> None:
    entry = next(d for d in REGISTRY.deviations if d.id == ENTRY)
    (offer,) = [s for s in entry.trace if s.get("op") == "setRemoteDescription"]
    assert "\nm=" not in offer["args"]["description"]["sdp"]
    assert [(v.verdict, v.deviation) for v in recorded_verdicts(entry, "chromium", REGISTRY)] == [("known", ENTRY)]
