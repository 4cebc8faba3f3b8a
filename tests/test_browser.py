"""The student lab in a real browser: `make lab` (its configuration, course/student-lab) serving copies of
student notebooks, opened in headless Chromium through ChromeDriver, every cell run as a learner would
(Run > Run All Cells), and what the learner sees asserted: plotly figures drawn as SVG, the bertviz view drawn,
progress-bar widgets rendered, no error in any cell or in the browser's console, and none of nbgrader's
instructor tools. Screenshots go to build/browser/.

Release notebooks leave the exercises unsolved (they raise NotImplementedError), so the learner's copy here
drops the exercise and test cells; every other cell runs on the library's reference code, as the notebooks
are written to ("plug yours in").
"""

import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from course import notebooks

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "build" / "browser"
# One notebook with plotly figures, the bertviz view and training, one with progress bars: about a minute.
NOTEBOOKS = ["week01/01-transformer.ipynb", "week00/02-ngrams.ipynb"]
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
# Flags for a closed network: no background connections, no first-run work, a fresh profile (see the fixture).
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                  "--no-first-run", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--window-size=1400,1000"]
INSTRUCTOR_TOOLS = ["Formgrader", "Create Assignment", "Nbgrader", "Assignment List", "Course List"]

pytestmark = pytest.mark.xdist_group("browser")


def learner_copy(source, target):
    """The student notebook without its exercise and test cells (the cells a learner fills in)."""
    nb = nbformat.read(source, as_version=4)
    nb.cells = [c for c in nb.cells if not (notebooks.is_solution(c) or notebooks.is_autograded_test(c))]
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, target)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_status(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


class Lab:
    def __init__(self, url, token, root):
        self.url, self.token, self.root = url, token, root

    def address(self, path):
        return f"{self.url}/{path}?token={self.token}"


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """`make lab` on learner copies of NOTEBOOKS, on a free port; stopped with all its kernels at the end."""
    for program in (CHROMIUM, CHROMEDRIVER):
        assert Path(program).exists(), f"{program} is missing: `make browser` installs chromium and chromium-driver"
    folder = tmp_path_factory.mktemp("student-lab")
    for name in NOTEBOOKS:
        learner_copy(ROOT / "release" / name, folder / name)
    port, token = free_port(), secrets.token_hex(16)
    options = (f"--no-browser --port={port} --ServerApp.port_retries=0 --IdentityProvider.token={token} "
               f"--LabApp.workspaces_dir={folder / '.workspaces'}")
    log_path = folder.parent / f"{folder.name}.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            ["make", "--no-print-directory", "lab", f"LAB_ROOT={folder}", f"LAB_ARGS={options}"], cwd=ROOT,
            env={**os.environ, "MINILLM_TINY": "1"}, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True)
    lab = Lab(f"http://127.0.0.1:{port}", token, folder)
    try:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, f"make lab exited ({process.returncode}):\n{log_path.read_text()}"
            try:
                if http_status(lab.address("api/status")) == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, f"the lab did not answer in 120 s:\n{log_path.read_text()}"
            time.sleep(0.5)
        yield lab
    finally:
        with contextlib.suppress(ProcessLookupError):  # make, JupyterLab and its kernels: one process group
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    options = Options()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS + [f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SE_OFFLINE", "true")  # Selenium Manager: use the given driver, download nothing
        driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    try:
        yield driver
    finally:
        driver.quit()


PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"  # the notebook on show
NOTEBOOK = f"{PANEL} .jp-Notebook"
# Per code cell of the notebook on show: the start of its source, its prompt, its outputs' MIME types, the
# plotly figures among them and how many drew an SVG, the SVG shapes outside plotly (bertviz), the progress-bar
# widgets, and errors.
CELLS_SCRIPT = f"const NOTEBOOK = '{NOTEBOOK}';" + """
return Array.from(document.querySelectorAll(NOTEBOOK + ' .jp-CodeCell')).map(cell => {
  const outputs = Array.from(cell.querySelectorAll('.jp-OutputArea-output'));
  const plots = Array.from(cell.querySelectorAll('.js-plotly-plot'));
  const others = Array.from(cell.querySelectorAll('.jp-OutputArea-output svg'))
      .filter(svg => !svg.closest('.js-plotly-plot'));
  return {
    source: (cell.querySelector('.jp-InputArea .cm-content') || {}).textContent || '',
    prompt: (cell.querySelector('.jp-InputPrompt') || {}).textContent || '',
    mimes: outputs.map(o => o.getAttribute('data-mime-type')),
    plots: plots.length,
    drawn_plots: plots.filter(p => p.querySelector('svg.main-svg .trace, svg.main-svg .hm image')).length,
    other_svg_shapes: others.reduce((n, svg) => n + svg.querySelectorAll('rect, line, path, text').length, 0),
    progress_bars: cell.querySelectorAll('.widget-progress, .jupyter-widgets .progress-bar').length,
    widget_errors: Array.from(outputs).filter(o => /Error displaying widget|Loading widget/.test(o.textContent)).length,
    error_text: Array.from(cell.querySelectorAll('[data-mime-type="application/vnd.jupyter.error"]'))
      .map(e => e.textContent.slice(-600)),
  };
});
"""


def run_all_cells(driver, lab, name):
    """Open the notebook, wait for its kernel, Run > Run All Cells, wait until every cell has run."""
    code_cells = sum(c.cell_type == "code" for c in nbformat.read(lab.root / name, as_version=4).cells)
    driver.get(lab.address(f"lab/tree/{name}"))
    wait = WebDriverWait(driver, 120)
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, f"{NOTEBOOK} .jp-CodeCell"))
    # JupyterLab may ask for a kernel when it opens a notebook on a busy machine (before it has the kernel
    # list): a learner clicks Select, which keeps the notebook's own (Python 3).
    wait.until(lambda d: kernel_idle(d))
    driver.find_element(By.XPATH, "//li[contains(@class, 'lm-MenuBar-item')][.//div[text()='Run']]").click()
    run_all = "//li[contains(@class, 'lm-Menu-item')][.//div[text()='Run All Cells']]"
    wait.until(lambda d: d.find_elements(By.XPATH, run_all))[0].click()
    try:
        WebDriverWait(driver, 240, poll_frequency=1).until(
            lambda d: kernel_idle(d) and ran(d.execute_script(CELLS_SCRIPT), code_cells))
    except TimeoutException:
        driver.save_screenshot(str(SCREENSHOTS / f"{name.replace('/', '-')}-timeout.png"))
        raise AssertionError(f"{name}: not every cell ran in 240 s (screenshot in {SCREENSHOTS})") from None
    # The lab draws an output when it scrolls into view, as a learner reads down the notebook.
    cells = driver.execute_script(CELLS_SCRIPT)
    for index, cell in enumerate(cells):
        if cell["mimes"]:
            scroll_to(driver, index)
            with contextlib.suppress(TimeoutException):
                WebDriverWait(driver, 15).until(lambda d: drawn(d.execute_script(CELLS_SCRIPT)[index]))
    return driver.execute_script(CELLS_SCRIPT)


def kernel_idle(driver):
    """Whether the notebook's kernel is idle (the status bar's "Python 3 (ipykernel) | Idle"), after accepting
    a kernel dialog if one is open."""
    return driver.execute_script("""
      const accept = document.querySelector('.jp-Dialog .jp-mod-accept');
      if (accept) { accept.click(); return false; }
      return Array.from(document.querySelectorAll('.jp-StatusBar-Item'))
        .some(item => /ipykernel\\) \\| Idle/.test(item.textContent));""")


def ran(cells, expected):
    return len(cells) == expected and all(re.fullmatch(r"\[\d+\]:", cell["prompt"]) for cell in cells)


def drawn(cell):
    return cell["drawn_plots"] == cell["plots"] and not cell["widget_errors"]


def scroll_to(driver, index):
    driver.execute_script(f"document.querySelectorAll('{NOTEBOOK} .jp-CodeCell')[arguments[0]]"
                          ".scrollIntoView({block: 'start'});", index)


def screenshot_of(driver, cells_with, name, label):
    """Scroll the first cell `cells_with` picks into view and save a screenshot of the page."""
    scroll_to(driver, cells_with)
    time.sleep(1)
    driver.save_screenshot(str(SCREENSHOTS / f"{name.replace('/', '-').removesuffix('.ipynb')}-{label}.png"))


# JupyterLab's markdown renderer puts `<img src="attachment:name">` into the page before it swaps in the
# attachment's data, so the browser tries that address once and logs a failure for each diagram. The test checks
# those diagrams drew (diagrams_drawn) and takes only this message for them out of the console's errors.
ATTACHMENT_PROBE = re.compile(r"attachment:\S+ - Failed to load resource: net::ERR_UNKNOWN_URL_SCHEME")


def console_errors(driver):
    return [entry["message"] for entry in driver.get_log("browser")
            if entry["level"] == "SEVERE" and not ATTACHMENT_PROBE.fullmatch(entry["message"])]


def diagrams_drawn(driver, lab, name):
    """(attachment images in the notebook, those drawn on the page) after scrolling each one's cell into view."""
    cells = nbformat.read(lab.root / name, as_version=4).cells
    markdown = [c for c in cells if c.cell_type == "markdown"]
    wanted = [i for i, c in enumerate(markdown) if c.get("attachments")]
    drawn = 0
    for index in wanted:
        driver.execute_script(f"document.querySelectorAll('{NOTEBOOK} .jp-MarkdownCell')[arguments[0]]"
                              ".scrollIntoView({block: 'start'});", index)
        with contextlib.suppress(TimeoutException):
            WebDriverWait(driver, 15).until(lambda d: d.execute_script(
                f"const imgs = document.querySelectorAll('{NOTEBOOK} .jp-MarkdownCell')[arguments[0]]"
                ".querySelectorAll('img'); return imgs.length > 0 && Array.from(imgs).every("
                "i => i.complete && i.naturalWidth > 0 && !i.src.startsWith('attachment:'));", index))
            drawn += 1
    return len(wanted), drawn


def test_the_student_lab_hides_nbgrader_instructor_tools(lab, browser):
    browser.get(lab.address("lab"))
    WebDriverWait(browser, 120).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".jp-Launcher-body .jp-LauncherCard"))
    browser.save_screenshot(str(SCREENSHOTS / "launcher.png"))
    page = browser.find_element(By.TAG_NAME, "body").text
    menus = [item.text for item in browser.find_elements(By.CSS_SELECTOR, ".lm-MenuBar-item")]
    assert "Run" in menus and "Kernel" in menus, f"menu bar: {menus}"
    assert not [tool for tool in INSTRUCTOR_TOOLS if tool.lower() in page.lower() or tool in menus], page
    for route in ("formgrader", "assignments", "courses"):
        assert http_status(lab.address(route)) == 404, f"/{route} is served in the student lab"
    assert console_errors(browser) == []


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_a_learner_sees_every_figure_widget_and_view(lab, browser, name):
    cells = run_all_cells(browser, lab, name)
    toolbar = browser.find_element(By.CSS_SELECTOR, f"{PANEL} .jp-NotebookPanel-toolbar")
    assert "Validate" not in toolbar.text, "nbgrader's Validate button is in the student lab"
    errors = [(c["source"][:80], c["error_text"]) for c in cells if c["error_text"]]
    assert not errors, f"{name}: cells failed: {errors}"
    plots = sum(c["plots"] for c in cells)
    assert plots >= 2, f"{name}: {plots} plotly figure(s) on the page"
    undrawn = [c["source"][:80] for c in cells if c["drawn_plots"] < c["plots"]]
    assert not undrawn, f"{name}: plotly figures without their SVG in cells {undrawn}"
    first_plot = next(i for i, c in enumerate(cells) if c["plots"])
    screenshot_of(browser, first_plot, name, "figure")
    assert not [c["source"][:80] for c in cells if c["widget_errors"]], f"{name}: a widget did not render"
    if "week01" in name:
        view = next(i for i, c in enumerate(cells) if "head_view" in c["source"])
        screenshot_of(browser, view, name, "bertviz")
        assert cells[view]["other_svg_shapes"] > 20, f"the bertviz view drew nothing: {cells[view]}"
    else:
        bars = [i for i, c in enumerate(cells) if c["progress_bars"]]
        assert bars, f"{name}: no progress-bar widget rendered ({[c['mimes'] for c in cells]})"
        screenshot_of(browser, bars[0], name, "progress")
    diagrams, drawn_diagrams = diagrams_drawn(browser, lab, name)
    assert drawn_diagrams == diagrams and (diagrams >= 3 or "week01" not in name), \
        f"{name}: {drawn_diagrams} of {diagrams} diagrams drawn"
    assert console_errors(browser) == [], f"{name}: errors in the browser console"
