"""Properties over arbitrary input: the spec's errors are the only errors, and construction is a
configuration set on a fresh connection."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from peerspec.model import UNDEFINED, RemotePeer, RTCPeerConnection, SpecError
from peerspec.model.js_values import JSValue
from peerspec.properties.strategies import configuration_arguments, js_values, local_descriptions, offer_options

ANY_ARGUMENT = st.one_of(js_values(), configuration_arguments())


def outcome(call: object) -> tuple[str, str] | None:
    """None when the call succeeds, else the error's name and kind; any other exception propagates."""
    assert callable(call)
    try:
        call()
    except SpecError as error:
        return error.name, error.kind
    return None


@given(ANY_ARGUMENT)
def test_any_value_as_a_configuration_yields_a_result_or_a_spec_error(value: JSValue) -> None:
    """WebIDL conversion and set the configuration: whatever a script passes, the model answers as the spec does."""
    outcome(lambda: RTCPeerConnection(value))
    pc = RTCPeerConnection()
    outcome(lambda: pc.setConfiguration(value))
    pc.close()
    outcome(lambda: pc.setConfiguration(value))


@given(st.one_of(ANY_ARGUMENT, local_descriptions(), offer_options()), st.booleans())
def test_any_value_as_a_description_or_options_yields_a_result_or_a_spec_error(value: JSValue, closed: bool) -> None:
    """setLocalDescription, setRemoteDescription, createOffer, createAnswer and createDataChannel convert any value."""
    pc = RTCPeerConnection()
    pc.createDataChannel("chat")
    if closed:
        pc.close()
    for call in (
        pc.setLocalDescription,
        pc.setRemoteDescription,
        pc.createOffer,
        pc.createAnswer,
        pc.createDataChannel,
    ):
        result = outcome(lambda call=call: call(value))
        if result is not None and result[0] == "TypeError" and call.__name__ != "createDataChannel":
            assert result[1] == "reject", "a promise-returning method rejects its TypeError"
    assert outcome(lambda: RTCPeerConnection.generateCertificate(value)) != ("TypeError", "throw")


@given(configuration_arguments())
def test_constructing_with_C_is_setConfiguration_C_on_a_fresh_connection(configuration: JSValue) -> None:
    """RTCPeerConnection constructor step 8: construction sets the configuration. A fresh connection whose
    fixed members (bundlePolicy, rtcpMuxPolicy, certificates) already match C, given setConfiguration(C),
    ends the same way: the same error, or the same getConfiguration()."""
    constructed = outcome(lambda: RTCPeerConnection(configuration))
    try:
        probe = RTCPeerConnection(configuration)
    except SpecError:
        probe = None
    if probe is not None:
        fixed = {
            k: v for k, v in probe.getConfiguration().items() if k in ("bundlePolicy", "rtcpMuxPolicy", "certificates")
        }
        fresh = RTCPeerConnection(fixed)
        assert outcome(lambda: fresh.setConfiguration(configuration)) is None
        assert fresh.getConfiguration() == probe.getConfiguration()
        return
    # Construction failed: with the default fixed members, setConfiguration fails with the same error,
    # unless the failure is an InvalidModificationError that only a non-fresh connection can raise.
    fresh = RTCPeerConnection()
    set_result = outcome(lambda: fresh.setConfiguration(configuration))
    assert constructed is not None
    if set_result is not None and set_result[0] == "InvalidModificationError":
        return  # C's fixed members differ from the defaults; construction stopped at a later check
    assert set_result == constructed


def test_a_remote_peer_descriptions_are_accepted_in_a_plain_exchange() -> None:
    """The remote peer's answer completes an exchange the local side started (symbolic but valid SDP)."""
    pc, remote = RTCPeerConnection(), RemotePeer()
    pc.createDataChannel("chat")
    pc.setLocalDescription(UNDEFINED)
    pc.setRemoteDescription(remote.answer(pc))
    assert pc.signalingState == "stable"
