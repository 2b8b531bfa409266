"""Where a citation points: the Editor's Draft anchor of the algorithm, method or dictionary a model citation names
("createOffer step 2", "set the configuration step 3.6", "WebIDL conversion of RTCConfiguration.iceServers[0]").

The page links the reader to the spec; it never shows the spec's own text. The anchors are the ids ReSpec gives
the <dfn>s of webrtc.html at model.SPEC_COMMIT: an explicit id where the source has one (dom-peerconnection,
set-pc-configuration, set-description, ...); else, for an IDL member or dictionary, "dom-<interface>-<member>"
(ReSpec's dfn-finder decorateDfn); else "dfn-" and the slug of the dfn's first linking text, which is its first
data-lt where it has one (ReSpec's link-to-dfn and getDfnTitles).
"""

from __future__ import annotations

import re
from typing import Final

EDITORS_DRAFT: Final = "https://w3c.github.io/webrtc-pc/"
JSEP: Final = "https://www.rfc-editor.org/rfc/rfc9429"

#: Citation prefix -> anchor in the Editor's Draft, longest prefixes first where one prefix begins another.
_ANCHORS: Final[tuple[tuple[str, str], ...]] = (
    ("the RTCPeerConnection constructor", "dom-peerconnection"),
    ("RTCPeerConnection constructor", "dom-peerconnection"),
    ("setConfiguration", "dom-rtcpeerconnection-setconfiguration"),
    ("getConfiguration", "dom-rtcpeerconnection-getconfiguration"),
    ("createOffer", "dom-rtcpeerconnection-createoffer"),
    ("createAnswer", "dom-rtcpeerconnection-createanswer"),
    ("setLocalDescription", "dom-peerconnection-setlocaldescription"),
    ("setRemoteDescription", "dom-peerconnection-setremotedescription"),
    ("restartIce", "dom-rtcpeerconnection-restartice"),
    ("close the connection", "dfn-close-the-connection"),
    ("close", "dom-rtcpeerconnection-close"),
    ("createDataChannel", "dom-peerconnection-createdatachannel"),
    ("generateCertificate", "dom-rtcpeerconnection-generatecertificate"),
    ("set the configuration", "set-pc-configuration"),
    ("set a session description", "set-description"),
    ("validate an ICE server URL", "dfn-validate-an-ice-server-url"),
    ("chain an operation", "dfn-chain"),  # data-lt="chain|chaining": ReSpec names it after the first
    ("create an offer", "dfn-creating-an-offer"),  # data-lt="creating an offer"
    ("create an answer", "dfn-creating-an-answer"),  # data-lt="creating an answer"
    ("update the negotiation-needed flag", "dfn-update-the-negotiation-needed-flag"),
    ("WebIDL conversion of RTCConfiguration", "dom-rtcconfiguration"),
    ("WebIDL conversion of RTCOfferOptions", "dom-rtcofferoptions"),
    ("WebIDL conversion of RTCAnswerOptions", "dom-rtcansweroptions"),
    ("WebIDL conversion of RTCLocalSessionDescriptionInit", "dom-rtclocalsessiondescriptioninit"),
    ("WebIDL conversion of RTCSessionDescriptionInit", "dom-rtcsessiondescriptioninit"),
    ("WebIDL conversion of RTCCertificate", "dom-rtccertificate"),
    ("RTCOfferOptions", "dom-rtcofferoptions"),
)

_JSEP_SECTION: Final = re.compile(r"JSEP §(\d+(?:\.\d+)*)")


def spec_url(citation: str) -> str | None:
    """The Editor's Draft anchor for a citation, or a JSEP (RFC 9429) section where only JSEP is named; None when
    the citation names nothing the page can link (an ECMAScript or WebIDL rule, a runner's own words)."""
    for prefix, anchor in sorted(_ANCHORS, key=lambda item: -len(item[0])):
        if citation == prefix or citation.startswith((prefix + " ", prefix + ".", prefix + "(", prefix + "[")):
            return EDITORS_DRAFT + "#" + anchor
    jsep = _JSEP_SECTION.search(citation)
    if jsep is not None:
        return f"{JSEP}#section-{jsep.group(1)}"
    return None
