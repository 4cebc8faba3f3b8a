"""Execute a notebook cell by cell, in this very process, so that no cell can stop the rest from running.

This file runs INSIDE the grading sandbox, as the submission's user, with nothing of the course but itself.
The cells run in an IPython shell (the interpreter inside Jupyter's Python kernel) in this process: no kernel
process, no messages, no client library, so grading a notebook costs little more than running its cells.
Usage:

    python execute.py IN.ipynb OUT.ipynb [--max-cell-output BYTES] [--kill-strays]
        [--resume PREVIOUS.ipynb --killed-because REASON]

- A cell that raises (SystemExit included) keeps its error output, and execution goes on.
- OUT is rewritten after every cell: what was done survives anything, and the sandbox's per-cell time limit
  watches the time between two writes. A cell that runs too long, or ends this process (os._exit, a signal,
  a crash), ends the run; the sandbox then starts this again with --resume and the output so far: the cells
  that had completed are replayed quietly (state only, outputs thrown away), the cell that was running gets
  an error saying why and is not run again, and execution goes on with the next one.
- With --kill-strays (only inside the sandbox's own process namespace) every process a cell leaves behind is
  killed after the cell.
- The hidden tests are on disk only until the cells start: IN is read and removed first, and OUT holds the
  cells' outputs without their text. (They are still in this process's memory, and the grader redacts what
  a submission prints of them: see course.grading.redact.)
- Text outputs are capped per cell; check records (see minillm.checks) are kept apart from the text cap but
  limited in number; an error's text is shortened.
Nothing here is trusted by the grader: the submission's code runs in this process and can change anything.
"""

import argparse
import io
import json
import os
import signal
import sys
import time

RECORD_MIME = "application/vnd.minillm.check+json"  # as in minillm.checks (this file imports nothing of ours)
MAX_RECORDS_PER_CELL = 1000
MAX_ERROR_TEXT = 20_000  # characters of an error's message, and of each line of its traceback


class CellOutputs:
    """The outputs of the cell that is running, as nbformat v4 output dicts; text capped at ``limit`` bytes."""

    def __init__(self, limit):
        self.limit = limit
        self.start()

    def start(self):
        self.outputs, self.text_bytes, self.records = [], 0, 0

    def finish(self):
        """The cell's outputs, streams joined into one text each."""
        for output in self.outputs:
            if output["output_type"] == "stream":
                output["text"] = "".join(output["text"])
        return self.outputs

    def _fits(self, size):
        used, self.text_bytes = self.text_bytes, self.text_bytes + size
        if self.text_bytes <= self.limit:
            return True
        if used <= self.limit:
            self.outputs.append({"output_type": "stream", "name": "stderr",
                                 "text": [f"[output truncated at {self.limit} bytes]\n"]})
        return False

    def stream(self, name, text):
        if not text or not self._fits(len(text.encode("utf-8", "replace"))):
            return
        last = self.outputs[-1] if self.outputs else None
        if last and last["output_type"] == "stream" and last["name"] == name:
            last["text"].append(text)
        else:
            self.outputs.append({"output_type": "stream", "name": name, "text": [text]})

    def display(self, data, metadata=None, execution_count=None):
        """A display_data output, or an execute_result when ``execution_count`` is given."""
        if RECORD_MIME in data:
            self.records += 1
            if self.records > MAX_RECORDS_PER_CELL:
                return
        elif not self._fits(len(json.dumps(data, default=str))):
            return
        output = {"output_type": "display_data", "data": data, "metadata": metadata or {}}
        if execution_count is not None:
            output.update(output_type="execute_result", execution_count=execution_count)
        self.outputs.append(output)

    def error(self, ename, evalue, traceback):
        self.outputs.append({"output_type": "error", "ename": str(ename)[:200], "evalue": str(evalue)[:MAX_ERROR_TEXT],
                             "traceback": [str(line)[:MAX_ERROR_TEXT] for line in traceback[-100:]]})

    def has_error(self):
        return any(output["output_type"] == "error" for output in self.outputs)


class Stream(io.TextIOBase):
    """sys.stdout or sys.stderr: what is written becomes a stream output of the running cell."""

    def __init__(self, outputs, name):
        self.outputs, self.name = outputs, name

    def writable(self):
        return True

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        self.outputs.stream(self.name, text)
        return len(text)


def make_shell(outputs):
    """An IPython shell whose displays, results and tracebacks become outputs of the running cell."""
    from IPython.core.displayhook import DisplayHook
    from IPython.core.displaypub import DisplayPublisher
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets import Type
    from traitlets.config import Config

    class Publisher(DisplayPublisher):
        def publish(self, data, metadata=None, *args, **kwargs):
            outputs.display(data, metadata)

        def clear_output(self, wait=False):
            outputs.start()

    class ResultHook(DisplayHook):
        def write_output_prompt(self):
            pass

        def write_format_data(self, format_dict, md_dict=None):
            outputs.display(format_dict, md_dict, execution_count=self.prompt_count)

        def finish_displayhook(self):
            self._is_active = False

    class GradingShell(InteractiveShell):
        display_pub_class = Type(Publisher)
        displayhook_class = Type(ResultHook)

        def _showtraceback(self, etype, evalue, stb):
            outputs.error(getattr(etype, "__name__", "Error"), evalue, stb)

    config = Config()
    config.HistoryManager.enabled = False  # no history database in the sandbox's /tmp
    config.InteractiveShell.colors = "nocolor"
    return GradingShell.instance(config=config)


def killed_output(reason):
    return {"output_type": "error", "ename": "CellKilled", "evalue": reason, "traceback": [f"CellKilled: {reason}"]}


def save(nb, path):
    """Write ``nb``'s outputs as JSON, atomically, after every cell: without the cells' text (which holds the
    hidden tests), without schema validation (the grader validates what it reads back), and with json.dumps,
    whose C encoder is many times faster than json.dump's."""
    tmp = path + ".tmp"
    cells = [{**cell, "source": ""} for cell in nb["cells"]]
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(json.dumps({**nb, "cells": cells}, default=str))
    os.replace(tmp, path)


def load(path):
    """Read the notebook at ``path`` and remove the file: the cells to come must not be read from it."""
    with open(path, encoding="utf-8") as f:
        nb = json.load(f)
    os.remove(path)
    return nb


def kill_strays():
    """SIGKILL every process this one may signal but itself: in the sandbox's process namespace, exactly the
    processes the submission started. Never outside a sandbox: there it would be all of the grader's user's."""
    for _ in range(100):
        try:
            os.kill(-1, signal.SIGKILL)
        except ProcessLookupError:  # none left
            return
        time.sleep(0.01)  # the killed become zombies until the namespace's init reaps them


def resume(nb, previous, code_cells, reason):
    """Take over the outputs of a killed run (``previous``); return the position in ``code_cells`` to go on from.

    The first code cell that had not finished is the one that was running: it gets an error, not another run.
    """
    if len(previous["cells"]) != len(nb["cells"]):
        raise ValueError("the previous run is of another notebook")
    for position, i in enumerate(code_cells):
        done = previous["cells"][i]
        if not has_run(done):
            nb["cells"][i]["outputs"] = [killed_output(reason)]
            return position + 1
        nb["cells"][i]["outputs"], nb["cells"][i]["execution_count"] = done["outputs"], done["execution_count"]
    return len(code_cells)


def has_run(cell):
    """Whether a code cell of an executed notebook ran (or was stopped while running): it has a count or outputs."""
    return cell.get("execution_count") is not None or bool(cell.get("outputs"))


def was_killed(cell):
    return any(output.get("ename") == "CellKilled" for output in cell["outputs"])


def source(cell):
    text = cell.get("source", "")
    return "".join(text) if isinstance(text, list) else text


def execute(nb, out_path, max_cell_output, previous=None, reason="", strays=False):
    code_cells = [i for i, cell in enumerate(nb["cells"]) if cell["cell_type"] == "code"]
    for i in code_cells:
        nb["cells"][i]["outputs"], nb["cells"][i]["execution_count"] = [], None
    position = resume(nb, previous, code_cells, reason) if previous is not None else 0
    save(nb, out_path)
    outputs = CellOutputs(max_cell_output)
    sys.stdout, sys.stderr = Stream(outputs, "stdout"), Stream(outputs, "stderr")
    shell = make_shell(outputs)
    for i in code_cells[:position]:  # replay after a kill: state only
        if not was_killed(nb["cells"][i]):
            shell.run_cell(source(nb["cells"][i]), store_history=False, silent=True)
            os.utime(out_path)  # progress, for the per-cell time limit
    for i in code_cells[position:]:
        cell = nb["cells"][i]
        outputs.start()
        count = shell.execution_count
        result = shell.run_cell(source(cell), store_history=True)
        if strays:
            kill_strays()
        error = result.error_before_exec or result.error_in_exec
        if error is not None and not outputs.has_error():  # its display was silenced: the error still counts
            outputs.error(type(error).__name__, error, [])
        cell["outputs"], cell["execution_count"] = outputs.finish(), count
        save(nb, out_path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook")
    parser.add_argument("output")
    parser.add_argument("--max-cell-output", type=int, default=1_000_000)
    parser.add_argument("--kill-strays", action="store_true", help="only in a process namespace of its own")
    parser.add_argument("--resume", help="the output of a run of this notebook that was killed")
    parser.add_argument("--killed-because", help="with --resume: why the cell that was running was stopped")
    args = parser.parse_args()
    if args.resume and not args.killed_because:
        parser.error("--resume needs --killed-because")
    previous = load(args.resume) if args.resume else None
    execute(load(args.notebook), args.output, args.max_cell_output, previous, args.killed_because, args.kill_strays)


if __name__ == "__main__":
    main()
