"""examples/colab.ipynb runs on the CPU from its first cell after the install to its last.

Every code cell except the install cell (marked by a first line `# install`) is executed in one
namespace, in order, as Jupyter would, with a temporary folder as the working directory. The benchmark
is held to its quick tier, one repeat and two algorithms, so the whole notebook runs in seconds.
"""

import json
from pathlib import Path

import pytest

from tests.helpers import requires

NOTEBOOK = Path(__file__).resolve().parents[1] / "examples" / "colab.ipynb"
INSTALL_MARKER = "# install"


def code_cells() -> list[str]:
    """The sources of the notebook's code cells, in order."""
    cells = json.loads(NOTEBOOK.read_text())["cells"]
    return ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "code"]


def test_notebook_is_clean_and_installs_in_its_first_cell_only():
    notebook = json.loads(NOTEBOOK.read_text())
    assert notebook["nbformat"] == 4
    sources = code_cells()
    assert sources[0].splitlines()[0] == INSTALL_MARKER, "the first code cell should be the install cell"
    assert "pip install" in sources[0]
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None, "outputs should be cleared"
    for source in sources[1:]:
        assert INSTALL_MARKER not in source.splitlines()[:1]
        shell = [line for line in source.splitlines() if line.lstrip().startswith(("!", "%"))]
        assert not shell, f"only the install cell may run shell or magic lines; found {shell}"


@requires("matplotlib", "sklearn")
def test_notebook_runs_on_the_cpu(tmp_path, monkeypatch):
    import xpml.bench

    full_run, asked = xpml.bench.run, {}

    def quick_run(backends, algorithms=None, sizes="full", repeats=3, **kwargs):
        asked.update(backends=backends, sizes=sizes)
        return full_run(backends, algorithms=["kmeans", "pca"], sizes="quick", repeats=1, **kwargs)

    monkeypatch.setattr(xpml.bench, "run", quick_run)
    monkeypatch.chdir(tmp_path)
    namespace = {"__name__": "__main__"}
    for source in code_cells()[1:]:
        exec(compile(source, str(NOTEBOOK), "exec"), namespace)

    from matplotlib.figure import Figure

    gpu_backends, scores = namespace["gpu_backends"], namespace["scores"]["numpy"]
    assert scores["LogisticRegression (accuracy)"] > 0.93
    assert scores["MLPClassifier (accuracy)"] > 0.93
    assert scores["KMeans (adjusted Rand)"] > 0.6
    assert 0.8 < scores["PCA (variance kept)"] < 1.0
    for backend in gpu_backends:  # on a GPU machine: the same scores as numpy
        for model, score in namespace["scores"][backend].items():
            assert score == pytest.approx(scores[model], abs=0.03), (backend, model)

    assert asked == {"backends": [*gpu_backends, "numpy"], "sizes": "large" if gpu_backends else "quick"}
    rows = namespace["rows"]
    for label in ("numpy", "sklearn"):
        mine = [r for r in rows if r["backend"] == label]
        assert {r["algorithm"] for r in mine} == {"kmeans", "pca"}, label
        assert all(r["seconds"] > 0 for r in mine), label
    assert (tmp_path / "bench-out" / "results.json").is_file()
    assert isinstance(namespace["fig"], Figure)
