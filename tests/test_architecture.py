"""The layout rules of STYLE.md, checked: algorithm code imports no array library, and only the
backend layer knows library names. And the test suite's own layout: what its files import, and the tests its
rules for jax name."""

import ast
from pathlib import Path

import pytest

from xpml.utils.discovery import ALGORITHM_FOLDERS, HOST_FOLDERS

PACKAGE = Path(__file__).resolve().parents[1] / "xpml"
ARRAY_LIBRARIES = {"numpy", "cupy", "torch", "jax", "jaxlib", "array_api_strict", "array_api_compat"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def algorithm_files():
    return sorted(f for folder in ALGORITHM_FOLDERS for f in (PACKAGE / folder).rglob("*.py"))


def test_there_are_algorithm_files_to_check():
    assert (PACKAGE / "linear_model" / "_base.py") in algorithm_files()


@pytest.mark.parametrize("path", algorithm_files(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_algorithm_code_imports_no_array_library(path):
    bad = imported_modules(path) & ARRAY_LIBRARIES
    assert not bad, f"{path.relative_to(PACKAGE)} imports {sorted(bad)}; algorithm code gets xp from the backend"


def test_only_the_backend_layer_imports_array_api_compat():
    users = {p.relative_to(PACKAGE).parts[0] for p in PACKAGE.rglob("*.py") if "array_api_compat" in imported_modules(p)}
    assert users == {"_backend"}


def test_every_algorithm_folder_is_listed():
    """A new folder of algorithm code is added to ALGORITHM_FOLDERS (xpml/utils/discovery.py), the one list;
    a folder of host code (text features, environments) to HOST_FOLDERS, and it holds no algorithm folder's code."""
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert set(ALGORITHM_FOLDERS) <= folders and set(HOST_FOLDERS) <= folders
    assert not set(ALGORITHM_FOLDERS) & set(HOST_FOLDERS)
    assert folders - set(ALGORITHM_FOLDERS) - set(HOST_FOLDERS) <= {"_backend", "utils", "datasets", "io", "bench",
                                                                    "accel"}


def test_files_stay_short():
    """A module that grows past about 300 lines is split along its seams (STYLE.md: read top to bottom)."""
    long = {str(p.relative_to(PACKAGE)): n for p in PACKAGE.rglob("*.py") if (n := len(p.read_text().splitlines())) > 330}
    assert not long, f"modules over 330 lines: {long}"


def test_discovery_sits_below_base():
    """xpml.utils.discovery imports nothing of xpml's upper layers (base, io, the algorithm folders) at import."""
    imported = imported_modules(PACKAGE / "utils" / "discovery.py")
    tree = ast.parse((PACKAGE / "utils" / "discovery.py").read_text())
    relative = [node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level > 0]
    assert relative == [] and "xpml" not in imported


def test_the_architecture_check_catches_an_offender(tmp_path):
    offender = tmp_path / "bad.py"
    offender.write_text("import torch\nfrom jax import numpy as jnp\nfrom .. import base\n")
    assert imported_modules(offender) & ARRAY_LIBRARIES == {"torch", "jax"}


OPTIONAL = {"torch", "jax", "jaxlib", "cupy", "cupyx", "dask", "pandas", "polars", "scipy", "matplotlib"}


@pytest.mark.parametrize("path", sorted((PACKAGE.parent / "tests").rglob("*.py")), ids=lambda p: p.name)
def test_test_modules_import_without_the_optional_libraries(path):
    """A test file imports torch, jax, pandas, ... only inside a test (or after importorskip), so that a
    machine without them collects every file and skips what needs them."""
    tree = ast.parse(path.read_text(), filename=str(path))
    top = [node for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))]
    names = {alias.name.split(".")[0] for node in top if isinstance(node, ast.Import) for alias in node.names}
    names |= {node.module.split(".")[0] for node in top if isinstance(node, ast.ImportFrom) and node.level == 0}
    assert not names & OPTIONAL, f"{path.name} imports {sorted(names & OPTIONAL)} at module level"


def test_the_tests_that_jax_leaves_out_exist():
    """The suite's rules for jax (tests/conftest.py) name test modules and tests by name: a renamed test or module
    would leave its entry matching nothing, and jax running what it was meant to leave to the other backends."""
    from tests.conftest import _LEFT_OUT_ON_JAX, _NEUTRAL_MODULES_ON_JAX

    tests_dir = PACKAGE.parent / "tests"
    for module in sorted(_NEUTRAL_MODULES_ON_JAX | {module for module, _ in _LEFT_OUT_ON_JAX}):
        assert (tests_dir / f"{module}.py").is_file(), f"tests/conftest.py names {module}, which is no test module"
    for module, test in sorted(_LEFT_OUT_ON_JAX):
        tree = ast.parse((tests_dir / f"{module}.py").read_text())
        defined = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
        assert test in defined, f"tests/conftest.py leaves {module}.{test} out on jax, but {module} has no such test"
    from tests._common_recipes import RECIPES
    from tests.conftest import _SAME_CODE_ON_JAX

    assert set(_SAME_CODE_ON_JAX) <= set(RECIPES), "tests/conftest.py's _SAME_CODE_ON_JAX names an unknown estimator"
    for others in _SAME_CODE_ON_JAX.values():  # the estimators fitted on jax in their place have recipes of their own
        assert set(others.split(" and ")) <= set(RECIPES) - set(_SAME_CODE_ON_JAX), others
