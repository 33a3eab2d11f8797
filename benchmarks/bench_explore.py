"""`assb explore`: time to a rendered page, and how fast a control change redraws.

Three measurements, all on this machine (2 cores, shared):

1. **Start-up**: ``assb explore --port PORT --no-browser`` is started as a subprocess and
   Debian's headless Chromium (started at the same time) loads the page until the
   first-cycle capacity "NNN.N mAh/g" and the five paper set names are shown; the time
   from starting the command to that moment.
2. **Re-solve in the backend**: :meth:`assb_model.explore.backend.Session.run` and the
   page's run callback (:func:`assb_model.explore.app.solve`, which also builds the labels
   and the JSON for the page) for a sequence of SE conductivities on the built model, and
   for cut-off changes (a rebuild each).
3. **Control change in the browser**: a new SE conductivity typed into its box (Enter),
   or the slider moved with the keyboard; the time from the key event in the page to the
   new capacity text and to the redrawn voltage curve (MutationObservers in the page;
   includes the HTTP round trips of Dash's callbacks, the solve, the JSON and Plotly's
   drawing).

``--screenshots DIR`` also saves the page (docs/figures/explore_*.png).

Run: ``python benchmarks/bench_explore.py [--repeats 15] [--screenshots docs/figures]``
"""

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

CHROMIUM = os.environ.get("ASSB_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("ASSB_CHROMEDRIVER", "/usr/bin/chromedriver")
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,1250",
)
SET = "giraldo2021_sp_lpscl_coated"
PAPER_SETS = (
    "giraldo2021_sm_lps80_coated",
    "giraldo2021_sm_lps80_uncoated",
    "giraldo2021_sp_lps80_coated",
    "giraldo2021_sp_lps80_uncoated",
    "giraldo2021_sp_lpscl_coated",
)
#: SE conductivities [S/cm] cycled through for the re-solve measurements.
SIGMAS = (1e-6, 3e-6, 1e-5, 3e-5, 1e-4, 3e-7)

# In-page instruments: the time of the key event, and of the first change of the
# capacity text and of the voltage curves' SVG path after it.
_OBSERVE = """
const box = arguments[0];
window.__t = {};
const head = document.getElementById('headline');
const graph = document.getElementById('graph-voltage');
const paths = () => Array.from(graph.querySelectorAll('.scatterlayer path.js-line'))
    .map(p => p.getAttribute('d')).join(' ');
const h0 = head.textContent, p0 = paths();
box.addEventListener('keydown', () => { window.__t.key = performance.now(); }, {once: true});
new MutationObserver((m, o) => {
  if (head.textContent !== h0 && /mAh\\/g/.test(head.textContent)) {
    window.__t.text = performance.now(); o.disconnect(); }
}).observe(head, {childList: true, subtree: true, characterData: true});
new MutationObserver((m, o) => {
  if (paths() !== p0) { window.__t.curve = performance.now(); o.disconnect(); }
}).observe(graph, {childList: true, subtree: true, attributes: true});
"""


_BOTH_DONE = "return (window.__t.key && window.__t.text && window.__t.curve) ? window.__t : null"
_CURVE_DONE = "return (window.__t.key && window.__t.curve) ? window.__t : null"


def _stats(xs) -> str:
    xs = sorted(xs)
    p90 = xs[min(len(xs) - 1, round(0.9 * (len(xs) - 1)))]
    return (
        f"median {1e3 * statistics.median(xs):7.1f} ms, p90 {1e3 * p90:7.1f} ms, "
        f"max {1e3 * xs[-1]:7.1f} ms (n={len(xs)})"
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _driver():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*FLAGS, f"--user-data-dir={tempfile.mkdtemp(prefix='assb-bench-')}"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


def _wait(condition, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            result = condition()
            if result:
                return result
        except Exception:
            pass
        time.sleep(0.02)
    raise TimeoutError("condition not met")


def backend_latency(repeats: int) -> None:
    from assb_model.explore import app, backend

    session = backend.Session()
    t0 = time.perf_counter()
    session.run(SET, {}, {})
    print(f"first run (build + solve), in-process:  {time.perf_counter() - t0:.2f} s")
    runs, pages = [], []
    for i in range(repeats):
        values = {"sigma_se": SIGMAS[i % len(SIGMAS)]}
        t = time.perf_counter()
        res = session.run(SET, values, {})
        runs.append(time.perf_counter() - t)
        assert not res.rebuilt
        t = time.perf_counter()
        out = app.solve(session, SET, values, {})
        pages.append(time.perf_counter() - t)
        assert out["error"] == ""
    print(f"re-solve, Session.run (sigma_se):       {_stats(runs)}")
    print(f"re-solve, page callback solve():        {_stats(pages)}")
    rebuilds = []
    for i in range(max(3, repeats // 3)):
        t = time.perf_counter()
        res = session.run(SET, {"upper_cutoff": round(3.7 + 0.02 * i, 2)}, {})
        rebuilds.append(time.perf_counter() - t)
        assert res.rebuilt
    print(f"rebuild, Session.run (upper_cutoff):    {_stats(rebuilds)}")


def browser(repeats: int, screenshots: Path | None) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    log = tempfile.NamedTemporaryFile("w", suffix=".log", delete=False)
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "assb_model.cli", "explore", "--port", str(port), "--no-browser"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        d = _driver()
        t_browser = time.perf_counter() - t0

        def served():
            with urllib.request.urlopen(url, timeout=2) as r:
                return r.status == 200

        _wait(served)
        t_served = time.perf_counter() - t0
        d.get(url)
        head = _wait(lambda: "mAh/g" in d.find_element(By.ID, "headline").text and d)
        body = head.find_element(By.TAG_NAME, "body").text
        t_page = time.perf_counter() - t0
        assert all(name in body for name in PAPER_SETS)
        capacity = d.find_element(By.ID, "headline").text
        print(f"Chromium started after:                 {t_browser:.1f} s")
        print(f"server answering HTTP after:            {t_served:.1f} s")
        print(
            f"page with five sets and {capacity} after: {t_page:.1f} s from starting `assb explore`"
        )

        box = d.find_element(By.CSS_SELECTOR, "input[name=sigma_se]")
        text_times, curve_times = [], []
        for i in range(repeats):
            d.execute_script(_OBSERVE, box)
            box.send_keys(Keys.CONTROL, "a")
            box.send_keys(f"{SIGMAS[i % len(SIGMAS)]:g}", Keys.ENTER)
            t = _wait(lambda: d.execute_script(_BOTH_DONE))
            text_times.append((t["text"] - t["key"]) / 1e3)
            curve_times.append((t["curve"] - t["key"]) / 1e3)
        print(f"box typed -> capacity text:             {_stats(text_times)}")
        print(f"box typed -> curve redrawn:             {_stats(curve_times)}")

        thumb = d.find_element(By.CSS_SELECTOR, '[id*="q-slider"][id*="sigma_se"] [role="slider"]')
        thumb.click()
        slider_times = []
        for i in range(repeats):
            d.execute_script(_OBSERVE, thumb)
            thumb.send_keys(Keys.PAGE_DOWN if i % 2 else Keys.PAGE_UP)  # 0.1 decade
            t = _wait(lambda: d.execute_script(_CURVE_DONE))
            slider_times.append((t["curve"] - t["key"]) / 1e3)
        print(f"slider moved (key) -> curve redrawn:    {_stats(slider_times)}")

        if screenshots is not None:
            take_screenshots(d, url, screenshots)
        d.quit()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def take_screenshots(d, url: str, folder: Path) -> None:
    """The page after a few what-if steps, and with an error."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    folder.mkdir(parents=True, exist_ok=True)

    def head():
        return d.find_element(By.ID, "headline").text

    def type_into(alias, text):
        box = d.find_element(By.CSS_SELECTOR, f"input[name={alias}]")
        old = head()
        box.send_keys(Keys.CONTROL, "a")
        box.send_keys(text, Keys.ENTER)
        return old

    d.set_window_size(1400, 1720)
    d.get(url)
    _wait(lambda: "mAh/g" in head())
    d.find_element(By.ID, "keep-run").click()
    old = type_into("sigma_se", "1e-6")
    _wait(lambda: head() != old and "mAh/g" in head())
    d.find_element(By.ID, "keep-run").click()
    old = type_into("sigma_se", "3e-7")
    _wait(lambda: head() != old and "mAh/g" in head())
    d.find_element(By.ID, "nyq-run").click()
    _wait(lambda: "SOC" in d.find_element(By.ID, "nyq-status").text)
    d.find_element(By.ID, "map-run").click()
    _wait(lambda: "points around" in d.find_element(By.ID, "map-status").text)
    time.sleep(0.5)
    d.save_screenshot(str(folder / "explore_page.png"))
    print(f"wrote {folder / 'explore_page.png'}")
    old = type_into("upper_cutoff", "2.5")
    _wait(lambda: d.find_element(By.ID, "error").is_displayed())
    time.sleep(0.3)
    d.set_window_size(1400, 560)
    d.save_screenshot(str(folder / "explore_error.png"))
    print(f"wrote {folder / 'explore_error.png'}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--repeats", type=int, default=15)
    p.add_argument("--screenshots", type=Path, help="folder for explore_*.png")
    p.add_argument("--skip-browser", action="store_true")
    args = p.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f} (2 cores, shared)")
    backend_latency(args.repeats)
    if not args.skip_browser:
        browser(args.repeats, args.screenshots)
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
