"""The registry's entries about a remote offer's m= line, each held to its recorded trace and to its own cause.

RFC 8866 §9's media-field is `m=<media> SP <port>["/" <integer>] SP <proto> 1*(SP <fmt>)`: `m=audio 9/2 ...` (a
number of ports) is SDP syntax, which the model applies; `m=audio  9 ...` (two spaces) is not, which the model
rejects at set a session description step 4.6.3 (JSEP §5.8: a line that is not well formed fails the parse). The
implementations that decide otherwise are registered with the trace they were recorded on; a divergence of the
same shape with another cause is left new."""

from __future__ import annotations

from dataclasses import replace

import pytest

from peerspec.oracle.conformance import recorded_verdicts, reproduces
from peerspec.oracle.deviations import Deviation, load_registry, trace_steps
from peerspec.oracle.model_runner import replay
from peerspec.oracle.trace import Step, parse
from peerspec.oracle.verdicts import verdicts_of

REGISTRY = load_registry()
NUMBER_OF_PORTS = "m=audio 9/2 UDP/TLS/RTP/SAVPF 111"
TWO_SPACES = "m=audio  9 UDP/TLS/RTP/SAVPF 111"

REFUSING_A_NUMBER_OF_PORTS = {
    "chromium": "chromium-remote-m-line-with-a-number-of-ports-refused",
    "wrtc": "wrtc-remote-m-line-with-a-number-of-ports-refused",
    "werift": "werift-remote-m-line-with-a-number-of-ports-refused",
    "aiortc": "aiortc-remote-m-line-with-a-number-of-ports-refused",
}
ACCEPTING_TWO_SPACES = {
    "firefox": "firefox-malformed-remote-m-line-accepted",
    "node-datachannel": "ndc-malformed-remote-m-line-accepted",
    "pion": "pion-malformed-remote-m-line-accepted",
}
REFUSING_TWO_SPACES_WITH_ANOTHER_ERROR = {
    "wrtc": "wrtc-malformed-remote-m-line-parse-error-is-a-typeerror",
    "werift": "werift-malformed-remote-m-line-is-a-plain-error",
    "aiortc": "aiortc-malformed-remote-m-line-is-an-assertionerror",
}
ENTRIES = [
    pytest.param(implementation, entry, id=entry)
    for table in (REFUSING_A_NUMBER_OF_PORTS, ACCEPTING_TWO_SPACES, REFUSING_TWO_SPACES_WITH_ANOTHER_ERROR)
    for implementation, entry in table.items()
]


def deviation(entry: str) -> Deviation:
    return next(d for d in REGISTRY.deviations if d.id == entry)


def offer_sdp(entry: str) -> str:
    (offer,) = [s for s in deviation(entry).trace if s.get("op") == "setRemoteDescription"]
    sdp = offer["args"]["description"]["sdp"]
    assert isinstance(sdp, str)
    return sdp


def the_entrys_trace_with(entry: str, media_line: str) -> list[dict[str, object]]:
    """The entry's own trace, its offer's m= line replaced by `media_line`."""
    line = next(line for line in offer_sdp(entry).split("\r\n") if line.startswith("m="))
    raw = [dict(step) for step in deviation(entry).trace]
    description = {"type": "offer", "sdp": offer_sdp(entry).replace(line, media_line)}
    raw[-1] = {"op": "setRemoteDescription", "args": {"description": description}}
    return raw


def model_run(raw: list[dict[str, object]], implementation: str) -> list[Step]:
    return replay(trace_steps(raw), seed=7, profile=REGISTRY.profile(implementation))


def outcome_words(observed: list[Step], implementation: str) -> list[tuple[int, str, str | None]]:
    """The verdict on each divergence of an outcome or an error name (the after observations follow from them)."""
    return [
        (v.divergence.step, v.verdict, v.deviation)
        for v in verdicts_of(observed, implementation, REGISTRY)
        if v.divergence.observation in ("outcome", "error name")
    ]


def rejected(name: str, message: str) -> dict[str, object]:
    return {"error": {"kind": "reject", "name": name, "message": message}}


def test_the_traces_carry_the_m_lines_they_are_about() -> None:
    for entry in REFUSING_A_NUMBER_OF_PORTS.values():
        assert f"\r\n{NUMBER_OF_PORTS}\r\n" in offer_sdp(entry), entry
    for entry in {**ACCEPTING_TWO_SPACES, **REFUSING_TWO_SPACES_WITH_ANOTHER_ERROR}.values():
        assert f"\r\n{TWO_SPACES}\r\n" in offer_sdp(entry), entry


def test_an_m_line_whose_port_has_a_number_of_ports_is_applied_as_a_remote_offer() -> None:
    (*_, applied) = model_run(list(deviation(REFUSING_A_NUMBER_OF_PORTS["chromium"]).trace), "chromium")
    assert applied.outcome == {"ok": None}
    after = applied.after or {}
    assert after["signalingState"] == "have-remote-offer"
    assert after["transceivers"] == [{"direction": "recvonly", "kind": "audio", "mid": "0"}]


def test_an_m_line_with_two_spaces_is_rejected_at_step_4_6_3_and_nothing_is_applied() -> None:
    (*_, refused) = model_run(list(deviation(ACCEPTING_TWO_SPACES["firefox"]).trace), "firefox")
    error = (refused.outcome or {})["error"]
    assert isinstance(error, dict)
    assert (error["kind"], error["name"], error["spec"]) == (
        "reject",
        "OperationError",
        "set a session description step 4.6.3",
    )
    after = refused.after or {}
    assert (after["signalingState"], after["remoteDescription"], after["transceivers"]) == ("stable", None, [])


@pytest.mark.parametrize(("implementation", "entry"), ENTRIES)
def test_the_recorded_trace_shows_the_entry_at_the_remote_offer(implementation: str, entry: str) -> None:
    verdicts = recorded_verdicts(deviation(entry), implementation, REGISTRY)
    assert reproduces(verdicts, deviation(entry))
    assert [(v.divergence.step, v.verdict, v.deviation) for v in verdicts][:1] == [(2, "known", entry)]


@pytest.mark.parametrize(("implementation", "entry"), REFUSING_A_NUMBER_OF_PORTS.items())
def test_the_same_refusal_of_an_m_line_without_a_number_of_ports_is_new(implementation: str, entry: str) -> None:
    """The entry's cause is the "/<number of ports>": the recorded refusal, given an offer whose port is plain 9,
    has no registered cause."""
    (*_, recorded) = recorded_steps(entry, implementation)
    plain = model_run(the_entrys_trace_with(entry, "m=audio 9 UDP/TLS/RTP/SAVPF 111"), implementation)
    assert plain[-1].outcome == {"ok": None}
    observed = [*plain[:-1], replace(plain[-1], outcome=recorded.outcome, after=recorded.after)]
    assert outcome_words(observed, implementation) == [(2, "new", None)]


@pytest.mark.parametrize(("implementation", "entry"), ACCEPTING_TWO_SPACES.items())
def test_an_accepted_port_that_is_not_digits_is_new(implementation: str, entry: str) -> None:
    """The entries are about the separators; an m= line whose port is not digits, applied, is another cause."""
    (*_, recorded) = recorded_steps(entry, implementation)
    other = model_run(the_entrys_trace_with(entry, "m=audio x9 UDP/TLS/RTP/SAVPF 111"), implementation)
    assert (other[-1].outcome or {}).get("error") is not None
    observed = [*other[:-1], replace(other[-1], outcome=recorded.outcome, after=recorded.after)]
    assert outcome_words(observed, implementation) == [(2, "new", None)]


@pytest.mark.parametrize(
    ("implementation", "error", "verdict"),
    [
        ("wrtc", rejected("TypeError", "Expects at least 4 fields."), "known"),  # libwebrtc's text, as observed
        ("werift", rejected("Error", "m line not found"), "known"),  # werift's m= pattern, as observed
        ("aiortc", rejected("AssertionError", ""), "new"),  # an assert names no cause: only two spaces are claimed
    ],
)
def test_a_tab_in_the_m_line_rejected_with_the_parsers_own_error(
    implementation: str, error: dict[str, object], verdict: str
) -> None:
    """wrtc's and werift's messages name the parser that refused the line, so their entries take any malformed m=
    line it refuses; aiortc's AssertionError carries no text, so its entry takes only the recorded shape."""
    entry = REFUSING_TWO_SPACES_WITH_ANOTHER_ERROR[implementation]
    model = model_run(the_entrys_trace_with(entry, "m=audio\t9 UDP/TLS/RTP/SAVPF 111"), implementation)
    observed = [*model[:-1], replace(model[-1], outcome=error)]
    assert outcome_words(observed, implementation) == [(2, verdict, entry if verdict == "known" else None)]


def recorded_steps(entry: str, implementation: str) -> list[Step]:
    path = deviation(entry).recorded_trace_path(implementation)
    return parse(path.read_bytes(), str(path))
