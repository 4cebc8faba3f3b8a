"""The instructor's command line: ``course release | check | run | export | grade | selftest | diagrams``."""

import argparse
import sys
from pathlib import Path

from course import paths
from course.grading.sandbox import Limits

EXAMPLES = """\
examples:
  course release week00            regenerate release/week00 from source/week00 with nbgrader
  course check                     release/ is exactly what source/ generates, with nothing leaked
  course run week00 --full         execute the week's source notebooks in full mode (build/executed-full/)
  course export build/executed/week01
                                   every executed notebook there as an HTML page beside it, figures and
                                   maths drawn with no internet (course run week01 first)
  course grade                     grade everything in submitted/<student>/<week>/
  course grade --lms ~/Downloads/week00 --week week00
                                   grade an LMS download (zip archives or loose notebooks)
  course grade --db postgresql://grader@db/course --workers 8
  course grade --db postgresql://grader@db/course --shard 2/3
                                   this machine's third of the students; two others run 1/3 and 3/3
  course selftest week00           solution full marks, blank zero, every wrong variant loses its points
  course diagrams week01           draw the week's diagrams, render their PNGs, embed both in its notebooks
"""


def main(argv=None):
    try:
        return _main(argv)
    except paths.NotACourseCheckout as error:
        print(f"course: {error}", file=sys.stderr)
        return 2


def _main(argv):
    parser = argparse.ArgumentParser(prog="course", description=__doc__, epilog=EXAMPLES,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = commands.add_parser("release", help="regenerate release/ from source/ through nbgrader")
    p.add_argument("week", nargs="?", help="one week (e.g. week00); default: every week with notebooks")

    commands.add_parser("check", help="fail if release/ drifted from source/, leaks answers, or cells are malformed")

    p = commands.add_parser("run", help="execute source notebooks with papermill (tiny mode unless --full)")
    p.add_argument("week", nargs="?")
    p.add_argument("--full", action="store_true", help="the full-size run a student does for real results")
    p.add_argument("--output", type=Path, help="folder for executed copies (default build/executed[-full])")

    p = commands.add_parser("export", help="executed notebooks as standalone HTML pages that need no internet")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="an executed .ipynb, or a folder of them")
    p.add_argument("--output", type=Path, help="folder for the pages (default: beside each notebook)")

    p = commands.add_parser("grade", help="autograde submissions in the sandbox; feedback HTML and grades CSV")
    source = p.add_mutually_exclusive_group()
    source.add_argument("--submitted", type=Path,
                        help="nbgrader layout <student>/<week>/<notebook>.ipynb (default: submitted/)")
    source.add_argument("--lms", type=Path, help="an LMS download folder (zip archives or notebooks); needs --week")
    p.add_argument("--week", help="only this week")
    p.add_argument("--pattern", help="regular expression for LMS file names, with (?P<student_id>) and (?P<file_id>)")
    p.add_argument("--db", help="gradebook SQLAlchemy URL (default: gradebook.db)")
    p.add_argument("--workers", type=int, help="parallel sandboxes (default: the number of cores)")
    p.add_argument("--shard", metavar="K/N", help="grade only the K-th of N shares of the students, split by a "
                   "hash of the student id: one share per machine, all sharing one --db")
    p.add_argument("--force", action="store_true", help="re-grade notebooks already graded")
    p.add_argument("--unsafe", action="store_true",
                   help="run submissions WITHOUT the sandbox, as the grader's own user (only for trusted code)")
    p.add_argument("--cell-timeout", type=int, default=Limits.cell_timeout, metavar="SECONDS",
                   help="wall time for one cell (default: %(default)s)")
    p.add_argument("--notebook-timeout", type=int, default=Limits.notebook_timeout, metavar="SECONDS",
                   help="wall time for one notebook, start-up and restarts included (default: %(default)s)")
    p.add_argument("--memory", type=float, default=Limits.memory / 2**30, metavar="GIB",
                   help="address space of each process in the sandbox, in GiB (default: %(default)g)")

    p = commands.add_parser("selftest", help="the autograder round trip: solution, blank release, wrong variants")
    p.add_argument("week", nargs="?")
    p.add_argument("--workers", type=int, default=2)

    p = commands.add_parser("diagrams", help="draw the diagrams (course/drawings.py) into source/<week>/figures/ "
                            "and embed them in the notebooks as attachments")
    p.add_argument("week", nargs="?")

    args = parser.parse_args(argv)
    return globals()[f"_{args.command}"](args)


def _release(args):
    from course.release import ReleaseError, release

    try:
        weeks = release(args.week)
    except ReleaseError as error:
        print(f"release failed:\n{error}", file=sys.stderr)
        return 1
    print(f"released {', '.join(w.id for w in weeks) or 'nothing (no week has notebooks)'} into release/")
    return 0


def _check(args):
    from course.release import check

    problems = check()
    for problem in problems:
        print(problem, file=sys.stderr)
    print("check: " + ("release/ is sound" if not problems else f"{len(problems)} problem(s)"))
    return 1 if problems else 0


def _run(args):
    from papermill.exceptions import PapermillExecutionError

    from course.run import run

    try:
        run(args.week, full=args.full, output_dir=args.output)
    except PapermillExecutionError as error:
        print(f"a notebook failed: {error}", file=sys.stderr)
        return 1
    return 0


def _export(args):
    from course.export import export

    pages = {}  # notebook -> its page
    for path in args.paths:
        if path.is_dir():
            found = [n for n in sorted(path.rglob("*.ipynb")) if ".ipynb_checkpoints" not in n.parts]
            pages.update((n, args.output / n.relative_to(path).with_suffix(".html") if args.output else None)
                         for n in found)
        elif path.is_file():
            pages[path] = args.output / path.with_suffix(".html").name if args.output else None
        else:
            print(f"export: no notebook or folder at {path}", file=sys.stderr)
            return 2
    if not pages:
        print("export: no notebook found", file=sys.stderr)
        return 2
    for notebook, page in pages.items():
        print(f"{notebook} -> {export(notebook, page)}")
    return 0


def _grade(args):
    from course import syllabus
    from course.grading import grader, report, sandbox, submissions

    args.submitted, args.db = args.submitted or paths.SUBMITTED, args.db or paths.GRADEBOOK_URL
    if args.lms and not args.week:
        print("--lms needs --week: an LMS download holds one assignment", file=sys.stderr)
        return 2
    try:
        shard = submissions.parse_shard(args.shard) if args.shard else None
    except ValueError as error:
        print(f"--shard: {error}", file=sys.stderr)
        return 2
    if args.unsafe:
        print("WARNING: --unsafe runs every submission as your own user, with your files and network in reach.",
              file=sys.stderr)
    else:
        try:
            sandbox.probe()
        except sandbox.SandboxUnavailable as error:
            print(f"grade refuses to run untrusted code without a sandbox: {error}", file=sys.stderr)
            return 2
    weeks = syllabus.weeks_with_notebooks(args.week)
    if args.lms:
        found, problems = submissions.from_lms(args.lms, weeks[0], **({"named_regexp": args.pattern} if args.pattern else {}))
    else:
        found, problems = submissions.from_submitted(args.submitted, weeks)
    for problem in problems:
        print(f"skipped {problem.path}: {problem.reason}", file=sys.stderr)
    if shard:
        found = [s for s in found if submissions.in_shard(s.student, shard)]
    if not found:
        print("nothing to grade", file=sys.stderr)
        return 1
    limits = Limits(cell_timeout=args.cell_timeout, notebook_timeout=args.notebook_timeout,
                    memory=int(args.memory * 2**30))
    grader.grade(found, db_url=args.db, workers=args.workers, isolated=not args.unsafe, force=args.force,
                 limits=limits)
    rows = report.write_grades_csv(args.db, paths.AUTOGRADED / "grades.csv")
    flagged = report.write_summary(paths.AUTOGRADED, paths.AUTOGRADED / "summary.html")
    print(f"grades: autograded/grades.csv ({rows} rows); feedback: feedback/<student>/<week>/; "
          f"summary: autograded/summary.html ({len(flagged)} flag(s))")
    return 0


def _selftest(args):
    from course.selftest import format_table, selftest

    rows, problems = selftest(args.week, workers=args.workers)
    print(format_table(rows))
    for problem in problems:
        print(f"FAIL {problem}", file=sys.stderr)
    print(f"selftest: {len(rows)} test cells, " + ("all as expected" if not problems else f"{len(problems)} problem(s)"))
    return 1 if problems else 0


def _diagrams(args):
    from course import attachments, syllabus

    for week in syllabus.weeks_with_notebooks(args.week):
        for path in attachments.build(week):
            print(f"embedded the diagrams in {path.relative_to(paths.ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
