"""Hand-written conformance cases: one short trace per spec rule, ending in the step that shows the rule.

A case is a trace format version 1 trace unless it says `trace=2`: the JSEP m= section cases need version 2's
observations (an offer's or answer's `media`, `transceivers` after each step) and its addTransceiver op. Their
far end's descriptions are written out as SDP here (an input, like any argument), because the remote peer of
`{"$remote": ...}` never rejects a section, offers an unknown media type or leaves out a=mid.

Each case names the rule (the spec step) and what the spec says the last step does (an error name, or "ok").
`peerspec generate` replays every case on the model and refuses to write one whose last step the model does
not decide as stated, by the step stated: the words here come from the spec, the recorded outcomes from the
model.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

JSON = Any  # trace JSON, as Python literals
CONSTRUCT: Final[dict[str, JSON]] = {"op": "construct", "args": {}}
DATA_CHANNEL: Final[dict[str, JSON]] = {"op": "createDataChannel", "args": {"label": "chat"}}
CLOSE: Final[dict[str, JSON]] = {"op": "close", "args": {}}
OFFER: Final[dict[str, JSON]] = {"op": "createOffer", "args": {}}
SLD: Final[dict[str, JSON]] = {"op": "setLocalDescription", "args": {}}
REMOTE_ANSWER: Final[dict[str, JSON]] = {"op": "setRemoteDescription", "args": {"description": {"$remote": "answer"}}}
REMOTE_OFFER: Final[dict[str, JSON]] = {"op": "setRemoteDescription", "args": {"description": {"$remote": "offer"}}}
GET: Final[dict[str, JSON]] = {"op": "getConfiguration", "args": {}}
NEGOTIATED: Final = (CONSTRUCT, DATA_CHANNEL, OFFER, SLD, REMOTE_ANSWER)
STUN: Final = "stun:stun.example.invalid"
TURN: Final = "turn:turn.example.invalid"


def construct(configuration: JSON) -> dict[str, JSON]:
    return {"op": "construct", "args": {"configuration": configuration}}


def set_configuration(configuration: JSON) -> dict[str, JSON]:
    return {"op": "setConfiguration", "args": {"configuration": configuration}}


def servers(*urls: JSON, **credentials: JSON) -> dict[str, JSON]:
    return {"iceServers": [{"urls": list(urls) if len(urls) != 1 else urls[0], **credentials}]}


@dataclass(frozen=True)
class RuleCase:
    id: str
    rule: str  # the spec step the last step's outcome shows
    expect: str  # what the spec says the last step does: "ok" or an error name
    steps: tuple[dict[str, JSON], ...]
    trace: int = 1  # the trace format version the case is written in (2: a header line first)


# ---- far-end SDP for the JSEP m= section cases (trace format v2) ---------------------------------------------
# Written so that both browsers apply it: a DTLS fingerprint and setup role, ICE credentials of legal length,
# rtcp-mux (rtcpMuxPolicy "require"), and PCMU (static payload type 0, which Chromium and Firefox both offer) in
# an answered audio section. No candidates and no address but 0.0.0.0: nothing is ever sent.
_FAR_END_ICE: Final = (
    "c=IN IP4 0.0.0.0\r\na=ice-ufrag:farendufrag\r\na=ice-pwd:farendpasswordfarendpassword\r\n"
    "a=fingerprint:sha-256 " + ":".join(["5A"] * 32) + "\r\n"
)


def _far_end_sdp(bundle: str | None, *sections: str) -> str:
    group = f"a=group:BUNDLE {bundle}\r\n" if bundle is not None else ""
    session = "v=0\r\no=- 4242 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
    return session + group + "a=ice-options:trickle\r\n" + "".join(sections)


def _far_end_section(kind: str, port: int, mid: str | None, direction: str, setup: str) -> str:
    """One m= section: audio (PCMU), video (VP8) or text (T.140, RFC 4103), its a=mid line only when `mid`."""
    protocol, payload, rtpmap = {
        "audio": ("UDP/TLS/RTP/SAVPF", "0", "PCMU/8000"),
        "video": ("UDP/TLS/RTP/SAVPF", "96", "VP8/90000"),
        "text": ("RTP/SAVPF", "98", "t140/1000"),
    }[kind]
    identified = f"a=mid:{mid}\r\n" if mid is not None else ""
    return (
        f"m={kind} {port} {protocol} {payload}\r\n{_FAR_END_ICE}a=setup:{setup}\r\n{identified}a={direction}\r\n"
        f"a=rtcp-mux\r\na=rtpmap:{payload} {rtpmap}\r\n"
    )


def _remote(kind: str, sdp: str) -> dict[str, JSON]:
    return {"op": "setRemoteDescription", "args": {"description": {"type": kind, "sdp": sdp}}}


def _add(kind: str) -> dict[str, JSON]:
    return {"op": "addTransceiver", "args": {"kind": kind}}


SLD_OFFER: Final[dict[str, JSON]] = {
    "op": "setLocalDescription", "args": {"description": {"type": "offer", "sdp": {"$sdp": "last-offer"}}}
}  # fmt: skip
#: The far end's answer to an audio and a video section (mids "0", "1", as both browsers and the model name them)
#: that accepts the audio and rejects the video: port 0, a=inactive, out of its BUNDLE group (RFC 9143).
ANSWER_REJECTING_VIDEO: Final = _far_end_sdp(
    "0",
    _far_end_section("audio", 9, "0", "recvonly", "active"),
    _far_end_section("video", 0, "1", "inactive", "active"),
)
#: The far end's offer of an audio section and a text section (m=text: RFC 4566 §5.14, a real-time text stream).
OFFER_WITH_TEXT: Final = _far_end_sdp(
    "0 1",
    _far_end_section("audio", 9, "0", "sendrecv", "actpass"),
    _far_end_section("text", 9, "1", "sendrecv", "actpass"),
)
#: The far end's offer of an audio and a video section without a=mid lines (and so without a BUNDLE group).
OFFER_WITHOUT_MIDS: Final = _far_end_sdp(
    None,
    _far_end_section("audio", 9, None, "sendrecv", "actpass"),
    _far_end_section("video", 9, None, "sendrecv", "actpass"),
)
VIDEO_REJECTED_BY_THE_FAR_END: Final = (
    CONSTRUCT, _add("audio"), _add("video"), OFFER, SLD_OFFER, _remote("answer", ANSWER_REJECTING_VIDEO)
)  # fmt: skip


RULE_CASES: Final[tuple[RuleCase, ...]] = (
    # ---- WebIDL conversion -------------------------------------------------------------------------
    RuleCase("webidl-enum-mismatch-is-TypeError", "WebIDL conversion", "TypeError",
             (construct({"bundlePolicy": "max-compat "}),)),
    RuleCase("webidl-members-convert-in-lexicographic-order", "WebIDL conversion", "TypeError",
             (construct({"iceServers": [{"urls": ""}], "bundlePolicy": "bogus"}),)),
    RuleCase("webidl-pool-size-truncates-1.5-to-1", "WebIDL conversion", "ok",
             (construct({"iceCandidatePoolSize": 1.5}), GET)),
    RuleCase("webidl-pool-size-256-is-TypeError", "WebIDL conversion", "TypeError",
             (construct({"iceCandidatePoolSize": 256}),)),
    RuleCase("webidl-pool-size-NaN-is-TypeError", "WebIDL conversion", "TypeError",
             (construct({"iceCandidatePoolSize": {"$js": "NaN"}}),)),
    RuleCase("webidl-iceServers-null-is-TypeError", "WebIDL conversion", "TypeError",
             (construct({"iceServers": None}),)),
    RuleCase("webidl-urls-required", "WebIDL conversion", "TypeError", (construct({"iceServers": [{}]}),)),
    RuleCase("webidl-urls-null-becomes-the-string-null", "validate an ICE server URL step 2", "SyntaxError",
             (construct({"iceServers": [{"urls": None}]}),)),
    RuleCase("webidl-TypeError-precedes-the-closed-check", "WebIDL conversion", "TypeError",
             (CONSTRUCT, CLOSE, set_configuration({"bundlePolicy": "x"}))),
    RuleCase("webidl-createOffer-options-TypeError-rejects", "WebIDL conversion", "TypeError",
             (CONSTRUCT, {"op": "createOffer", "args": {"options": 5}})),
    # ---- constructor and set the configuration -----------------------------------------------------
    RuleCase("setConfiguration-on-closed-throws-InvalidStateError", "setConfiguration step 2", "InvalidStateError",
             (CONSTRUCT, CLOSE, set_configuration({}))),
    RuleCase("setConfiguration-certificate-count-fixed", "set the configuration step 3.1",
             "InvalidModificationError",
             ({"op": "generateCertificate", "args": {"keygenAlgorithm": {"name": "ECDSA", "namedCurve": "P-256"},
                                                      "name": "c1"}},
              construct({"certificates": [{"$certificate": "c1"}]}), set_configuration({}))),
    RuleCase("setConfiguration-certificate-identity-fixed", "set the configuration step 3.3.1",
             "InvalidModificationError",
             ({"op": "generateCertificate", "args": {"keygenAlgorithm": {"name": "ECDSA", "namedCurve": "P-256"},
                                                      "name": "c1"}},
              {"op": "generateCertificate", "args": {"keygenAlgorithm": {"name": "ECDSA", "namedCurve": "P-256"},
                                                     "name": "c2"}},
              construct({"certificates": [{"$certificate": "c1"}]}),
              set_configuration({"certificates": [{"$certificate": "c2"}]}))),
    RuleCase("setConfiguration-bundlePolicy-fixed-and-not-additive", "set the configuration step 3.4",
             "InvalidModificationError", (construct({"bundlePolicy": "max-bundle"}), set_configuration({}))),
    RuleCase("setConfiguration-rtcpMuxPolicy-negotiate-is-TypeError", "WebIDL conversion", "TypeError",
             (CONSTRUCT, set_configuration({"rtcpMuxPolicy": "negotiate"}))),
    RuleCase("setConfiguration-pool-size-fixed-after-sLD", "set the configuration step 3.6",
             "InvalidModificationError",
             (CONSTRUCT, DATA_CHANNEL, SLD, set_configuration({"iceCandidatePoolSize": 1}))),
    RuleCase("setConfiguration-pool-size-free-before-sLD", "set the configuration step 3.6", "ok",
             (CONSTRUCT, REMOTE_OFFER, set_configuration({"iceCandidatePoolSize": 1}), GET)),
    RuleCase("setConfiguration-omitted-pool-size-is-0-after-sLD", "set the configuration step 3.6",
             "InvalidModificationError",
             (construct({"iceCandidatePoolSize": 2}), DATA_CHANNEL, SLD, set_configuration(servers(STUN)))),
    RuleCase("setConfiguration-replaces-not-merges", "set the configuration step 10", "ok",
             (construct({"iceTransportPolicy": "relay", **servers(STUN)}), set_configuration({}), GET)),
    RuleCase("setConfiguration-failure-changes-nothing", "set the configuration step 6.4", "ok",
             (CONSTRUCT, set_configuration({"iceTransportPolicy": "relay", "iceServers": [{"urls": ""}]}), GET)),
    RuleCase("setConfiguration-empty-urls-is-SyntaxError", "set the configuration step 6.3", "SyntaxError",
             (CONSTRUCT, set_configuration({"iceServers": [{"urls": []}]}))),
    RuleCase("getConfiguration-returns-urls-as-a-list", "getConfiguration", "ok",
             (construct(servers(STUN)), GET)),
    RuleCase("getConfiguration-after-close", "getConfiguration", "ok",
             (construct(servers(STUN)), CLOSE, GET)),
    RuleCase("construct-propagates-InvalidAccessError", "validate an ICE server URL step 7", "InvalidAccessError",
             (construct(servers(TURN)),)),
    # ---- validate an ICE server URL ----------------------------------------------------------------
    RuleCase("url-http-scheme-is-SyntaxError", "validate an ICE server URL step 2", "SyntaxError",
             (CONSTRUCT, set_configuration(servers("http://stun.example.invalid")))),
    RuleCase("url-empty-string-is-SyntaxError", "validate an ICE server URL step 2", "SyntaxError",
             (CONSTRUCT, set_configuration(servers("")))),
    RuleCase("url-authority-is-SyntaxError", "validate an ICE server URL step 2", "SyntaxError",
             (CONSTRUCT, set_configuration(servers("stun://stun.example.invalid")))),
    RuleCase("url-path-slash-is-SyntaxError", "validate an ICE server URL step 2", "SyntaxError",
             (CONSTRUCT, set_configuration(servers("stun:stun.example.invalid/path")))),
    RuleCase("url-userinfo-at-is-SyntaxError", "validate an ICE server URL step 2", "SyntaxError",
             (CONSTRUCT, set_configuration(servers("stun:user@stun.example.invalid")))),
    RuleCase("url-fragment-is-SyntaxError", "validate an ICE server URL step 2", "SyntaxError",
             (CONSTRUCT, set_configuration(servers("stun:stun.example.invalid#f")))),
    RuleCase("url-stun-query-is-SyntaxError", "validate an ICE server URL step 2", "SyntaxError",
             (CONSTRUCT, set_configuration(servers("stun:stun.example.invalid?transport=udp")))),
    RuleCase("url-stuns-is-implemented-by-the-spec-profile", "validate an ICE server URL step 3", "ok",
             (CONSTRUCT, set_configuration(servers("stuns:stun.example.invalid")))),
    RuleCase("url-bad-port-is-SyntaxError", "validate an ICE server URL step 5", "SyntaxError",
             (CONSTRUCT, set_configuration(servers("stun:stun.example.invalid:65536")))),
    RuleCase("url-trailing-backslash-is-SyntaxError", "validate an ICE server URL step 5", "SyntaxError",
             (CONSTRUCT, set_configuration(servers("stun:stun.example.invalid\\")))),
    RuleCase("url-empty-port-is-valid", "validate an ICE server URL step 5", "ok",
             (CONSTRUCT, set_configuration(servers("stun:stun.example.invalid:")))),
    RuleCase("url-turn-query-upper-case-is-SyntaxError", "validate an ICE server URL step 6", "SyntaxError",
             (CONSTRUCT, set_configuration(servers(f"{TURN}?transport=UDP", username="u", credential="c")))),
    RuleCase("url-turn-query-transport-tcp-is-valid", "validate an ICE server URL step 6", "ok",
             (CONSTRUCT, set_configuration(servers(f"{TURN}?transport=tcp", username="u", credential="c")))),
    RuleCase("url-turn-without-credential-is-InvalidAccessError", "validate an ICE server URL step 7",
             "InvalidAccessError", (CONSTRUCT, set_configuration(servers(TURN, username="u")))),
    RuleCase("url-turn-empty-credential-is-InvalidAccessError", "validate an ICE server URL step 7",
             "InvalidAccessError", (CONSTRUCT, set_configuration(servers(TURN, username="u", credential="")))),
    RuleCase("url-turn-empty-username-is-valid", "validate an ICE server URL step 7", "ok",
             (CONSTRUCT, set_configuration(servers(TURN, username="", credential="c")), GET)),
    RuleCase("url-turn-credential-zero-width-space-is-InvalidAccessError", "validate an ICE server URL step 7",
             "InvalidAccessError",
             (CONSTRUCT, set_configuration(servers(TURN, username="u", credential="pass\u200bword")))),
    RuleCase("url-turn-credential-lone-surrogate-is-valid", "validate an ICE server URL step 7", "ok",
             (CONSTRUCT, set_configuration(servers(TURN, username="u", credential="pass\ud800")), GET)),
    RuleCase("url-turn-username-over-508-bytes-is-InvalidAccessError", "validate an ICE server URL step 7",
             "InvalidAccessError", (CONSTRUCT, set_configuration(servers(TURN, username="x" * 509, credential="c")))),
    RuleCase("url-first-failing-url-in-loop-order-decides", "validate an ICE server URL step 7",
             "InvalidAccessError",
             (CONSTRUCT, set_configuration({"iceServers": [{"urls": TURN}, {"urls": "bogus"}]}))),
    # ---- signaling ---------------------------------------------------------------------------------
    RuleCase("createOffer-on-closed-rejects-InvalidStateError", "createOffer step 2", "InvalidStateError",
             (CONSTRUCT, CLOSE, OFFER)),
    RuleCase("createAnswer-in-stable-rejects-InvalidStateError", "create an answer step 1", "InvalidStateError",
             (CONSTRUCT, {"op": "createAnswer", "args": {}})),
    RuleCase("createOffer-in-have-remote-offer-rejects-InvalidStateError", "create an offer step 1",
             "InvalidStateError", (CONSTRUCT, REMOTE_OFFER, OFFER)),
    RuleCase("sLD-modified-sdp-is-InvalidModificationError", "setLocalDescription step 4.2",
             "InvalidModificationError",
             (CONSTRUCT, DATA_CHANNEL, OFFER,
              {"op": "setLocalDescription", "args": {"description": {"type": "offer", "sdp": "v=0\r\n"}}})),
    RuleCase("sLD-rollback-in-stable-is-InvalidStateError", "set a session description step 2", "InvalidStateError",
             (CONSTRUCT, {"op": "setLocalDescription", "args": {"description": {"type": "rollback"}}})),
    RuleCase("sRD-answer-in-stable-is-InvalidStateError", "set a session description step 4.6.2",
             "InvalidStateError", (CONSTRUCT, REMOTE_ANSWER)),
    RuleCase("sRD-offer-in-have-local-offer-rolls-back-implicitly", "setRemoteDescription step 3.1", "ok",
             (CONSTRUCT, DATA_CHANNEL, SLD, REMOTE_OFFER)),
    RuleCase("sRD-not-sdp-is-OperationError", "set a session description step 4.6.3", "OperationError",
             (CONSTRUCT, {"op": "setRemoteDescription", "args": {"description": {"type": "offer", "sdp": "hello"}}})),
    RuleCase("pranswer-then-answer-returns-to-stable", "set a session description step 4.7", "ok",
             (CONSTRUCT, DATA_CHANNEL, OFFER, SLD,
              {"op": "setRemoteDescription", "args": {"description": {"$remote": "pranswer"}}}, REMOTE_ANSWER)),
    RuleCase("sLD-on-closed-rejects-InvalidStateError", "chain an operation step 2", "InvalidStateError",
             (CONSTRUCT, CLOSE, SLD)),
    RuleCase("close-twice-is-a-no-op", "close the connection step 1", "ok", (CONSTRUCT, CLOSE, CLOSE)),
    # ---- ICE restart -------------------------------------------------------------------------------
    RuleCase("offer-keeps-credentials-without-restart", "RTCOfferOptions.iceRestart", "ok",
             (*NEGOTIATED, OFFER)),
    RuleCase("offer-with-iceRestart-has-new-credentials", "RTCOfferOptions.iceRestart", "ok",
             (*NEGOTIATED, {"op": "createOffer", "args": {"options": {"iceRestart": True}}}, OFFER)),
    RuleCase("restartIce-makes-later-offers-restart", "restartIce step 2", "ok",
             (*NEGOTIATED, {"op": "restartIce", "args": {}},
              {"op": "createOffer", "args": {"options": {"iceRestart": False}}})),
    RuleCase("restartIce-fires-negotiationneeded-once-in-stable", "update the negotiation-needed flag step 2.5", "ok",
             (*NEGOTIATED, {"op": "restartIce", "args": {}}, {"op": "restartIce", "args": {}})),
    RuleCase("restartIce-before-any-local-description-does-nothing", "restartIce step 2", "ok",
             (CONSTRUCT, {"op": "restartIce", "args": {}})),
    RuleCase("answer-with-new-credentials-clears-the-restart", "set a session description step 4.7", "ok",
             (*NEGOTIATED, {"op": "restartIce", "args": {}}, OFFER, SLD, REMOTE_ANSWER)),
    RuleCase("remote-restart-gives-the-answer-new-credentials", "set a session description step 4.7", "ok",
             (*NEGOTIATED, {"op": "setRemoteDescription", "args": {"description": {"$remote": "offer",
                                                                                     "iceRestart": True}}},
              {"op": "createAnswer", "args": {}})),
    RuleCase("implicit-answer-after-a-restarting-remote-offer-is-a-new-answer", "setLocalDescription step 4.5", "ok",
             (CONSTRUCT, REMOTE_OFFER, SLD, REMOTE_OFFER, {"op": "createAnswer", "args": {}},
              {"op": "setRemoteDescription", "args": {"description": {"$remote": "offer", "iceRestart": True}}},
              SLD, OFFER)),
    RuleCase("explicit-stale-answer-after-a-new-remote-offer-is-applied", "setLocalDescription step 4.3", "ok",
             (CONSTRUCT, REMOTE_OFFER, SLD, REMOTE_OFFER, {"op": "createAnswer", "args": {}},
              {"op": "setRemoteDescription", "args": {"description": {"$remote": "offer", "iceRestart": True}}},
              {"op": "setLocalDescription", "args": {"description": {"type": "answer",
                                                                     "sdp": {"$sdp": "last-answer"}}}},
              OFFER)),
    RuleCase("remote-answer-restarting-ICE-on-its-own-is-InvalidAccessError",
             "set a session description step 4.6.6 (JSEP §5.10)", "InvalidAccessError",
             (*NEGOTIATED, OFFER, SLD,
              {"op": "setRemoteDescription", "args": {"description": {"type": "answer", "sdp": (
                  "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n"
                  "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\n"
                  "a=ice-ufrag:zzzzzzzz\r\na=ice-pwd:zzzzzzzzzzzzzzzzzzzzzzzz\r\na=mid:0\r\n"
                  "a=sctp-port:5000\r\n")}}})),
    RuleCase("setConfiguration-new-servers-after-negotiation-need-no-negotiation", "set the configuration step 9",
             "ok", (*NEGOTIATED, set_configuration(servers(STUN)), OFFER)),
    RuleCase("restartIce-after-close-is-silent", "restartIce step 3", "ok",
             (*NEGOTIATED, CLOSE, {"op": "restartIce", "args": {}})),
    RuleCase("createDataChannel-on-closed-throws-InvalidStateError", "createDataChannel step 2",
             "InvalidStateError", (CONSTRUCT, CLOSE, DATA_CHANNEL)),
    # ---- JSEP m= sections (trace format v2: media and transceivers observed) ----------------------------------
    # The far end's answer rejected the video section: set a session description step 15 stops its transceiver
    # and an answer's step 1.1 removes it; the next offer keeps the section at its index with port 0.
    RuleCase("offer-keeps-a-section-the-far-end-rejected-at-port-0", "JSEP §5.2.2 (a zero port in the current"
             " remote description)", "ok", (*VIDEO_REJECTED_BY_THE_FAR_END, OFFER), trace=2),
    # A transceiver added then takes the rejected section's index (a new mid): the offer has two sections, both
    # live, and applying it gives the new transceiver a mid.
    RuleCase("an-added-transceiver-recycles-the-rejected-section", "JSEP §5.2.2 (recycling an m= section)", "ok",
             (*VIDEO_REJECTED_BY_THE_FAR_END, _add("video"), OFFER, SLD_OFFER), trace=2),
    # An offered section of a media type with no supported format (m=text) gets no transceiver and port 0 in the
    # answer; the audio section beside it is answered.
    RuleCase("answer-rejects-an-offered-section-of-an-unsupported-media-type", "JSEP §5.3.1 (no supported media"
             " formats: rejected)", "ok", (CONSTRUCT, _remote("offer", OFFER_WITH_TEXT),
                                           {"op": "createAnswer", "args": {}}), trace=2),
    # Sections without a=mid each get a recvonly transceiver, with a mid generated locally.
    RuleCase("remote-sections-without-mids-get-recvonly-transceivers", "JSEP §5.10 (an m= section without a MID)",
             "ok", (CONSTRUCT, _remote("offer", OFFER_WITHOUT_MIDS)), trace=2),
)  # fmt: skip
