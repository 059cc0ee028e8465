"""notebooks/whatif.ipynb runs from top to bottom in this interpreter's kernel, offline.

The kernel is started from a kernel spec written for this test that runs *this* Python
(``sys.executable -m ipykernel_launcher``), so the notebook sees the project's virtual
environment whatever kernels the machine has installed. The notebook solves the demo round
four times (about two minutes).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).parents[2] / "notebooks" / "whatif.ipynb"


def _kernel_manager(tmp_path: Path) -> KernelManager:
    spec_dir = tmp_path / "kernels" / "python3"
    spec_dir.mkdir(parents=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (camp-planner tests)",
        "language": "python",
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    specs = KernelSpecManager(kernel_dirs=[str(tmp_path / "kernels")], ensure_native_kernel=False)
    return KernelManager(kernel_name="python3", kernel_spec_manager=specs)


def test_notebook_is_committed_without_outputs() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert code and all(not cell.outputs and cell.execution_count is None for cell in code)
    assert sum(cell.cell_type == "markdown" for cell in nb.cells) >= len(code) // 2


def test_notebook_runs(tmp_path: Path) -> None:
    pytest.importorskip("ipykernel")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    km = _kernel_manager(tmp_path)
    client = NotebookClient(
        nb,
        km=km,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()
    outputs = [out for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs]
    assert not [out for out in outputs if out.output_type == "error"]
    data = [out.get("data", {}) for out in outputs]
    html = "\n".join(str(d.get("text/html", "")) for d in data)
    assert "leaflet" in html.lower()  # the map is shown inline
    assert sum("image/png" in d for d in data) == 2  # both charts
    assert "Herning closed: change" in html and "Ringkøbing required: change" in html
    assert "6 venues: change" in html
    assert "map.html" not in html and "Traceback" not in html
