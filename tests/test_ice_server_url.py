"""The "validate an ICE server URL" algorithm (webrtc-pc §4.4.1.5, ED with PRs #2853, #2996, #2998, #3050)
and the server loop of "set the configuration" (steps 4-6) that runs it.

Within one URL the checks run in order: step 2 (SyntaxError), step 3 (NotSupportedError), step 5
(SyntaxError, host and port), step 6 (SyntaxError, query), step 7 (InvalidAccessError). Across servers and
URLs, loop order decides: the first URL that fails in any way raises.
"""

from __future__ import annotations

import pytest

from peerspec.model import SPEC_PROFILE, Profile, RTCPeerConnection, SpecError

VALIDATE = "validate an ICE server URL"
STUN_AND_TURN_ONLY = SPEC_PROFILE.but(implemented_schemes=frozenset({"stun", "turn"}))
TURN_LOGIN = {"username": "user", "credential": "secret"}


def error_for(server: dict[str, object], profile: Profile = SPEC_PROFILE) -> SpecError:
    with pytest.raises(SpecError) as caught:
        RTCPeerConnection({"iceServers": [server]}, profile=profile)
    assert caught.value.kind == "throw"
    return caught.value


def assert_fails(url: str, name: str, step: str, profile: Profile = SPEC_PROFILE) -> None:
    error = error_for({"urls": url, **TURN_LOGIN}, profile)
    assert error.name == name
    assert error.spec.startswith(f"{VALIDATE} step {step}")


def assert_valid(url: str, profile: Profile = SPEC_PROFILE) -> None:
    pc = RTCPeerConnection({"iceServers": [{"urls": url, **TURN_LOGIN}]}, profile=profile)
    assert pc.getConfiguration()["iceServers"][0]["urls"] == [url]  # type: ignore[index]


# ---- step 2: the SyntaxErrors of the parsed URL ---------------------------------------------------------


@pytest.mark.parametrize("url", ["", "relative-url", "stun", ":example.net", "1stun:example.net"])
def test_a_url_that_does_not_parse_is_a_SyntaxError(url: str) -> None:
    """validate an ICE server URL step 2: "parsedURL is failure"."""
    assert_fails(url, "SyntaxError", "2")


@pytest.mark.parametrize("url", ["http://example.net", "https://example.net", "stunx:example.net", "ice:example.net"])
def test_a_scheme_other_than_stun_stuns_turn_turns_is_a_SyntaxError(url: str) -> None:
    """validate an ICE server URL step 2: the scheme is neither "stun", "stuns", "turn", nor "turns"."""
    assert_fails(url, "SyntaxError", "2")


def test_scheme_comparison_follows_the_URL_parser_which_lowercases_it() -> None:
    """validate an ICE server URL step 1: the basic URL parser lowercases the scheme, so STUN: is stun:."""
    assert_valid("STUN:example.net")


@pytest.mark.parametrize("url", ["stun://example.net", "turn://example.net", "stun:/example.net", "stun:///x"])
def test_a_url_without_an_opaque_path_is_a_SyntaxError(url: str) -> None:
    """validate an ICE server URL step 2: "parsedURL does not have an opaque path"."""
    assert_fails(url, "SyntaxError", "2")


@pytest.mark.parametrize(
    "url", ["stun:example.net/", "stun:example.net/x", "turn:user@example.net", "stun:@example.net"]
)
def test_a_slash_or_at_sign_in_the_opaque_path_is_a_SyntaxError(url: str) -> None:
    """validate an ICE server URL step 2: the opaque path "contains one or more "/" or "@""."""
    assert_fails(url, "SyntaxError", "2")


@pytest.mark.parametrize("url", ["stun:example.net#", "stun:example.net#x", "turn:example.net?transport=udp#x"])
def test_a_fragment_even_an_empty_one_is_a_SyntaxError(url: str) -> None:
    """validate an ICE server URL step 2: "parsedURL's fragment is non-null"."""
    assert_fails(url, "SyntaxError", "2")


@pytest.mark.parametrize("url", ["stun:example.net?", "stun:example.net?transport=udp", "stuns:example.net?x"])
def test_a_stun_url_with_any_query_even_an_empty_one_is_a_SyntaxError(url: str) -> None:
    """validate an ICE server URL step 2: scheme "stun" or "stuns" and "parsedURL's query is non-null"."""
    assert_fails(url, "SyntaxError", "2")


# ---- step 3: NotSupportedError ------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["stuns:example.net", "turns:example.net", "turns:example.net?transport=tcp"])
def test_a_scheme_the_user_agent_does_not_implement_is_NotSupportedError(url: str) -> None:
    """validate an ICE server URL step 3: "If parsedURL's scheme is not implemented by the user agent"."""
    assert_fails(url, "NotSupportedError", "3", STUN_AND_TURN_ONLY)


@pytest.mark.parametrize("url", ["stuns://example.net", "stuns:example.net?x", "turns:a/b.invalid", "stuns:x#"])
def test_a_SyntaxError_of_step_2_beats_NotSupportedError(url: str) -> None:
    """validate an ICE server URL steps 2-3: the SyntaxError checks come first."""
    assert_fails(url, "SyntaxError", "2", STUN_AND_TURN_ONLY)


@pytest.mark.parametrize("url", ["stuns:a b.invalid", "turns:example.net:65536", "turns:example.net?transport=x"])
def test_NotSupportedError_beats_the_SyntaxErrors_of_steps_5_and_6(url: str) -> None:
    """validate an ICE server URL step 3 precedes the host-and-port (5) and query (6) checks."""
    assert_fails(url, "NotSupportedError", "3", STUN_AND_TURN_ONLY)


def test_NotSupportedError_beats_the_missing_TURN_credentials_of_step_7() -> None:
    """validate an ICE server URL step 3 precedes step 7."""
    error = error_for({"urls": "turns:example.net"}, STUN_AND_TURN_ONLY)
    assert error.name == "NotSupportedError"


def test_the_spec_profile_implements_all_four_schemes() -> None:
    """validate an ICE server URL step 3: the default profile implements stun, stuns, turn and turns."""
    for url in ["stun:example.net", "stuns:example.net", "turn:example.net", "turns:example.net"]:
        assert_valid(url)


# ---- steps 4-5: host and port -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "stun:",  # empty host
        "turn:",
        "stun::3478",  # empty host, port only
        "stun:example.net:65536",
        "stun:example.net:port",
        "stun:example.net:-1",
        "stun:a b.invalid",
        "stun:a<b.invalid",
        "stun:[::1",
        "stun:example.net:3478:1",
    ],
)
def test_a_path_that_is_not_a_host_and_optional_port_is_a_SyntaxError(url: str) -> None:
    """validate an ICE server URL step 5: parsing "https://" + path fails."""
    assert_fails(url, "SyntaxError", "5")


def test_a_backslash_makes_a_path_after_the_host_which_is_a_SyntaxError() -> None:
    """validate an ICE server URL step 5: "https://a\\b" has host "a" and path "/b", which is not allowed."""
    assert_fails("stun:a\\b.invalid", "SyntaxError", "5")


@pytest.mark.parametrize(
    "url",
    ["stun:example.net:", "stun:example.net:0", "stun:example.net:65535", "stun:[2001:db8::1]:3478", "turn:192.0.2.1"],
)
def test_a_host_with_an_optional_possibly_empty_port_is_valid(url: str) -> None:
    """validate an ICE server URL step 5 (RFC 7064/7065 §3.1, host [":" port]); WHATWG accepts an empty port."""
    assert_valid(url)


# ---- step 6: the query --------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["turn:example.net?transport=udp", "turns:example.net:5349?transport=tcp"])
def test_a_turn_query_of_exactly_transport_udp_or_tcp_is_valid(url: str) -> None:
    """validate an ICE server URL step 6: the query may be exactly "transport=udp" or "transport=tcp"."""
    assert_valid(url)


@pytest.mark.parametrize(
    "url",
    [
        "turn:example.net?",
        "turn:example.net?transport=UDP",
        "turn:example.net?&transport=udp",
        "turn:example.net?transport=udp&",
        "turn:example.net?transport=sctp",
        "turn:example.net?transport=udp&transport=tcp",
        "turns:example.net?x=y",
    ],
)
def test_any_other_turn_query_is_a_SyntaxError(url: str) -> None:
    """validate an ICE server URL step 6: any other non-null query is a plain-string mismatch (PR #2996)."""
    assert_fails(url, "SyntaxError", "6")


def test_a_bad_host_is_reported_before_a_bad_query() -> None:
    """validate an ICE server URL step 5 precedes step 6."""
    assert_fails("turn:a b.invalid?transport=x", "SyntaxError", "5")


# ---- step 7: TURN username and credential ---------------------------------------------------------------


@pytest.mark.parametrize(
    "server",
    [
        {"urls": "turn:example.net"},
        {"urls": "turn:example.net", "username": "user"},
        {"urls": "turn:example.net", "credential": "secret"},
        {"urls": "turns:example.net"},
        {"urls": "turns:example.net", "username": "user"},
        {"urls": "turns:example.net", "credential": "secret"},
    ],
)
def test_a_TURN_server_without_username_or_credential_is_InvalidAccessError(server: dict[str, object]) -> None:
    """validate an ICE server URL step 7: either server.username or server.credential is missing."""
    error = error_for(server)
    assert error.name == "InvalidAccessError"
    assert error.spec.startswith(f"{VALIDATE} step 7")


@pytest.mark.parametrize("url", ["turn:example.net", "turns:example.net"])
def test_an_empty_TURN_credential_is_InvalidAccessError(url: str) -> None:
    """validate an ICE server URL step 7, RFC 8265 §4.1: a password is one or more code points, so "" does not
    conform (WPT: "with a turn server and an empty credential" throws InvalidAccessError)."""
    error = error_for({"urls": url, "username": "user", "credential": ""})
    assert error.name == "InvalidAccessError"
    assert error.spec.startswith(f"{VALIDATE} step 7")


@pytest.mark.parametrize("url", ["turn:example.net", "turns:example.net"])
def test_an_empty_TURN_username_is_accepted(url: str) -> None:
    """validate an ICE server URL step 7 checks the username against RFC 8489 §14.3 only, which sets no lower
    bound (the one-or-more rule of RFC 8265 §4.1 is for the credential)."""
    pc = RTCPeerConnection({"iceServers": [{"urls": url, "username": "", "credential": "c"}]})
    assert pc.getConfiguration()["iceServers"] == [{"urls": [url], "username": "", "credential": "c"}]


def test_a_STUN_server_needs_no_username_or_credential() -> None:
    """validate an ICE server URL step 7 applies only to "turn" and "turns"."""
    assert RTCPeerConnection({"iceServers": [{"urls": "stun:example.net"}]}).getConfiguration()["iceServers"]


def test_a_TURN_username_of_508_UTF8_bytes_is_accepted() -> None:
    """validate an ICE server URL step 7, RFC 8489 §14.3: "fewer than 509 bytes"."""
    RTCPeerConnection({"iceServers": [{"urls": "turn:example.net", "username": "é" * 254, "credential": "c"}]})


@pytest.mark.parametrize("username", ["x" * 509, "é" * 255, "€" * 170])
def test_a_TURN_username_over_508_UTF8_bytes_is_InvalidAccessError(username: str) -> None:
    """validate an ICE server URL step 7, RFC 8489 §14.3: the UTF-8 username has fewer than 509 bytes."""
    error = error_for({"urls": "turn:example.net", "username": username, "credential": "c"})
    assert error.name == "InvalidAccessError"
    assert error.spec.startswith(f"{VALIDATE} step 7")


@pytest.mark.parametrize(
    ("username", "credential"), [("a\x01b", "c"), ("user\n", "c"), ("user", "pass\x7f"), ("user", "\x00")]
)
def test_a_control_character_in_username_or_credential_is_InvalidAccessError(username: str, credential: str) -> None:
    """validate an ICE server URL step 7: RFC 8265 OpaqueString (FreeformClass) disallows control characters."""
    error = error_for({"urls": "turn:example.net", "username": username, "credential": credential})
    assert error.name == "InvalidAccessError"
    assert error.spec.startswith(f"{VALIDATE} step 7")


@pytest.mark.parametrize(
    "text",
    [
        "a\u200bb",  # ZERO WIDTH SPACE: default-ignorable (RFC 8264 §9.13)
        "\ue000",  # private use (§9.12 Other)
        "line\u2028break",  # LINE SEPARATOR, Zl (§9.14 Spaces does not take it; Other)
        "\u200d",  # ZERO WIDTH JOINER with nothing to join: CONTEXTJ fails (§9.8)
        "\u115f",  # HANGUL CHOSEONG FILLER, old Hangul jamo (§9.9)
        "\ufdd0",  # a noncharacter (§9.12)
    ],
)
@pytest.mark.parametrize("member", ["username", "credential"])
def test_a_code_point_the_FreeformClass_disallows_is_InvalidAccessError(member: str, text: str) -> None:
    """validate an ICE server URL step 7: RFC 8265 OpaqueString is built on the PRECIS FreeformClass, and
    RFC 8264 §9 disallows more than controls: default-ignorable, private use, line and paragraph separators,
    a joiner outside its context, old Hangul jamo, noncharacters."""
    server: dict[str, object] = {"urls": "turn:example.net", "username": "u", "credential": "c", member: text}
    error = error_for(server)
    assert error.name == "InvalidAccessError"
    assert error.spec.startswith(f"{VALIDATE} step 7")


@pytest.mark.parametrize(
    "text", ["\u00e9l\u00e8ve", "\u4f60\u597d", "pass\u00a0word", "\u0915\u094d\u200d", "\U0001f600"]
)
def test_ordinary_non_ASCII_conforms_to_OpaqueString(text: str) -> None:
    """validate an ICE server URL step 7: letters, symbols, a non-ASCII space (mapped to ASCII space) and a
    joiner after a virama (its CONTEXTJ rule, RFC 5892 A.2) are all FreeformClass-valid."""
    RTCPeerConnection({"iceServers": [{"urls": "turn:example.net", "username": text, "credential": text}]})


@pytest.mark.parametrize("member", ["username", "credential"])
def test_a_lone_surrogate_is_checked_as_U_FFFD(member: str) -> None:
    """validate an ICE server URL step 7 checks the UTF-8 representations; username and credential are
    DOMStrings (lone surrogates survive conversion), and UTF-8 encoding a string reads each lone surrogate as
    U+FFFD, a FreeformClass symbol. getConfiguration still returns the string as given."""
    server = {"urls": "turn:example.net", "username": "u", "credential": "c", member: "a\ud800"}
    pc = RTCPeerConnection({"iceServers": [server]})
    assert pc.getConfiguration()["iceServers"] == [{**server, "urls": ["turn:example.net"]}]


def test_a_lone_surrogate_counts_as_the_three_bytes_of_U_FFFD() -> None:
    """validate an ICE server URL step 7, RFC 8489 §14.3: 505 ASCII bytes and one lone surrogate (U+FFFD, 3
    bytes in UTF-8) make 508, the most a username may have; one more ASCII character is too many."""
    RTCPeerConnection(
        {"iceServers": [{"urls": "turn:example.net", "username": "x" * 505 + "\udc00", "credential": "c"}]}
    )
    error = error_for({"urls": "turn:example.net", "username": "x" * 506 + "\udc00", "credential": "c"})
    assert error.name == "InvalidAccessError"


def test_without_the_credential_syntax_check_only_presence_is_required() -> None:
    """validate an ICE server URL step 7 before PR #3050 (profile check_turn_credential_syntax=False)."""
    lenient = SPEC_PROFILE.but(check_turn_credential_syntax=False)
    server = {"urls": "turn:example.net", "username": "x" * 600 + "\x01", "credential": "\x00"}
    RTCPeerConnection({"iceServers": [server]}, profile=lenient)
    assert error_for({"urls": "turn:example.net", "username": "u"}, lenient).name == "InvalidAccessError"


@pytest.mark.parametrize("url", ["stun:example.org\\", "stun:example.org:3478\\", "turn:example.org\\?transport=udp"])
def test_a_backslash_after_the_host_is_a_SyntaxError(url: str) -> None:
    """validate an ICE server URL step 5: the opaque path keeps the backslash, and in "https://" + path it ends
    the host and reads as "/", a path beyond the host (newer WPT: "stun:example.org\\" is a SyntaxError)."""
    error = error_for({"urls": url, "username": "u", "credential": "c"})
    assert error.name == "SyntaxError"
    assert error.spec.startswith(f"{VALIDATE} step 5")


def test_a_bad_query_is_reported_before_missing_credentials() -> None:
    """validate an ICE server URL step 6 precedes step 7."""
    error = error_for({"urls": "turn:example.net?transport=x"})
    assert (error.name, error.spec.startswith(f"{VALIDATE} step 6")) == ("SyntaxError", True)


# ---- set the configuration steps 4-6: the loop over servers and urls -----------------------------------


def test_an_empty_urls_list_is_a_SyntaxError() -> None:
    """set the configuration step 6.3: "If urls is empty, throw a SyntaxError" (PR #1978)."""
    error = error_for({"urls": []})
    assert error.name == "SyntaxError"
    assert error.spec.startswith("set the configuration step 6.3")


def test_the_first_failing_url_in_loop_order_decides_across_servers() -> None:
    """set the configuration step 6: servers in order, so the first server's InvalidAccessError wins."""
    with pytest.raises(SpecError) as caught:
        RTCPeerConnection({"iceServers": [{"urls": "turn:a.invalid"}, {"urls": "bogus"}]})
    assert caught.value.name == "InvalidAccessError"
    assert caught.value.spec.startswith(f"{VALIDATE} step 7")


def test_the_first_failing_url_in_loop_order_decides_within_a_server() -> None:
    """set the configuration step 6.4: each url of a server in order."""
    with pytest.raises(SpecError) as caught:
        RTCPeerConnection({"iceServers": [{"urls": ["stun:a.invalid", "turn:b.invalid", "http://c.invalid"]}]})
    assert caught.value.name == "InvalidAccessError"


def test_an_empty_urls_list_fails_only_when_the_loop_reaches_it() -> None:
    """set the configuration step 6: a SyntaxError in server 1 precedes the empty urls of server 2."""
    with pytest.raises(SpecError) as caught:
        RTCPeerConnection({"iceServers": [{"urls": "stun:a b.invalid"}, {"urls": []}]})
    assert caught.value.spec.startswith(f"{VALIDATE} step 5")


def test_servers_beyond_the_limit_are_neither_validated_nor_given_to_the_ICE_agent() -> None:
    """set the configuration step 5: truncate iceServers to the limit (here 32), then validate (step 6)."""
    assert SPEC_PROFILE.max_ice_servers == 32
    servers = [{"urls": f"stun:s{index}.example.net"} for index in range(32)] + [{"urls": "bogus"}]
    pc = RTCPeerConnection({"iceServers": servers})
    assert len(pc.ice_agent.ice_servers) == 32
    # Step 10 stores the untruncated configuration, so getConfiguration() still returns all 33.
    returned = pc.getConfiguration()["iceServers"]
    assert isinstance(returned, list)
    assert len(returned) == 33
    assert returned[32] == {"urls": ["bogus"]}


def test_the_32nd_server_is_still_validated() -> None:
    """set the configuration steps 5-6: the limit is at least 32, so server 32 is inside it."""
    servers = [{"urls": f"stun:s{index}.example.net"} for index in range(31)] + [{"urls": "bogus"}]
    with pytest.raises(SpecError) as caught:
        RTCPeerConnection({"iceServers": servers})
    assert caught.value.name == "SyntaxError"


def test_a_larger_implementation_limit_validates_more_servers() -> None:
    """RTCConfiguration.iceServers: the limit is implementation-defined, "at least 32"."""
    servers = [{"urls": f"stun:s{index}.example.net"} for index in range(32)] + [{"urls": "bogus"}]
    with pytest.raises(SpecError):
        RTCPeerConnection({"iceServers": servers}, profile=SPEC_PROFILE.but(max_ice_servers=33))


# ---- WPT webrtc/RTCConfiguration-iceServers.html, URL lists ----------------------------------------------
#
# The rows of WPT's validUrls / invalidUrls, each with the outcome the ED's algorithm gives (None = valid,
# else the step of the SyntaxError). Rows are adapted so that every DNS name is under .invalid or is
# example.net; the character-level feature each row tests is kept. IP literals stay as they are.
# Rows marked "WPT disagrees" follow the spec text, not WPT.

WPT_URLS: list[tuple[str, str | None]] = [
    # validUrls
    ("stun:example\t.\nnet", None),  # tab and newline are removed by the URL parser
    ("stun:ex%61mple.net", None),
    ("stun:[2001:db8::1]", None),
    ("stun:example(&!$)*+-.;_=~☺org.invalid", None),
    ("stun:example.net:", None),
    ("stun:example.net:0000000000000000", None),
    ("stun:example.net:65535", None),
    ("stun:example.net:\n", None),
    ("stun:GOO\u200b\u2060\ufeffgoo.invalid", None),
    ("\u0000\u001b\u0004\u0012 stun:example.net\u001f \u000d ", None),  # leading/trailing C0 and space stripped
    ("stun:www.foo。bar.invalid", None),
    ("stun:Ｇｏ.invalid", None),  # noqa: RUF001 - fullwidth on purpose
    ("stun:你好你好.invalid", None),
    ("stun:faß.ExAmPlE.nEt", None),
    ("stun:%30%78%63%30%2e%30%32%35%30.01", None),
    ("stun:%30%78%63%30%2e%30%32%35%30.01%2e", None),
    ("stun:０Ｘｃ０．０２５０．０１", None),  # noqa: RUF001 - fullwidth on purpose
    ("stun:.", None),
    ("stun:ho\u0009st.invalid", None),
    ("stun:!\"$&'()*+,-.;=_`{}~.invalid", None),
    # WPT disagrees (lists it as valid): the opaque path keeps the C0 controls percent-encoded, and the
    # https host parser of step 4 rejects them (forbidden domain code points), so step 5 throws.
    (
        "stun:\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000b\u000c\u000e\u000f\u0010\u0011\u0012\u0013"
        "\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f\u007f!\"$%&'()*+,-.;=_`{}~",
        "5",
    ),
    ("stun:h\to\ns\rt.invalid:9\t0\n0\r0", None),
    ("stun:1.2.3.4.", None),
    ("stun:192.168.257", None),
    # WPT disagrees (lists it as valid): it has no "stun:" scheme, so the parser fails on it (step 2).
    ("192.168.257.invalid", "2"),
    ("stun:256", None),
    ("stun:256.invalid", None),
    ("stun:999999999", None),
    ("stun:0xffffffff", None),
    # WPT disagrees: "Spec say the following are valid, but that sounds like a bug". Since PR #2998 the
    # spec agrees with WPT's doubt: '/' or '@' in the opaque path, or no opaque path, is a SyntaxError.
    ("stun:example.net/foo", "2"),
    ("stun:/example.net", "2"),
    ("stun:user@example.net", "2"),
    ("stun:@example.net", "2"),
    # invalidUrls
    ("stun:example.net:65536", "5"),
    ("stun:example.net:b", "5"),
    # WPT disagrees (lists it as invalid): the URL parser strips trailing spaces, leaving "stun:example.net:".
    ("stun:example.net: ", None),
    ("stun:example.net: 21 ", "5"),
    ("stun:example.net:-21", "5"),
    ("stun:example.net#foo", "2"),
    ("stun:[61:24:74]:98", "5"),
    ("stun:[::127.0.0.1.]", "5"),
    # WPT disagrees (lists it as invalid): the IPv4 parser reads 192.0x00A80001 as 192.168.0.1
    # (URL Standard, urltestdata "http://192.0x00A80001").
    ("stun:192.0x00A80001", None),
    ("stun:GOO\u00a0\u3000goo.invalid", "5"),
    ("stun:\ufdd0zyx.invalid", "5"),
    ("stun:%ef%b7%90zyx.invalid", "5"),
    ("stun:\ufffd", "5"),
    ("stun:%EF%BF%BD", "5"),
    # WPT disagrees (lists them as invalid): since whatwg/url#914 (tests: wpt#60476, 2026) domain to ASCII
    # lowercases an all-ASCII domain whose UTS #46 ToASCII fails, so an invalid xn-- label parses.
    ("stun:a.b.c.xn--pokxncvks.invalid", None),
    ("stun:a.b.c.XN--pokxncvks.invalid", None),
    ("stun:a.b.c.Xn--pokxncvks.invalid", None),
    ("stun:10.0.0.XN--pokxncvks.invalid", None),
    ("stun:10.0.0.xN--pokxncvks.invalid", None),
    ("stun:％４１.invalid", "5"),  # noqa: RUF001 - fullwidth on purpose
    ("stun:％００.invalid", "5"),  # noqa: RUF001 - fullwidth on purpose
    ("stun:%ef%bc%85%ef%bc%90%ef%bc%90.invalid", "5"),
    ("stun:%zz%66%a.invalid", "5"),
    ("stun:%25", "5"),
    ("stun:hello%00.invalid", "5"),
    ("stun:192.168.0.257", "5"),
    ("stun:%3g%78%63%30%2e%30%32%35%30%2E.01", "5"),
    ("stun:192.168.0.1 hello", "5"),
    ("stun:x x.invalid:12", "5"),
    ("stun:[example.net]", "5"),
    ("stun:[::1.2.3.4x]", "5"),
    ("stun:[::1.2.3.]", "5"),
    ("stun:[::1.2.]", "5"),
    ("stun:[::.1.2]", "5"),
    ("stun:[::1.]", "5"),
    ("stun:[::.1]", "5"),
    ("stun:[::%31]", "5"),
    ("stun:%5B::1]", "5"),
    ("stun:a\u0000b.invalid", "5"),
    ("stun:a<b.invalid", "5"),
    ("stun:a[b.invalid", "5"),
    ("stun:a\\b.invalid", "5"),
    ("stun:a^b.invalid", "5"),
    ("stun:ho%00st.invalid", "5"),
    ("stun:example.invalid%80", "5"),
    ("stun:10000000000", "5"),
    ("stun:0xffffffff1", "5"),
    ("stun:256.256.256.256", "5"),
    # The other WPT cases of the same file.
    ("", "2"),
    ("relative-url", "2"),
    ("http://example.net", "2"),
    ("turn://example.net/foo?x=y", "2"),
    ("stun://example.net/foo?x=y", "2"),
]


def url_id(url: str) -> str:
    """A test id that names the URL in printable ASCII, every other code point (and the backslash) as U+XXXX, so
    that the id can be passed back to pytest on a command line (mutmut selects tests by id)."""
    return "".join(c if " " <= c <= "~" and c != "\\" else f"U+{ord(c):04X}" for c in url)


@pytest.mark.parametrize(("url", "step"), WPT_URLS, ids=[url_id(url) for url, _ in WPT_URLS])
def test_the_WPT_iceServers_url_cases_have_the_outcome_the_algorithm_gives(url: str, step: str | None) -> None:
    """validate an ICE server URL steps 1-6, on the url lists of WPT RTCConfiguration-iceServers.html."""
    if step is None:
        RTCPeerConnection({"iceServers": [{"urls": [url]}]})
    else:
        assert_fails(url, "SyntaxError", step)


def test_an_empty_string_among_valid_urls_is_a_SyntaxError() -> None:
    """validate an ICE server URL step 2 on the second url (WPT: ["stun:stun1.example.net", ""])."""
    error = error_for({"urls": ["stun:stun1.example.net", ""]})
    assert error.name == "SyntaxError"


def test_with_username_and_credential_both_empty_the_credential_fails() -> None:
    """validate an ICE server URL step 7: with both empty, the credential is the one that fails."""
    error = error_for({"urls": "turn:example.invalid", "username": "", "credential": ""})
    assert error.name == "InvalidAccessError" and "credential" in error.message
