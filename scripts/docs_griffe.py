"""A griffe extension for the docs build: the Sphinx roles of our docstrings as Markdown links.

The docstrings are written to read well in ``help()`` and in editors, with reST roles
(``:class:`~qiskit_runtime_rest.errors.JobTimeoutError```, ``:meth:`wait```). mkdocstrings
renders docstrings as Markdown, where a role would show up as literal text; this extension
rewrites each role, when the package is loaded, into an autorefs cross-reference
(``[`JobTimeoutError`][qiskit_runtime_rest.errors.JobTimeoutError]``) if its target is an object
the reference renders, and into plain code otherwise (private modules, other packages). It also
turns reST hyperlinks (```text <url>`_``) into Markdown links.

Configured in ``mkdocs.yml`` under the python handler's ``extensions``, with the prefixes of the
objects the reference renders (``link_prefixes``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from typing import Any

import fieldz
import griffe
from griffe_fieldz import FieldzExtension

ROLE = re.compile(r":(?:py:)?(class|meth|mod|func|attr|data|exc|obj):`(~?)([^`<>]+)`")
REST_LINK = re.compile(r"`([^`<>]+?)\s*<(https?://[^>]+)>`_")
CALLABLE_ROLES = ("meth", "func")


def _walk(obj: griffe.Object) -> Iterator[griffe.Object]:
    yield obj
    for member in obj.members.values():
        if not member.is_alias and isinstance(member, griffe.Object):
            yield from _walk(member)


class SphinxRoles(griffe.Extension):
    """Rewrite reST roles and links in docstrings into Markdown (see the module docstring)."""

    def __init__(self, link_prefixes: Sequence[str] = ()) -> None:
        super().__init__()
        self.link_prefixes = tuple(link_prefixes)

    def on_package(self, *, pkg: griffe.Module, loader: griffe.GriffeLoader, **kwargs: Any) -> None:
        for obj in _walk(pkg):
            if obj.docstring is None:
                continue
            text = REST_LINK.sub(r"[\1](\2)", obj.docstring.value)
            obj.docstring.value = ROLE.sub(functools.partial(self._rewrite, obj, loader), text)

    def _rewrite(
        self, obj: griffe.Object, loader: griffe.GriffeLoader, match: re.Match[str]
    ) -> str:
        role, tilde, target = match.group(1), match.group(2), match.group(3).strip()
        shown = target.lstrip(".")
        if tilde:
            shown = shown.rsplit(".", 1)[-1]
        if role in CALLABLE_ROLES:
            shown += "()"
        path = self._resolve(target, obj, loader)
        if path is None or not self._rendered(path):
            return f"`{shown}`"
        return f"[`{shown}`][{self._anchor(path, loader)}]"

    @staticmethod
    def _anchor(path: str, loader: griffe.GriffeLoader) -> str:
        """Where ``path`` is rendered: an attrs field is a row of its class's table (see
        :class:`AttrsFields`), so a link to it goes to the class."""
        found = loader.modules_collection[path]
        parent = found.parent
        if not isinstance(found, griffe.Attribute) or not isinstance(parent, griffe.Class):
            return path
        if "property" in found.labels or found.annotation is None:
            return path
        decorators = [str(d.value) for d in parent.decorators]
        is_attrs = any(d.startswith(("attrs.", "attr.", "_attrs_")) for d in decorators)
        return parent.path if is_attrs else path

    def _rendered(self, path: str) -> bool:
        parts = path.split(".")
        if any(p.startswith("_") and not p.startswith("__") for p in parts):
            return False
        return any(path == p or path.startswith(p + ".") for p in self.link_prefixes)

    @staticmethod
    def _lookup(path: str, loader: griffe.GriffeLoader) -> str | None:
        try:
            found = loader.modules_collection[path]
        except (KeyError, ValueError, griffe.AliasResolutionError, griffe.CyclicAliasError):
            return None
        if found.is_alias:
            try:
                return str(found.final_target.path)
            except (griffe.AliasResolutionError, griffe.CyclicAliasError):
                return None
        return str(found.path)

    def _resolve(self, target: str, obj: griffe.Object, loader: griffe.GriffeLoader) -> str | None:
        if target.startswith("."):
            module = obj if obj.is_module else obj.module
            package = module.path if module.is_package else module.path.rsplit(".", 1)[0]
            return self._lookup(package + target, loader)
        first, _, rest = target.partition(".")
        scope: griffe.Object | None = obj
        while scope is not None:
            candidates = [f"{scope.path}.{target}"]
            try:
                base = scope.resolve(first)
            except griffe.NameResolutionError:
                pass
            else:
                candidates.append(f"{base}.{rest}" if rest else base)
            for candidate in candidates:
                found = self._lookup(candidate, loader)
                if found is not None:
                    return found
            scope = scope.parent
        return self._lookup(target, loader)


class AttrsFields(FieldzExtension):
    """griffe-fieldz (attrs fields as an "Attributes" table with types, defaults and field
    docstrings), limited to the modules the reference renders (``prefixes``): it imports each
    class it documents, and the generated models already list their fields in their docstrings.

    It runs once the package is loaded (after :class:`SphinxRoles`, listed before it), since
    adding the table parses the docstring, and a parsed docstring is not read again.
    """

    def __init__(self, prefixes: Sequence[str] = (), **options: Any) -> None:
        super().__init__(**options)
        self.prefixes = tuple(prefixes)

    def on_class_members(self, **kwargs: Any) -> None:
        return  # see on_package

    def on_package(self, *, pkg: griffe.Module, loader: griffe.GriffeLoader, **kwargs: Any) -> None:
        for obj in _walk(pkg):
            if not isinstance(obj, griffe.Class):
                continue
            if not any(obj.path.startswith(p + ".") for p in self.prefixes):
                continue
            try:
                runtime_obj = griffe.dynamic_import(obj.path)
                fieldz.get_adapter(runtime_obj)
            except (ImportError, TypeError):
                continue  # not importable here, or not a dataclass-like
            self._inject_fields(obj, runtime_obj)


class QuietDunders(griffe.Extension):
    """Leave undocumented special methods (``__enter__``, ``__repr__``, ``__eq__``...) out of
    the reference: griffe counts them as public, but they only repeat what the prose says
    (``with`` blocks, reprs). A special method with a docstring of its own stays."""

    def on_package(self, *, pkg: griffe.Module, loader: griffe.GriffeLoader, **kwargs: Any) -> None:
        for obj in _walk(pkg):
            name = obj.name
            special = name.startswith("__") and name.endswith("__") and name != "__init__"
            if special and obj.docstring is None and not obj.is_module:
                obj.public = False
