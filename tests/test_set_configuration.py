"""setConfiguration(), getConfiguration(), the constructor, and "set the configuration" (webrtc-pc §4.4.1.5).

Order of checks in setConfiguration: WebIDL TypeError; step 2 InvalidStateError (closed); then set the
configuration step 3 (InvalidModificationError: certificate count 3.1, certificate identity 3.3.1,
bundlePolicy 3.4, rtcpMuxPolicy 3.5, iceCandidatePoolSize after setLocalDescription 3.6); then the
server loop of step 6. All validation precedes every change (PR #2689), and the stored configuration is
replaced whole, not merged (PR #2691).
"""

from __future__ import annotations

import pytest

from peerspec.model import SPEC_PROFILE, RemotePeer, RTCCertificate, RTCPeerConnection, SessionDescription, SpecError

ECDSA = {"name": "ECDSA", "namedCurve": "P-256"}
RSA = {"name": "RSASSA-PKCS1-v1_5", "modulusLength": 2048, "publicExponent": [1, 0, 1], "hash": "SHA-256"}
STUN = {"urls": "stun:stun.example.net"}


def certificate(seed: int = 0, **options: object) -> RTCCertificate:
    return RTCPeerConnection.generateCertificate(ECDSA, seed=seed, **options)


def set_configuration_error(pc: RTCPeerConnection, configuration: object) -> SpecError:
    with pytest.raises(SpecError) as caught:
        pc.setConfiguration(configuration)
    assert caught.value.kind == "throw"
    return caught.value


def assert_invalid_modification(pc: RTCPeerConnection, configuration: object, step: str) -> None:
    error = set_configuration_error(pc, configuration)
    assert error.name == "InvalidModificationError"
    assert error.spec.startswith(f"set the configuration step {step}")


def after_set_local_description(configuration: object = None, **options: object) -> RTCPeerConnection:
    pc = RTCPeerConnection(configuration, **options)  # type: ignore[arg-type]
    pc.setLocalDescription()
    return pc


def as_init(description: SessionDescription) -> dict[str, str]:
    return {"type": description.type, "sdp": description.sdp}


# ---- setConfiguration step 2 ----------------------------------------------------------------------------


def test_setConfiguration_on_a_closed_connection_throws_InvalidStateError() -> None:
    """setConfiguration step 2."""
    pc = RTCPeerConnection()
    pc.close()
    error = set_configuration_error(pc, {})
    assert error.name == "InvalidStateError"
    assert error.spec.startswith("setConfiguration step 2")


def test_the_closed_check_precedes_the_checks_of_set_the_configuration() -> None:
    """setConfiguration step 2 runs before step 3 (set the configuration)."""
    pc = RTCPeerConnection({"bundlePolicy": "max-bundle"})
    pc.close()
    error = set_configuration_error(pc, {"iceServers": [{"urls": "bogus"}]})
    assert error.name == "InvalidStateError"


def test_setConfiguration_fires_nothing_and_leaves_the_signaling_state() -> None:
    """setConfiguration never runs "update the negotiation-needed flag" and touches no signaling state."""
    pc = after_set_local_description()
    events = pc.negotiationneeded_events
    pc.setConfiguration({"iceServers": [STUN]})
    assert pc.negotiationneeded_events == events
    assert pc.signalingState == "have-local-offer"


# ---- set the configuration step 3: what may not change ------------------------------------------------


def test_a_different_number_of_certificates_is_InvalidModificationError() -> None:
    """set the configuration step 3.1."""
    first = certificate(0)
    pc = RTCPeerConnection({"certificates": [first]})
    assert_invalid_modification(pc, {"certificates": [first, certificate(1)]}, "3.1")
    assert_invalid_modification(pc, {"certificates": []}, "3.1")


def test_a_different_certificate_object_at_an_index_is_InvalidModificationError() -> None:
    """set the configuration step 3.3.1: the ECMAScript objects must be the same, index by index."""
    pc = RTCPeerConnection({"certificates": [certificate(0)]})
    assert_invalid_modification(pc, {"certificates": [certificate(0)]}, "3.3.1")


def test_the_same_certificates_in_another_order_are_InvalidModificationError() -> None:
    """set the configuration step 3.3.1: comparison is per index, so order matters (PR #2113)."""
    first, second = certificate(0), certificate(1)
    pc = RTCPeerConnection({"certificates": [first, second]})
    assert_invalid_modification(pc, {"certificates": [second, first]}, "3.3.1")
    pc.setConfiguration({"certificates": [first, second]})


def test_the_certificate_count_is_checked_before_the_bundle_policy() -> None:
    """set the configuration step 3.1 precedes step 3.4."""
    pc = RTCPeerConnection({"certificates": [certificate()]})
    assert_invalid_modification(pc, {"bundlePolicy": "max-bundle"}, "3.1")


def test_certificate_identity_is_checked_before_the_bundle_policy() -> None:
    """set the configuration step 3.3.1 precedes step 3.4."""
    pc = RTCPeerConnection({"certificates": [certificate(0)]})
    assert_invalid_modification(pc, {"certificates": [certificate(1)], "bundlePolicy": "max-bundle"}, "3.3.1")


@pytest.mark.parametrize(
    ("old", "new"), [("balanced", "max-bundle"), ("max-compat", "balanced"), ("max-bundle", "max-compat")]
)
def test_a_different_bundlePolicy_is_InvalidModificationError(old: str, new: str) -> None:
    """set the configuration step 3.4."""
    pc = RTCPeerConnection({"bundlePolicy": old})
    assert_invalid_modification(pc, {"bundlePolicy": new}, "3.4")


def test_the_bundle_policy_is_checked_before_the_pool_size() -> None:
    """set the configuration step 3.4 precedes step 3.6."""
    pc = after_set_local_description()
    assert_invalid_modification(pc, {"bundlePolicy": "max-bundle", "iceCandidatePoolSize": 1}, "3.4")


def test_the_rtcpMuxPolicy_check_is_unreachable_because_negotiate_is_a_TypeError() -> None:
    """set the configuration step 3.5 cannot fire: RTCRtcpMuxPolicy has only "require" (PR #2353)."""
    pc = RTCPeerConnection()
    error = set_configuration_error(pc, {"rtcpMuxPolicy": "negotiate"})
    assert error.name == "TypeError"
    pc.setConfiguration({"rtcpMuxPolicy": "require"})


def test_the_pool_size_may_change_before_setLocalDescription() -> None:
    """set the configuration step 3.6 fails only once setLocalDescription "has already been called"."""
    pc = RTCPeerConnection({"iceCandidatePoolSize": 2})
    pc.setConfiguration({"iceCandidatePoolSize": 5})
    assert pc.getConfiguration()["iceCandidatePoolSize"] == 5
    assert pc.ice_agent.candidate_pool_size == 5


def test_the_pool_size_may_change_after_only_a_remote_offer() -> None:
    """set the configuration step 3.6 is about setLocalDescription; setRemoteDescription does not count."""
    pc = RTCPeerConnection()
    pc.setRemoteDescription(as_init(RemotePeer().offer(pc)))
    pc.setConfiguration({"iceCandidatePoolSize": 3})
    assert pc.getConfiguration()["iceCandidatePoolSize"] == 3


def test_changing_the_pool_size_after_setLocalDescription_is_InvalidModificationError() -> None:
    """set the configuration step 3.6 (PR #1054; JSEP §4.1.18)."""
    pc = after_set_local_description({"iceCandidatePoolSize": 2})
    assert_invalid_modification(pc, {"iceCandidatePoolSize": 3}, "3.6")


def test_the_same_pool_size_after_setLocalDescription_is_fine() -> None:
    """set the configuration step 3.6 fails only if the value "differs"."""
    pc = after_set_local_description({"iceCandidatePoolSize": 2})
    pc.setConfiguration({"iceCandidatePoolSize": 2, "iceServers": [STUN]})


def test_the_pool_size_is_checked_before_the_servers() -> None:
    """set the configuration step 3.6 precedes step 6."""
    pc = after_set_local_description()
    assert_invalid_modification(pc, {"iceCandidatePoolSize": 1, "iceServers": [{"urls": "bogus"}]}, "3.6")


def test_the_step_3_checks_precede_the_server_checks() -> None:
    """set the configuration step 3 precedes step 6."""
    pc = RTCPeerConnection()
    assert_invalid_modification(pc, {"bundlePolicy": "max-bundle", "iceServers": [{"urls": []}]}, "3.4")


def test_the_server_checks_run_when_step_3_passes() -> None:
    """set the configuration step 6.3, reached on an open connection whose fixed members are unchanged."""
    error = set_configuration_error(RTCPeerConnection(), {"iceServers": [{"urls": []}]})
    assert (error.name, error.spec.startswith("set the configuration step 6.3")) == ("SyntaxError", True)


# ---- "setLocalDescription has already been called": the two profiles ---------------------------------------

INVOKED = SPEC_PROFILE.but(sld_called_when="invoked")
APPLIED = SPEC_PROFILE.but(sld_called_when="applied")


def test_invoked_profile_a_failed_setLocalDescription_counts_as_called() -> None:
    """set the configuration step 3.6, profile sld_called_when="invoked": the call, not its success, counts."""
    pc = RTCPeerConnection(profile=INVOKED)
    with pytest.raises(SpecError):
        pc.setLocalDescription({"type": "answer"})  # create an answer step 1: not in have-remote-offer
    assert pc.signalingState == "stable"
    assert_invalid_modification(pc, {"iceCandidatePoolSize": 1}, "3.6")


def test_invoked_profile_a_rollback_counts_as_called() -> None:
    """set the configuration step 3.6, profile sld_called_when="invoked": sLD({type: "rollback"}) was called."""
    pc = RTCPeerConnection(profile=INVOKED)
    pc.setRemoteDescription(as_init(RemotePeer().offer(pc)))
    pc.setLocalDescription({"type": "rollback"})
    assert_invalid_modification(pc, {"iceCandidatePoolSize": 1}, "3.6")


def test_applied_profile_a_failed_setLocalDescription_does_not_count() -> None:
    """set the configuration step 3.6, profile sld_called_when="applied" (JSEP §4.1.18 "after applying")."""
    pc = RTCPeerConnection(profile=APPLIED)
    with pytest.raises(SpecError):
        pc.setLocalDescription({"type": "answer"})
    pc.setConfiguration({"iceCandidatePoolSize": 1})
    assert pc.getConfiguration()["iceCandidatePoolSize"] == 1


def test_applied_profile_a_rollback_does_not_count() -> None:
    """set the configuration step 3.6, profile "applied": a rollback applies no local description."""
    pc = RTCPeerConnection(profile=APPLIED)
    pc.setRemoteDescription(as_init(RemotePeer().offer(pc)))
    pc.setLocalDescription({"type": "rollback"})
    pc.setConfiguration({"iceCandidatePoolSize": 1})


def test_applied_profile_a_successful_setLocalDescription_counts() -> None:
    """set the configuration step 3.6, profile "applied"."""
    pc = after_set_local_description(profile=APPLIED)
    assert_invalid_modification(pc, {"iceCandidatePoolSize": 1}, "3.6")


def test_being_called_is_sticky_even_after_rollback_of_an_applied_offer() -> None:
    """set the configuration step 3.6: nothing resets "has already been called"."""
    for profile in (INVOKED, APPLIED):
        pc = after_set_local_description(profile=profile)
        pc.setLocalDescription({"type": "rollback"})
        assert pc.signalingState == "stable"
        assert_invalid_modification(pc, {"iceCandidatePoolSize": 1}, "3.6")


# ---- all or nothing ----------------------------------------------------------------------------------


def test_a_failed_setConfiguration_changes_neither_the_configuration_nor_the_ICE_agent() -> None:
    """set the configuration steps 3-6 validate before steps 7-10 change anything (PR #2689)."""
    pc = RTCPeerConnection({"iceServers": [STUN], "iceCandidatePoolSize": 1})
    before, agent = pc.getConfiguration(), pc.ice_agent
    failing = {
        "iceTransportPolicy": "relay",
        "iceCandidatePoolSize": 4,
        "iceServers": [{"urls": "stun:other.example.net"}, {"urls": "turn:a.invalid"}],
    }
    error = set_configuration_error(pc, failing)
    assert error.name == "InvalidAccessError"
    assert pc.getConfiguration() == before
    assert pc.ice_agent == agent


def test_WPT_relay_policy_with_an_empty_url_leaves_the_policy_at_all() -> None:
    """set the configuration: WPT RTCConfiguration-validation.html, iceTransportPolicy 'relay' + urls ''."""
    pc = RTCPeerConnection()
    error = set_configuration_error(pc, {"iceTransportPolicy": "relay", "iceServers": [{"urls": ""}]})
    assert error.name == "SyntaxError"
    assert pc.getConfiguration()["iceTransportPolicy"] == "all"
    assert pc.ice_agent.ice_transports == "all"


def test_a_failed_constructor_makes_no_connection() -> None:
    """RTCPeerConnection constructor step 8: an exception of set the configuration propagates."""
    with pytest.raises(SpecError) as caught:
        RTCPeerConnection({"iceServers": [{"urls": "stun:a b.invalid"}]})
    assert (caught.value.name, caught.value.kind) == ("SyntaxError", "throw")
    assert caught.value.spec.startswith("validate an ICE server URL step 5")


@pytest.mark.parametrize(
    ("server", "name"),
    [
        ({"urls": "bogus"}, "SyntaxError"),
        ({"urls": []}, "SyntaxError"),
        ({"urls": "turn:a.invalid"}, "InvalidAccessError"),
    ],
)
def test_the_constructor_throws_what_set_the_configuration_throws(server: dict[str, object], name: str) -> None:
    """RTCPeerConnection constructor step 8: "Set the configuration specified by configuration"."""
    with pytest.raises(SpecError) as caught:
        RTCPeerConnection({"iceServers": [server]})
    assert (caught.value.name, caught.value.kind) == (name, "throw")


def test_the_constructor_throws_NotSupportedError_for_an_unimplemented_scheme() -> None:
    """RTCPeerConnection constructor step 8, validate an ICE server URL step 3."""
    profile = SPEC_PROFILE.but(implemented_schemes=frozenset({"stun", "turn"}))
    with pytest.raises(SpecError) as caught:
        RTCPeerConnection({"iceServers": [{"urls": "stuns:example.net"}]}, profile=profile)
    assert caught.value.name == "NotSupportedError"


def test_the_constructor_skips_step_3_because_there_is_no_old_configuration() -> None:
    """RTCPeerConnection constructor step 8: [[Configuration]] is null, so set the configuration step 3 is skipped."""
    pc = RTCPeerConnection({"bundlePolicy": "max-bundle", "iceCandidatePoolSize": 7, "certificates": [certificate()]})
    assert pc.getConfiguration()["bundlePolicy"] == "max-bundle"


# ---- whole replacement ------------------------------------------------------------------------------


def test_setConfiguration_is_not_additive_so_an_empty_dictionary_resets_bundlePolicy() -> None:
    """set the configuration step 3.4 compares the default "balanced" with "max-bundle" (#1447, PR #2691)."""
    pc = RTCPeerConnection({"bundlePolicy": "max-bundle"})
    assert_invalid_modification(pc, {}, "3.4")


def test_an_omitted_certificates_member_is_the_empty_list() -> None:
    """set the configuration step 3.1: the default [] has length 0, the stored certificates length 1."""
    pc = RTCPeerConnection({"certificates": [certificate()]})
    assert_invalid_modification(pc, {"iceServers": [STUN]}, "3.1")


def test_an_omitted_pool_size_becomes_0_and_fails_after_setLocalDescription() -> None:
    """set the configuration step 3.6 with the default iceCandidatePoolSize = 0."""
    pc = after_set_local_description({"iceCandidatePoolSize": 2})
    assert_invalid_modification(pc, {"iceServers": [STUN]}, "3.6")


def test_an_omitted_pool_size_becomes_0_before_setLocalDescription() -> None:
    """set the configuration step 10: [[Configuration]] is the new dictionary, defaults and all."""
    pc = RTCPeerConnection({"iceCandidatePoolSize": 2, "iceTransportPolicy": "relay", "iceServers": [STUN]})
    pc.setConfiguration({})
    assert pc.getConfiguration() == RTCPeerConnection().getConfiguration()
    assert (pc.ice_agent.candidate_pool_size, pc.ice_agent.ice_transports, pc.ice_agent.ice_servers) == (0, "all", ())


def test_a_successful_setConfiguration_hands_the_ICE_agent_its_new_settings() -> None:
    """set the configuration steps 7-9: transports setting, pool size, servers list."""
    pc = RTCPeerConnection()
    pc.setConfiguration({"iceTransportPolicy": "relay", "iceCandidatePoolSize": 4, "iceServers": [STUN]})
    assert pc.ice_agent.ice_transports == "relay"
    assert pc.ice_agent.candidate_pool_size == 4
    assert [server.urls for server in pc.ice_agent.ice_servers] == ["stun:stun.example.net"]


# ---- getConfiguration --------------------------------------------------------------------------------


def test_getConfiguration_returns_every_member_with_its_default() -> None:
    """getConfiguration returns [[Configuration]], a converted RTCConfiguration: defaults are present."""
    assert RTCPeerConnection().getConfiguration() == {
        "bundlePolicy": "balanced",
        "certificates": [],
        "iceCandidatePoolSize": 0,
        "iceServers": [],
        "iceTransportPolicy": "all",
        "rtcpMuxPolicy": "require",
    }


def test_getConfiguration_returns_a_fresh_dictionary_each_call() -> None:
    """getConfiguration's return type is an IDL dictionary, converted to a new JS object on each call."""
    pc = RTCPeerConnection({"iceServers": [STUN]})
    first, second = pc.getConfiguration(), pc.getConfiguration()
    assert first == second
    assert first is not second
    assert first["iceServers"] is not second["iceServers"]


def test_mutating_what_getConfiguration_returned_changes_nothing() -> None:
    """getConfiguration: the returned dictionary is a copy of [[Configuration]]."""
    pc = RTCPeerConnection({"iceServers": [STUN]})
    returned = pc.getConfiguration()
    returned["bundlePolicy"] = "max-bundle"
    servers = returned["iceServers"]
    assert isinstance(servers, list)
    servers[0]["urls"].append("stun:other.example.net")
    servers.append({"urls": ["bogus"]})
    assert pc.getConfiguration() == {**RTCPeerConnection().getConfiguration(), "iceServers": [{"urls": [STUN["urls"]]}]}
    pc.setConfiguration({"iceServers": [STUN]})  # and the stored bundlePolicy is still "balanced"


def test_getConfiguration_returns_urls_as_a_list_even_when_given_a_string() -> None:
    """getConfiguration (WPT RTCConfiguration-iceServers.html; the ED text would keep the string, see #1322)."""
    pc = RTCPeerConnection({"iceServers": [{"urls": "stun:stun1.example.net"}]})
    assert pc.getConfiguration()["iceServers"] == [{"urls": ["stun:stun1.example.net"]}]


def test_getConfiguration_includes_username_and_credential_only_when_given() -> None:
    """RTCIceServer: username and credential have no default, so they are absent unless given."""
    servers = [
        {"urls": "stun:stun.example.net"},
        {"urls": "stun:stun.example.net", "username": "user"},
        {"urls": ["turn:turn.example.net"], "username": "user", "credential": "secret"},
    ]
    assert RTCPeerConnection({"iceServers": servers}).getConfiguration()["iceServers"] == [
        {"urls": ["stun:stun.example.net"]},
        {"urls": ["stun:stun.example.net"], "username": "user"},
        {"urls": ["turn:turn.example.net"], "username": "user", "credential": "secret"},
    ]


def test_getConfiguration_returns_the_certificates_given_and_no_generated_ones() -> None:
    """RTCPeerConnection constructor step 6: generated certificates are not exposed (#1120, PR #1130)."""
    given = certificate()
    assert RTCPeerConnection({"certificates": [given]}).getConfiguration()["certificates"] == [given]
    assert RTCPeerConnection().getConfiguration()["certificates"] == []


def test_getConfiguration_works_after_close() -> None:
    """getConfiguration has no [[IsClosed]] check: it returns the last stored configuration."""
    pc = RTCPeerConnection({"iceTransportPolicy": "relay", "iceServers": [STUN]})
    before = pc.getConfiguration()
    pc.close()
    assert pc.getConfiguration() == before


# ---- constructor: certificates ------------------------------------------------------------------------


def test_an_expired_certificate_makes_the_constructor_throw_InvalidAccessError() -> None:
    """RTCPeerConnection constructor step 5.1: certificate.expires is less than the current time."""
    expiring = certificate(now=0)
    with pytest.raises(SpecError) as caught:
        RTCPeerConnection({"certificates": [expiring]}, now=expiring.expires + 1)
    assert (caught.value.name, caught.value.kind) == ("InvalidAccessError", "throw")
    assert caught.value.spec.startswith("RTCPeerConnection constructor step 5.1")


def test_a_certificate_expiring_exactly_now_is_still_accepted() -> None:
    """RTCPeerConnection constructor step 5.1 throws only if expires is *less than* the current time."""
    expiring = certificate(now=0)
    RTCPeerConnection({"certificates": [expiring]}, now=expiring.expires)


def test_a_certificate_from_another_origin_makes_the_constructor_throw_InvalidAccessError() -> None:
    """RTCPeerConnection constructor step 5.2: [[Origin]] is not same origin with [[DocumentOrigin]]."""
    foreign = certificate(origin="https://elsewhere.invalid")
    with pytest.raises(SpecError) as caught:
        RTCPeerConnection({"certificates": [foreign]})
    assert (caught.value.name, caught.value.kind) == ("InvalidAccessError", "throw")
    assert caught.value.spec.startswith("RTCPeerConnection constructor step 5.2")


def test_certificates_are_checked_in_order_expiry_then_origin() -> None:
    """RTCPeerConnection constructor step 5: for each certificate in order, 5.1 then 5.2."""
    fresh, foreign = certificate(now=10**12), certificate(origin="https://elsewhere.invalid", now=10**12)
    expired = certificate(now=0)
    with pytest.raises(SpecError) as caught:
        RTCPeerConnection({"certificates": [fresh, expired, foreign]}, now=10**12)
    assert caught.value.spec.startswith("RTCPeerConnection constructor step 5.1")
    with pytest.raises(SpecError) as caught:
        RTCPeerConnection({"certificates": [fresh, foreign, expired]}, now=10**12)
    assert caught.value.spec.startswith("RTCPeerConnection constructor step 5.2")


def test_a_certificate_error_precedes_the_server_checks() -> None:
    """RTCPeerConnection constructor step 5 precedes step 8 (set the configuration)."""
    with pytest.raises(SpecError) as caught:
        RTCPeerConnection({"certificates": [certificate(now=0)], "iceServers": [{"urls": "bogus"}]}, now=10**12)
    assert caught.value.name == "InvalidAccessError"


def test_setConfiguration_does_not_recheck_expiry() -> None:
    """set the configuration step 3.3.1 compares identity only; the constructor's step 5.1 is not repeated."""
    expiring = certificate(now=0)
    pc = RTCPeerConnection({"certificates": [expiring]}, now=0)
    pc.setConfiguration({"certificates": [expiring]})


# ---- generateCertificate -------------------------------------------------------------------------------


@pytest.mark.parametrize("algorithm", [ECDSA, RSA])
def test_generateCertificate_supports_the_two_required_algorithms(algorithm: dict[str, object]) -> None:
    """generateCertificate: ECDSA P-256 and RSASSA-PKCS1-v1_5 SHA-256 "MUST be supported"."""
    generated = RTCPeerConnection.generateCertificate(algorithm, now=1000)
    assert isinstance(generated, RTCCertificate)
    assert generated.expires == 1000 + 2_592_000_000  # step 2: 30 days by default; step 8.4: now + expires


def test_generateCertificate_caps_expires_at_365_days() -> None:
    """generateCertificate step 3.4: expires greater than 31536000000 becomes 31536000000."""
    generated = RTCPeerConnection.generateCertificate({**ECDSA, "expires": 10**12}, now=0)
    assert generated.expires == 31_536_000_000


@pytest.mark.parametrize("algorithm", [{"name": "ECDSA", "namedCurve": "P-384"}, {**RSA, "hash": "SHA-1"}])
def test_generateCertificate_rejects_an_algorithm_it_will_not_use_with_NotSupportedError(
    algorithm: dict[str, object],
) -> None:
    """generateCertificate: an algorithm the user agent cannot or will not use rejects NotSupportedError."""
    with pytest.raises(SpecError) as caught:
        RTCPeerConnection.generateCertificate(algorithm)
    assert (caught.value.name, caught.value.kind) == ("NotSupportedError", "reject")
    assert caught.value.spec.startswith("generateCertificate")


def test_generateCertificate_cites_step_6_for_an_algorithm_it_will_not_use() -> None:
    """generateCertificate step 6."""
    with pytest.raises(SpecError) as caught:
        RTCPeerConnection.generateCertificate({"name": "ECDSA", "namedCurve": "P-384"})
    assert caught.value.spec.startswith("generateCertificate step 6")
