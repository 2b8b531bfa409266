"""The committed rule vectors for JSEP's m= section rules (trace format v2) show their rules: what each records,
read back from vectors/, is what JSEP (RFC 9429) says the calls end in. The recorded values are the model's
(`peerspec generate`); these tests say which of them carry the rule."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from peerspec.oracle.trace import Step, load

VECTORS = Path(__file__).resolve().parent.parent / "vectors"


def vector(name: str) -> list[Step]:
    steps = load(str(VECTORS / f"{name}.jsonl"))
    assert steps and all(step.version == 2 for step in steps), "a trace format v2 vector"
    return steps


def result(step: Step) -> Any:
    assert step.outcome is not None and "ok" in step.outcome, step.outcome
    return step.outcome["ok"]


def sections(step: Step) -> list[tuple[str, bool]]:
    return [(section["kind"], section["rejected"]) for section in result(step)["media"]]


def transceivers(step: Step) -> list[tuple[str, str, bool]]:
    after: Any = step.after
    assert isinstance(after, dict)
    return [(t["kind"], t["direction"], t["mid"] is not None) for t in after["transceivers"]]


def test_a_section_the_far_ends_answer_rejected_stays_at_port_0_in_the_next_offer() -> None:
    """JSEP §5.2.2: the video section has a zero port in the current remote description, so the next offer keeps it
    at its index, rejected; its transceiver was stopped and removed when the answer was applied."""
    *_, answer, offer = vector("offer-keeps-a-section-the-far-end-rejected-at-port-0")
    assert answer.op == "setRemoteDescription" and "m=video 0 " in str(answer.args)
    assert transceivers(answer) == [("audio", "sendrecv", True)]
    assert offer.op == "createOffer" and sections(offer) == [("audio", False), ("video", True)]


def test_an_added_transceiver_takes_the_rejected_sections_place() -> None:
    """JSEP §5.2.2: the video transceiver added after the rejection recycles the rejected section: the offer still
    has two m= sections, both live, and applying it gives the transceiver a mid."""
    *_, added, offer, applied = vector("an-added-transceiver-recycles-the-rejected-section")
    assert added.op == "addTransceiver" and result(added)["mid"] is None
    assert sections(offer) == [("audio", False), ("video", False)]
    assert applied.op == "setLocalDescription" and transceivers(applied) == [
        ("audio", "sendrecv", True),
        ("video", "sendrecv", True),
    ]


def test_an_offered_text_section_is_rejected_in_the_answer() -> None:
    """JSEP §5.3.1: no format of the m=text section is supported, so the answer rejects it (port 0) and answers
    the audio section; only the audio section has a transceiver (JSEP §5.10 makes them for audio and video)."""
    _construct, offer, answer = vector("answer-rejects-an-offered-section-of-an-unsupported-media-type")
    assert "m=text " in str(offer.args) and transceivers(offer) == [("audio", "recvonly", True)]
    assert answer.op == "createAnswer" and sections(answer) == [("audio", False), ("text", True)]


def test_sections_without_a_mid_get_recvonly_transceivers_with_generated_mids() -> None:
    """JSEP §5.10: each RTP section of the remote offer gets a recvonly transceiver even without an a=mid line,
    its mid generated locally."""
    _construct, offer = vector("remote-sections-without-mids-get-recvonly-transceivers")
    assert "a=mid:" not in str(offer.args)
    assert transceivers(offer) == [("audio", "recvonly", True), ("video", "recvonly", True)]
