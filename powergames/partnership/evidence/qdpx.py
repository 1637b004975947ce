"""The coded segments of a REFI-QDA project, counted per case and code.

A REFI-QDA project export (``.qdpx``) is the exchange format of ATLAS.ti, NVivo,
MAXQDA, QDA Miner, f4analyse and others: a zip archive holding the project as XML
(``project.qde``, namespace ``urn:QDA-XML:project:1.0``, schema ``Project.xsd``)
beside the sources it codes. The reader takes from the XML only

- the codebook (``CodeBook/Codes/Code``, nested; a code's path is its ancestors'
  names and its own, joined by ``/``),
- the sources (``Sources/TextSource``, ``PDFSource``, ``PictureSource``,
  ``AudioSource``, ``VideoSource``) and their selections (``PlainTextSelection``,
  ``PDFSelection``, ...), each with its ``Coding/CodeRef`` to the codes; a coding of
  a whole source (a ``Coding`` child of the source) is one segment,
- the document groups (``Sets/Set/MemberSource``) and the cases
  (``Cases/Case/SourceRef``, ``SelectionRef``),

and counts, for each source, document group and case, the segments coded with each
code (a segment coded twice with the same code counts once; a code's count does not
include its sub-codes'). It never opens the sources, in the archive or on disk.

Security. The archive is checked from its central directory before anything is
decompressed, and refused (:class:`~powergames.errors.EvidenceFileError`) when it has
more members, declared bytes or a higher compression ratio than :class:`Limits`
allows, or a member name that would leave the archive (absolute, ``..``, a drive or a
backslash). Only the project XML is decompressed, in bounded chunks, so a size that
the header understates cannot exhaust memory. The XML is parsed by ``defusedxml``
with document types, entities and external references forbidden: external entities
and entity expansion ("billion laughs") are refused, not expanded
(``pip install 'powergames[evidence]'``).
"""

from __future__ import annotations

import os
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from powergames.errors import EvidenceFileError, InvalidParameterError

__all__ = ["NAMESPACE", "CodedProject", "Limits", "QdaCode", "read_qdpx"]

#: The namespace of REFI-QDA project XML.
NAMESPACE = "urn:QDA-XML:project:1.0"
_MIB = 1 << 20
_UNSAFE_NAME = re.compile(r"(^[/\\])|(^[A-Za-z]:)|\\|\x00")


@dataclass(frozen=True)
class Limits:
    """What :func:`read_qdpx` accepts of an archive.

    Attributes
    ----------
    members : int, default 10,000
        The most members (files and folders) of the archive.
    total_bytes : int, default 4 GiB
        The most bytes its members may declare, uncompressed (sources included: audio
        and video make projects large, and are never decompressed).
    project_bytes : int, default 64 MiB
        The most bytes of the project XML, uncompressed.
    ratio : float, default 200
        The highest ratio of a member's uncompressed to compressed size, for members
        above 1 MiB (XML compresses about tenfold; zip bombs a thousandfold).
    """

    members: int = 10_000
    total_bytes: int = 4 << 30
    project_bytes: int = 64 * _MIB
    ratio: float = 200.0


@dataclass(frozen=True)
class QdaCode:
    """A code of the project's codebook."""

    guid: str
    name: str
    path: str


@dataclass(frozen=True)
class CodedProject:
    """What :func:`read_qdpx` finds in a project: its codes, and the number of
    segments coded with each code (by path), per source, document group and case.

    Attributes
    ----------
    name : str
        The project's name.
    codes : tuple of QdaCode
    sources, sets, cases : dict of str to dict of str to int
        By the source's (document group's, case's) name, then by the code's path;
        every code of the project appears, with 0 where it was not used.
    """

    name: str
    codes: tuple[QdaCode, ...]
    sources: dict[str, dict[str, int]] = field(default_factory=dict)
    sets: dict[str, dict[str, int]] = field(default_factory=dict)
    cases: dict[str, dict[str, int]] = field(default_factory=dict)

    def counts(self, by: str = "source") -> dict[str, dict[str, int]]:
        """The counts per ``"source"`` (document), ``"set"`` (document group) or
        ``"case"``.

        Raises
        ------
        InvalidParameterError
            For another ``by``.
        """
        kinds = {"source": self.sources, "set": self.sets, "case": self.cases}
        if by not in kinds:
            raise InvalidParameterError(f"by must be one of {', '.join(kinds)}, got {by!r}")
        return kinds[by]


def read_qdpx(path: str | os.PathLike[str], *, limits: Limits | None = None) -> CodedProject:
    """Count the coded segments of a REFI-QDA project export, per source, document
    group and case (see the module's documentation for what is read and refused).

    Parameters
    ----------
    path : str or path-like
        A ``.qdpx`` archive (or a bare ``.qde`` project XML).
    limits : Limits, optional
        What the archive may hold (:class:`Limits`' defaults).

    Returns
    -------
    CodedProject

    Raises
    ------
    EvidenceFileError
        For a file that is not a readable project, or that the limits or the XML
        safeguards refuse; the message names the file.
    OSError
        When the file cannot be opened.

    Examples
    --------
    >>> from powergames.partnership.evidence import example_path
    >>> project = read_qdpx(example_path("cooperation.qdpx"))
    >>> sorted(project.sets)
    ['OCI-1 partners', 'OCI-2 partners']
    >>> project.sets["OCI-1 partners"]["Base mobilisation"]
    6
    """
    chosen = Limits() if limits is None else limits
    name = os.fspath(path)
    try:
        xml = _project_xml(name, chosen)
        return _Reader(_parse(xml)).project()
    except EvidenceFileError as error:
        raise EvidenceFileError(f"{name!r}: {error}") from None


def _project_xml(path: str, limits: Limits) -> bytes:
    """The bytes of the project XML, from an archive or a bare .qde file."""
    if not zipfile.is_zipfile(path):
        with open(path, "rb") as file:
            data = file.read(limits.project_bytes + 1)
        if not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
            raise EvidenceFileError("not a REFI-QDA project: neither a zip archive nor XML")
        if len(data) > limits.project_bytes:
            raise EvidenceFileError(
                f"the project XML is larger than {limits.project_bytes:,} bytes"
            )
        return data
    try:
        with zipfile.ZipFile(path) as archive:
            member = _checked_member(archive.infolist(), limits)
            return _read_bounded(archive, member, limits.project_bytes)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as error:
        raise EvidenceFileError(f"a damaged or unsupported archive ({error})") from None


def _checked_member(members: list[zipfile.ZipInfo], limits: Limits) -> zipfile.ZipInfo:
    """The project member, after the checks of the whole central directory."""
    if len(members) > limits.members:
        raise EvidenceFileError(
            f"the archive has {len(members):,} members, more than {limits.members:,}"
        )
    total = sum(member.file_size for member in members)
    if total > limits.total_bytes:
        raise EvidenceFileError(
            f"the archive's members hold {total:,} bytes uncompressed, more than "
            f"{limits.total_bytes:,}"
        )
    for member in members:
        parts = member.filename.replace("\\", "/").split("/")
        if _UNSAFE_NAME.search(member.filename) or ".." in parts:
            raise EvidenceFileError(
                f"the member name {member.filename!r} leaves the archive (absolute, '..', a "
                "drive or a backslash): refused"
            )
        ratio = member.file_size / max(1, member.compress_size)
        if member.file_size > _MIB and ratio > limits.ratio:
            raise EvidenceFileError(
                f"the member {member.filename!r} expands {ratio:,.0f}-fold"
                f" ({member.compress_size:,} to {member.file_size:,} bytes), more than "
                f"{limits.ratio:g}-fold: refused as a zip bomb"
            )
    projects = [m for m in members if "/" not in m.filename and m.filename.lower().endswith(".qde")]
    if len(projects) != 1:
        found = ", ".join(repr(m.filename) for m in projects) or "none"
        raise EvidenceFileError(
            f"a REFI-QDA archive holds one project file '*.qde' at its top, found {found}"
        )
    if projects[0].file_size > limits.project_bytes:
        raise EvidenceFileError(
            f"the project XML {projects[0].filename!r} declares {projects[0].file_size:,} "
            f"bytes, more than {limits.project_bytes:,}"
        )
    return projects[0]


def _read_bounded(archive: zipfile.ZipFile, member: zipfile.ZipInfo, limit: int) -> bytes:
    """The member's bytes, decompressed a chunk at a time up to ``limit``."""
    chunks = []
    size = 0
    with archive.open(member) as stream:
        while chunk := stream.read(_MIB):
            size += len(chunk)
            if size > limit:
                raise EvidenceFileError(
                    f"the project XML {member.filename!r} is larger than {limit:,} bytes"
                )
            chunks.append(chunk)
    return b"".join(chunks)


def _parse(xml: bytes) -> Element:
    """The XML's root, parsed with document types, entities and external references
    forbidden."""
    try:
        from defusedxml import DefusedXmlException
        from defusedxml.ElementTree import fromstring
    except ImportError as error:
        raise ImportError(
            "reading REFI-QDA projects needs defusedxml: pip install 'powergames[evidence]'",
            name="defusedxml",
        ) from error
    try:
        return fromstring(xml, forbid_dtd=True, forbid_entities=True, forbid_external=True)  # type: ignore[no-any-return]
    except DefusedXmlException as error:
        raise EvidenceFileError(
            f"the project XML declares a document type or entities, which are refused "
            f"(external entities and entity expansion are attack vectors): {error}"
        ) from None
    except ParseError as error:
        raise EvidenceFileError(f"malformed project XML: {error}") from None


def _local(tag: Any) -> str:
    """An element's name without the REFI-QDA namespace (other namespaces kept)."""
    text = str(tag)
    prefix = "{" + NAMESPACE + "}"
    return text[len(prefix) :] if text.startswith(prefix) else text


class _Reader:
    """One walk of the project XML."""

    def __init__(self, root: Element) -> None:
        if _local(root.tag) != "Project":
            raise EvidenceFileError(
                f"not a REFI-QDA project: the root element is {root.tag!r}, not Project "
                f"(namespace {NAMESPACE})"
            )
        self.root = root
        # The schema's namespace, or none (some exporters leave it out).
        self.namespace = "{" + NAMESPACE + "}" if str(root.tag).startswith("{") else ""
        self.codes: dict[str, QdaCode] = {}
        self.selections: dict[str, tuple[str, frozenset[str]]] = {}  # guid -> source, codes
        self.segments: dict[str, list[frozenset[str]]] = {}  # source guid -> code sets
        self.source_names: dict[str, str] = {}

    def children(self, element: Element, name: str) -> Iterator[Element]:
        return element.iterfind(self.namespace + name)

    def attribute(self, element: Element, name: str) -> str:
        value = element.get(name)
        if value is None:
            raise EvidenceFileError(
                f"a {_local(element.tag)} element has no {name!r} attribute (required by "
                "the REFI-QDA schema)"
            )
        return value

    def project(self) -> CodedProject:
        self.read_codes()
        self.read_sources()
        sources = {
            self.source_names[guid]: self.count(segments)
            for guid, segments in self.segments.items()
        }
        return CodedProject(
            name=self.root.get("name", ""),
            codes=tuple(self.codes.values()),
            sources=sources,
            sets=self.read_sets(),
            cases=self.read_cases(),
        )

    def read_codes(self) -> None:
        # Iteratively, parents before children: nesting depth cannot exhaust the stack.
        stack: list[tuple[Element, str]] = []
        for book in self.children(self.root, "CodeBook"):
            for codes in self.children(book, "Codes"):
                stack += [(code, "") for code in reversed(list(self.children(codes, "Code")))]
        while stack:
            element, parent = stack.pop()
            guid, name = self.attribute(element, "guid"), self.attribute(element, "name")
            if guid in self.codes:
                raise EvidenceFileError(f"two codes have the GUID {guid}")
            path = f"{parent}/{name}" if parent else name
            self.codes[guid] = QdaCode(guid, name, path)
            stack += [(child, path) for child in reversed(list(self.children(element, "Code")))]

    def coded(self, element: Element) -> frozenset[str]:
        """The codes of an element's ``Coding/CodeRef`` children."""
        found = set()
        for coding in self.children(element, "Coding"):
            for ref in self.children(coding, "CodeRef"):
                target = self.attribute(ref, "targetGUID")
                if target not in self.codes:
                    raise EvidenceFileError(
                        f"a coding refers to the code {target}, which the codebook does not have"
                    )
                found.add(target)
        return frozenset(found)

    def read_sources(self) -> None:
        taken: set[str] = set()
        for sources in self.children(self.root, "Sources"):
            for source in sources:
                if not _local(source.tag).endswith("Source"):
                    continue
                guid = self.attribute(source, "guid")
                name = source.get("name") or guid
                if name in taken:
                    name = f"{name} [{guid}]"
                taken.add(name)
                self.source_names[guid] = name
                whole = self.coded(source)
                segments = [whole] if whole else []
                for element in source.iter():
                    if element is not source and _local(element.tag).endswith("Selection"):
                        codes = self.coded(element)
                        self.selections[self.attribute(element, "guid")] = (guid, codes)
                        segments.append(codes)
                self.segments[guid] = segments

    def count(self, segments: list[frozenset[str]]) -> dict[str, int]:
        counts = dict.fromkeys((code.path for code in self.codes.values()), 0)
        for codes in segments:
            for guid in codes:
                counts[self.codes[guid].path] += 1
        return counts

    def source_segments(self, element: Element, tag: str) -> list[frozenset[str]]:
        segments: list[frozenset[str]] = []
        for ref in self.children(element, tag):
            target = self.attribute(ref, "targetGUID")
            if target not in self.segments:
                raise EvidenceFileError(
                    f"a {_local(element.tag)} refers to the source {target}, which the project "
                    "does not have"
                )
            segments += self.segments[target]
        return segments

    def read_sets(self) -> dict[str, dict[str, int]]:
        groups = {}
        for sets in self.children(self.root, "Sets"):
            for group in self.children(sets, "Set"):
                if any(True for _ in self.children(group, "MemberSource")):
                    name = self.attribute(group, "name")
                    groups[name] = self.count(self.source_segments(group, "MemberSource"))
        return groups

    def read_cases(self) -> dict[str, dict[str, int]]:
        found = {}
        for cases in self.children(self.root, "Cases"):
            for case in self.children(cases, "Case"):
                name = case.get("name") or self.attribute(case, "guid")
                segments = self.source_segments(case, "SourceRef")
                for ref in self.children(case, "SelectionRef"):
                    target = self.attribute(ref, "targetGUID")
                    if target not in self.selections:
                        raise EvidenceFileError(
                            f"case {name!r} refers to the selection {target}, which the "
                            "project does not have"
                        )
                    segments.append(self.selections[target][1])
                found[name] = self.count(segments)
        return found
