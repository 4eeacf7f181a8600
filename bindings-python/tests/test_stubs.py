"""The shipped stubs match the module, and every public item has a docstring."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import opcorp

STUB = Path(opcorp.__file__).with_name("__init__.pyi")
HELPER_NAMES = {"AmountLike", "DateLike", "PemLike", "PathLike", "builtins_TimeoutError"}


def _stub_tree():
    return ast.parse(STUB.read_text())


def _stub_members(node: ast.ClassDef) -> set:
    names = set()
    for item in node.body:
        if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(item.name)
        elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
            names.add(item.target.id)
    return names


def test_typed_markers_are_shipped() -> None:
    assert STUB.exists()
    assert STUB.with_name("py.typed").exists()


def test_stub_names_match_module() -> None:
    tree = _stub_tree()
    stubbed = set()
    for node in tree.body:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef)):
            stubbed.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            stubbed.add(node.target.id)
        elif isinstance(node, ast.Assign):
            stubbed.update(t.id for t in node.targets if isinstance(t, ast.Name))
    assert stubbed - HELPER_NAMES == set(opcorp.__all__)


def test_stub_members_match_classes() -> None:
    for node in _stub_tree().body:
        if not isinstance(node, ast.ClassDef):
            continue
        cls = getattr(opcorp, node.name)
        public = {n for n in vars(cls) if not n.startswith("_")}
        stubbed = {n for n in _stub_members(node) if not n.startswith("_")}
        if issubclass(cls, Exception):
            assert stubbed <= set(dir(cls)), node.name
            continue
        assert stubbed == public, (node.name, stubbed ^ public)


def test_stub_signatures_match_functions() -> None:
    for node in _stub_tree().body:
        if isinstance(node, ast.FunctionDef):
            params = [a.arg for a in node.args.args]
            actual = list(inspect.signature(getattr(opcorp, node.name)).parameters)
            assert params == actual, node.name


def test_every_public_item_has_a_docstring() -> None:
    for name in opcorp.__all__:
        if name == "__version__":
            continue
        obj = getattr(opcorp, name)
        assert obj.__doc__ and obj.__doc__.strip(), name
        if inspect.isclass(obj) and not issubclass(obj, Exception):
            for member, value in vars(obj).items():
                if member.startswith("_"):
                    continue
                assert getattr(value, "__doc__", None), f"{name}.{member}"
