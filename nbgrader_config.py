# nbgrader reads this file from the repository root (e.g. for `nbgrader formgrader`); the settings live in course/.
c = get_config()  # noqa: F821
load_subconfig("course/nbgrader_config.py")  # noqa: F821
