"""The layout rules of STYLE.md, checked: algorithm code imports no array library, and only the
backend layer knows library names."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "xpml"
ALGORITHM_FOLDERS = ["linear_model", "cluster", "decomposition", "neural_network", "neighbors", "naive_bayes",
                     "svm", "preprocessing", "metrics", "model_selection", "optim"]
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


def test_the_architecture_check_catches_an_offender(tmp_path):
    offender = tmp_path / "bad.py"
    offender.write_text("import torch\nfrom jax import numpy as jnp\nfrom .. import base\n")
    assert imported_modules(offender) & ARRAY_LIBRARIES == {"torch", "jax"}
