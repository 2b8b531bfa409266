"""Smoke test of the browser oracles: ``python -m peerspec.oracle.implementations.smoke [--browser NAME] [--bench N]``.

Runs a handful of traces in headless Chromium and Firefox ESR (offline, 127.0.0.1 only) and prints every
observed step as one JSON line, tagged with the browser and the trace's index.  ``--bench N`` also times
one batch of N traces of 10 steps each (one round trip) and prints the throughput to stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from peerspec.oracle.implementations.browser import BrowserOracle, BrowserUnavailable
from peerspec.oracle.implementations.chromium import ChromiumOracle
from peerspec.oracle.implementations.firefox import FirefoxOracle
from peerspec.oracle.implementations.protocol import Trace

ORACLES: dict[str, type[BrowserOracle]] = {"chromium": ChromiumOracle, "firefox": FirefoxOracle}


def smoke_traces() -> list[Trace]:
    return [
        [
            {"op": "construct"},
            {"op": "getConfiguration"},
            {"op": "setConfiguration", "args": {"configuration": {"bundlePolicy": "max-bundle"}}},
            {"op": "setConfiguration", "args": {"configuration": {"iceServers": [{"urls": "stun:a.invalid"}]}}},
            {"op": "getConfiguration"},
            {"op": "close"},
            {"op": "setConfiguration", "args": {"configuration": {}}},
        ],
        [
            {
                "op": "generateCertificate",
                "args": {"name": "c1", "keygenAlgorithm": {"name": "ECDSA", "namedCurve": "P-256"}},
            },
            {"op": "construct", "args": {"configuration": {"certificates": [{"$certificate": "c1"}]}}},
            {"op": "getConfiguration"},
            {"op": "setConfiguration", "args": {"configuration": {"iceCandidatePoolSize": {"$js": "NaN"}}}},
        ],
        [
            {"op": "construct", "args": {"configuration": {"iceServers": [{"urls": "turn:a.invalid"}]}}},
            {"op": "close"},
        ],
        [
            {"op": "construct"},
            {"op": "createDataChannel", "args": {"label": "dc"}},
            {"op": "createOffer"},
            {"op": "createOffer", "args": {"options": {"iceRestart": True}}},
            {"op": "setLocalDescription"},
            {"op": "setRemoteDescription", "args": {"description": {"$remote": "answer"}}},
            {"op": "restartIce"},
            {"op": "createOffer"},
            {"op": "setRemoteDescription", "args": {"description": {"$remote": "offer"}}},
            {"op": "setRemoteDescription", "args": {"description": {"type": "offer", "sdp": {"$sdp": "last-offer"}}}},
            {"op": "close"},
            {"op": "createOffer"},
        ],
        [
            {"op": "construct", "args": {"configuration": {"iceCandidatePoolSize": 1}}},
            {"op": "setLocalDescription", "args": {"description": {"type": "bogus"}}},
            {"op": "noSuchOp"},
        ],
    ]


def bench_traces(n: int) -> list[Trace]:
    """n traces of 10 steps each, a mix of configuration and negotiation calls."""
    traces: list[Trace] = []
    for i in range(n):
        traces.append(
            [
                {"op": "construct", "args": {"configuration": {"bundlePolicy": "balanced"}}},
                {"op": "getConfiguration"},
                {"op": "setConfiguration", "args": {"configuration": {"iceCandidatePoolSize": i % 3}}},
                {"op": "setConfiguration", "args": {"configuration": {"bundlePolicy": "max-bundle"}}},
                {"op": "createDataChannel", "args": {"label": f"c{i}"}},
                {"op": "createOffer"},
                {"op": "setLocalDescription"},
                {"op": "getConfiguration"},
                {"op": "restartIce"},
                {"op": "close"},
            ]
        )
    return traces


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--browser", choices=sorted(ORACLES), action="append", help="default: both")
    parser.add_argument("--bench", type=int, default=0, metavar="N", help="also time N traces x 10 steps")
    args = parser.parse_args(argv)
    status = 0
    for name in args.browser or sorted(ORACLES):
        try:
            with ORACLES[name]() as oracle:
                print(f"# {name} {oracle.version}: started in {oracle.startup_seconds:.2f} s", file=sys.stderr)
                for i, trace in enumerate(oracle.run_traces(smoke_traces())):
                    for step in trace:
                        print(json.dumps({"browser": name, "trace": i, **step}), flush=True)
                if args.bench:
                    batch = bench_traces(args.bench)
                    began = time.monotonic()
                    observed = oracle.run_traces(batch)
                    seconds = time.monotonic() - began
                    steps = sum(len(t) for t in observed)
                    bad = sum(1 for t in observed for s in t if "ok" not in s.get("outcome", {}))
                    print(
                        f"# {name}: {len(observed)} traces, {steps} steps in {seconds:.2f} s = "
                        f"{steps / seconds:.0f} steps/s ({bad} steps without ok outcome)",
                        file=sys.stderr,
                    )
        except BrowserUnavailable as e:
            print(f"# {name}: unavailable: {e}", file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
