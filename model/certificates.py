"""RTCCertificate and RTCPeerConnection.generateCertificate() (webrtc-pc §4.9 "Certificate Management").

The model is pure: a certificate's fingerprint comes from an explicit seed, and "the current time" is
the `now` the caller passes (milliseconds on the model's clock; see NOTES.md, "Time").
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from typing import ClassVar, Final

from peerspec.model.errors import NotSupportedError, TypeError_
from peerspec.model.js_values import (
    ABSENT,
    ORDINARY_TO_PRIMITIVE,
    UNDEFINED,
    JSValue,
    NoPrimitiveValue,
    is_object,
    to_number,
    to_string,
)

DEFAULT_EXPIRES_MS: Final = 2_592_000_000  # generateCertificate step 2: 30 days
MAX_EXPIRES_MS: Final = 31_536_000_000  # generateCertificate step 3.4: 365 days
MAX_SAFE_INTEGER: Final = 2**53 - 1


@dataclass(eq=False, frozen=True)
class RTCCertificate:
    """A certificate. Equality is identity, as for the ECMAScript objects the spec compares (§4.4.1.5 step 3.3.1)."""

    js_class: ClassVar[str] = "RTCCertificate"

    algorithm: str
    expires: int
    origin: str
    fingerprint: str = field(repr=False)


@dataclass(frozen=True)
class SupportedKeygenAlgorithm:
    name: str
    parameter: str
    value: str


# The two algorithms generateCertificate says every user agent MUST support.
REQUIRED_KEYGEN_ALGORITHMS: Final = (
    SupportedKeygenAlgorithm("ECDSA", "namedCurve", "P-256"),
    SupportedKeygenAlgorithm("RSASSA-PKCS1-v1_5", "hash", "SHA-256"),
)


def generate_certificate(keygen_algorithm: JSValue, *, now: int, origin: str, seed: int) -> RTCCertificate:
    """RTCPeerConnection.generateCertificate(keygenAlgorithm); errors are promise rejections."""
    spec = "generateCertificate"
    if keygen_algorithm is ABSENT:
        raise TypeError_(f"{spec}, WebIDL", "keygenAlgorithm is a required argument", kind="reject")
    # Step 2: expires defaults to 30 days.
    expires = DEFAULT_EXPIRES_MS
    if is_object(keygen_algorithm):
        # Step 3.1-3.2: convert to RTCCertificateExpiration; [EnforceRange] unsigned long long expires.
        raw = keygen_algorithm.get("expires", UNDEFINED) if isinstance(keygen_algorithm, dict) else UNDEFINED
        if raw is not UNDEFINED:
            try:
                number = to_number(raw)
            except NoPrimitiveValue as error:  # ToNumber's ToPrimitive found no primitive value: a TypeError
                raise TypeError_(ORDINARY_TO_PRIMITIVE, str(error), kind="reject") from None
            if math.isnan(number) or math.isinf(number):
                raise TypeError_(f"{spec} step 3.2", "expires is not a finite number", kind="reject")
            number = math.trunc(number)
            if not 0 <= number <= MAX_SAFE_INTEGER:
                raise TypeError_(f"{spec} step 3.2", "expires is out of range", kind="reject")
            # Step 3.3: expires = certificateExpiration.expires.
            expires = int(number)
    # Step 3.4: no longer than 365 days.
    expires = min(expires, MAX_EXPIRES_MS)
    # Steps 4-6: normalize the algorithm, then refuse what the user agent will not use.
    try:
        name, parameters = _normalize_algorithm(keygen_algorithm)
    except NoPrimitiveValue as error:  # a string member's conversion found no primitive value: a TypeError
        raise TypeError_(ORDINARY_TO_PRIMITIVE, str(error), kind="reject") from None
    for supported in REQUIRED_KEYGEN_ALGORITHMS:
        if name.lower() == supported.name.lower() and parameters.get(supported.parameter) == supported.value:
            digest = hashlib.sha256(f"{seed}:{origin}:{now}:{supported.name}".encode()).hexdigest()
            return RTCCertificate(supported.name, now + expires, origin, digest)
    raise NotSupportedError(
        f"{spec} step 6",
        f"the model's user agent does not generate certificates with {name!r}",
        kind="reject",
    )


def _normalize_algorithm(keygen_algorithm: JSValue) -> tuple[str, dict[str, str]]:
    """WebCrypto "normalize an algorithm", reduced to what generateCertificate needs (NOTES.md)."""
    spec = "generateCertificate step 5 (WebCrypto normalize an algorithm)"
    if not is_object(keygen_algorithm):
        return to_string(keygen_algorithm), {}
    if not isinstance(keygen_algorithm, dict):
        raise TypeError_(spec, "an Algorithm dictionary needs a name", kind="reject")
    name = keygen_algorithm.get("name", UNDEFINED)
    if name is UNDEFINED:
        raise TypeError_(spec, "an Algorithm dictionary needs a name", kind="reject")
    parameters = {  # a hash given as an object is read by its name below, not converted to a string
        key: to_string(value)
        for key, value in keygen_algorithm.items()
        if key in ("namedCurve", "hash") and value is not UNDEFINED and not (key == "hash" and is_object(value))
    }
    hash_value = keygen_algorithm.get("hash")
    if isinstance(hash_value, dict) and "name" in hash_value:
        parameters["hash"] = to_string(hash_value["name"])
    return to_string(name), parameters
