"""The ``cryptocourse`` command: open the course, check the set-up, release and grade exercises.

    cryptocourse lab        open JupyterLab at the start page
    cryptocourse doctor     check this machine's set-up and say what to fix
    cryptocourse release    write learners' exercise copies from the solution notebooks
    cryptocourse grade      grade a folder of submissions into a gradebook

``cryptocourse COMMAND --help`` explains each one.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

START_PAGE = "notebooks/00_start_here.ipynb"


def course_root() -> Path:
    """The course folder to work in: the current folder if it holds the course (a clone, or a folder
    the course was copied into), else the clone this package was installed from (editable install)."""
    from .workspace import course_source, is_clone, is_course_folder

    if is_course_folder(Path.cwd()):
        return Path.cwd()
    try:
        source = course_source()
    except FileNotFoundError:
        source = None
    if source is not None and is_clone(source):
        return source
    raise SystemExit(
        "cryptocourse: this folder holds no course notebooks (notebooks/00_start_here.ipynb).\n"
        "Run `cryptocourse lab` to copy the course here and open it, or run this command from the course folder.")


def lab_folder(args: argparse.Namespace) -> Path:
    """The folder `cryptocourse lab` opens, copying the course into it first where needed.

    --dir DIR, or the current folder when the package was installed without a clone: the course is
    copied in (new files added, files the learner changed left alone). A clone, or a folder the course
    was copied into before, is opened in place; a copied folder is brought up to date first.
    """
    from .workspace import RECORD, copy_course, course_source, is_clone, is_course_folder

    if args.dir is not None:
        target = Path(args.dir).expanduser()
    elif is_course_folder(Path.cwd()):
        target = Path.cwd()
    else:
        try:
            source = course_source()
        except FileNotFoundError as exc:
            raise SystemExit(str(exc)) from None
        target = source if is_clone(source) else Path.cwd()
    if is_clone(target):
        return target.resolve()
    if is_course_folder(target) and not (target / RECORD).exists():
        return target.resolve()  # a course folder we did not make (e.g. another clone): open it as it is
    try:
        report = copy_course(target)
    except (OSError, ValueError) as exc:
        raise SystemExit(f"cryptocourse lab: cannot copy the course into {target}: {exc}") from None
    print(report.summary(), flush=True)
    return report.folder


def lab_command(args: argparse.Namespace, root: Path) -> list[str]:
    """The JupyterLab command line that `cryptocourse lab` runs in ``root`` (tested without starting it)."""
    cmd = [sys.executable, "-m", "jupyterlab", START_PAGE,
           f"--ServerApp.root_dir={root}", f"--ServerApp.ip={args.ip}"]
    if args.port:
        cmd.append(f"--ServerApp.port={args.port}")
    if args.no_browser:
        cmd.append("--ServerApp.open_browser=False")
    if args.token is not None:
        cmd.append(f"--IdentityProvider.token={args.token}")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--ServerApp.allow_root=True")  # containers, Binder-like images and CI run as root
    return cmd + list(args.jupyter_args)


def cmd_lab(args: argparse.Namespace) -> int:
    root = lab_folder(args)
    if args.copy_only:
        print(f"The course is ready in {root}; open it with: cryptocourse lab --dir {root}")
        return 0
    cmd = lab_command(args, root)
    print("Opening the course in JupyterLab (stop it with Ctrl+C)...", flush=True)
    os.chdir(root)
    os.execv(cmd[0], cmd)  # replace this process: Ctrl+C and signals go straight to JupyterLab
    return 0  # pragma: no cover


def cmd_doctor(args: argparse.Namespace) -> int:
    from .doctor import diagnose, report

    findings = diagnose(evm=not args.skip_evm)
    print(report(findings))
    return 0 if all(f.ok for f in findings) else 1


def _solution_notebooks(args: argparse.Namespace) -> list[Path]:
    if args.solutions:
        return [Path(p) for p in args.solutions]
    if args.nbgrader is not None and not (Path.cwd() / "exercises/solutions").is_dir():
        from .workspace import course_source

        root = course_source()   # an installed course can be exported from any folder
    else:
        root = course_root()
    return sorted((root / "exercises/solutions").glob("[0-9][0-9]*_*.ipynb"))


def cmd_release(args: argparse.Namespace) -> int:
    from .exercises.release import ReleaseError, release

    paths = _solution_notebooks(args)
    if not paths:
        print("cryptocourse release: no solution notebooks found in exercises/solutions/", file=sys.stderr)
        return 2
    if args.nbgrader is not None:
        return _release_nbgrader(paths, Path(args.nbgrader))
    stale = 0
    for path in paths:
        try:
            target, fresh = release(path, check_only=args.check)
        except ReleaseError as exc:
            print(f"cryptocourse release: {exc}", file=sys.stderr)
            return 2
        if fresh:
            print(f"up to date  {target}")
        elif args.check:
            stale += 1
            print(f"OUT OF DATE {target} (run: cryptocourse release {path})")
        else:
            print(f"wrote       {target}")
    return 1 if stale else 0


def _release_nbgrader(paths: list[Path], dest: Path) -> int:
    from .exercises.release import ReleaseError
    from .exercises.to_nbgrader import export

    try:
        written = export(paths, dest)
    except ReleaseError as exc:
        print(f"cryptocourse release: {exc}", file=sys.stderr)
        return 2
    for item in written:
        auto, manual = sum(item.autograded.values()), sum(item.manual.values())
        print(f"wrote       {item.path}  ({item.assignment}: {auto:g} points autograded"
              + (f", {manual:g} graded by hand)" if manual else ")"))
    print(f"nbgrader course folder: {dest} (cd there, then: nbgrader generate_assignment set01)")
    return 0


def cmd_grade(args: argparse.Namespace) -> int:
    import dataclasses

    from .exercises.grade import GradeOptions, main as grade_main

    options = GradeOptions(**{f.name: getattr(args, f.name) for f in dataclasses.fields(GradeOptions)})
    return grade_main(options)


def _seconds(text: str) -> float:
    """argparse type: a finite number of seconds above 0 (0, negative, nan and inf switch a limit off)."""
    import math

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number of seconds (got {text!r})") from None
    if not math.isfinite(value) or not 0 < value <= 86_400:
        raise argparse.ArgumentTypeError(f"must be above 0 and at most 86400 seconds (got {text!r})")
    return value


def _whole(low: int, high: int, what: str):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a whole number (got {text!r})") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be {what} (got {text!r})")
        return value
    return parse


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cryptocourse",
        description="Who owns the models? An interactive course on decentralised AI governance and "
                    "crypto cash flow.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    lab = sub.add_parser("lab", help="open the course in JupyterLab at the start page",
                         description="Start JupyterLab in the course folder with notebooks/00_start_here.ipynb "
                                     "open. Installed without a clone, the course is first copied into this "
                                     "folder (or --dir); notebooks you changed are never overwritten. Extra "
                                     "arguments after -- go to JupyterLab unchanged.")
    lab.add_argument("--port", type=int, default=0, help="port to serve on (default: JupyterLab picks 8888 or the next free one)")
    lab.add_argument("--ip", default="127.0.0.1", help="address to listen on (default: this machine only)")
    lab.add_argument("--no-browser", action="store_true", help="do not open a web browser (servers, tests)")
    lab.add_argument("--token", default=None, help="access token (default: JupyterLab makes one and opens the browser with it)")
    lab.add_argument("--dir", default=None,
                     help="course folder to open; the course is copied into it first if it is not there "
                          "(default: this folder, or the clone the course was installed from)")
    lab.add_argument("--copy-only", action="store_true",
                     help="copy or update the course in the folder and stop, without starting JupyterLab")
    lab.add_argument("jupyter_args", nargs=argparse.REMAINDER, help="further JupyterLab options, after --")
    lab.set_defaults(func=cmd_lab)

    doctor = sub.add_parser("doctor", help="check this machine's set-up and say what to fix",
                            description="Check Python, the course's packages, the JupyterLab widgets extension, "
                                        "the notebook kernel and the EVM. Exit code 0 when all is well.")
    doctor.add_argument("--skip-evm", action="store_true", help="skip compiling a test contract (faster)")
    doctor.set_defaults(func=cmd_doctor)

    rel = sub.add_parser("release", help="write learners' exercise copies from the solutions",
                         description="For each exercises/solutions/NN_topic.ipynb (or the ones named), write "
                                     "exercises/NN_topic.ipynb with the answers replaced by placeholders.")
    rel.add_argument("solutions", nargs="*", help="solution notebooks (default: all)")
    rel.add_argument("--check", action="store_true", help="only report copies that are out of date (exit 1 if any)")
    rel.add_argument("--nbgrader", metavar="DIR", default=None,
                     help="instead, write an nbgrader course folder: DIR/source/setNN/NN_topic.ipynb for every set "
                          "(answers as solution cells, checks as autograded test cells) and DIR/nbgrader_config.py")
    rel.set_defaults(func=cmd_release)

    grade = sub.add_parser("grade", help="grade a folder of submissions into a gradebook",
                           description="Grade every submission of one exercise set, each in its own fresh kernel, "
                                       "and write a CSV gradebook plus per-student feedback.")
    grade.add_argument("solution", help="the solution notebook of the set, e.g. exercises/solutions/01_money_math.ipynb")
    grade.add_argument("submissions", nargs="+", help="submitted notebooks, folders of them, or globs")
    grade.add_argument("--out", default="gradebook.csv", help="CSV gradebook to write (default: gradebook.csv)")
    grade.add_argument("--feedback", default=None, help="folder for per-student feedback (default: feedback/ next to --out)")
    grade.add_argument("--format", choices=["md", "html"], default="md", help="feedback format (default: md)")
    grade.add_argument("--gradescope", default=None, help="also write Gradescope results.json files into this folder")
    grade.add_argument("--workers", type=_whole(0, 64, "from 0 (one per CPU core) to 64"), default=0,
                       help="submissions graded at once (default: one per CPU core)")
    grade.add_argument("--cell-timeout", type=_seconds, default=30.0, help="seconds a cell may run (default: 30)")
    grade.add_argument("--timeout", type=_seconds, default=300.0,
                       help="seconds a whole submission may take; answers checked before it count (default: 300)")
    grade.add_argument("--memory-mb", type=_whole(256, 1 << 20, "at least 256"), default=4096,
                       help="memory cap per submission in MiB, over all its processes (default: 4096)")
    grade.add_argument("--zero-flagged", action="store_true",
                       help="also give 0 where a flag only asks for a review (e.g. the notebook called the "
                            "reference outside the graded function); evidence of using the reference or of "
                            "tampering always gives 0")
    grade.set_defaults(func=cmd_grade)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    if getattr(args, "jupyter_args", None) and args.jupyter_args[0] == "--":
        args.jupyter_args = args.jupyter_args[1:]
    return args.func(args)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
