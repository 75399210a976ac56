"""MkDocs hooks of the docs build: the reference of the generated client, listed at build time.

``generated/qiskit_runtime_api`` is rewritten by ``scripts/regenerate.py`` whenever the spec
changes, so its reference pages do not list its modules by hand: a page holding the line
``<!-- generated: endpoints -->`` or ``<!-- generated: models -->`` gets, in its place, one
mkdocstrings block per endpoint module (the blocking and async calls) or per model class (its
docstring, which lists the fields), sorted by name, from what is on disk now.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "generated" / "qiskit_runtime_api"
MARKER = "<!-- generated: {} -->"


def endpoint_blocks() -> str:
    """One section per tag (``jobs``, ``sessions``...), one block per endpoint module."""
    out: list[str] = []
    for tag in sorted(p for p in (PACKAGE / "api").iterdir() if (p / "__init__.py").exists()):
        out.append(f"## {tag.name}\n")
        for module in sorted(tag.glob("*.py")):
            if module.name == "__init__.py":
                continue
            path = f"qiskit_runtime_api.api.{tag.name}.{module.stem}"
            out.append(
                f"::: {path}\n"
                "    options:\n"
                "      heading_level: 3\n"
                "      members: [sync, sync_detailed, asyncio, asyncio_detailed]\n"
                "      show_symbol_type_heading: false\n"
            )
    return "\n".join(out)


def model_blocks() -> str:
    """One block per model class, its docstring (the fields) without its methods."""
    out: list[str] = []
    found: list[tuple[str, str]] = []
    for module in sorted((PACKAGE / "models").glob("*.py")):
        if module.name == "__init__.py":
            continue
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
                found.append((node.name, f"qiskit_runtime_api.models.{module.stem}.{node.name}"))
    for _, path in sorted(found):
        out.append(
            f"::: {path}\n"
            "    options:\n"
            "      heading_level: 2\n"
            "      members: false\n"
            # The generator wraps long field types over two lines, which griffe's Google
            # parser warns about; the generator's docstrings are not ours to fix.
            "      docstring_options: {warnings: false}\n"
        )
    return "\n".join(out)


def on_page_markdown(markdown: str, **kwargs: Any) -> str:
    for kind, build in (("endpoints", endpoint_blocks), ("models", model_blocks)):
        marker = MARKER.format(kind)
        if marker in markdown:
            markdown = markdown.replace(marker, build())
    return markdown
