"""Execute a notebook cell by cell so that no cell can stop the rest from running.

This file runs INSIDE the grading sandbox, as the submission's user, with nothing of the course but
itself: it imports only nbformat and nbclient. Usage:

    python execute.py IN.ipynb OUT.ipynb --cell-timeout 60 --max-cell-output 1000000 [--kill-strays]
        [--resume PREVIOUS.ipynb]

- A cell that raises keeps its error output, and execution goes on.
- A cell that runs past its time limit, or kills its kernel (sys.exit is harmless, os._exit is not), gets a
  synthetic error output; the kernel is restarted and the cells that had completed are replayed quietly
  before execution goes on with the next cell. With --kill-strays (only inside the sandbox's own process
  namespace) every other process, whatever the old kernel left behind, is killed before the restart.
- A cell can kill this process too; the sandbox then starts it again with --resume and the output of the
  killed run: what was done is kept, the cell that was running gets an error and is not run again.
- Outputs are capped per cell; check records (see minillm.checks) are kept apart from the text cap but
  limited in number.
- OUT is rewritten after every cell, so a hard kill of the whole sandbox still leaves the cells done so far.
Nothing here is trusted by the grader: the sandbox's user can tamper with this process and OUT.
"""

import argparse
import copy
import json
import os
import signal
import time

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
    """Write ``nb`` as JSON, atomically; without nbformat's schema validation, which would cost more than many
    a cell (the grader validates what it reads back anyway)."""
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(nb, f)
    os.replace(tmp, path)


def kill_strays():
    """SIGKILL every process this one may signal but itself: in the sandbox's process namespace, exactly the
    processes of the submission. Never outside a sandbox: there it would be all of the grader's user's."""
    for _ in range(100):
        try:
            os.kill(-1, signal.SIGKILL)
        except ProcessLookupError:  # none left
            return
        time.sleep(0.01)  # the killed become zombies until the namespace's init reaps them


def resume(nb, previous, code_cells):
    """Take over the outputs of a killed run (``previous``); return the position in ``code_cells`` to go on from.

    The first code cell that had not finished is the one that was running: it gets an error, not another run.
    """
    if len(previous.cells) != len(nb.cells):
        raise ValueError("the previous run is of another notebook")
    for position, i in enumerate(code_cells):
        done = previous.cells[i]
        if done.get("execution_count") is None and not done.get("outputs"):
            nb.cells[i].outputs = [killed_output("the grading process was killed while this cell ran")]
            return position + 1
        nb.cells[i].outputs, nb.cells[i].execution_count = done.outputs, done.execution_count
    return len(code_cells)


def was_killed(cell):
    return any(output.get("ename") == "CellKilled" for output in cell.outputs)


def execute(nb, out_path, cell_timeout, max_cell_output, previous=None, strays=False):
    code_cells = [i for i, cell in enumerate(nb.cells) if cell.cell_type == "code"]
    for i in code_cells:
        nb.cells[i].outputs = []
    position = resume(nb, previous, code_cells) if previous is not None else 0
    completed = [i for i in code_cells[:position] if not was_killed(nb.cells[i])]
    save(nb, out_path)
    while position < len(code_cells):
        if strays:
            kill_strays()
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
    parser.add_argument("--kill-strays", action="store_true", help="only in a process namespace of its own")
    parser.add_argument("--resume", help="the output of a run of this notebook that was killed")
    args = parser.parse_args()
    nb = nbformat.read(args.notebook, as_version=4)
    previous = nbformat.read(args.resume, as_version=4) if args.resume else None
    execute(nb, args.output, args.cell_timeout, args.max_cell_output, previous, args.kill_strays)


if __name__ == "__main__":
    main()
