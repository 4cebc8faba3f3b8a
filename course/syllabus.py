"""The syllabus: weeks, titles and the notebooks each week has in source/."""

import tomllib
from dataclasses import dataclass
from pathlib import Path

from course import paths


@dataclass(frozen=True)
class Week:
    id: str
    title: str

    @property
    def source_dir(self) -> Path:
        return paths.SOURCE / self.id

    @property
    def notebooks(self) -> list[str]:
        """Notebook names (``01-autograd.ipynb``) in source order; empty for a week not written yet."""
        return sorted(p.name for p in self.source_dir.glob("*.ipynb"))

    @property
    def variants_dir(self) -> Path:
        return self.source_dir / "variants"


def load():
    """Return the syllabus as a dict (title, repository, branch) and the list of weeks."""
    with open(paths.COURSE / "syllabus.toml", "rb") as f:
        data = tomllib.load(f)
    weeks = [Week(w["id"], w["title"]) for w in data["weeks"]]
    return data, weeks


def weeks_with_notebooks(selected=None):
    """Weeks that have source notebooks, optionally only ``selected`` (a week id); unknown ids are errors."""
    _, weeks = load()
    if selected is not None:
        known = {w.id: w for w in weeks}
        if selected not in known:
            raise SystemExit(f"unknown week {selected!r}; the syllabus has {', '.join(known)}")
        weeks = [known[selected]]
    return [w for w in weeks if w.notebooks]
