"""Execute a notebook cell by cell so that no cell can stop the rest from running.

This file runs INSIDE the grading sandbox, as the submission's user, with nothing of the course but
itself: it imports only nbformat and nbclient. Usage:

    python execute.py IN.ipynb OUT.ipynb --cell-timeout 60 --max-cell-output 1000000

- A cell that raises keeps its error output, and execution goes on.
- A cell that runs past its time limit, or kills its kernel (sys.exit is harmless, os._exit is not), gets a
  synthetic error output; the kernel is restarted and the cells that had completed are replayed quietly
  before execution goes on with the next cell.
- Outputs are capped per cell; check records (see minillm.checks) are kept apart from the text cap but
  limited in number.
- OUT is rewritten after every cell, so a hard kill of the whole sandbox still leaves the cells done so far.
Nothing here is trusted by the grader: the sandbox's user can tamper with this process and OUT.
"""

import argparse
import copy
import json
import os

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError

RECORD_MIME = "application/vnd.minillm.check+json"  # as in minillm.checks (this file imports nothing of ours)
MAX_RECORDS_PER_CELL = 1000


class CappedClient(NotebookClient):
    """A NotebookClient that drops a cell's outputs beyond ``max_cell_output`` bytes."""

    def __init__(self, nb, max_cell_output, **kwargs):
        super().__init__(nb, **kwargs)
        self.max_cell_output = max_cell_output
        self.output_bytes = {}
        self.record_counts = {}

    def output(self, outs, msg, display_id, cell_index):
        content = msg.get("content", {})
        if RECORD_MIME in content.get("data", {}):
            count = self.record_counts.get(cell_index, 0) + 1
            self.record_counts[cell_index] = count
            if count > MAX_RECORDS_PER_CELL:
                return None
            return super().output(outs, msg, display_id, cell_index)
        size = len(json.dumps(content, default=str))
        used = self.output_bytes.get(cell_index, 0)
        self.output_bytes[cell_index] = used + size
        if used + size <= self.max_cell_output:
            return super().output(outs, msg, display_id, cell_index)
        if used <= self.max_cell_output:
            outs.append(nbformat.v4.new_output(
                "stream", name="stderr", text=f"[output truncated at {self.max_cell_output} bytes]\n"))
        return None


def killed_output(reason):
    return nbformat.v4.new_output("error", ename="CellKilled", evalue=reason, traceback=[f"CellKilled: {reason}"])


def save(nb, path):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        nbformat.write(nb, f)
    os.replace(tmp, path)


def execute(nb, out_path, cell_timeout, max_cell_output):
    code_cells = [i for i, cell in enumerate(nb.cells) if cell.cell_type == "code"]
    for i in code_cells:
        nb.cells[i].outputs = []
    completed, position = [], 0
    while position < len(code_cells):
        client = CappedClient(nb, max_cell_output, timeout=cell_timeout, allow_errors=True,
                              kernel_name="python3", interrupt_on_timeout=False, startup_timeout=120)
        with client.setup_kernel():
            try:  # replay after a restart: state only, outputs thrown away
                for i in completed:
                    client.execute_cell(copy.deepcopy(nb.cells[i]), i, store_history=False)
            except (CellTimeoutError, DeadKernelError):
                break  # the cells that are left stay without outputs: not run
            while position < len(code_cells):
                index = code_cells[position]
                position += 1
                try:
                    client.execute_cell(nb.cells[index], index)
                except CellTimeoutError:
                    nb.cells[index].outputs.append(killed_output(f"the cell ran past its {cell_timeout} s limit"))
                    save(nb, out_path)
                    break
                except DeadKernelError:
                    nb.cells[index].outputs.append(killed_output("the kernel died while running this cell"))
                    save(nb, out_path)
                    break
                completed.append(index)
                save(nb, out_path)
    save(nb, out_path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook")
    parser.add_argument("output")
    parser.add_argument("--cell-timeout", type=int, default=60)
    parser.add_argument("--max-cell-output", type=int, default=1_000_000)
    args = parser.parse_args()
    nb = nbformat.read(args.notebook, as_version=4)
    execute(nb, args.output, args.cell_timeout, args.max_cell_output)


if __name__ == "__main__":
    main()
