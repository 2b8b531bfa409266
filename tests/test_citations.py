"""Every section peerspec cites exists: the "§N" citations in NOTES.md, conformance/deviations*.json and model/
are checked against the tables of contents of the documents they cite.

A citation belongs to the document named last before it in the same text (a JSON string, a NOTES.md paragraph,
a docstring or comment): "JSEP"/"RFC 9429", "RFC NNNN", "ES2024", "WebIDL", "webrtc-pc"; with none named, webrtc-pc.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Final

ROOT: Final = Path(__file__).resolve().parent.parent

# webrtc-pc Editor's Draft at commit 1a2dfb47 (model.SPEC_COMMIT): the numbers ReSpec gives the <section>s of
# webrtc.html (Conformance is 2; the abstract, status and appendices are unnumbered). Read off the source at
# that commit; the ED numbers differ from the 2025 Recommendation's since commit 8a9fdfc7 removed 4.4.1.4
# "Update the ICE gathering state" (so "set a session description" is 4.4.1.4, "set the configuration" 4.4.1.5).
_WEBRTC_PC_NUMBERS: Final = """
    1 2 3 4 4.1 4.2 4.2.1 4.2.1.1 4.2.2 4.2.2.1 4.2.3 4.2.4 4.2.5 4.2.6 4.2.6.1 4.2.6.2 4.3 4.3.1 4.3.2 4.3.3
    4.3.4 4.4 4.4.1 4.4.1.1 4.4.1.2 4.4.1.3 4.4.1.4 4.4.1.5 4.4.2 4.4.2.1 4.4.2.2 4.4.3 4.4.3.1 4.4.3.1.1
    4.4.3.1.1.1 4.4.3.1.1.1.1 4.4.3.1.1.2 4.4.3.1.1.2.1 4.4.3.2 4.4.3.2.1 4.4.4 4.5 4.5.1 4.6 4.6.1 4.6.2
    4.6.2.1 4.6.2.2 4.6.2.3 4.6.2.4 4.6.2.5 4.7 4.7.1 4.7.2 4.7.3 4.8 4.8.1 4.8.1.1 4.8.1.2 4.8.1.3 4.8.1.4
    4.8.1.5 4.8.1.6 4.8.1.7 4.8.1.8 4.8.1.9 4.8.1.10 4.8.2 4.8.2.1 4.8.2.2 4.8.2.3 4.8.3 4.8.3.1 4.8.3.2
    4.8.3.3 4.9 4.9.1 4.9.2 4.9.3 4.9.3.1 4.9.3.2 5 5.1 5.1.1 5.1.2 5.1.3 5.1.4 5.2 5.2.1 5.2.2 5.2.3 5.2.3.1
    5.2.4 5.2.4.1 5.2.5 5.2.6 5.2.6.1 5.2.7 5.2.7.1 5.2.8 5.2.8.1 5.2.9 5.2.9.1 5.2.10 5.2.10.1 5.2.11 5.2.11.1
    5.2.12 5.2.12.1 5.2.13 5.2.13.1 5.2.14 5.2.14.1 5.3 5.3.1 5.3.2 5.3.3 5.4 5.4.1 5.4.2 5.4.3 5.4.3.1 5.4.4
    5.5 5.5.1 5.5.2 5.5.3 5.5.3.1 5.6 5.6.1 5.6.2 5.6.3 5.6.3.1 5.6.4 5.6.4.1 5.6.5 5.6.6 5.6.7 5.6.8 5.7 5.7.1
    5.7.2 5.7.3 6 6.1 6.1.1 6.1.2 6.1.3 6.1.3.1 6.1.3.2 6.1.3.3 6.1.3.4 6.1.4 6.2 6.2.1 6.2.2 6.2.3 6.2.4 6.2.5
    6.2.6 6.2.7 6.2.8 6.2.9 6.2.10 6.2.11 6.3 6.3.1 6.3.2 6.3.3 6.4 7 7.1 7.1.1 7.2 7.2.1 7.2.2 7.3 7.4 7.4.1
    7.4.2 7.4.3 8 8.1 8.2 8.2.1 8.3 8.4 8.4.1 8.5 8.6 8.7 9 9.1 9.2 9.2.1 9.3 9.3.1 10 10.1 10.2 10.3 10.4 10.5
    10.6 10.7 11 11.1 11.1.1 11.1.2 11.2 11.3 11.3.1 11.3.2 11.4 11.4.1 12 13 13.1 13.2 13.3 13.4 13.5 13.6 14
    """

# JSEP, RFC 9429: the numbered sections of its source (rtcweb-wg/jsep, draft-ietf-rtcweb-jsep.xml, the
# rfc8829bis draft that became RFC 9429), in order. Rollback is 4.1.10.2; processing a rollback is 5.7.
_JSEP_NUMBERS: Final = """
    1 1.1 1.2 1.3 2 3 3.1 3.2 3.3 3.4 3.4.1 3.4.2 3.4.3 3.5 3.5.1 3.5.2 3.5.2.1 3.5.3 3.5.4 3.5.5 3.6 3.6.1
    3.6.2 3.7 3.8 3.8.1 3.8.2 4 4.1 4.1.1 4.1.2 4.1.3 4.1.4 4.1.5 4.1.6 4.1.7 4.1.8 4.1.9 4.1.10 4.1.10.1
    4.1.10.2 4.1.11 4.1.12 4.1.13 4.1.14 4.1.15 4.1.16 4.1.17 4.1.18 4.1.19 4.1.20 4.2 4.2.1 4.2.2 4.2.3
    4.2.4 4.2.5 4.2.6 5 5.1 5.1.1 5.1.2 5.2 5.2.1 5.2.2 5.2.3 5.2.3.1 5.2.3.2 5.3 5.3.1 5.3.2 5.3.3 5.3.3.1
    5.4 5.5 5.6 5.7 5.8 5.8.1 5.8.2 5.8.3 5.9 5.10 5.11 6 7 7.1 7.2 7.3 8 9 10 10.1 10.2
    """

WEBRTC_PC: Final = frozenset(_WEBRTC_PC_NUMBERS.split())
JSEP: Final = frozenset(_JSEP_NUMBERS.split())

# The other RFCs, only the sections peerspec cites, each looked up in the RFC's text.
OTHER_RFCS: Final[dict[str, frozenset[str]]] = {
    "RFC 8265": frozenset({"4.1", "4.2"}),  # 4.1 passwords: definition; 4.2 the OpaqueString profile
    "RFC 8264": frozenset({"9"}),  # 9 the derived properties behind the FreeformClass
    "RFC 8489": frozenset({"14.3"}),  # 14.3 USERNAME
    "RFC 7064": frozenset({"3.1"}),  # 3.1 stun/stuns URI syntax
    "RFC 7065": frozenset({"3.1"}),  # 3.1 turn/turns URI syntax
    # 5 SDP specification (the <type>=<value> lines); 5.14 media descriptions (m=); 9 the SDP grammar
    "RFC 8866": frozenset({"5", "5.14", "9"}),
    "RFC 8839": frozenset({"5.4"}),  # 5.4 the ice-ufrag and ice-pwd attributes
    "RFC 5761": frozenset({"5.1.1"}),  # 5.1.1 SDP signalling of a=rtcp-mux (a media-level attribute)
    # 6 generating the answer (as many m= lines as the offer, matched by their order); 8.2 removing a media stream
    # (port zero; its attributes may be left out)
    "RFC 3264": frozenset({"6", "8.2"}),
}
# ECMAScript and WebIDL sections are not checked here (the model cites them only for its conversions).
UNCHECKED: Final = frozenset({"ES2024", "WebIDL"})

DOCUMENT: Final = re.compile(r"\b(JSEP|RFC ?\d{4}|ES20\d\d|WebIDL|webrtc-pc)\b")
SECTION: Final = re.compile(r"§(\d+(?:\.\d+)*)")


def citations(text: str) -> Iterator[tuple[str, str]]:
    """(document, section) for each "§N" in `text`."""
    document = "webrtc-pc"
    position = 0
    for match in SECTION.finditer(text):
        for named in DOCUMENT.finditer(text, position, match.start()):
            document = named.group(1).replace("RFC", "RFC ").replace("RFC  ", "RFC ")
        position = match.end()
        yield ("JSEP" if document == "RFC 9429" else document), match.group(1)


def exists(document: str, section: str) -> bool:
    if document in UNCHECKED:
        return True
    if document == "webrtc-pc":
        return section in WEBRTC_PC
    if document == "JSEP":
        return section in JSEP
    return section in OTHER_RFCS.get(document, frozenset())


def notes_texts() -> Iterator[tuple[str, str]]:
    for number, paragraph in enumerate((ROOT / "NOTES.md").read_text().split("\n\n")):
        for line in paragraph.splitlines() if paragraph.startswith("|") else [paragraph]:
            yield f"NOTES.md paragraph {number}", line


def registry_texts() -> Iterator[tuple[str, str]]:
    def strings(value: object, where: str) -> Iterator[tuple[str, str]]:
        if isinstance(value, str):
            yield where, value
        elif isinstance(value, dict):
            for key, item in value.items():
                yield from strings(item, f"{where}.{key}")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                yield from strings(item, f"{where}[{index}]")

    for path in sorted((ROOT / "conformance").glob("deviations*.json")):  # the browsers' file and each library's
        data = json.loads(path.read_text())
        yield from strings(data.get("profiles", {}), f"{path.name}: profiles")
        for entry in data["deviations"]:
            yield from strings({k: v for k, v in entry.items() if k not in ("trace", "match")}, entry["id"])


def model_texts() -> Iterator[tuple[str, str]]:
    for path in sorted((ROOT / "model").glob("*.py")):
        source = path.read_text()
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                yield f"{path.name}:{node.lineno}", node.value
        for number, line in enumerate(source.splitlines(), 1):
            if "#" in line:
                yield f"{path.name}:{number}", line[line.index("#") :]


def test_the_citation_reader_attributes_sections_to_the_document_named_before_them() -> None:
    text = "JSEP §5.3.1 with §5.7; RFC 8265 §4.1 and webrtc-pc §4.7.3"
    assert list(citations(text)) == [("JSEP", "5.3.1"), ("JSEP", "5.7"), ("RFC 8265", "4.1"), ("webrtc-pc", "4.7.3")]
    assert not exists("JSEP", "4.1.8.2") and exists("JSEP", "4.1.10.2") and not exists("webrtc-pc", "4.4.1.6")


def test_every_section_cited_in_NOTES_the_registry_and_the_model_exists() -> None:
    missing = [
        f"{where}: {document} §{section}"
        for source in (notes_texts(), registry_texts(), model_texts())
        for where, text in source
        for document, section in citations(text)
        if not exists(document, section)
    ]
    assert not missing, "sections that do not exist:\n" + "\n".join(missing)
