"""Defects the fuzz targets (tests/fuzz/) found, each kept as the statement of what must hold instead."""

from __future__ import annotations

import pytest

from peerspec.model import RTCPeerConnection, SpecError
from peerspec.oracle.errors import TraceError
from peerspec.oracle.trace import parse


def test_an_expires_member_with_no_primitive_value_rejects_with_a_type_error() -> None:
    # generateCertificate step 3.1: converting {expires: {toString: {}}} to RTCCertificateExpiration runs
    # ToNumber, whose OrdinaryToPrimitive finds no callable toString: a TypeError, so the promise rejects.
    with pytest.raises(SpecError) as raised:
        RTCPeerConnection.generateCertificate({"expires": {"toString": {}}, "name": "ECDSA"}, seed=1)
    assert (raised.value.name, raised.value.kind) == ("TypeError", "reject")


def test_a_lone_surrogate_where_a_tag_value_belongs_is_one_trace_error() -> None:
    line = b'{"op": "construct", "args": {"configuration": {"$js": "\\ud985"}}}\n'
    with pytest.raises(TraceError, match=r"^t, line 1: \$\.args\.configuration\['\$js'\]: .* is not one of"):
        parse(line, "t")


def test_a_lone_surrogate_in_a_plain_member_of_a_line_with_tags_reads_as_itself() -> None:
    line = b'{"op": "construct", "args": {"configuration": {"a": "\\udc00", "b": {"$js": "NaN"}}}}\n'
    (step,) = parse(line, "t")
    assert step.args == {"configuration": {"a": "\udc00", "b": {"$js": "NaN"}}}
