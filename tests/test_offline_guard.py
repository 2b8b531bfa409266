"""No spelling of a URL that a parser would clean up can carry a real host to an implementation: the network
guard (oracle/implementations/offline.py) and the strategies' reserved-host filter read every URL the way the
WHATWG parser does (leading C0 controls and spaces stripped, tabs and newlines dropped anywhere) and more
generously still, and refuse a string if any reading names a host outside `.invalid`."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peerspec.oracle.implementations.offline import UnsafeURL, ensure_offline, unsafe_urls
from peerspec.properties.hosts import hosts_named, whatwg_preprocessed
from peerspec.properties.strategies import names_a_reserved_host

REAL_HOSTS = ["192.0.2.1", "example.com", "[2001:db8::1]", "evil.example", "a.invalid.example.org"]
NOISE = st.sampled_from(["\t", "\n", "\r", " ", "\x00", "\x01", "\x1f", "\x7f"])


@st.composite
def spellings(draw: st.DrawFn, host: str) -> str:
    """A stun/turn URL naming `host`, written the many ways a parser reads as the same URL (or nearly)."""
    scheme = draw(st.sampled_from(["stun", "stuns", "turn", "turns", "STUN", "Turn"]))
    prefix = draw(st.sampled_from(["", "//", "/", "\\\\", "user@", "u:p@", "a.invalid\\@", "a.invalid/@"]))
    port = draw(st.sampled_from(["", ":3478", ":0", ":"]))
    query = draw(st.sampled_from(["", "?transport=udp", "?transport=tcp#x"]))
    text = f"{scheme}:{prefix}{host}{port}{query}"
    lead = "".join(draw(st.lists(st.sampled_from(["\x00", "\x01", "\x1f", " "]), max_size=3)))
    text = lead + text
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(["\t", "\n", "\r"])) + text[at:]
    return text


@pytest.mark.parametrize("text", ["\x01stun:192.0.2.1:3478", "st\tun:192.0.2.1:3478", "turn\n:192.0.2.1?transport=udp"])
def test_the_spellings_the_review_found_are_refused(text: str) -> None:
    with pytest.raises(UnsafeURL):
        ensure_offline({"op": "construct", "args": {"configuration": {"iceServers": [{"urls": text}]}}})
    assert not names_a_reserved_host(text)


@given(host=st.sampled_from(REAL_HOSTS), data=st.data())
def test_no_spelling_of_a_real_host_passes_the_guard_anywhere_in_a_step(host: str, data: st.DataObject) -> None:
    text = data.draw(spellings(host))
    where = data.draw(st.sampled_from(["urls", "label", "username"]))
    args = (
        {"configuration": {"iceServers": [{"urls": [text]}]}}
        if where == "urls"
        else {"label": text}
        if where == "label"
        else {"configuration": {"iceServers": [{"urls": "stun:a.invalid", "username": text}]}}
    )
    assert unsafe_urls({"op": "construct", "args": args}) == [text]
    assert not names_a_reserved_host(text)


@given(data=st.data())
def test_the_same_spellings_of_an_invalid_host_pass(data: st.DataObject) -> None:
    text = data.draw(spellings("turn.example.invalid")).replace("a.invalid\\@", "").replace("a.invalid/@", "")
    if any(ch in text[text.find(":") :] for ch in "\t\n\r"):  # noise inside the host reads as another host
        text = whatwg_preprocessed(text)
    ensure_offline({"op": "setConfiguration", "args": {"configuration": {"iceServers": [{"urls": text}]}}})
    assert names_a_reserved_host(text)


def test_a_host_hidden_behind_a_backslash_and_an_at_sign_is_found() -> None:
    assert "evil.example" in hosts_named("stun:a.invalid\\@evil.example")
    assert unsafe_urls({"op": "construct", "args": {"label": "stun:a.invalid\\@evil.example"}})
