"""REFI-QDA project files built for the tests, from the published schema (Project.xsd,
namespace urn:QDA-XML:project:1.0): the codebook, text sources with their plain-text
selections and codings, document groups (sets) and cases.

A project is described by a dict::

    {"name": "...",
     "codes": {"Parent": {"Child": {}}, "Other": {}},            # nested
     "sources": {"N01": {"text": "...",                           # the plain text
                         "segments": [["Other"], ["Parent/Child", "Other"]],
                         "whole": ["Other"]}},                    # codings of the source
     "sets": {"group": ["N01"]},
     "cases": {"case": {"sources": ["N01"], "selections": [["N01", 0]]}}}

and its GUIDs are derived from the names, so the same description gives the same bytes.
"""

from __future__ import annotations

import uuid
import zipfile
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

NAMESPACE = "urn:QDA-XML:project:1.0"


def guid(*parts: Any) -> str:
    return str(
        uuid.uuid5(uuid.NAMESPACE_URL, "powergames-test/" + "/".join(map(str, parts)))
    ).upper()


def _codes(tree: dict[str, Any], parent: str = "", indent: str = "    ") -> list[str]:
    lines = []
    for name, children in tree.items():
        path = f"{parent}/{name}" if parent else name
        attrs = f'guid="{guid("code", path)}" name={quoteattr(name)} isCodable="true"'
        if children:
            lines.append(f"{indent}<Code {attrs}>")
            lines += _codes(children, path, indent + "  ")
            lines.append(f"{indent}</Code>")
        else:
            lines.append(f"{indent}<Code {attrs}/>")
    return lines


def _coding(paths: list[str], key: str, indent: str) -> list[str]:
    return [
        f'{indent}<Coding guid="{guid("coding", key, p)}"><CodeRef targetGUID="{guid("code", p)}"/></Coding>'
        for p in paths
    ]


def project_xml(spec: dict[str, Any]) -> bytes:
    """The project XML of a description (see the module's docstring)."""
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<Project xmlns="{NAMESPACE}" name={quoteattr(spec["name"])} origin="powergames tests">',
        "  <CodeBook>",
        "   <Codes>",
        *_codes(spec.get("codes", {})),
        "   </Codes>",
        "  </CodeBook>",
    ]
    if spec.get("cases"):
        lines.append("  <Cases>")
        for name, case in spec["cases"].items():
            lines.append(f'   <Case guid="{guid("case", name)}" name={quoteattr(name)}>')
            lines += [
                f'    <SourceRef targetGUID="{guid("source", s)}"/>'
                for s in case.get("sources", [])
            ]
            lines += [
                f'    <SelectionRef targetGUID="{guid("selection", s, k)}"/>'
                for s, k in case.get("selections", [])
            ]
            lines.append("   </Case>")
        lines.append("  </Cases>")
    lines.append("  <Sources>")
    for name, source in spec.get("sources", {}).items():
        text = source.get("text", "x" * 200)
        lines.append(
            f'   <TextSource guid="{guid("source", name)}" name={quoteattr(name)} '
            f'plainTextPath="internal://{guid("source", name)}.txt">'
        )
        step = max(1, len(text) // max(1, len(source.get("segments", []))))
        for k, paths in enumerate(source.get("segments", [])):
            lines.append(
                f'    <PlainTextSelection guid="{guid("selection", name, k)}" '
                f'startPosition="{k * step}" endPosition="{min(len(text), (k + 1) * step)}">'
            )
            lines += _coding(paths, f"{name}/{k}", "     ")
            lines.append("    </PlainTextSelection>")
        lines += _coding(source.get("whole", []), f"{name}/whole", "    ")
        lines.append("   </TextSource>")
    lines.append("  </Sources>")
    if spec.get("sets"):
        lines.append("  <Sets>")
        for name, members in spec["sets"].items():
            lines.append(f'   <Set guid="{guid("set", name)}" name={quoteattr(name)}>')
            lines += [f'    <MemberSource targetGUID="{guid("source", s)}"/>' for s in members]
            lines.append("   </Set>")
        lines.append("  </Sets>")
    lines.append("</Project>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def write_qdpx(
    path: Path,
    spec: dict[str, Any] | None = None,
    *,
    xml: bytes | None = None,
    extra: dict[str, bytes] | None = None,
) -> Path:
    """A .qdpx archive: the project XML (``xml`` or built from ``spec``) as project.qde,
    the sources' plain text under Sources/, and ``extra`` members."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", xml if xml is not None else project_xml(spec or {}))
        for name, source in (spec or {}).get("sources", {}).items():
            archive.writestr(f"Sources/{guid('source', name)}.txt", source.get("text", "x" * 200))
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return path


def expected_counts(spec: dict[str, Any], sources: list[str]) -> dict[str, int]:
    """The counts the reader must find over ``sources``: segments coded with each code
    path (each segment once per code), whole-source codings included."""
    paths = code_paths(spec.get("codes", {}))
    counts = dict.fromkeys(paths, 0)
    for name in sources:
        source = spec["sources"][name]
        for codes in source.get("segments", []):
            for p in set(codes):
                counts[p] += 1
        for p in set(source.get("whole", [])):
            counts[p] += 1
    return counts


def code_paths(tree: dict[str, Any], parent: str = "") -> list[str]:
    out = []
    for name, children in tree.items():
        path = f"{parent}/{name}" if parent else name
        out.append(path)
        out += code_paths(children, path)
    return out


#: The fictional case study of the tutorial "From coded interviews to a regime", shipped
#: as powergames/data/evidence/cooperation.qdpx: six interviews with the staff of two
#: OCIs and four partner NGOs, coded with five codes (two under "North").
EXAMPLE: dict[str, Any] = {
    "name": "Fictional OCI-NGO partnerships",
    "codes": {
        "Base mobilisation": {},
        "Moral voice": {},
        "Shared paradigm": {},
        "Long-term horizon": {},
        "North": {"Funder conditions": {}, "Membership paradigm": {}},
    },
    "sources": {
        "N01 OCI-1 programme officer": {
            "text": "Nos partenaires mobilisent leurs bases; nous partageons une vision du "
            "developpement. L'agence impose ses cadres de resultats, mais nos membres "
            "veulent un vrai partenariat, sur le long terme.",
            "segments": [
                ["Base mobilisation"],
                ["Shared paradigm"],
                ["North/Funder conditions"],
                ["North/Membership paradigm"],
                ["Long-term horizon"],
                ["Shared paradigm"],
            ],
        },
        "S01 NGO-A director": {
            "text": "Les communautes nous suivent; nous defendons nos positions face a l'OCI, "
            "et la relation dure depuis quinze ans.",
            "segments": [
                ["Base mobilisation"],
                ["Base mobilisation", "Moral voice"],
                ["Moral voice"],
                ["Long-term horizon"],
                ["Shared paradigm"],
                ["Base mobilisation"],
            ],
        },
        "S02 NGO-B coordinator": {
            "text": "Les groupes de base participent aux decisions; l'OCI respecte nos "
            "priorites, meme quand l'agence demande autre chose.",
            "segments": [
                ["Base mobilisation"],
                ["Base mobilisation"],
                ["Shared paradigm"],
                ["North/Funder conditions"],
                ["Moral voice"],
                ["Long-term horizon"],
            ],
        },
        "N02 OCI-2 director": {
            "text": "L'agence exige des resultats mesurables chaque annee; les conditions "
            "sont lourdes et les projets courts.",
            "segments": [
                ["North/Funder conditions"],
                ["North/Funder conditions"],
                ["North/Funder conditions"],
                ["Base mobilisation"],
            ],
        },
        "S03 NGO-C director": {
            "text": "Nous appliquons le cadre logique qu'on nous demande; nos bases sont "
            "loin des decisions.",
            "segments": [["North/Funder conditions"], ["Moral voice"]],
        },
        "S04 NGO-D coordinator": {
            "text": "Le financement change tous les deux ans; nous cherchons d'autres bailleurs.",
            "segments": [["North/Funder conditions"], ["Long-term horizon"]],
        },
    },
    "sets": {
        "OCI-1 partners": [
            "N01 OCI-1 programme officer",
            "S01 NGO-A director",
            "S02 NGO-B coordinator",
        ],
        "OCI-2 partners": ["N02 OCI-2 director", "S03 NGO-C director", "S04 NGO-D coordinator"],
    },
}
