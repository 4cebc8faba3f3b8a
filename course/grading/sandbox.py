"""The grading sandbox: bubblewrap namespaces, an unprivileged user and resource limits.

A submission runs with: no network; a private directory holding only its own notebook; the Python
installation, the course library and the data read-only; no view of the repository (source notebooks,
gradebook, other submissions); a system-call filter (no namespaces, mounts or ptrace: see seccomp.py); and
limits on address space, processes, file size and open files. Wall time per cell and per notebook is watched
from outside, by ``execute``.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from course import paths
from course.grading import seccomp
from course.grading.execute import has_run

EXECUTOR = Path(__file__).with_name("execute.py")
FIRST_UID = 61000
MAX_OUTPUT_BYTES = 64 * 2**20  # an executed notebook larger than this is not read


# what a notebook sees under the grader (as well as COURSE_DATA_DIR); plotly as in a Jupyter kernel: the figure's
# data alone (its default outside a kernel adds plotly.js, megabytes, to every figure)
SANDBOX_ENV = {"MINILLM_GRADING": "1", "MINILLM_TINY": "1", "MPLBACKEND": "Agg", "PLOTLY_RENDERER": "plotly_mimetype",
               "PYTHONDONTWRITEBYTECODE": "1", "OMP_NUM_THREADS": "1", "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}


class SandboxUnavailable(RuntimeError):
    """No sandbox can be set up here; the message says why and how to fix it."""


@dataclass(frozen=True)
class Limits:
    cell_timeout: int = 60  # seconds per cell
    notebook_timeout: int = 600  # seconds for the whole notebook, start-up included
    memory: int = 6 * 2**30  # bytes of address space per process
    processes: int = 256  # per sandbox user
    file_size: int = 256 * 2**20  # bytes, any one file it writes
    tmp_size: int = 512 * 2**20  # bytes in /tmp, a tmpfs: the grading machine's memory
    shm_size: int = 128 * 2**20  # bytes in /dev/shm (multiprocessing's locks, shared tensors), a tmpfs too
    cell_output: int = 1_000_000  # bytes of text output kept per cell
    resumes: int = 5  # fresh sandboxes after the executor died or ran past a cell's limit


def _read_only_mounts():
    """bwrap arguments showing the sandbox, read-only, the system, Python, the virtual environment,
    the library and the data (parents created world-readable, symbolic links kept as links)."""
    candidates = ["/usr", "/bin", "/sbin", "/lib", "/lib64", "/etc", sys.base_prefix, sys.prefix,
                  str(paths.LIB), str(paths.DATA)]
    args, made = [], {"/", "/tmp"}  # both exist already
    for path in dict.fromkeys(candidates):
        if not os.path.lexists(path):
            continue
        for parent in reversed(Path(path).parents):
            if str(parent) not in made:
                made.add(str(parent))
                args += ["--perms", "0755", "--dir", str(parent)]
        if os.path.islink(path):
            args += ["--symlink", os.readlink(path), path]
        else:
            args += ["--ro-bind", path, path]
    return args


def start(workdir, uid, limits, argv, **popen):
    """Start ``argv`` in the sandbox (see ``command``) under the system-call filter; return its Popen."""
    try:
        program = seccomp.program()
    except ValueError as error:
        raise SandboxUnavailable(f"{error}; grade without isolation only with --unsafe.") from None
    read, write = os.pipe()  # bubblewrap reads the filter from here
    try:
        os.write(write, program)
        os.close(write)
        return subprocess.Popen(command(workdir, uid, limits, argv, read), pass_fds=(read,), **popen)
    finally:
        os.close(read)


def command(workdir, uid, limits, argv, filter_fd):
    """The command line that runs ``argv`` in the sandbox, with ``workdir`` mounted read-write at /grading and
    the seccomp filter read from the file descriptor ``filter_fd``."""
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        raise SandboxUnavailable(
            "bubblewrap (bwrap) is not installed. Install it with `sudo apt-get install bubblewrap` "
            "(`make sandbox` does this), or grade without isolation with --unsafe.")
    cmd = ["prlimit", f"--as={limits.memory}", f"--nproc={limits.processes}", f"--fsize={limits.file_size}",
           "--nofile=512", "--core=0", "--", bwrap, "--die-with-parent", "--new-session", "--seccomp", str(filter_fd),
           "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try",
           # /tmp first: the repository itself may live under /tmp, and its mounts must stay visible
           "--perms", "1777", "--size", str(limits.tmp_size), "--tmpfs", "/tmp", "--proc", "/proc", "--dev", "/dev",
           "--perms", "1777", "--size", str(limits.shm_size), "--tmpfs", "/dev/shm"]
    cmd += _read_only_mounts()
    cmd += ["--perms", "0755", "--dir", "/sandbox", "--ro-bind", str(EXECUTOR), "/sandbox/execute.py",
            "--bind", str(workdir), "/grading", "--chdir", "/grading", "--clearenv",
            "--setenv", "PATH", f"{sys.prefix}/bin:/usr/bin:/bin", "--setenv", "HOME", "/tmp",
            "--setenv", "COURSE_DATA_DIR", str(paths.DATA)]
    for name, value in SANDBOX_ENV.items():
        cmd += ["--setenv", name, value]
    if os.geteuid() == 0:  # drop to a user of its own: process limits then count only this submission
        cmd += ["--", "setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--no-new-privs"]
    else:
        cmd += ["--unshare-user", "--"]
    return cmd + argv


def execute(notebook_path, output_path, *, worker=0, limits=Limits(), isolated=True):
    """Run the executor on ``notebook_path`` in a fresh sandbox; copy what it produced to ``output_path``.

    The executor rewrites its output after every cell; a run whose output stays unchanged for longer than
    ``limits.cell_timeout`` is killed, and so is one the submission killed from inside: a fresh sandbox then
    goes on after the cell that was running, from the output so far (at most ``limits.resumes`` times, within
    the notebook's time). ``isolated=False`` runs it directly as the grader's user, as plain nbgrader does
    (``grade --unsafe``). Returns ``(timed_out, deaths)``: whether the notebook ran out of time, how many times
    the executor died of something else than a cell's time limit. The output notebook is untrusted data.
    """
    uid = FIRST_UID + (os.getpid() % 500) * 8 + worker
    deadline = time.monotonic() + limits.notebook_timeout
    restarts, deaths, reason = 0, 0, None
    while True:
        with tempfile.TemporaryDirectory(prefix="grading-") as workdir:  # fresh: the last one was the submission's
            shutil.copy(notebook_path, Path(workdir) / "in.ipynb")
            args = ["in.ipynb", "out.ipynb", f"--max-cell-output={limits.cell_output}"]
            if restarts:
                shutil.copy(output_path, Path(workdir) / "previous.ipynb")
                args += ["--resume=previous.ipynb", f"--killed-because={reason}"]
            # the executor inherits these: capturing them would let a submission fill the grader's memory
            quiet = {"stdin": subprocess.DEVNULL, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
            if isolated:
                if os.geteuid() == 0:
                    os.chown(workdir, uid, uid)
                argv = [sys.executable, "/sandbox/execute.py", *args, "--kill-strays"]
                process = start(workdir, uid, limits, argv, cwd=workdir, **quiet)
            else:
                env = {**os.environ, **SANDBOX_ENV, "COURSE_DATA_DIR": str(paths.DATA)}
                process = subprocess.Popen([sys.executable, str(EXECUTOR), *args], cwd=workdir, env=env, **quiet)
            produced = Path(workdir) / "out.ipynb"
            stopped = _watch(process, produced, limits.cell_timeout, deadline)
            fresh = produced.is_file() and not produced.is_symlink()
            if fresh:
                shutil.copyfile(produced, output_path)
        if stopped == "notebook":
            return True, deaths
        if not fresh:
            return False, deaths
        complete = stopped is None and _all_ran(output_path)
        if stopped is None and (process.returncode != 0 or not complete):
            deaths += 1
        if complete or restarts == limits.resumes:
            return False, deaths
        restarts += 1
        reason = (f"the cell ran past its {limits.cell_timeout} s limit" if stopped == "cell"
                  else "the grading process was killed while this cell ran")


def _all_ran(path):
    """Whether every code cell of the executor's output at ``path`` ran (a cell may have ended the process,
    even with status 0, before the rest ran). Untrusted data: in any doubt, yes, and the grader reports it."""
    try:
        if os.path.getsize(path) > MAX_OUTPUT_BYTES:
            return True
        cells = json.loads(Path(path).read_text(encoding="utf-8"))["cells"]
        return all(has_run(cell) for cell in cells if cell.get("cell_type") == "code")
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return True


def _watch(process, progress, cell_timeout, deadline):
    """Wait for ``process`` to end; return None, or why it was killed: "notebook" when ``deadline`` passed,
    "cell" when ``progress`` (the output the executor rewrites after every cell) stayed unchanged for longer
    than ``cell_timeout`` seconds. A submission can keep touching that file: then the notebook's limit holds."""
    changed, stamp = time.monotonic(), None
    while True:
        try:
            process.wait(timeout=0.25)
            return None
        except subprocess.TimeoutExpired:
            pass
        now = time.monotonic()
        try:
            seen = os.lstat(progress).st_mtime_ns
        except OSError:
            seen = None
        if seen != stamp:
            changed, stamp = now, seen
        stopped = "notebook" if now >= deadline else "cell" if now - changed > cell_timeout else None
        if stopped:
            process.kill()  # bwrap: its namespace's init dies with it, and with that every process inside
            process.wait()
            return stopped


def probe():
    """Raise SandboxUnavailable, with the reason and the fix, unless a sandbox starts here."""
    with tempfile.TemporaryDirectory() as workdir:
        os.chmod(workdir, 0o777)
        process = start(workdir, FIRST_UID, Limits(), [sys.executable, "-c", "pass"], stdout=subprocess.PIPE,
                        stderr=subprocess.PIPE)
        try:
            _, stderr = process.communicate(timeout=60)
        except (OSError, subprocess.TimeoutExpired) as error:
            process.kill()
            raise SandboxUnavailable(f"the sandbox did not start: {error}") from None
    if process.returncode != 0:
        raise SandboxUnavailable(
            "the sandbox did not start: " + stderr.decode("utf-8", "replace").strip()[-500:] +
            "\nbubblewrap needs root or unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1);"
            " grade without isolation only with --unsafe.")
