"""notebooks/sigmap_python.ipynb runs from start to end in a python3 kernel (nbclient):
every code cell is executed, none may raise, and the cells that show a map, a frame or a
table show one."""

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "sigmap_python.ipynb"


@pytest.mark.parametrize("cwd", ["root", "notebooks"])
def test_notebook_runs_every_cell(cwd):
    """From the repository root (as the notebook says) and from notebooks/ (where Jupyter
    starts when opened there)."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    # the committed outputs are cleared first: what is checked below is this run's
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    client = NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parents[1] if cwd == "root" else NOTEBOOK.parent)}},
        allow_errors=False,
    )
    client.execute()
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert len(code) >= 10
    for i, cell in enumerate(code):
        assert cell.execution_count is not None, f"code cell {i} was not executed"
        kinds = [o.output_type for o in cell.outputs]
        assert "error" not in kinds, f"code cell {i} raised"
        assert kinds, f"code cell {i} shows nothing:\n{cell.source}"
    shown = [set(o.get("data", {})) for c in code for o in c.outputs]
    assert sum("image/svg+xml" in s for s in shown) >= 2, "the two maps"
    frames = [o["data"]["text/html"] for c in code for o in c.outputs
              if "text/html" in o.get("data", {})]
    assert any("<iframe srcdoc=" in h for h in frames), "the interactive map"
    assert sum("dataframe" in h for h in frames) >= 5, "the DataFrames"
