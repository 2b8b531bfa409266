"""Fast expansion of one Hypothesis example into many inputs: a seeded random.Random (its seed drawn by
Hypothesis, so a failure replays and shrinks) mutates the example's bytes or builds JSON values and strings from
pools of edge cases. Hypothesis chooses where to look; the expansion looks around there thousands of times a
second, which Hypothesis' own engine (about a millisecond an example) cannot."""

from __future__ import annotations

import json
import random
import sys

INTERESTING_BYTES = [
    b"\n", b"\r", b"\r\n", b"{", b"}", b"[", b"]", b'"', b"\\", b",", b":", b"$", b"\\u0024", b"\x00", b"\xff",
    b"\xc3", b"\xed\xa0\x80", b"\xe2\x80\xa8", b"1e999", b"-0", b"NaN", b"null", b"true", b'"$js"', b'"op"',
    b'"args"', b'"construct"', b'"outcome"', b'"after"', b"\\ud800", b"9" * 30,
]  # fmt: skip
NUMBERS: list[object] = [
    0, -0.0, 1, -1, 0.5, 255, 256, 2**31, 2**32, 2**53, 2**53 + 1, 2**64, 10**20, 10**309, -(10**309), 1e21,
    1e-7, 5e-324, 1.7976931348623157e308, 65535, 65536, 4294967295, -2147483648,
]  # fmt: skip
STRINGS = [
    "", " ", "0", "-0", "1.5", "0x10", "0b11", "0o7", " 12 ", "1e3", "Infinity", "-Infinity", "NaN", "null",
    "undefined", "all", "relay", "balanced", "max-bundle", "require", "offer", "answer", "stun:a.invalid",
    "turn:a.invalid", "\ud800", "\udfff", "\u2028", "\x1b[2J", "toString", "valueOf", "__proto__", "constructor",
]  # fmt: skip
KEYS = [
    "iceServers", "urls", "username", "credential", "iceTransportPolicy", "bundlePolicy", "rtcpMuxPolicy",
    "certificates", "iceCandidatePoolSize", "iceRestart", "type", "sdp", "name", "namedCurve", "hash",
    "modulusLength", "publicExponent", "expires", "toString", "valueOf", "__proto__", "constructor", "length",
    "0", "1", "", "$js", "$sdp",
]  # fmt: skip
TAGS: list[object] = [
    {"$js": "undefined"}, {"$js": "NaN"}, {"$js": "Infinity"}, {"$js": "-Infinity"}, {"$sdp": "last-offer"},
    {"$sdp": "last-answer"},
]  # fmt: skip


def json_value(rng: random.Random, depth: int = 3, *, tags: bool = False) -> object:
    """A random JSON value, weighted toward edge cases; with `tags`, trace tags among the leaves."""
    roll = rng.random()
    if depth > 0 and roll < 0.3:
        if rng.random() < 0.5:
            return [json_value(rng, depth - 1, tags=tags) for _ in range(rng.randrange(4))]
        return {rng.choice(KEYS): json_value(rng, depth - 1, tags=tags) for _ in range(rng.randrange(4))}
    roll = rng.random()
    if tags and roll < 0.1:
        return dict(rng.choice(TAGS))  # type: ignore[call-overload]
    if roll < 0.3:
        return rng.choice(NUMBERS)
    if roll < 0.4:
        return rng.uniform(-1e6, 1e6) if rng.random() < 0.5 else rng.randint(-(2**70), 2**70)
    if roll < 0.65:
        return rng.choice(STRINGS)
    if roll < 0.8:
        return text(rng, 6)
    return rng.choice([None, True, False])


def text(rng: random.Random, most: int) -> str:
    """A random string of code points from every plane, surrogates and the characters PRECIS singles out."""
    out = []
    for _ in range(rng.randrange(most + 1)):
        roll = rng.random()
        if roll < 0.4:
            out.append(chr(rng.randrange(0x20, 0x7F)))
        elif roll < 0.5:
            out.append(rng.choice("\u00a0\u3000\u200c\u200d\u0301\ufeff\u2028\x7f\uffff\u00e9\u212b\u1100\u0000\t"))
        elif roll < 0.55:
            out.append(chr(rng.randrange(0xD800, 0xE000)))
        elif roll < 0.8:
            out.append(chr(rng.randrange(0x80, 0x10000)))
        else:
            out.append(chr(rng.randrange(0x10000, sys.maxunicode + 1)))
    # As JSON.parse (and json.loads) would hold it: a high surrogate next to a low one is the pair they spell.
    return "".join(out).encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def mutate(rng: random.Random, data: bytes) -> bytes:
    """One to four byte-level mutations: insert, delete, replace, duplicate or swap lines, splice a JSON value."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        roll = rng.random()
        at = rng.randrange(len(out) + 1)
        if roll < 0.3:
            out[at:at] = rng.choice(INTERESTING_BYTES)
        elif roll < 0.45 and out:
            del out[at : at + rng.randint(1, 8)]
        elif roll < 0.6 and out:
            out[min(at, len(out) - 1)] = rng.randrange(256)
        elif roll < 0.8:
            lines = bytes(out).split(b"\n")
            if lines:
                i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
                if rng.random() < 0.5:
                    lines.insert(j, lines[i])
                else:
                    lines[i], lines[j] = lines[j], lines[i]
            out = bytearray(b"\n".join(lines))
        else:
            out[at:at] = json.dumps(json_value(rng, 2, tags=True)).encode()
    return bytes(out)
