"""Executes a course notebook in the standalone .NET Interactive kernel through Jupyter's own executor.

Independent of the course's tool: nbformat reads the notebook, the fast profile's values are injected
papermill-style (a cell tagged injected-parameters after the cell tagged parameters), nbclient runs every
cell in the kernel named ".net-csharp" (JUPYTER_PATH must point at the kernelspec environment/setup.sh
writes), and the executed notebook is written. Prints one JSON line: what each code cell put out.

usage: execute_in_jupyter.py NOTEBOOK OUTPUT [PROFILE]
"""
import json
import os
import sys

import nbformat
from nbclient import NotebookClient


def inject(notebook, profile):
    values = notebook.metadata["contrastive_notes"]["profiles"][profile]
    index = next(i for i, c in enumerate(notebook.cells) if "parameters" in c.metadata.get("tags", []))
    # Every value in the course's profiles is a number or a string; C# infers the same types from the literals.
    source = "\n".join(f"var {name} = {json.dumps(value)};" for name, value in values.items())
    cell = nbformat.v4.new_code_cell(source, metadata={
        "tags": ["injected-parameters"],
        "dotnet_interactive": {"language": "csharp"},
        "polyglot_notebook": {"kernelName": "csharp"},
    })
    notebook.cells.insert(index + 1, cell)


def summary(notebook):
    cells = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        cells.append({
            "id": cell.get("id"),
            "outputs": [
                {
                    "output_type": o.output_type,
                    "name": o.get("name"),
                    "text": o.get("text") or o.get("evalue"),
                    "mime": sorted(o.get("data", {}).keys()),
                }
                for o in cell.outputs
            ],
        })
    return cells


def main():
    source, target = sys.argv[1], sys.argv[2]
    profile = sys.argv[3] if len(sys.argv) > 3 else "fast"
    notebook = nbformat.read(source, as_version=4)
    inject(notebook, profile)
    client = NotebookClient(notebook, timeout=1800, kernel_name=".net-csharp", allow_errors=True,
                            resources={"metadata": {"path": os.path.dirname(os.path.abspath(source))}})
    client.execute()
    nbformat.validate(notebook)
    nbformat.write(notebook, target)
    print(json.dumps(summary(notebook)))


if __name__ == "__main__":
    main()
