"""The REFI-QDA reader: counts that round-trip through generated projects, and
malformed, oversized and hostile files refused with clear errors, nothing read outside
the archive."""

from __future__ import annotations

import struct
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from powergames.errors import EvidenceFileError, InvalidParameterError
from powergames.partnership.evidence import Limits, example_path, read_qdpx

from qdpx_files import EXAMPLE, code_paths, expected_counts, guid, project_xml, write_qdpx

HEAD = '<?xml version="1.0" encoding="utf-8"?>\n'
SMALL = {
    "name": "small",
    "codes": {"A": {"A1": {}}, "B": {}},
    "sources": {
        "s1": {"segments": [["A"], ["A", "B"], ["A/A1"]], "whole": ["B"]},
        "s2": {"segments": [["B"]]},
    },
    "sets": {"g": ["s1", "s2"]},
    "cases": {"c": {"sources": ["s2"], "selections": [["s1", 1]]}},
}

# ------------------------------------------------------------------ round trip
names = st.text("abcdefgh ", min_size=1, max_size=6).map(str.strip).filter(bool)


@st.composite
def projects(draw):
    tree = draw(
        st.dictionaries(
            names, st.dictionaries(names, st.just({}), max_size=2), min_size=1, max_size=3
        )
    )
    paths = code_paths(tree)
    sources = draw(st.dictionaries(names, st.just(None), min_size=1, max_size=4))
    spec = {"name": draw(names), "codes": tree, "sources": {}}
    for name in sources:
        segments = draw(st.lists(st.lists(st.sampled_from(paths), max_size=3), max_size=6))
        spec["sources"][name] = {
            "segments": segments,
            "whole": draw(st.lists(st.sampled_from(paths), max_size=2)),
        }
    source_names = list(spec["sources"])
    spec["sets"] = draw(
        st.dictionaries(
            names, st.lists(st.sampled_from(source_names), min_size=1, unique=True), max_size=2
        )
    )
    spec["cases"] = {}
    for case in draw(st.lists(names, max_size=2, unique=True)):
        chosen = draw(st.lists(st.sampled_from(source_names), unique=True, max_size=2))
        picks = [
            [s, k]
            for s in source_names
            for k in range(len(spec["sources"][s]["segments"]))
            if draw(st.booleans())
        ]
        spec["cases"][case] = {"sources": chosen, "selections": picks}
    return spec


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(projects())
def test_counts_round_trip_through_generated_projects(tmp_path, spec):
    project = read_qdpx(write_qdpx(tmp_path / "p.qdpx", spec))
    assert project.name == spec["name"]
    assert [code.path for code in project.codes] == code_paths(spec["codes"])
    assert project.sources == {name: expected_counts(spec, [name]) for name in spec["sources"]}
    assert project.sets == {
        name: expected_counts(spec, members) for name, members in spec["sets"].items()
    }
    for name, case in spec["cases"].items():
        expected = expected_counts(spec, case["sources"])
        for source, k in case["selections"]:
            for path in set(spec["sources"][source]["segments"][k]):
                expected[path] += 1
        assert project.cases[name] == expected


def test_a_small_project_by_hand(tmp_path):
    project = read_qdpx(write_qdpx(tmp_path / "p.qdpx", SMALL))
    assert project.sources["s1"] == {"A": 2, "A/A1": 1, "B": 2}
    assert project.sets["g"] == {"A": 2, "A/A1": 1, "B": 3}
    assert project.cases["c"] == {"A": 1, "A/A1": 0, "B": 2}
    assert project.counts("set") is project.sets
    with pytest.raises(InvalidParameterError, match="by must be one of"):
        project.counts("document")


def test_a_bare_project_file_is_read_too(tmp_path):
    path = tmp_path / "project.qde"
    path.write_bytes(project_xml(SMALL))
    assert read_qdpx(path).sources == read_qdpx(write_qdpx(tmp_path / "p.qdpx", SMALL)).sources


def test_the_shipped_example_is_the_documented_project():
    with zipfile.ZipFile(example_path("cooperation.qdpx")) as archive:
        assert archive.read("project.qde") == project_xml(EXAMPLE)
    assert (
        read_qdpx(example_path("cooperation.qdpx")).sets["OCI-2 partners"][
            "North/Funder conditions"
        ]
        == 5
    )


# ------------------------------------------------------------------- malformed
def _xml(body: str) -> bytes:
    return (HEAD + body).encode()


@pytest.mark.parametrize(
    ("xml", "message"),
    [
        (_xml("<Project"), "malformed project XML"),
        (_xml('<Other xmlns="urn:QDA-XML:project:1.0"/>'), "the root element is"),
        (_xml('<Project xmlns="urn:other" name="x"/>'), "the root element is '{urn:other}Project'"),
        (
            _xml(
                '<Project xmlns="urn:QDA-XML:project:1.0" name="x"><CodeBook><Codes><Code name="a" isCodable="true"/></Codes></CodeBook></Project>'
            ),
            "a Code element has no 'guid' attribute",
        ),
        (
            project_xml(SMALL).replace(
                guid("code", "B").encode(), b"00000000-0000-0000-0000-000000000000", 1
            ),
            "refers to the code",
        ),
        (
            project_xml(SMALL).replace(
                b'<MemberSource targetGUID="' + guid("source", "s1").encode(),
                b'<MemberSource targetGUID="X',
                1,
            ),
            "refers to the source X",
        ),
        (
            project_xml(SMALL).replace(
                b'<SelectionRef targetGUID="' + guid("selection", "s1", 1).encode(),
                b'<SelectionRef targetGUID="Y',
                1,
            ),
            "refers to the selection Y",
        ),
        (
            _xml(
                '<Project xmlns="urn:QDA-XML:project:1.0" name="x"><CodeBook><Codes><Code guid="1" name="a" isCodable="true"/><Code guid="1" name="b" isCodable="true"/></Codes></CodeBook></Project>'
            ),
            "two codes have the GUID 1",
        ),
    ],
)
def test_malformed_projects_are_refused(tmp_path, xml, message):
    with pytest.raises(EvidenceFileError, match=message) as error:
        read_qdpx(write_qdpx(tmp_path / "bad.qdpx", xml=xml))
    assert "bad.qdpx" in str(error.value)


def test_archives_without_one_project_are_refused(tmp_path):
    path = tmp_path / "none.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("Sources/a.txt", "text")
    with pytest.raises(EvidenceFileError, match=r"holds one project file .* found none"):
        read_qdpx(path)
    with pytest.raises(EvidenceFileError, match=r"found 'a.qde', 'b.qde'"):
        read_qdpx(_two(tmp_path))


def _two(tmp_path: Path) -> Path:
    path = tmp_path / "two.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.qde", "<x/>")
        archive.writestr("b.qde", "<x/>")
    return path


@pytest.mark.parametrize("content", [b"", b"plain text, not a project", b"PK\x03\x04 truncated"])
def test_files_that_are_neither_archives_nor_xml_are_refused(tmp_path, content):
    path = tmp_path / "x.qdpx"
    path.write_bytes(content)
    with pytest.raises(EvidenceFileError, match=r"not a REFI-QDA project|malformed|damaged"):
        read_qdpx(path)


def test_a_missing_file_is_an_os_error(tmp_path):
    with pytest.raises(OSError):
        read_qdpx(tmp_path / "absent.qdpx")


# --------------------------------------------------------------------- hostile
BILLION_LAUGHS = (
    HEAD
    + """<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&lol9;"/>
"""
)


def _external_entity(secret: Path) -> str:
    return HEAD + (
        f'<!DOCTYPE Project [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
        '<Project xmlns="urn:QDA-XML:project:1.0" name="&xxe;"/>\n'
    )


def _external_dtd(secret: Path) -> str:
    return (
        HEAD
        + f'<!DOCTYPE Project SYSTEM "file://{secret}">\n<Project xmlns="urn:QDA-XML:project:1.0" name="x"/>\n'
    )


_OPENED: list[str] = []
_WATCHING: list[bool] = []


def _audit(event: str, args: tuple) -> None:
    if _WATCHING and event == "open" and isinstance(args[0], (str, bytes, Path)):
        _OPENED.append(str(args[0]))


sys.addaudithook(_audit)


def _opened_while_reading(path: Path) -> tuple[list[str], BaseException | None]:
    read_qdpx(write_qdpx(path.parent / "warm-up.qdpx", SMALL))  # imports done before watching
    _OPENED.clear()
    _WATCHING.append(True)
    try:
        read_qdpx(path)
        raised = None
    except EvidenceFileError as error:
        raised = error
    finally:
        _WATCHING.clear()
    return list(_OPENED), raised


@pytest.mark.parametrize("attack", ["billion laughs", "external entity", "external DTD"])
def test_hostile_xml_is_refused_and_reads_nothing_outside_the_archive(tmp_path, attack):
    secret = tmp_path / "secret.txt"
    secret.write_text("the contents of a file outside the archive")
    xml = {
        "billion laughs": BILLION_LAUGHS,
        "external entity": _external_entity(secret),
        "external DTD": _external_dtd(secret),
    }[attack]
    path = write_qdpx(tmp_path / "hostile.qdpx", xml=xml.encode())
    opened, raised = _opened_while_reading(path)
    assert isinstance(raised, EvidenceFileError)
    assert "document type or entities, which are refused" in str(raised)
    assert "the contents" not in str(raised)
    assert set(opened) <= {str(path)}, opened


def test_a_project_that_points_at_files_on_disk_opens_none_of_them(tmp_path):
    secret = tmp_path / "interview.txt"
    secret.write_text("x" * 100)
    xml = project_xml(SMALL).replace(
        b'plainTextPath="internal://', f'plainTextPath="{secret}?'.encode()
    )
    xml = xml.replace(b'name="small"', f'name="small" basePath="{tmp_path}"'.encode())
    path = write_qdpx(tmp_path / "paths.qdpx", xml=xml)
    opened, raised = _opened_while_reading(path)
    assert raised is None and set(opened) == {str(path)}


@pytest.mark.parametrize(
    "name",
    ["../evil.txt", "Sources/../../evil.txt", "/etc/evil", "C:evil.txt", "Sources\\..\\evil.txt"],
)
def test_member_names_that_leave_the_archive_are_refused(tmp_path, name):
    path = tmp_path / "traversal.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", project_xml(SMALL))
        info = zipfile.ZipInfo("placeholder")
        info.filename = name  # as a hostile archiver would write it
        archive.writestr(info, b"payload")
    with pytest.raises(EvidenceFileError, match="leaves the archive"):
        read_qdpx(path)
    assert not (tmp_path.parent / "evil.txt").exists()


def test_a_zip_bomb_is_refused_before_anything_is_decompressed(tmp_path):
    path = write_qdpx(
        tmp_path / "bomb.qdpx", SMALL, extra={"Sources/zeros.txt": b"\0" * (20 << 20)}
    )
    with zipfile.ZipFile(path) as archive:
        bomb = archive.getinfo("Sources/zeros.txt")
    assert bomb.file_size / bomb.compress_size > 500
    opened, raised = _opened_while_reading(path)
    assert isinstance(raised, EvidenceFileError) and "refused as a zip bomb" in str(raised)
    assert set(opened) <= {str(path)}


def test_an_oversized_project_is_refused(tmp_path):
    path = write_qdpx(tmp_path / "big.qdpx", SMALL)
    with pytest.raises(EvidenceFileError, match=r"declares .* bytes, more than 100"):
        read_qdpx(path, limits=Limits(project_bytes=100))
    with pytest.raises(EvidenceFileError, match=r"more than 10 bytes|larger than 10 bytes"):
        bare = tmp_path / "project.qde"
        bare.write_bytes(project_xml(SMALL))
        read_qdpx(bare, limits=Limits(project_bytes=10))


def test_too_many_members_or_bytes_are_refused(tmp_path):
    path = write_qdpx(
        tmp_path / "many.qdpx", SMALL, extra={f"Sources/{k}.txt": b"x" for k in range(20)}
    )
    with pytest.raises(EvidenceFileError, match="has 23 members, more than 10"):
        read_qdpx(path, limits=Limits(members=10))
    with pytest.raises(EvidenceFileError, match="bytes uncompressed, more than 1,000"):
        read_qdpx(path, limits=Limits(total_bytes=1000))


def test_a_header_that_understates_the_size_cannot_exhaust_memory(tmp_path):
    path = write_qdpx(
        tmp_path / "liar.qdpx", xml=project_xml(SMALL) + b"<!--" + b"-" * 5000 + b"-->"
    )
    data = bytearray(path.read_bytes())
    central = data.rfind(b"PK\x01\x02")  # the central directory entry of project.qde
    size_at = central + 24  # its uncompressed size
    struct.pack_into("<I", data, size_at, 100)
    path.write_bytes(bytes(data))
    with pytest.raises(EvidenceFileError, match=r"damaged|malformed"):
        read_qdpx(path)
