"""Benchmark (not a test): microseconds of `new RTCPeerConnection(configuration)` and `setConfiguration` on the
model, against a plain dataclass connection doing the same bookkeeping in the same run.

    python benchmarks/configuration_cost.py [--number N]

The plain connection stores the same configuration as frozen dataclasses, with the defaults filled in, and on
setConfiguration compares the same unchangeable members (certificates, bundlePolicy, rtcpMuxPolicy, the
candidate pool size once setLocalDescription was called) before it replaces the stored one. What it leaves out is
what the spec asks for on top: WebIDL conversion (ToString, [EnforceRange], enums, member order), validate an ICE
server URL (the WHATWG URL parser, the TURN credential checks), the ICE agent settings and the lifecycle. The
ratio is the price of the spec's rules per call; json.loads of the same configuration is printed as a second
yardstick. Each figure is the best of 5 repeats of --number calls, in CPU time (time.process_time), so that
other work on a shared machine does not count.
"""

from __future__ import annotations

import argparse
import json
import time
import timeit
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from peerspec.model import RTCPeerConnection

TYPICAL_CONFIGURATION: dict[str, Any] = {
    "iceServers": [
        {"urls": ["stun:stun1.example.invalid", "stun:stun2.example.invalid:3478"]},
        {"urls": "turn:turn.example.invalid?transport=udp", "username": "user", "credential": "secret"},
    ],
    "iceTransportPolicy": "all",
    "bundlePolicy": "max-bundle",
    "iceCandidatePoolSize": 2,
}


@dataclass(frozen=True)
class PlainIceServer:
    urls: tuple[str, ...]
    username: str | None = None
    credential: str | None = None


@dataclass(frozen=True)
class PlainConfiguration:
    iceServers: tuple[PlainIceServer, ...] = ()
    iceTransportPolicy: str = "all"
    bundlePolicy: str = "balanced"
    rtcpMuxPolicy: str = "require"
    certificates: tuple[object, ...] = field(default=())
    iceCandidatePoolSize: int = 0


def plain_configuration(value: dict[str, Any]) -> PlainConfiguration:
    servers = tuple(
        PlainIceServer(
            tuple(server["urls"]) if isinstance(server["urls"], list) else (server["urls"],),
            server.get("username"),
            server.get("credential"),
        )
        for server in value.get("iceServers", ())
    )
    return PlainConfiguration(
        iceServers=servers,
        iceTransportPolicy=value.get("iceTransportPolicy", "all"),
        bundlePolicy=value.get("bundlePolicy", "balanced"),
        rtcpMuxPolicy=value.get("rtcpMuxPolicy", "require"),
        certificates=tuple(value.get("certificates", ())),
        iceCandidatePoolSize=int(value.get("iceCandidatePoolSize", 0)),
    )


class PlainConnection:
    """The same bookkeeping as the model's configuration, with none of the spec's conversion or validation."""

    def __init__(self, configuration: dict[str, Any]) -> None:
        self.sld_called = False
        self.configuration = plain_configuration(configuration)

    def setConfiguration(self, configuration: dict[str, Any]) -> None:
        new, old = plain_configuration(configuration), self.configuration
        if len(new.certificates) != len(old.certificates) or any(
            a is not b for a, b in zip(new.certificates, old.certificates, strict=True)
        ):
            raise ValueError("certificates changed")
        if new.bundlePolicy != old.bundlePolicy or new.rtcpMuxPolicy != old.rtcpMuxPolicy:
            raise ValueError("a fixed policy changed")
        if self.sld_called and new.iceCandidatePoolSize != old.iceCandidatePoolSize:
            raise ValueError("iceCandidatePoolSize changed")
        self.configuration = new


def microseconds(work: Callable[[], object], number: int) -> float:
    return min(timeit.repeat(work, number=number, repeat=5, timer=time.process_time)) / number * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--number", type=int, default=5_000, help="calls per repeat")
    arguments = parser.parse_args()
    number = arguments.number

    text = json.dumps(TYPICAL_CONFIGURATION)
    model = RTCPeerConnection(TYPICAL_CONFIGURATION)
    plain = PlainConnection(TYPICAL_CONFIGURATION)
    figures = {
        "json.loads of the configuration": (microseconds(lambda: json.loads(text), number), None),
        "construct": (
            microseconds(lambda: RTCPeerConnection(TYPICAL_CONFIGURATION), number),
            microseconds(lambda: PlainConnection(TYPICAL_CONFIGURATION), number),
        ),
        "setConfiguration": (
            microseconds(lambda: model.setConfiguration(TYPICAL_CONFIGURATION), number),
            microseconds(lambda: plain.setConfiguration(TYPICAL_CONFIGURATION), number),
        ),
    }
    json_us = figures["json.loads of the configuration"][0]
    print(f"best of 5 x {number} calls, one typical configuration (2 servers, 3 URLs, TURN credentials)")
    print(f"{'call':34} {'model us':>9} {'plain us':>9} {'model/plain':>12} {'model/json':>11}")
    for name, (model_us, plain_us) in figures.items():
        if plain_us is None:
            print(f"{name:34} {model_us:9.2f}")
            continue
        print(f"{name:34} {model_us:9.2f} {plain_us:9.2f} {model_us / plain_us:12.1f} {model_us / json_us:11.1f}")


if __name__ == "__main__":
    main()
