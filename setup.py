"""Build step that puts the course's notebooks into the wheel.

Everything else about the package is declared in pyproject.toml. The lessons, exercise sets and
worked solutions live at the top of the repository (notebooks/, exercises/) so a clone reads
naturally; a wheel carries copies of them in cryptocourse/_course/, from which `cryptocourse lab`
copies them into a learner's folder (cryptocourse/workspace.py). An editable install needs no copy:
it reads the clone itself.
"""
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
COURSE_FOLDERS = ("notebooks", "exercises", "exercises/solutions")  # as cryptocourse.workspace.COURSE_FOLDERS


class BuildWithCourse(build_py):
    """build_py, plus the course notebooks copied into the built package."""

    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "cryptocourse" / "_course"
        copied = 0
        for folder in COURSE_FOLDERS:
            for notebook in sorted((HERE / folder).glob("*.ipynb")):
                self.mkpath(str(target / folder))
                self.copy_file(str(notebook), str(target / folder / notebook.name))
                copied += 1
        if not (target / "notebooks" / "00_start_here.ipynb").is_file():
            raise RuntimeError(f"the course notebooks were not found next to setup.py ({HERE}); build from a "
                               "full clone or from the source distribution")
        self.announce(f"copied {copied} course notebooks into {target}", level=2)


setup(cmdclass={"build_py": BuildWithCourse})
