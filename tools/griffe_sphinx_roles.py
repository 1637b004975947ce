"""A griffe extension: the Sphinx conventions of the docstrings, read by mkdocstrings.

1. Cross-reference roles become mkdocstrings cross-references.

``:func:`name```, ``:class:`~powergames.game.Game```, ``:meth:`to_csv``` and the
other Python-domain roles are rewritten, when the docstring is loaded, as Markdown
references that mkdocstrings resolves in the docstring's scope (``scoped_crossrefs``):
a name that no page documents fails the strict build. Names from other libraries
(numpy, pandas, the standard library, ...) have no page here and are shown as code.

2. A constant documented by ``#:`` comments just above its assignment (Sphinx's
   doc-comments) gets those comments as its docstring, so that it is rendered and can
   be referred to.
3. A function re-exported by its package under the name of its own module
   (``from powergames.repeated.minmax import minmax``) is documented as the function,
   as Python sees it, not as the submodule it shadows (griffe keeps the submodule).

4. An attribute documented in its class's ``Attributes`` section (a dataclass field)
   gets that description as its own docstring, so that it is rendered once, under
   its own heading, and can be referred to (the section itself is not shown:
   ``show_docstring_attributes: false``). A field whose value is a call to a private
   helper shows its default as ``...`` in the signature, not the helper's arguments.

The sources themselves stay as written, for ``help()`` and any Sphinx user.
"""

from __future__ import annotations

import builtins
import re
import sys
from typing import Any

import griffe

#: :role:`target`, :role:`~target`, :role:`title <target>`, with an optional py: domain.
ROLE = re.compile(
    r":(?:py:)?(?:func|class|meth|attr|data|const|mod|exc|obj):"
    r"`(?P<tilde>~?)(?:(?P<title>[^`<]+?)\s*<(?P<inner>[^`>]+)>|(?P<target>[^`]+))`"
)

#: First components of names documented elsewhere (the builtins, the standard library,
#: the libraries powergames works with): shown as code, without a link.
EXTERNAL = (
    frozenset(dir(builtins))
    | frozenset(sys.stdlib_module_names)
    | frozenset(
        """dask hypothesis matplotlib nashpy np numpy pandas pd pyarrow pygambit quantecon
        scipy shtab sp sympy xarray xr IPython""".split()
    )
)


def _rewrite(match: re.Match[str]) -> str:
    target = (match["inner"] or match["target"]).strip().removesuffix("()")
    if match["title"]:
        shown = match["title"]
    elif match["tilde"]:
        shown = target.rsplit(".", 1)[-1]
    else:
        shown = target
    if target.split(".", 1)[0] in EXTERNAL:
        return f"`{shown}`"
    return f"[`{shown}`][{target}]"


#: A numpy parameter line's default given as a role (``tol : float, default :data:`X```):
#: the default is shown as code, so the role keeps only the name.
DEFAULT = re.compile(r"(?m)^(\s*[*\w]+\s*:.*\bdefault\s+)" + ROLE.pattern)


def _default(match: re.Match[str]) -> str:
    target = (match["inner"] or match["target"]).strip()
    return match[1] + (target.rsplit(".", 1)[-1] if match["tilde"] else target)


def convert(text: str) -> str:
    """``text`` with its Sphinx roles as Markdown cross-references.

    Examples
    --------
    >>> convert("see :func:`~powergames.equilibria.equilibria` and :class:`numpy.ndarray`")
    'see [`equilibria`][powergames.equilibria.equilibria] and `numpy.ndarray`'
    >>> convert("tol : float, default :data:`DEFAULT_TOL`")
    'tol : float, default DEFAULT_TOL'
    """
    return ROLE.sub(_rewrite, DEFAULT.sub(_default, text))


def doc_comment(lines: list[str], lineno: int) -> str:
    r"""The ``#:`` comment lines just above line ``lineno`` (1-based), as text.

    Examples
    --------
    >>> doc_comment(["x = 1", "#: The answer,", "#: always.", "ANSWER = 42"], 4)
    'The answer,\nalways.'
    """
    found: list[str] = []
    k = lineno - 2
    while k >= 0 and lines[k].lstrip().startswith("#:"):
        found.insert(0, lines[k].lstrip()[2:].strip())
        k -= 1
    return "\n".join(found)


class SphinxRoles(griffe.Extension):
    """Give constants their ``#:`` comments as docstrings, and rewrite each docstring's
    Sphinx roles (:func:`convert`)."""

    def on_instance(self, *, obj: griffe.Object, agent: Any = None, **kwargs: Any) -> None:
        code = getattr(agent, "code", None)
        if obj.docstring is None and obj.is_attribute and obj.lineno and code is not None:
            text = doc_comment(code.splitlines(), obj.lineno)
            if text:
                obj.docstring = griffe.Docstring(
                    text,
                    lineno=obj.lineno,
                    parent=obj,
                    parser=agent.docstring_parser,
                    parser_options=agent.docstring_options,
                )
        if obj.docstring is not None:
            obj.docstring.value = convert(obj.docstring.value)

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        _document_fields(pkg)  # first: the walk does not enter aliases
        _unshadow(pkg)


def _document_fields(obj: griffe.Object) -> None:
    """Give each undocumented attribute of a class the description its class's
    ``Attributes`` section gives it, recursively through modules and classes."""
    for member in list(obj.members.values()):
        if member.is_alias or not (member.is_module or member.is_class):
            continue
        _document_fields(member)  # type: ignore[arg-type]
        if member.is_class:
            for field in member.members.values():
                value = None if field.is_alias else getattr(field, "value", None)
                if isinstance(value, griffe.ExprCall) and str(value.function).startswith("_"):
                    field.value = "..."  # type: ignore[union-attr]
        docstring = member.docstring
        if not member.is_class or docstring is None:
            continue
        # Parsed here without warnings (the class may not have its signature yet, a
        # dataclass's __init__ say); the rendering parses it again, and warns.
        options = {**docstring.parser_options, "warnings": False}
        for section in docstring.parse(docstring.parser or "numpy", **options):
            if section.kind is not griffe.DocstringSectionKind.attributes:
                continue
            for item in section.value:
                field = member.members.get(item.name)
                if field is None or field.is_alias or field.docstring is not None:
                    continue
                field.docstring = griffe.Docstring(
                    item.description,
                    lineno=docstring.lineno,
                    parent=field,
                    parser=docstring.parser,
                    parser_options=docstring.parser_options,
                )


def _unshadow(module: griffe.Module) -> None:
    """Replace each exported submodule ``module.name`` that defines ``name`` itself (not
    by an import) by an alias of that definition, recursively."""
    exported = {str(name) for name in module.exports or ()}
    for name, member in list(module.members.items()):
        if member.is_alias or not member.is_module:
            continue
        _unshadow(member)  # type: ignore[arg-type]
        inner = member.members.get(name)
        defined_there = inner is not None and not inner.is_alias and not inner.is_module
        if name in exported and defined_there:
            module.set_member(name, griffe.Alias(name, inner, parent=module))
