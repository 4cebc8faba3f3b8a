"""Execute source notebooks with papermill: tiny mode by default, full mode on request."""

import os
import time

import papermill

from course import paths, syllabus


def run(week_id=None, full=False, output_dir=None, progress=print):
    """Execute every source notebook of one week (or all) into ``output_dir`` (default build/executed/)."""
    output_dir = output_dir or paths.BUILD / ("executed-full" if full else "executed")
    executed = []
    for week in syllabus.weeks_with_notebooks(week_id):
        for name in week.notebooks:
            executed.append(execute(week.id, name, full, output_dir / week.id / name))
            progress(f"{week.id}/{name}: {executed[-1][1]:.1f} s -> {executed[-1][0]}")
    return executed


def execute(week_id, name, full, output_path):
    """Run one notebook from its own folder, as a student would; return ``(output_path, seconds)``."""
    output_path.parent.mkdir(parents=True, exist_ok=True)
    source = paths.SOURCE / week_id / name
    env_tiny = os.environ.get("MINILLM_TINY")
    if not full:
        os.environ["MINILLM_TINY"] = "1"  # the kernel inherits it: tiny even if a notebook says FULL = True
    start = time.perf_counter()
    try:
        papermill.execute_notebook(str(source), str(output_path), parameters={"FULL": full},
                                   kernel_name="python3", cwd=str(source.parent), progress_bar=False)
    finally:
        if env_tiny is None:
            os.environ.pop("MINILLM_TINY", None)
        else:
            os.environ["MINILLM_TINY"] = env_tiny
    return output_path, time.perf_counter() - start
