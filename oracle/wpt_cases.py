"""web-platform-tests' webrtc/ cases in this model's area, written as trace-format calls: one case per WPT test that
a pure configuration/signaling model can decide, and a table of the tests it cannot, with why.

The calls are written here, in the trace format, from reading each WPT test; no WPT code or text is copied. The
expected outcomes are never written here: `peerspec.oracle.wpt_vectors` replays every case on the model and records
what the model computes. `wpt_expects` is what the WPT test asserts about the case's last step ("ok" or an error
name), kept only to find where the spec (the model) and WPT disagree; each disagreement has a `note` saying which
reading the vector follows (the spec's) and why.

ICE server hosts are moved under `.invalid` (WPT's example.net / example.org): nothing leaves the machine.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from peerspec.model.observable_state import DESCRIPTION_ATTRIBUTES
from peerspec.oracle.trace import ops

JSON = Any  # trace JSON, as Python literals

WPT_REPOSITORY: Final = "web-platform-tests/wpt"
#: Each WPT file these cases come from, and the commit of web-platform-tests/wpt it was read at (the newest stored
#: version of that file in the search index: the whole repository was too large to fetch).
WPT_FILES: Final[dict[str, str]] = {
    "webrtc/RTCPeerConnection-constructor.html": "e49fdceb78dec49e9e143cb8c4e6d0991c4c0810",
    "webrtc/RTCConfiguration-bundlePolicy.html": "ff015fe67cd873a13ab87e4cd66616ed74b0c00d",
    "webrtc/RTCConfiguration-rtcpMuxPolicy.html": "ff015fe67cd873a13ab87e4cd66616ed74b0c00d",
    "webrtc/RTCConfiguration-iceTransportPolicy.html": "39ace59dc6448bff26cec289cef8df6c229eb894",
    "webrtc/RTCPeerConnection-close.html": "8535f43056cc75117d8beca6eb4f5f46539e8956",
    "webrtc/RTCPeerConnection-createOffer.html": "eb37a99cd339ec8d0887ae82b2e66ff6b23cf7b3",
    "webrtc/RTCPeerConnection-setLocalDescription-offer.html": "5cc6cb189f4f30bd6107d5ce425bb96c1df45dea",
    "webrtc/RTCPeerConnection-setLocalDescription-rollback.html": "b1f12115f1d8fd5e37f8af571cc417b447d3150d",
    "webrtc/RTCPeerConnection-setLocalDescription-answer.html": "ea0072c0326171ab5182da222528cba7b0c13833",
    "webrtc/RTCConfiguration-iceCandidatePoolSize.html": "a3d8f9ac4a672a4f8e04cbc3c1a50613566b68f3",
    "webrtc/RTCPeerConnection-setLocalDescription-pranswer.html": "ae7736353b70a6860b1c5473e7ba8b19ee029148",
    "webrtc/legacy/RTCPeerConnection-createOffer-offerToReceive.html": "20676f8e4d648ba15f92b34680ec2145f709447b",
    "webrtc/RTCConfiguration-iceServers.html": "62623e4ac3ac10ecb481780d81fa9ef0bd12e383",
    "webrtc/RTCConfiguration-validation.html": "1cfe3f7a2c5f8207a67e99e04bdd748c13f85031",
    "webrtc/RTCPeerConnection-setLocalDescription.html": "db719a62fe55c5e26377e1d3817e573c10a85a1f",
    "webrtc/RTCPeerConnection-setRemoteDescription.html": "b1f12115f1d8fd5e37f8af571cc417b447d3150d",
    "webrtc/RTCPeerConnection-setRemoteDescription-offer.html": "75822b9331468e732d553120cc78d1e598c4e5ff",
    "webrtc/RTCPeerConnection-setRemoteDescription-answer.html": "eb37a99cd339ec8d0887ae82b2e66ff6b23cf7b3",
    "webrtc/RTCPeerConnection-setRemoteDescription-pranswer.html": "ea0072c0326171ab5182da222528cba7b0c13833",
    "webrtc/RTCPeerConnection-setRemoteDescription-rollback.html": "fb0d55a6a52bd06ae0bde2ca9ffb4678d13551a4",
    "webrtc/RTCPeerConnection-restartIce.https.html": "c00148433e28c71ae4db4fa072d236494130065a",
}
#: The files read in a mirror of web-platform-tests/wpt, because the search index's copy of the repository does
#: not hold them: the mirror repository each was read in (at the commit WPT_FILES gives).
WPT_MIRRORS: Final[dict[str, str]] = {
    "webrtc/RTCPeerConnection-restartIce.https.html": "msfrq8/wpt",
}
#: WPT files in this model's area that were not read, and why (not counted in the figures).
NOT_READ: Final[tuple[tuple[str, str], ...]] = (
    (
        "webrtc/RTCPeerConnection-operations.https.html",
        "in neither web-platform-tests/wpt's stored index nor a mirror's (searched by its path in every"
        " repository, and by its text): there was no copy to read",
    ),
)
HELPER_FILE: Final = ("webrtc/RTCConfiguration-helper.js", "ff015fe67cd873a13ab87e4cd66616ed74b0c00d")

#: What a trace could observe before trace format v2: ops and observations of version 1.
V1_OPS: Final = frozenset(ops(1))  # the schema's own list of version 1's ops
V1_OBSERVATIONS: Final = frozenset(
    {"outcome", "getConfiguration", "signalingState", "negotiationneeded", "type", "iceCredentials"}
)
#: In `WptCase.wpt_reads`, a member WPT asserts is not there (`undefined`).
ABSENT: Final = {"$absent": True}


@dataclass(frozen=True)
class WptCase:
    """One WPT test as a trace: `observes` names what its assertions read (outcome, getConfiguration,
    signalingState, a description attribute, iceGatheringState, ..., transceivers, media, signalingstatechange)."""

    file: str
    test: str  # the WPT test's name, as the harness reports it
    steps: tuple[dict[str, JSON], ...]
    observes: frozenset[str]
    wpt_expects: str | None = None  # what WPT asserts the last step does ("ok" or an error name), if it does
    note: str = ""  # where the spec and WPT disagree: which reading the vector follows, and why
    id: str = field(default="")
    #: What WPT asserts about the last getConfiguration result: (a dotted path such as "iceServers.0.urls", the
    #: value), ABSENT for a member it asserts is undefined. Like wpt_expects, kept only to find disagreements.
    wpt_reads: tuple[tuple[str, JSON], ...] = ()
    #: The step wpt_expects is about (an index into steps; the last by default). WPT reads getConfiguration only
    #: once that step did what it expects.
    expects_step: int = -1

    @property
    def ops(self) -> frozenset[str]:
        return frozenset(str(step["op"]) for step in self.steps)

    @property
    def writable_in_v1(self) -> bool:
        """Whether the case could be written and judged as a version 1 trace (before this module's observations)."""
        return self.ops <= V1_OPS and self.observes <= V1_OBSERVATIONS


@dataclass(frozen=True)
class Undecidable:
    file: str
    test: str
    why: str


# ---- the calls -------------------------------------------------------------------------------------------


def construct(configuration: JSON = None, *, absent: bool = False) -> dict[str, JSON]:
    return {"op": "construct", "args": {} if absent else {"configuration": configuration}}


def set_configuration(configuration: JSON) -> dict[str, JSON]:
    return {"op": "setConfiguration", "args": {"configuration": configuration}}


def create_offer(options: JSON = None) -> dict[str, JSON]:
    return {"op": "createOffer", "args": {} if options is None else {"options": options}}


def add_transceiver(kind: str, init: JSON = None) -> dict[str, JSON]:
    return {"op": "addTransceiver", "args": {"kind": kind} if init is None else {"kind": kind, "init": init}}


NEW: Final = construct(absent=True)
GET: Final = {"op": "getConfiguration", "args": {}}
CLOSE: Final = {"op": "close", "args": {}}
SLD_LAST_OFFER: Final = {
    "op": "setLocalDescription",
    "args": {"description": {"type": "offer", "sdp": {"$sdp": "last-offer"}}},
}
SLD_TYPE_OFFER: Final = {"op": "setLocalDescription", "args": {"description": {"type": "offer"}}}
SLD_ROLLBACK: Final = {"op": "setLocalDescription", "args": {"description": {"type": "rollback"}}}
DATA_CHANNEL: Final = {"op": "createDataChannel", "args": {"label": "foo"}}
UNDEFINED: Final = {"$js": "undefined"}
#: An offer made by another peer (WPT's generateOffer({data: true})): SDP the connection never created.
FOREIGN_OFFER_SDP: Final = (
    "v=0\r\no=- 4242 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=ice-options:trickle\r\na=group:BUNDLE 0\r\n"
    "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\na=ice-ufrag:Fore\r\n"
    "a=ice-pwd:ignforeignforeignforeign\r\n"
    f"a=fingerprint:sha-256 {':'.join(['AB'] * 32)}\r\n"
    "a=setup:actpass\r\na=mid:0\r\na=sctp-port:5000\r\n"
)
DESCRIPTIONS: Final = frozenset({"localDescription", "pendingLocalDescription", "currentLocalDescription"})


def _js_literal(value: JSON) -> str:
    """How WPT writes a configuration in a test name (JavaScript object literal), for the names below."""
    return repr(value)


# ---- RTCPeerConnection-constructor.html -------------------------------------------------------------------

_CONSTRUCTOR = "webrtc/RTCPeerConnection-constructor.html"
S1, S2 = "stun:stun1.example.invalid", "stun:stun2.example.invalid"
T_NET, T_ORG = "turn:turn.example.invalid", "turns:turn.example.invalid"

#: (the argument as WPT writes it in the test name, the trace's construct step, what WPT expects)
_CONSTRUCTOR_ARGUMENTS: Final[tuple[tuple[str, dict[str, JSON], str], ...]] = (
    ("", construct(absent=True), "ok"),
    ("null", construct(None), "ok"),
    ("undefined", construct(UNDEFINED), "ok"),
    ("{}", construct({}), "ok"),
    ("{ iceServers: null }", construct({"iceServers": None}), "TypeError"),
    ("{ iceServers: undefined }", construct({"iceServers": UNDEFINED}), "ok"),
    ("{ iceServers: [] }", construct({"iceServers": []}), "ok"),
    ("{ iceServers: [{}] }", construct({"iceServers": [{}]}), "TypeError"),
    ("{ iceServers: [null] }", construct({"iceServers": [None]}), "TypeError"),
    ("{ iceServers: [undefined] }", construct({"iceServers": [UNDEFINED]}), "TypeError"),
    ('{ iceServers: [{ urls: "stun:stun1.example.net" }] }', construct({"iceServers": [{"urls": S1}]}), "ok"),
    ("{ iceServers: [{ urls: [] }] }", construct({"iceServers": [{"urls": []}]}), "ok"),
    ('{ iceServers: [{ urls: ["stun:stun1.example.net"] }] }', construct({"iceServers": [{"urls": [S1]}]}), "ok"),
    (
        '{ iceServers: [{ urls: ["stun:stun1.example.net", "stun:stun2.example.net"] }] }',
        construct({"iceServers": [{"urls": [S1, S2]}]}),
        "ok",
    ),
    (
        '{ iceServers: [{ urls: "turns:turn.example.org", username: "user", credential: "cred" }] }',
        construct({"iceServers": [{"urls": T_ORG, "username": "user", "credential": "cred"}]}),
        "ok",
    ),
    (
        '{ iceServers: [{ urls: "turn:turn.example.net", username: "user", credential: "cred" }] }',
        construct({"iceServers": [{"urls": T_NET, "username": "user", "credential": "cred"}]}),
        "ok",
    ),
    (
        '{ iceServers: [{ urls: "turns:turn.example.org", username: "", credential: "" }] }',
        construct({"iceServers": [{"urls": T_ORG, "username": "", "credential": ""}]}),
        "ok",
    ),
    (
        '{ iceServers: [{ urls: "turn:turn.example.net", username: "", credential: "" }] }',
        construct({"iceServers": [{"urls": T_NET, "username": "", "credential": ""}]}),
        "ok",
    ),
    (
        '{ iceServers: [{ urls: ["turns:turn.example.org", "turn:turn.example.net"], username: "user",'
        ' credential: "cred" }] }',
        construct({"iceServers": [{"urls": [T_ORG, T_NET], "username": "user", "credential": "cred"}]}),
        "ok",
    ),
    (
        '{ iceServers: [{ urls: "stun:stun1.example.net", credentialType: "password" }] }',
        construct({"iceServers": [{"urls": S1, "credentialType": "password"}]}),
        "ok",
    ),
    (
        '{ iceServers: [{ urls: "stun:stun1.example.net", credentialType: "token" }] }',
        construct({"iceServers": [{"urls": S1, "credentialType": "token"}]}),
        "ok",
    ),
    (
        '{ iceServers: [{ urls: "turn:turn.example.net" }] }',
        construct({"iceServers": [{"urls": T_NET}]}),
        "InvalidAccessError",
    ),
    (
        '{ iceServers: [{ urls: "turn:turn.example.net", username: "user" }] }',
        construct({"iceServers": [{"urls": T_NET, "username": "user"}]}),
        "InvalidAccessError",
    ),
    (
        '{ iceServers: [{ urls: "turn:turn.example.net", credential: "cred" }] }',
        construct({"iceServers": [{"urls": T_NET, "credential": "cred"}]}),
        "InvalidAccessError",
    ),
    (
        '{ iceServers: [{ urls: "turns:turn.example.org" }] }',
        construct({"iceServers": [{"urls": T_ORG}]}),
        "InvalidAccessError",
    ),
    (
        '{ iceServers: [{ urls: "turns:turn.example.org", username: "user" }] }',
        construct({"iceServers": [{"urls": T_ORG, "username": "user"}]}),
        "InvalidAccessError",
    ),
    (
        '{ iceServers: [{ urls: "turns:turn.example.org", credential: "cred" }] }',
        construct({"iceServers": [{"urls": T_ORG, "credential": "cred"}]}),
        "InvalidAccessError",
    ),
    (
        '{ iceServers: [{ urls: "relative-url" }] }',
        construct({"iceServers": [{"urls": "relative-url"}]}),
        "SyntaxError",
    ),
    (
        '{ iceServers: [{ urls: ["stun:stun1.example.net", "relative-url"] }] }',
        construct({"iceServers": [{"urls": [S1, "relative-url"]}]}),
        "SyntaxError",
    ),
    (
        '{ iceServers: [{ urls: "http://example.com" }] }',
        construct({"iceServers": [{"urls": "http://example.invalid"}]}),
        "NotSupportedError",
    ),
    (
        '{ iceServers: [{ urls: ["stun:stun1.example.net", "http://example.com"] }] }',
        construct({"iceServers": [{"urls": [S1, "http://example.invalid"]}]}),
        "NotSupportedError",
    ),
    (
        '{ iceServers: [{ urls: [], credentialType: "password" }] }',
        construct({"iceServers": [{"urls": [], "credentialType": "password"}]}),
        "ok",
    ),
    (
        '{ iceServers: [{ urls: [], credentialType: "token" }] }',
        construct({"iceServers": [{"urls": [], "credentialType": "token"}]}),
        "ok",
    ),
    (
        '{ iceServers: [{ urls: [], credentialType: "invalid" }] }',
        construct({"iceServers": [{"urls": [], "credentialType": "invalid"}]}),
        "TypeError",
    ),
    ('{ iceServers: [{ url: "stun:stun1.example.net" }] }', construct({"iceServers": [{"url": S1}]}), "TypeError"),
    ("{ rtcpMuxPolicy: null }", construct({"rtcpMuxPolicy": None}), "TypeError"),
    ("{ rtcpMuxPolicy: undefined }", construct({"rtcpMuxPolicy": UNDEFINED}), "ok"),
    ('{ rtcpMuxPolicy: "negotiate" }', construct({"rtcpMuxPolicy": "negotiate"}), "ok"),
    ('{ rtcpMuxPolicy: "require" }', construct({"rtcpMuxPolicy": "require"}), "ok"),
    ('{ rtcpMuxPolicy: "invalid" }', construct({"rtcpMuxPolicy": "invalid"}), "TypeError"),
    ("{ certificates: null }", construct({"certificates": None}), "TypeError"),
    ("{ certificates: undefined }", construct({"certificates": UNDEFINED}), "ok"),
    ("{ certificates: [] }", construct({"certificates": []}), "ok"),
    ("{ certificates: [null] }", construct({"certificates": [None]}), "TypeError"),
    ("{ certificates: [undefined] }", construct({"certificates": [UNDEFINED]}), "TypeError"),
)

_INITIAL_VALUES: Final = (
    *DESCRIPTION_ATTRIBUTES,
    "signalingState",
    "iceGatheringState",
    "iceConnectionState",
    "connectionState",
    "canTrickleIceCandidates",
)

NOTES: Final[dict[str, str]] = {
    "answer-sdp-before-state": (
        "WPT expects InvalidStateError; setLocalDescription step 4.3 (an answer whose SDP is not"
        " [[LastCreatedAnswer]] is an InvalidModificationError) runs before set a session description's state"
        " check (step 4.6.2), so the vector records InvalidModificationError (Chromium checks the state first:"
        " chromium-description-state-checked-before-sdp)"
    ),
    "pranswer-test-contradicts-itself": (
        "this WPT test asserts that pendingRemoteDescription is the offer and, a few lines on, that it is null, so it"
        " cannot pass anywhere; the vector records what the model decides (the offer: a pranswer leaves it pending)"
    ),
    "pool-size-test-bug": (
        "this WPT test reads a variable its function never defines (expectedSize), so it fails with a"
        " ReferenceError wherever it runs; the vector records what the model returns"
    ),
    "http-scheme": (
        "WPT (this version) expects NotSupportedError for an http: URL; webrtc-pc 1a2dfb47's validate an ICE server"
        " URL step 2 refuses a scheme that is not stun, stuns, turn or turns with a SyntaxError (NotSupportedError,"
        " step 3, is for an ICE scheme the user agent does not implement), so the vector records SyntaxError"
    ),
    "empty-urls": (
        "WPT (this version) accepts an ICE server whose urls is an empty list; webrtc-pc 1a2dfb47's set the"
        " configuration step 6.3 refuses it with a SyntaxError, which the vector records. (RTCIceServer has no"
        " credentialType member any more: WebIDL ignores it, so its value decides nothing)"
    ),
    "negotiate": (
        'WPT (this version) lets rtcpMuxPolicy "negotiate" succeed or throw NotSupportedError; webrtc-pc 1a2dfb47\'s'
        ' RTCRtcpMuxPolicy enum has only "require", so WebIDL conversion throws TypeError (before any step), which'
        " the vector records"
    ),
    "ice-servers-default": (
        "WPT (this version) asserts getConfiguration().iceServers is undefined when none were given; webrtc-pc"
        " 1a2dfb47's RTCConfiguration gives iceServers the default [] (WebIDL fills it in) and getConfiguration"
        " returns [[Configuration]], so the vector records []"
    ),
    "credential-type-removed": (
        'WPT (this version) asserts the server\'s credentialType is "password" in getConfiguration(); webrtc-pc'
        " 1a2dfb47's RTCIceServer has only urls, username and credential (credentialType was removed), so the"
        " member is not there and the vector records it absent"
    ),
    "oauth-removed": (
        'WPT (this version) tests credentialType "oauth" and RTCOAuthCredential; webrtc-pc 1a2dfb47\'s'
        " RTCIceServer has no credentialType (WebIDL ignores it) and its credential is a DOMString, so an object"
        ' credential is converted to the string "[object Object]" and validate an ICE server URL step 7 sees a'
        " username and a credential: the vector records what the model decides from that"
    ),
    "implicit-rollback": (
        "WPT (this version) expects InvalidStateError; webrtc-pc 1a2dfb47's setRemoteDescription step 3.1 (an offer"
        ' invalid for the current signaling state) first sets the local description {type: "rollback"} and then'
        " applies the offer (an implicit rollback), so the vector records success and have-remote-offer"
    ),
    "empty-credential": (
        "WPT (this version) accepts a TURN server with an empty username and credential; validate an ICE server URL"
        " step 7 needs the credential to be an RFC 8265 password (one or more characters), so the vector records"
        " InvalidAccessError, as newer WPT does ('with a turn server and an empty credential')"
    ),
}


def _constructor_cases() -> list[WptCase]:
    cases = []
    for literal, step, expects in _CONSTRUCTOR_ARGUMENTS:
        note = ""
        if "http:" in literal:
            note = NOTES["http-scheme"]
        elif "urls: []" in literal:
            note = NOTES["empty-urls"]
        elif "negotiate" in literal:
            note = NOTES["negotiate"]
        elif 'credential: ""' in literal:
            note = NOTES["empty-credential"]
        cases.append(
            WptCase(_CONSTRUCTOR, f"new RTCPeerConnection({literal})", (step,), frozenset({"outcome"}), expects, note)
        )
    for attribute in _INITIAL_VALUES:
        cases.append(WptCase(_CONSTRUCTOR, f"{attribute} initial value", (NEW,), frozenset({attribute})))
    return cases


# ---- RTCConfiguration-*.html ------------------------------------------------------------------------------

_BUNDLE = "webrtc/RTCConfiguration-bundlePolicy.html"
_MUX = "webrtc/RTCConfiguration-rtcpMuxPolicy.html"
_TRANSPORT = "webrtc/RTCConfiguration-iceTransportPolicy.html"
_CONFIG = frozenset({"outcome", "getConfiguration"})
_OUTCOME = frozenset({"outcome"})


def _config_test(file: str, description: str, configuration: JSON, expects: str, note: str = "") -> list[WptCase]:
    """RTCConfiguration-helper.js's config_test: the same check through the constructor and through
    setConfiguration on a default connection, two WPT tests."""
    return [
        WptCase(
            file, f"new RTCPeerConnection(config) - {description}", (construct(configuration),), _OUTCOME, expects, note
        ),
        WptCase(
            file,
            f"setConfiguration(config) - {description}",
            (NEW, set_configuration(configuration)),
            _OUTCOME,
            expects,
            note,
        ),
    ]


def _bundle_cases() -> list[WptCase]:
    f = _BUNDLE
    return [
        WptCase(f, "Default bundlePolicy should be balanced", (NEW, GET), _CONFIG),
        WptCase(
            f,
            "new RTCPeerConnection({ bundlePolicy: undefined }) should have bundlePolicy balanced",
            (construct({"bundlePolicy": UNDEFINED}), GET),
            _CONFIG,
        ),
        *(
            WptCase(
                f,
                f"new RTCPeerConnection({{ bundlePolicy: '{p}' }}) should succeed",
                (construct({"bundlePolicy": p}), GET),
                _CONFIG,
            )
            for p in ("balanced", "max-compat", "max-bundle")
        ),
        WptCase(
            f,
            "setConfiguration({}) with initial default bundlePolicy balanced should succeed",
            (NEW, set_configuration({})),
            _OUTCOME,
            "ok",
        ),
        WptCase(
            f,
            "setConfiguration({}) with initial bundlePolicy balanced should succeed",
            (construct({"bundlePolicy": "balanced"}), set_configuration({})),
            _OUTCOME,
            "ok",
        ),
        WptCase(
            f,
            "setConfiguration({ bundlePolicy: balanced }) with initial default bundlePolicy balanced should succeed",
            (NEW, set_configuration({"bundlePolicy": "balanced"})),
            _OUTCOME,
            "ok",
        ),
        *(
            WptCase(
                f,
                f"setConfiguration({{ bundlePolicy: '{p}' }}) with initial bundlePolicy {p} should succeed",
                (construct({"bundlePolicy": p}), set_configuration({"bundlePolicy": p})),
                _OUTCOME,
                "ok",
            )
            for p in ("balanced", "max-compat", "max-bundle")
        ),
        WptCase(
            f,
            "new RTCPeerConnection({ bundlePolicy: null }) should throw TypeError",
            (construct({"bundlePolicy": None}),),
            _OUTCOME,
            "TypeError",
        ),
        WptCase(
            f,
            "new RTCPeerConnection({ bundlePolicy: 'invalid' }) should throw TypeError",
            (construct({"bundlePolicy": "invalid"}),),
            _OUTCOME,
            "TypeError",
        ),
        WptCase(
            f,
            "setConfiguration({ bundlePolicy: 'max-compat' }) with initial bundlePolicy max-bundle should throw"
            " InvalidModificationError",
            (construct({"bundlePolicy": "max-bundle"}), set_configuration({"bundlePolicy": "max-compat"})),
            _OUTCOME,
            "InvalidModificationError",
        ),
        WptCase(
            f,
            "setConfiguration({}) with initial bundlePolicy max-bundle should throw InvalidModificationError",
            (construct({"bundlePolicy": "max-bundle"}), set_configuration({})),
            _OUTCOME,
            "InvalidModificationError",
        ),
    ]


def _mux_cases() -> list[WptCase]:
    f, negotiate = _MUX, NOTES["negotiate"]
    return [
        WptCase(f, "new RTCPeerConnection() should have default rtcpMuxPolicy require", (NEW, GET), _CONFIG),
        WptCase(
            f,
            "new RTCPeerConnection({ rtcpMuxPolicy: undefined }) should have default rtcpMuxPolicy require",
            (construct({"rtcpMuxPolicy": UNDEFINED}), GET),
            _CONFIG,
        ),
        WptCase(
            f,
            "new RTCPeerConnection({ rtcpMuxPolicy: 'require' }) should succeed",
            (construct({"rtcpMuxPolicy": "require"}), GET),
            _CONFIG,
        ),
        WptCase(
            f,
            "new RTCPeerConnection({ rtcpMuxPolicy: 'negotiate' }) may succeed or throw NotSupportedError",
            (construct({"rtcpMuxPolicy": "negotiate"}),),
            _OUTCOME,
            "NotSupportedError",
            negotiate,
        ),
        *_config_test(f, "with { rtcpMuxPolicy: null } should throw TypeError", {"rtcpMuxPolicy": None}, "TypeError"),
        *_config_test(
            f, "with { rtcpMuxPolicy: 'invalid' } should throw TypeError", {"rtcpMuxPolicy": "invalid"}, "TypeError"
        ),
        WptCase(
            f,
            "setConfiguration({ rtcpMuxPolicy: 'negotiate' }) with initial rtcpMuxPolicy require should throw"
            " InvalidModificationError",
            (construct({"rtcpMuxPolicy": "require"}), set_configuration({"rtcpMuxPolicy": "negotiate"})),
            _OUTCOME,
            "InvalidModificationError",
            negotiate,
        ),
        WptCase(
            f,
            "setConfiguration({ rtcpMuxPolicy: 'require' }) with initial rtcpMuxPolicy negotiate should throw"
            " InvalidModificationError",
            (construct({"rtcpMuxPolicy": "negotiate"}), set_configuration({"rtcpMuxPolicy": "require"})),
            _OUTCOME,
            "NotSupportedError",
            negotiate,
        ),
        WptCase(
            f,
            "setConfiguration({}) with initial rtcpMuxPolicy negotiate should throw InvalidModificationError",
            (construct({"rtcpMuxPolicy": "negotiate"}), set_configuration({})),
            _OUTCOME,
            "NotSupportedError",
            negotiate,
        ),
    ]


def _transport_cases() -> list[WptCase]:
    f = _TRANSPORT
    return [
        WptCase(f, "new RTCPeerConnection() should have default iceTransportPolicy all", (NEW, GET), _CONFIG),
        WptCase(
            f,
            "new RTCPeerConnection({ iceTransportPolicy: undefined }) should have default iceTransportPolicy all",
            (construct({"iceTransportPolicy": UNDEFINED}), GET),
            _CONFIG,
        ),
        *(
            WptCase(
                f,
                f"new RTCPeerConnection({{ iceTransportPolicy: '{p}' }}) should succeed",
                (construct({"iceTransportPolicy": p}), GET),
                _CONFIG,
            )
            for p in ("all", "relay")
        ),
        WptCase(
            f,
            "setConfiguration({ iceTransportPolicy: 'relay' }) with initial iceTransportPolicy all should succeed",
            (construct({"iceTransportPolicy": "all"}), GET, set_configuration({"iceTransportPolicy": "relay"}), GET),
            _CONFIG,
        ),
        WptCase(
            f,
            "setConfiguration({ iceTransportPolicy: 'all' }) with initial iceTransportPolicy relay should succeed",
            (construct({"iceTransportPolicy": "relay"}), GET, set_configuration({"iceTransportPolicy": "all"}), GET),
            _CONFIG,
        ),
        WptCase(
            f,
            "setConfiguration({}) with initial iceTransportPolicy relay should set new value to all",
            (construct({"iceTransportPolicy": "relay"}), GET, set_configuration({}), GET),
            _CONFIG,
        ),
        *_config_test(
            f, "with invalid iceTransportPolicy should throw TypeError", {"iceTransportPolicy": "invalid"}, "TypeError"
        ),
        *_config_test(
            f, "with none iceTransportPolicy should throw TypeError", {"iceTransportPolicy": "none"}, "TypeError"
        ),
        *_config_test(
            f, "with null iceTransportPolicy should throw TypeError", {"iceTransportPolicy": None}, "TypeError"
        ),
        *(
            WptCase(
                f,
                f"new RTCPeerConnection({{ iceTransports: {literal} }}) should have no effect",
                (construct({"iceTransports": value}), GET),
                _CONFIG,
            )
            for literal, value in (("'relay'", "relay"), ("'invalid'", "invalid"), ("null", None))
        ),
    ]


# ---- createOffer, setLocalDescription, legacy offerToReceive ------------------------------------------------

_CREATE_OFFER = "webrtc/RTCPeerConnection-createOffer.html"
_SLD_OFFER = "webrtc/RTCPeerConnection-setLocalDescription-offer.html"
_SLD_ROLLBACK = "webrtc/RTCPeerConnection-setLocalDescription-rollback.html"
_LEGACY = "webrtc/legacy/RTCPeerConnection-createOffer-offerToReceive.html"
AUDIO: Final = {"offerToReceiveAudio": True}
VIDEO: Final = {"offerToReceiveVideo": True}
_SET_OFFER = frozenset({"signalingState", "signalingstatechange", *DESCRIPTIONS})


def _legacy_media_cases(file: str) -> list[WptCase]:
    """The three tests createOffer.html and legacy/...offerToReceive.html share (the m= lines of two offers)."""
    media = frozenset({"media"})
    return [
        WptCase(
            file,
            "createOffer() with offerToReceiveAudio should add audio line to all subsequent created offers",
            (NEW, create_offer(AUDIO), create_offer({"offerToReceiveAudio": False})),
            media,
        ),
        WptCase(
            file,
            "createOffer() with offerToReceiveVideo should add video line to all subsequent created offers",
            (NEW, create_offer(VIDEO), create_offer({"offerToReceiveVideo": False})),
            media,
        ),
        WptCase(
            file,
            "createOffer() with offerToReceiveAudio:true then offerToReceiveVideo:true should have result"
            " offer with both audio and video line",
            (
                NEW,
                create_offer({"offerToReceiveAudio": True, "offerToReceiveVideo": False}),
                create_offer({"offerToReceiveAudio": False, "offerToReceiveVideo": True}),
            ),
            media,
        ),
    ]


def _create_offer_cases() -> list[WptCase]:
    f = _CREATE_OFFER
    return [
        WptCase(
            f,
            "createOffer() with no argument from newly created RTCPeerConnection should succeed",
            (NEW, create_offer()),
            _OUTCOME,
            "ok",
        ),
        WptCase(
            f,
            "createOffer() and then setLocalDescription() should succeed",
            (NEW, create_offer(AUDIO), SLD_LAST_OFFER),
            _SET_OFFER,
            "ok",
        ),
        WptCase(
            f,
            "createOffer() after connection is closed should reject with InvalidStateError",
            (NEW, CLOSE, create_offer()),
            _OUTCOME,
            "InvalidStateError",
        ),
        *_legacy_media_cases(f),
    ]


def _set_local_offer_cases() -> list[WptCase]:
    f = _SLD_OFFER
    foreign = {"op": "setLocalDescription", "args": {"description": {"type": "offer", "sdp": FOREIGN_OFFER_SDP}}}
    return [
        WptCase(
            f,
            "setLocalDescription with valid offer should succeed",
            (NEW, create_offer(AUDIO), SLD_LAST_OFFER),
            _SET_OFFER,
            "ok",
        ),
        WptCase(
            f,
            "setLocalDescription with type offer and null sdp should use lastOffer generated from createOffer",
            (NEW, create_offer(AUDIO), SLD_TYPE_OFFER),
            _SET_OFFER,
            "ok",
        ),
        WptCase(
            f,
            "setLocalDescription() with offer not created by own createOffer() should reject with"
            " InvalidModificationError",
            (NEW, foreign),
            _OUTCOME,
            "InvalidModificationError",
        ),
        WptCase(
            f,
            "Creating and setting offer multiple times should succeed",
            (NEW, create_offer(AUDIO), SLD_LAST_OFFER, create_offer(VIDEO), SLD_LAST_OFFER),
            _SET_OFFER,
            "ok",
        ),
    ]


_SLD_ANSWER = "webrtc/RTCPeerConnection-setLocalDescription-answer.html"
_POOL = "webrtc/RTCConfiguration-iceCandidatePoolSize.html"
SRD_OWN_OFFER: Final = {
    "op": "setRemoteDescription",
    "args": {"description": {"type": "offer", "sdp": {"$sdp": "last-offer"}}},
}
CREATE_ANSWER: Final = {"op": "createAnswer", "args": {}}
SLD_LAST_ANSWER: Final = {
    "op": "setLocalDescription",
    "args": {"description": {"type": "answer", "sdp": {"$sdp": "last-answer"}}},
}
#: An answer made by another peer (WPT's generateAnswer(offer)) to a one-section video offer: SDP never created here.
FOREIGN_ANSWER_SDP: Final = (
    "v=0\r\no=- 4343 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=ice-options:trickle\r\na=group:BUNDLE 0\r\n"
    "m=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=ice-ufrag:Fans\r\n"
    "a=ice-pwd:ignforeignforeignanswer\r\n"
    f"a=fingerprint:sha-256 {':'.join(['CD'] * 32)}\r\n"
    "a=setup:active\r\na=mid:0\r\na=inactive\r\na=rtcp-mux\r\na=rtpmap:96 VP8/90000\r\n"
)
_SET_ANSWER = frozenset(
    {
        "signalingState",
        "signalingstatechange",
        *DESCRIPTIONS,
        "remoteDescription",
        "currentRemoteDescription",
        "pendingRemoteDescription",
    }
)


def _set_local_answer_cases() -> list[WptCase]:
    f = _SLD_ANSWER
    foreign = {"op": "setLocalDescription", "args": {"description": {"type": "answer", "sdp": FOREIGN_ANSWER_SDP}}}
    as_answer = {
        "op": "setLocalDescription",
        "args": {"description": {"type": "answer", "sdp": {"$sdp": "last-offer"}}},
    }
    order = NOTES["answer-sdp-before-state"]
    return [
        WptCase(
            f,
            "setLocalDescription() with valid answer should succeed",
            (NEW, create_offer(VIDEO), SRD_OWN_OFFER, CREATE_ANSWER, SLD_LAST_ANSWER),
            _SET_ANSWER,
            "ok",
        ),
        WptCase(
            f,
            "setLocalDescription() with type answer and null sdp should use lastAnswer generated from createAnswer",
            (
                NEW,
                create_offer(VIDEO),
                SRD_OWN_OFFER,
                CREATE_ANSWER,
                {"op": "setLocalDescription", "args": {"description": {"type": "answer"}}},
            ),
            _SET_ANSWER,
            "ok",
        ),
        WptCase(
            f,
            "setLocalDescription() with answer not created by own createAnswer() should reject with"
            " InvalidModificationError",
            (NEW, create_offer(VIDEO), SRD_OWN_OFFER, foreign),
            _OUTCOME,
            "InvalidModificationError",
        ),
        WptCase(
            f,
            "Calling setLocalDescription(answer) from stable state should reject with InvalidStateError",
            (NEW, create_offer(), as_answer),
            _OUTCOME,
            "InvalidStateError",
            order,
        ),
        WptCase(
            f,
            "Calling setLocalDescription(answer) from have-local-offer state should reject with InvalidStateError",
            (NEW, create_offer(), SLD_LAST_OFFER, foreign),
            _OUTCOME,
            "InvalidStateError",
            order,
        ),
    ]


_SLD_PRANSWER = "webrtc/RTCPeerConnection-setLocalDescription-pranswer.html"


def _set_local_pranswer_cases() -> list[WptCase]:
    f = _SLD_PRANSWER
    pranswer = {
        "op": "setLocalDescription",
        "args": {"description": {"type": "pranswer", "sdp": {"$sdp": "last-answer"}}},
    }
    from_stable = {
        "op": "setLocalDescription",
        "args": {"description": {"type": "pranswer", "sdp": {"$sdp": "last-offer"}}},
    }
    answered = (NEW, create_offer(VIDEO), SRD_OWN_OFFER, CREATE_ANSWER)
    return [
        WptCase(
            f,
            "setLocalDescription(pranswer) from stable state should reject with InvalidStateError",
            (NEW, create_offer(), from_stable),
            _OUTCOME,
            "InvalidStateError",
            NOTES["answer-sdp-before-state"],
        ),
        WptCase(
            f,
            "setLocalDescription(pranswer) should succeed",
            (*answered, pranswer),
            _SET_ANSWER,
            None,
            NOTES["pranswer-test-contradicts-itself"],
        ),
        WptCase(
            f,
            "setLocalDescription(pranswer) can be applied multiple times while still in have-local-pranswer",
            (*answered, pranswer, pranswer),
            frozenset({"signalingstatechange"}),
            "ok",
        ),
        WptCase(
            f,
            "setLocalDescription(answer) from have-local-pranswer state should succeed",
            (*answered, pranswer, SLD_LAST_ANSWER),
            _SET_ANSWER,
            "ok",
        ),
    ]


def _pool_cases() -> list[WptCase]:
    f, unreadable = _POOL, NOTES["pool-size-test-bug"]
    cases = [
        WptCase(
            f,
            f"new RTCPeerConnection({{ iceCandidatePoolSize }}) with valid value: {literal}",
            (construct({"iceCandidatePoolSize": value}), GET),
            _CONFIG,
        )
        for literal, value in (("0", 0), ("127", 127), ("255", 255), ("null", None), ("undefined", UNDEFINED))
    ]
    cases += [
        WptCase(
            f,
            f"new RTCPeerConnection({{ iceCandidatePoolSize }}) with invalid value: {value}",
            (construct({"iceCandidatePoolSize": value}),),
            _OUTCOME,
            "TypeError",
        )
        for value in (-1, 256)
    ]
    cases += [
        WptCase(
            f,
            f"setConfiguration({{ iceCandidatePoolSize }}) to a valid value: {value}",
            (NEW, set_configuration({"iceCandidatePoolSize": value}), GET),
            _CONFIG,
            None,
            unreadable,
        )
        for value in (0, 127, 255)
    ]
    cases += [
        WptCase(
            f,
            f"setConfiguration({{ iceCandidatePoolSize }}) to an invalid value: {value}",
            (NEW, set_configuration({"iceCandidatePoolSize": value})),
            _OUTCOME,
            "TypeError",
        )
        for value in (-1, 256)
    ]
    return cases


def _rollback_cases() -> list[WptCase]:
    return [
        WptCase(
            _SLD_ROLLBACK,
            "setLocalDescription(rollback) from have-local-offer state should reset back to stable state",
            (NEW, create_offer(), SLD_LAST_OFFER, SLD_ROLLBACK),
            _SET_OFFER,
            "ok",
        ),
    ]


def _legacy_cases() -> list[WptCase]:
    f, transceivers = _LEGACY, frozenset({"transceivers"})
    cases = _legacy_media_cases(f)
    for kind in ("audio", "video"):
        member = f"offerToReceive{kind.capitalize()}"
        on, off = {member: True}, {member: False}
        cases += [
            WptCase(
                f,
                f"createOffer() with {member} set to false should not create a transceiver",
                (NEW, DATA_CHANNEL, create_offer(off)),
                transceivers,
            ),
            WptCase(
                f,
                f'createOffer() with {member} should create a "recvonly" transceiver',
                (NEW, create_offer(on)),
                transceivers,
            ),
            WptCase(
                f,
                f'{member} option should be ignored if a non-stopped "recvonly" transceiver exists',
                (NEW, create_offer(on), create_offer(on)),
                transceivers,
            ),
            WptCase(
                f,
                f'{member} set to false with a "recvonly" transceiver should change the direction to "inactive"',
                (NEW, add_transceiver(kind, {"direction": "recvonly"}), create_offer(off)),
                transceivers,
            ),
        ]
    cases.append(
        WptCase(
            f,
            'offerToReceiveAudio and Video should create two "recvonly" transceivers',
            (NEW, create_offer({"offerToReceiveAudio": True, "offerToReceiveVideo": True})),
            transceivers,
        )
    )
    return cases


# ---- RTCConfiguration-iceServers.html, RTCConfiguration-validation.html ---------------------------------------

_ICE_SERVERS = "webrtc/RTCConfiguration-iceServers.html"
_VALIDATION = "webrtc/RTCConfiguration-validation.html"
S1_URL, S2_URL, TURN_URL, TURNS_URL = S1, S2, "turn:turn.example.invalid", "turns:turn.example.invalid"
OAUTH: Final = {"macKey": "mac", "accessToken": "token"}
EMPTY_OAUTH: Final = {"macKey": "", "accessToken": ""}


def _server_reads(urls: list[str], **members: JSON) -> tuple[tuple[str, JSON], ...]:
    """WPT's reads of getConfiguration().iceServers: one server, its urls as a list, and the members named."""
    return (
        ("iceServers.length", 1),
        ("iceServers.0.urls", urls),
        *((f"iceServers.0.{name}", value) for name, value in members.items()),
    )


#: (the test's description, the configuration, what WPT expects, what it reads after, the note's key)
_ICE_SERVER_TESTS: Final[tuple[tuple[str, JSON, str, tuple[tuple[str, JSON], ...], str], ...]] = (
    ("{ iceServers: null } should throw TypeError", {"iceServers": None}, "TypeError", (), ""),
    (
        "{ iceServers: undefined } should succeed",
        {"iceServers": UNDEFINED},
        "ok",
        (("iceServers", ABSENT),),
        "ice-servers-default",
    ),
    ("{ iceServers: [] } should succeed", {"iceServers": []}, "ok", (("iceServers", []),), ""),
    ("{ iceServers: [null] } should throw TypeError", {"iceServers": [None]}, "TypeError", (), ""),
    ("{ iceServers: [undefined] } should throw TypeError", {"iceServers": [UNDEFINED]}, "TypeError", (), ""),
    ("{ iceServers: [{}] } should throw TypeError", {"iceServers": [{}]}, "TypeError", (), ""),
    (
        "with empty list urls should succeed",
        {"iceServers": [{"urls": []}]},
        "ok",
        _server_reads([], credentialType="password"),
        "empty-urls",
    ),
    (
        "with stun server should succeed",
        {"iceServers": [{"urls": S1_URL}]},
        "ok",
        _server_reads([S1_URL], credentialType="password"),
        "credential-type-removed",
    ),
    (
        "with stun server array should succeed",
        {"iceServers": [{"urls": [S1_URL]}]},
        "ok",
        _server_reads([S1_URL], credentialType="password"),
        "credential-type-removed",
    ),
    (
        "with 2 stun servers should succeed",
        {"iceServers": [{"urls": [S1_URL, S2_URL]}]},
        "ok",
        _server_reads([S1_URL, S2_URL], credentialType="password"),
        "credential-type-removed",
    ),
    (
        "with turns server and empty string username, credential should succeed",
        {"iceServers": [{"urls": TURNS_URL, "username": "", "credential": ""}]},
        "ok",
        _server_reads([TURNS_URL], username="", credential=""),
        "empty-credential",
    ),
    (
        "with turn server and empty string username, credential should succeed",
        {"iceServers": [{"urls": TURN_URL, "username": "", "credential": ""}]},
        "ok",
        _server_reads([TURN_URL], username="", credential=""),
        "empty-credential",
    ),
    (
        "with one turns server, one turn server, username, credential should succeed",
        {"iceServers": [{"urls": [TURNS_URL, TURN_URL], "username": "user", "credential": "cred"}]},
        "ok",
        _server_reads([TURNS_URL, TURN_URL], username="user", credential="cred"),
        "",
    ),
    (
        "with stun server and credentialType password should succeed",
        {"iceServers": [{"urls": S1_URL, "credentialType": "password"}]},
        "ok",
        _server_reads([S1_URL], credentialType="password"),
        "credential-type-removed",
    ),
    *(
        (
            f"with {scheme} server and {what} should throw InvalidAccessError",
            {"iceServers": [{"urls": url, **given}]},
            "InvalidAccessError",
            (),
            "",
        )
        for scheme, url in (("turn", TURN_URL), ("turns", TURNS_URL))
        for what, given in (
            ("no credentials", {}),
            ("only username", {"username": "user"}),
            ("only credential", {"credential": "cred"}),
        )
    ),
    ("with relative url should throw SyntaxError", {"iceServers": [{"urls": "relative-url"}]}, "SyntaxError", (), ""),
    (
        "with http url should throw NotSupportedError",
        {"iceServers": [{"urls": "http://example.invalid"}]},
        "NotSupportedError",
        (),
        "http-scheme",
    ),
    (
        "with invalid turn url should throw SyntaxError",
        {"iceServers": [{"urls": "turn://example.invalid/foo?x=y"}]},
        "SyntaxError",
        (),
        "",
    ),
    (
        "with invalid stun url should throw SyntaxError",
        {"iceServers": [{"urls": "stun://example.invalid/foo?x=y"}]},
        "SyntaxError",
        (),
        "",
    ),
    (
        "with empty urls and credentialType password should succeed",
        {"iceServers": [{"urls": [], "credentialType": "password"}]},
        "ok",
        _server_reads([], credentialType="password"),
        "empty-urls",
    ),
    (
        "with empty urls and credentialType oauth should succeed",
        {"iceServers": [{"urls": [], "credentialType": "oauth"}]},
        "ok",
        _server_reads([], credentialType="oauth"),
        "empty-urls",
    ),
    (
        "with invalid credentialType should throw TypeError",
        {"iceServers": [{"urls": [], "credentialType": "invalid"}]},
        "TypeError",
        (),
        "empty-urls",
    ),
    (
        "with credentialType token should throw TypeError",
        {"iceServers": [{"urls": [], "credentialType": "token"}]},
        "TypeError",
        (),
        "empty-urls",
    ),
    ("with url field should throw TypeError", {"iceServers": [{"url": S1_URL}]}, "TypeError", (), ""),
    (
        "with turns server, credentialType password, and RTCOauthCredential credential should throw InvalidAccessError",
        {
            "iceServers": [
                {"urls": TURNS_URL, "credentialType": "password", "username": "user", "credential": EMPTY_OAUTH}
            ]
        },
        "InvalidAccessError",
        (),
        "oauth-removed",
    ),
    (
        "with turns server, credentialType oauth, and string credential should throw InvalidAccessError",
        {"iceServers": [{"urls": TURNS_URL, "credentialType": "oauth", "username": "user", "credential": "cred"}]},
        "InvalidAccessError",
        (),
        "oauth-removed",
    ),
    (
        "with turns server, credentialType oauth and RTCOAuthCredential credential should succeed",
        {"iceServers": [{"urls": TURNS_URL, "credentialType": "oauth", "username": "user", "credential": OAUTH}]},
        "ok",
        _server_reads([TURNS_URL], credentialType="oauth", username="user", credential=OAUTH),
        "oauth-removed",
    ),
    (
        "with both turns and stun server, credentialType oauth and RTCOAuthCredential credential should succeed",
        {
            "iceServers": [
                {"urls": [TURNS_URL, S1_URL], "credentialType": "oauth", "username": "user", "credential": OAUTH}
            ]
        },
        "ok",
        _server_reads([TURNS_URL, S1_URL], credentialType="oauth", username="user", credential=OAUTH),
        "oauth-removed",
    ),
    (
        "with stun server, credentialType oauth, and string credential should succeed",
        {"iceServers": [{"urls": S1_URL, "credentialType": "oauth", "username": "user", "credential": "cred"}]},
        "ok",
        _server_reads([S1_URL], credentialType="oauth", username="user", credential="cred"),
        "oauth-removed",
    ),
    (
        "with stun server, credentialType password, and RTCOAuthCredential credential should succeed",
        {"iceServers": [{"urls": S1_URL, "credentialType": "password", "username": "user", "credential": EMPTY_OAUTH}]},
        "ok",
        _server_reads([S1_URL], credentialType="password", username="user", credential=EMPTY_OAUTH),
        "oauth-removed",
    ),
    (
        "with empty urls list, credentialType oauth, and string credential should succeed",
        {"iceServers": [{"urls": [], "credentialType": "oauth", "username": "user", "credential": "cred"}]},
        "ok",
        _server_reads([], credentialType="oauth", username="user", credential="cred"),
        "empty-urls",
    ),
    (
        "with empty urls list, credentialType password, and RTCOAuthCredential credential should succeed",
        {"iceServers": [{"urls": [], "credentialType": "password", "username": "user", "credential": EMPTY_OAUTH}]},
        "ok",
        _server_reads([], credentialType="password", username="user", credential=EMPTY_OAUTH),
        "empty-urls",
    ),
)


def _ice_server_cases() -> list[WptCase]:
    f = _ICE_SERVERS
    cases = [
        WptCase(
            f,
            "new RTCPeerConnection() should have default configuration.iceServers of []",
            (NEW, GET),
            _CONFIG,
            "ok",
            NOTES["ice-servers-default"],
            wpt_reads=(("iceServers", ABSENT),),
        )
    ]
    for description, configuration, expects, reads, note in _ICE_SERVER_TESTS:
        with_reads = expects == "ok"
        cases += [
            WptCase(
                f,
                f"new RTCPeerConnection(config) - {description}",
                (construct(configuration), GET) if with_reads else (construct(configuration),),
                _CONFIG if with_reads else _OUTCOME,
                expects,
                NOTES[note] if note else "",
                wpt_reads=reads,
            ),
            WptCase(
                f,
                f"setConfiguration(config) - {description}",
                (NEW, set_configuration(configuration), GET) if with_reads else (NEW, set_configuration(configuration)),
                _CONFIG if with_reads else _OUTCOME,
                expects,
                NOTES[note] if note else "",
                wpt_reads=reads,
                expects_step=1,
            ),
        ]
    # This one test constructs with the configuration in both of its config_test runs (it never calls makePc), so
    # both traces construct.
    turn = {"iceServers": [{"urls": TURN_URL, "username": "user", "credential": "cred"}]}
    reads = _server_reads([TURN_URL], credentialType="password", username="user", credential="cred")
    for variant in ("new RTCPeerConnection(config)", "setConfiguration(config)"):
        cases.append(
            WptCase(
                f,
                f"{variant} - with turn server, username, credential should succeed",
                (construct(turn), GET),
                _CONFIG,
                "ok",
                NOTES["credential-type-removed"],
                wpt_reads=reads,
            )
        )
    return cases


def _validation_cases() -> list[WptCase]:
    return [
        WptCase(
            _VALIDATION,
            "setConfiguration only applies if the entire configuration is valid",
            (
                NEW,
                GET,
                set_configuration({"iceTransportPolicy": "relay", "iceServers": [{"urls": ""}]}),
                GET,
            ),
            _CONFIG,
            "SyntaxError",
            wpt_reads=(("iceTransportPolicy", "all"),),
            expects_step=2,
        )
    ]


# ---- RTCPeerConnection-setLocalDescription.html, -setRemoteDescription*.html -------------------------------

_SLD = "webrtc/RTCPeerConnection-setLocalDescription.html"
_SRD = "webrtc/RTCPeerConnection-setRemoteDescription.html"
_SRD_OFFER = "webrtc/RTCPeerConnection-setRemoteDescription-offer.html"
_SRD_ANSWER = "webrtc/RTCPeerConnection-setRemoteDescription-answer.html"
_SRD_PRANSWER = "webrtc/RTCPeerConnection-setRemoteDescription-pranswer.html"
_SRD_ROLLBACK = "webrtc/RTCPeerConnection-setRemoteDescription-rollback.html"


def srd(description: JSON) -> dict[str, JSON]:
    return {"op": "setRemoteDescription", "args": {"description": description}}


def sld(description: JSON) -> dict[str, JSON]:
    return {"op": "setLocalDescription", "args": {"description": description}}


#: WPT's generateOffer() / generateAnswer(offer): descriptions made by another connection. The trace's remote
#: peer makes them; its offer to a new connection has one data section whatever media WPT's has (what these tests
#: assert — states, description types, event counts — does not depend on the media).
SRD_REMOTE_OFFER: Final = srd({"$remote": "offer"})
SRD_REMOTE_ANSWER: Final = srd({"$remote": "answer"})
SRD_REMOTE_PRANSWER: Final = srd({"$remote": "pranswer"})
SRD_RESTARTING_OFFER: Final = srd({"$remote": "offer", "iceRestart": True})
_DESCRIPTION_STATE = frozenset(
    {
        "signalingState",
        "signalingstatechange",
        *DESCRIPTIONS,
        "remoteDescription",
        "currentRemoteDescription",
        "pendingRemoteDescription",
    }
)
_REMOTE_STATE = frozenset(
    {
        "signalingState",
        "signalingstatechange",
        "remoteDescription",
        "currentRemoteDescription",
        "pendingRemoteDescription",
    }
)


def _set_local_description_cases() -> list[WptCase]:
    """setLocalDescription.html: the older file the -offer/-answer files were split from, with two tests more."""
    f, order = _SLD, NOTES["answer-sdp-before-state"]
    foreign_offer = sld({"type": "offer", "sdp": FOREIGN_OFFER_SDP})
    foreign_answer = sld({"type": "answer", "sdp": FOREIGN_ANSWER_SDP})
    answered = (NEW, create_offer(VIDEO), SRD_OWN_OFFER, CREATE_ANSWER)
    return [
        WptCase(
            f,
            "setLocalDescription with valid offer should succeed",
            (NEW, create_offer(AUDIO), SLD_LAST_OFFER),
            _SET_OFFER,
            "ok",
        ),
        WptCase(
            f,
            "setLocalDescription with type offer and null sdp should use lastOffer generated from createOffer",
            (NEW, create_offer(AUDIO), SLD_TYPE_OFFER),
            _SET_OFFER,
            "ok",
        ),
        WptCase(
            f,
            "setLocalDescription() with offer not created by own createOffer() should reject with"
            " InvalidModificationError",
            (NEW, foreign_offer),
            _OUTCOME,
            "InvalidModificationError",
        ),
        WptCase(
            f,
            "Creating and setting offer multiple times should succeed",
            (NEW, create_offer(AUDIO), SLD_LAST_OFFER, create_offer(VIDEO), SLD_LAST_OFFER),
            _SET_OFFER,
            "ok",
        ),
        WptCase(
            f,
            "setLocalDescription() with valid answer should succeed",
            (*answered, SLD_LAST_ANSWER),
            _DESCRIPTION_STATE,
            "ok",
        ),
        WptCase(
            f,
            "setLocalDescription() with type answer and null sdp should use lastAnswer generated from createAnswer",
            (*answered, sld({"type": "answer"})),
            _DESCRIPTION_STATE,
            "ok",
        ),
        WptCase(
            f,
            "setLocalDescription() with answer not created by own createAnswer() should reject with"
            " InvalidModificationError",
            (NEW, create_offer(VIDEO), SRD_OWN_OFFER, foreign_answer),
            _OUTCOME,
            "InvalidModificationError",
        ),
        WptCase(
            f,
            "Calling createOffer() and setLocalDescription() again after one round of local-offer/remote-answer"
            " should succeed",
            (
                NEW,
                create_offer(AUDIO),
                SLD_LAST_OFFER,
                SRD_REMOTE_ANSWER,
                {"op": "createDataChannel", "args": {"label": "test"}},
                create_offer(VIDEO),
                SLD_LAST_OFFER,
            ),
            _DESCRIPTION_STATE,
            "ok",
        ),
        WptCase(
            f,
            "Switching role from answerer to offerer after going back to stable state should succeed",
            (NEW, SRD_REMOTE_OFFER, CREATE_ANSWER, SLD_LAST_ANSWER, create_offer(VIDEO), SLD_LAST_OFFER),
            _DESCRIPTION_STATE,
            "ok",
        ),
        WptCase(
            f,
            "Calling setLocalDescription(answer) from stable state should reject with InvalidStateError",
            (NEW, sld({"type": "answer", "sdp": FOREIGN_OFFER_SDP})),
            _OUTCOME,
            "InvalidStateError",
            order,
        ),
        WptCase(
            f,
            "Calling setLocalDescription(answer) from have-local-offer state should reject with InvalidStateError",
            (NEW, create_offer(), SLD_LAST_OFFER, foreign_answer),
            _OUTCOME,
            "InvalidStateError",
            order,
        ),
    ]


def _remote_offer_cases(f: str) -> list[WptCase]:
    """The tests setRemoteDescription.html and setRemoteDescription-offer.html share."""
    return [
        WptCase(
            f, "setRemoteDescription with valid offer should succeed", (NEW, SRD_REMOTE_OFFER), _REMOTE_STATE, "ok"
        ),
        WptCase(
            f,
            "Setting remote description multiple times with different offer should succeed",
            (NEW, SRD_REMOTE_OFFER, SRD_REMOTE_OFFER),
            _REMOTE_STATE,
            "ok",
        ),
        WptCase(
            f,
            "setRemoteDescription(offer) with invalid SDP should reject with RTCError",
            (NEW, srd({"type": "offer", "sdp": "Invalid SDP"})),
            _OUTCOME,
            "OperationError",  # an RTCError is a DOMException named OperationError
        ),
    ]


def _remote_offer_in_have_local_offer(f: str) -> WptCase:
    return WptCase(
        f,
        "Calling setRemoteDescription(offer) from have-local-offer state should reject with InvalidStateError",
        (NEW, create_offer(), SLD_LAST_OFFER, SRD_REMOTE_OFFER),
        _OUTCOME | {"signalingState"},
        "InvalidStateError",
        NOTES["implicit-rollback"],
    )


def _set_remote_description_cases() -> list[WptCase]:
    f = _SRD
    return [
        *_remote_offer_cases(f),
        WptCase(
            f,
            "setRemoteDescription with invalid type and invalid SDP should reject with TypeError",
            (NEW, srd({"type": "bogus", "sdp": "bogus"})),
            _OUTCOME,
            "TypeError",
        ),
        WptCase(
            f,
            "setRemoteDescription() with invalid SDP and stable state should reject with InvalidStateError",
            (NEW, srd({"type": "answer", "sdp": "invalid"})),
            _OUTCOME,
            "InvalidStateError",
        ),
        WptCase(
            f,
            "setRemoteDescription() with valid state and answer should succeed",
            (NEW, create_offer(VIDEO), SLD_LAST_OFFER, SRD_REMOTE_ANSWER),
            _DESCRIPTION_STATE,
            "ok",
        ),
        WptCase(
            f,
            "Calling setRemoteDescription() again after one round of remote-offer/local-answer should succeed",
            (NEW, SRD_REMOTE_OFFER, CREATE_ANSWER, SLD_LAST_ANSWER, SRD_REMOTE_OFFER),
            _DESCRIPTION_STATE,
            "ok",
        ),
        WptCase(
            f,
            "Switching role from offerer to answerer after going back to stable state should succeed",
            (NEW, create_offer(AUDIO), SLD_LAST_OFFER, SRD_REMOTE_ANSWER, SRD_REMOTE_OFFER),
            _DESCRIPTION_STATE,
            "ok",
        ),
        WptCase(
            f,
            "Calling setRemoteDescription(answer) from stable state should reject with InvalidStateError",
            (NEW, srd({"type": "answer", "sdp": FOREIGN_OFFER_SDP})),
            _OUTCOME,
            "InvalidStateError",
        ),
        WptCase(
            f,
            "Calling setRemoteDescription(answer) from have-remote-offer state should reject with InvalidStateError",
            (NEW, SRD_REMOTE_OFFER, SRD_REMOTE_ANSWER),
            _OUTCOME,
            "InvalidStateError",
        ),
        _remote_offer_in_have_local_offer(f),
    ]


def _set_remote_offer_cases() -> list[WptCase]:
    return [*_remote_offer_cases(_SRD_OFFER), _remote_offer_in_have_local_offer(_SRD_OFFER)]


def _set_remote_answer_cases() -> list[WptCase]:
    f = _SRD_ANSWER
    return [
        WptCase(
            f,
            "setRemoteDescription() with valid state and answer should succeed",
            (NEW, create_offer(VIDEO), SLD_LAST_OFFER, SRD_REMOTE_ANSWER),
            _DESCRIPTION_STATE,
            "ok",
        ),
        WptCase(
            f,
            "Calling setRemoteDescription(answer) from stable state should reject with InvalidStateError",
            (NEW, create_offer(), srd({"type": "answer", "sdp": {"$sdp": "last-offer"}})),
            _OUTCOME,
            "InvalidStateError",
        ),
        WptCase(
            f,
            "Calling setRemoteDescription(answer) from have-remote-offer state should reject with InvalidStateError",
            (NEW, create_offer(), SRD_OWN_OFFER, SRD_REMOTE_ANSWER),
            _OUTCOME | {"signalingState"},
            "InvalidStateError",
        ),
    ]


def _set_remote_pranswer_cases() -> list[WptCase]:
    f = _SRD_PRANSWER
    offered = (NEW, create_offer(VIDEO), SLD_LAST_OFFER)
    return [
        WptCase(
            f,
            "setRemoteDescription(pranswer) from stable state should reject with InvalidStateError",
            (NEW, create_offer(), srd({"type": "pranswer", "sdp": {"$sdp": "last-offer"}})),
            _OUTCOME,
            "InvalidStateError",
        ),
        WptCase(
            f,
            "setRemoteDescription(pranswer) from have-local-offer state should succeed",
            (*offered, SRD_REMOTE_PRANSWER),
            _DESCRIPTION_STATE,
            "ok",
        ),
        WptCase(
            f,
            "setRemoteDescription(pranswer) multiple times should succeed",
            (*offered, SRD_REMOTE_PRANSWER, SRD_REMOTE_PRANSWER),
            frozenset({"signalingstatechange"}),
            "ok",
        ),
        WptCase(
            f,
            "setRemoteDescription(answer) from have-remote-pranswer state should succeed",
            (*offered, SRD_REMOTE_PRANSWER, SRD_REMOTE_ANSWER),
            _DESCRIPTION_STATE,
            "ok",
        ),
    ]


def _set_remote_rollback_cases() -> list[WptCase]:
    return [
        WptCase(
            _SRD_ROLLBACK,
            "setRemoteDescription(rollback) in have-remote-offer state should revert to stable state",
            (NEW, SRD_REMOTE_OFFER, srd({"type": "rollback"})),
            _REMOTE_STATE,
            "ok",
        )
    ]


# ---- RTCPeerConnection-restartIce.https.html (read in a mirror) ---------------------------------------------

_RESTART = "webrtc/RTCPeerConnection-restartIce.https.html"
RESTART_ICE: Final = {"op": "restartIce", "args": {}}
AUDIO_TRANSCEIVER: Final = add_transceiver("audio")
#: The test's doSignalingHandshakeEndOnFirst(pc1, pc2) as pc1 sees it: offer, apply it, apply the answer.
OFFER_ANSWERED: Final = (create_offer(), SLD_LAST_OFFER, SRD_REMOTE_ANSWER)
#: doSignalingHandshakeEndOnSecond(pc2, pc1) as pc1 sees it: the other side offers, pc1 answers.
ANSWERING: Final = (SRD_REMOTE_OFFER, CREATE_ANSWER, SLD_LAST_ANSWER)
_RESTARTS = frozenset({"negotiationneeded", "iceCredentials"})


def _restart_ice_cases() -> list[WptCase]:
    f, nn = _RESTART, frozenset({"negotiationneeded"})
    negotiated = (NEW, AUDIO_TRANSCEIVER, *OFFER_ANSWERED)
    return [
        WptCase(
            f,
            "restartIce() does not trigger negotiation ahead of initial negotiation",
            (NEW, RESTART_ICE, AUDIO_TRANSCEIVER),
            nn,
            "ok",
        ),
        WptCase(
            f,
            "restartIce() has no effect on initial negotiation",
            (NEW, AUDIO_TRANSCEIVER, RESTART_ICE, *OFFER_ANSWERED),
            nn,
            "ok",
        ),
        WptCase(
            f, "restartIce() fires negotiationneeded after initial negotiation", (*negotiated, RESTART_ICE), nn, "ok"
        ),
        WptCase(
            f,
            "restartIce() causes fresh ufrags",
            (*negotiated, *OFFER_ANSWERED, RESTART_ICE, *OFFER_ANSWERED, *OFFER_ANSWERED),
            _RESTARTS,
            "ok",
        ),
        WptCase(
            f,
            "restartIce() works in have-local-offer",
            (*negotiated, create_offer(), SLD_LAST_OFFER, RESTART_ICE, SRD_REMOTE_ANSWER, *OFFER_ANSWERED),
            _RESTARTS,
            "ok",
        ),
        WptCase(
            f,
            "restartIce() works in initial have-local-offer",
            (NEW, AUDIO_TRANSCEIVER, create_offer(), SLD_LAST_OFFER, RESTART_ICE, SRD_REMOTE_ANSWER, *OFFER_ANSWERED),
            _RESTARTS,
            "ok",
        ),
        WptCase(
            f,
            "restartIce() works in have-remote-offer",
            (*negotiated, SRD_REMOTE_OFFER, RESTART_ICE, CREATE_ANSWER, SLD_LAST_ANSWER, *OFFER_ANSWERED),
            _RESTARTS,
            "ok",
        ),
        WptCase(
            f,
            "restartIce() does nothing in initial have-remote-offer",
            (NEW, SRD_REMOTE_OFFER, RESTART_ICE, CREATE_ANSWER, SLD_LAST_ANSWER),
            nn,
            "ok",
        ),
        WptCase(
            f,
            "restartIce() survives remote offer",
            (*negotiated, RESTART_ICE, *ANSWERING, *OFFER_ANSWERED),
            _RESTARTS,
            "ok",
        ),
        WptCase(
            f,
            "restartIce() is satisfied by remote ICE restart",
            (*negotiated, RESTART_ICE, SRD_RESTARTING_OFFER, CREATE_ANSWER, SLD_LAST_ANSWER, *OFFER_ANSWERED),
            _RESTARTS,
            "ok",
        ),
        WptCase(
            f,
            "restartIce() trumps {iceRestart: false}",
            (*negotiated, RESTART_ICE, create_offer({"iceRestart": False}), SLD_LAST_OFFER, SRD_REMOTE_ANSWER),
            _RESTARTS,
            "ok",
        ),
        WptCase(
            f,
            "restartIce() survives rollback",
            (*negotiated, RESTART_ICE, create_offer(), SLD_LAST_OFFER, SLD_ROLLBACK, *OFFER_ANSWERED),
            _RESTARTS,
            "ok",
        ),
    ]


def _with_ids(cases: Sequence[WptCase]) -> tuple[WptCase, ...]:
    """Each case's id: its file's short name and its index in that file (stable while cases are only appended)."""
    counts: dict[str, int] = {}
    named = []
    for case in cases:
        short = case.file.removeprefix("webrtc/").removesuffix(".html").replace("/", "-").replace(".https", "")
        counts[short] = counts.get(short, 0) + 1
        named.append(
            WptCase(
                case.file,
                case.test,
                case.steps,
                case.observes,
                case.wpt_expects,
                case.note,
                f"wpt-{short}-{counts[short]:02d}",
                case.wpt_reads,
                case.expects_step,
            )
        )
    return tuple(named)


WPT_CASES: Final[tuple[WptCase, ...]] = _with_ids(
    [
        *_constructor_cases(),
        *_bundle_cases(),
        *_mux_cases(),
        *_transport_cases(),
        *_create_offer_cases(),
        *_set_local_offer_cases(),
        *_rollback_cases(),
        *_set_local_answer_cases(),
        *_pool_cases(),
        *_set_local_pranswer_cases(),
        *_legacy_cases(),
        *_ice_server_cases(),
        *_validation_cases(),
        *_set_local_description_cases(),
        *_set_remote_description_cases(),
        *_set_remote_offer_cases(),
        *_set_remote_answer_cases(),
        *_set_remote_pranswer_cases(),
        *_set_remote_rollback_cases(),
        *_restart_ice_cases(),
    ]
)

_TRACK = "it needs a MediaStreamTrack (getUserMedia, addTrack): media this model does not have"
UNDECIDABLE: Final[tuple[Undecidable, ...]] = (
    Undecidable(_CONSTRUCTOR, "RTCPeerConnection.length", "WebIDL reflection (the constructor's length), no call"),
    Undecidable(
        _CONSTRUCTOR,
        "new RTCPeerConnection({ peerIdentity: toStringThrows })",
        "a toString that throws: a trace value cannot be a function",
    ),
    Undecidable(
        _CONSTRUCTOR,
        "new RTCPeerConnection({ iceCandidatePoolSize: toNumberThrows })",
        "a Symbol: a trace value cannot be one",
    ),
    Undecidable(
        "webrtc/RTCPeerConnection-close.html",
        "Closing the peer connection should close all channels (before connection establishment)",
        "it reads RTCDataChannel.readyState and creates negotiated channels (createDataChannel options):"
        " data channel state is not modelled",
    ),
    Undecidable(
        "webrtc/RTCPeerConnection-close.html",
        "Closing the peer connection should close all channels (after connection establishment)",
        "it needs an established connection (ICE, DTLS, SCTP over the network)",
    ),
    Undecidable(
        "webrtc/RTCPeerConnection-close.html",
        "Closing the peer connection should set the SCTP transport to closed",
        "it needs an established connection and RTCSctpTransport.state",
    ),
    Undecidable(
        _CREATE_OFFER,
        "When media stream is added when createOffer() is running in parallel, the result offer"
        " should contain the new media stream",
        "a call made while createOffer's promise is pending: a trace runs each step to completion",
    ),
    Undecidable(
        _SLD_OFFER,
        "Set created offer other than last offer should reject with InvalidModificationError",
        'it applies the offer before the last one: the trace format names only the last offer ({"$sdp": "last-offer"})',
    ),
    Undecidable(
        _SLD_OFFER,
        "setLocalDescription(offer) should never resolve if connection is closed in parallel",
        "close() while setLocalDescription's promise is pending, and a promise that never settles",
    ),
    Undecidable(
        _SLD,
        "Set created offer other than last offer should reject with InvalidModificationError",
        'it applies the offer before the last one: the trace format names only the last offer ({"$sdp": "last-offer"})',
    ),
    Undecidable(
        _SLD,
        "setLocalDescription(offer) should never resolve if connection is closed in parallel",
        "close() while setLocalDescription's promise is pending, and a promise that never settles",
    ),
    *(
        Undecidable(
            file,
            "setRemoteDescription(offer) should never resolve if connection is closed in parallel",
            "close() while setRemoteDescription's promise is pending, and a promise that never settles",
        )
        for file in (_SRD, _SRD_OFFER)
    ),
    Undecidable(
        _RESTART,
        "restartIce() survives remote offer containing partial restart",
        "it edits the remote offer's SDP to keep the old ufrag and password in one m= section only: the trace's"
        " remote peer restarts ICE on every section or none, and a literal SDP cannot hold this trace's"
        " (seeded, random) credentials",
    ),
    *(
        Undecidable(_LEGACY, test.format(member=f"offerToReceive{kind}"), _TRACK)
        for kind in ("Audio", "Video")
        for test in (
            '{member} option should be ignored if a non-stopped "sendrecv" transceiver exists',
            '{member} set to false with a track should create a "sendonly" transceiver',
            'subsequent {member} set to false with a track should change the direction to "sendonly"',
        )
    ),
)
