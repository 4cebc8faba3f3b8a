"""The grading sandbox: bubblewrap namespaces, an unprivileged user and resource limits.

A submission runs with: no network; a private directory holding only its own notebook; the Python
installation, the course library and the data read-only; no view of the repository (source notebooks,
gradebook, other submissions); and limits on address space, processes, file size and open files.
Wall time per cell is the executor's job, per notebook the caller's (``subprocess`` timeout).
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from course import paths

EXECUTOR = Path(__file__).with_name("execute.py")
FIRST_UID = 61000


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
    cell_output: int = 1_000_000  # bytes of text output kept per cell
    resumes: int = 5  # fresh sandboxes after the executor was killed from inside


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


def command(workdir, uid, limits, argv):
    """The command line that runs ``argv`` in the sandbox, with ``workdir`` mounted read-write at /grading."""
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        raise SandboxUnavailable(
            "bubblewrap (bwrap) is not installed. Install it with `sudo apt-get install bubblewrap` "
            "(`make sandbox` does this), or grade without isolation with --unsafe.")
    cmd = ["prlimit", f"--as={limits.memory}", f"--nproc={limits.processes}", f"--fsize={limits.file_size}",
           "--nofile=512", "--core=0", "--", bwrap, "--die-with-parent", "--new-session",
           "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try",
           # /tmp first: the repository itself may live under /tmp, and its mounts must stay visible
           "--perms", "1777", "--size", str(limits.tmp_size), "--tmpfs", "/tmp", "--proc", "/proc", "--dev", "/dev"]
    cmd += _read_only_mounts()
    cmd += ["--perms", "0755", "--dir", "/sandbox", "--ro-bind", str(EXECUTOR), "/sandbox/execute.py",
            "--bind", str(workdir), "/grading", "--chdir", "/grading", "--clearenv",
            "--setenv", "PATH", f"{sys.prefix}/bin:/usr/bin:/bin", "--setenv", "HOME", "/tmp",
            "--setenv", "MINILLM_GRADING", "1", "--setenv", "MINILLM_TINY", "1",
            "--setenv", "COURSE_DATA_DIR", str(paths.DATA), "--setenv", "MPLBACKEND", "Agg",
            "--setenv", "PYTHONDONTWRITEBYTECODE", "1", "--setenv", "OMP_NUM_THREADS", "1",
            "--setenv", "HF_HUB_OFFLINE", "1", "--setenv", "HF_DATASETS_OFFLINE", "1"]
    if os.geteuid() == 0:  # drop to a user of its own: process limits then count only this submission
        cmd += ["--", "setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--no-new-privs"]
    else:
        cmd += ["--unshare-user", "--"]
    return cmd + argv


def execute(notebook_path, output_path, *, worker=0, limits=Limits(), isolated=True):
    """Run the executor on ``notebook_path`` in a fresh sandbox; copy what it produced to ``output_path``.

    A submission can kill the executor from inside; a fresh sandbox then goes on after the cell that was
    running, from the output so far (at most ``limits.resumes`` times, within the notebook's time).
    ``isolated=False`` runs it directly as the grader's user, as plain nbgrader does (``grade --unsafe``).
    Returns ``(timed_out, kills)``: whether the notebook ran out of time, how many times the executor was
    killed. The output notebook is untrusted data.
    """
    uid = FIRST_UID + (os.getpid() % 500) * 8 + worker
    deadline = time.monotonic() + limits.notebook_timeout
    kills = 0
    while True:
        with tempfile.TemporaryDirectory(prefix="grading-") as workdir:  # fresh: the last one was the submission's
            shutil.copy(notebook_path, Path(workdir) / "in.ipynb")
            args = ["in.ipynb", "out.ipynb", f"--cell-timeout={limits.cell_timeout}",
                    f"--max-cell-output={limits.cell_output}"]
            if kills:
                shutil.copy(output_path, Path(workdir) / "previous.ipynb")
                args.append("--resume=previous.ipynb")
            if isolated:
                if os.geteuid() == 0:
                    os.chown(workdir, uid, uid)
                argv = [sys.executable, "/sandbox/execute.py", *args, "--kill-strays"]
                cmd, env = command(workdir, uid, limits, argv), None
            else:
                cmd = [sys.executable, str(EXECUTOR), *args]
                env = {**os.environ, "MINILLM_GRADING": "1", "MINILLM_TINY": "1", "COURSE_DATA_DIR": str(paths.DATA)}
            try:
                # the kernel inherits these: capturing them would let a submission fill the grader's memory
                done = subprocess.run(cmd, cwd=workdir, env=env, timeout=max(deadline - time.monotonic(), 1),
                                      stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            except subprocess.TimeoutExpired:
                done = None
            produced = Path(workdir) / "out.ipynb"
            fresh = produced.is_file() and not produced.is_symlink()
            if fresh:
                shutil.copyfile(produced, output_path)
        if done is None:
            return True, kills
        if done.returncode == 0 or not fresh or kills == limits.resumes:
            return False, kills
        kills += 1


def probe():
    """Raise SandboxUnavailable, with the reason and the fix, unless a sandbox starts here."""
    with tempfile.TemporaryDirectory() as workdir:
        os.chmod(workdir, 0o777)
        try:
            done = subprocess.run(command(workdir, FIRST_UID, Limits(), [sys.executable, "-c", "pass"]),
                                  capture_output=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise SandboxUnavailable(f"the sandbox did not start: {error}") from None
    if done.returncode != 0:
        raise SandboxUnavailable(
            "the sandbox did not start: " + done.stderr.decode("utf-8", "replace").strip()[-500:] +
            "\nbubblewrap needs root or unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1);"
            " grade without isolation only with --unsafe.")
