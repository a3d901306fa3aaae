"""The map in a browser, for `make bench`: headless Chromium (Playwright) opens /carte/ on the
portal under gunicorn, as a visitor would, and measures how long until every marker is placed
and the page answers a click.

- `ready_ms`: from the start of the navigation until the map's script has added the last
  chunk of markers (`#poles-map[data-state=ready]`, set by static/poles/poles-map.js);
- `click_ms`: a click on the zoom button (a real one, through the browser's input queue),
  made as soon as the markers are placed (Playwright's own delay is not counted: from the
  click event's time stamp), until the map starts zooming;
- `answered_ms`: the two added, the figure issue 13's target bounds (< 2 s at 10,000);
- `stages`: when each stage of static/poles/poles-map.js ended (DOM loaded, points fetched
  and parsed, markers built, clustering done);
- `longest_task_ms`: the longest task of the main thread meanwhile (Long Tasks API): how long
  a click made while the markers are being added could wait;
- `markers`: the markers in the cluster layer (every pole with coordinates).

Tiles are off (MAP_TILE_URL empty in the portal's environment: no network). Three page loads,
the median kept; the first one warms the browser's and the server's caches.
"""

import os
import shutil
import statistics

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
LOADS = 3
TIMEOUT_MS = 60_000

# In the page from its start: the longest task of the main thread (Long Tasks API, buffered),
# the moment the map says "ready" and the moment the map starts zooming. performance.now()
# counts from the start of the navigation.
OBSERVE = """
window.__ptce = { longest: 0, ready: null, clicked: null, zoomed: null };
try {
  new PerformanceObserver(function (list) {
    list.getEntries().forEach(function (entry) {
      window.__ptce.longest = Math.max(window.__ptce.longest, entry.duration);
    });
  }).observe({ type: "longtask", buffered: true });
} catch (e) {}
new MutationObserver(function (records, observer) {
  var el = document.getElementById("poles-map");
  if (el && el.dataset.state === "ready" && window.__ptce.ready === null) {
    window.__ptce.ready = performance.now();
    // The click's own time stamp: when the browser queued it, before the page could answer.
    document.addEventListener("click", function (event) {
      window.__ptce.clicked = event.timeStamp;
    }, { capture: true, once: true });
    window.ptcePolesMap.map.once("zoomstart", function () {
      window.__ptce.zoomed = performance.now();
    });
    observer.disconnect();
  }
}).observe(document, { attributes: true, attributeFilter: ["data-state"], subtree: true });
"""


STAGES = """
() => {
  var stages = {};
  var paint = performance.getEntriesByType("navigation")[0];
  if (paint) { stages.dom_loaded = Math.round(paint.domContentLoadedEventEnd); }
  performance.getEntriesByType("mark").forEach(function (m) {
    if (m.name.indexOf("ptce-map:") === 0) { stages[m.name.slice(9)] = Math.round(m.startTime); }
  });
  return stages;
}
"""


def chromium_path() -> str | None:
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        return configured
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _one_load(page, url: str) -> dict:
    page.goto(url, wait_until="commit")
    page.wait_for_selector("#poles-map[data-state=ready]", timeout=TIMEOUT_MS, state="attached")
    # A real click (the browser's input queue): answered once the main thread is free.
    page.locator("#poles-map .leaflet-control-zoom-in").click()
    page.wait_for_function("() => window.__ptce.zoomed !== null", timeout=TIMEOUT_MS)
    times = page.evaluate("() => window.__ptce")
    return {
        "ready_ms": round(times["ready"]),
        # From the click (its time stamp) to the map's answer: what the page made it wait.
        "click_ms": round(times["zoomed"] - times["clicked"]),
        "answered_ms": round(times["ready"] + times["zoomed"] - times["clicked"]),
        "longest_task_ms": round(times["longest"]),
        "markers": page.evaluate("() => window.ptcePolesMap.cluster.getLayers().length"),
        # When each stage of static/poles/poles-map.js ended (ms from the navigation's start).
        "stages": page.evaluate(STAGES),
    }


def measure_map(base_url: str, path: str = "/carte/") -> dict:
    """The figures of the map page (median of LOADS loads), or {"error": …} without Chromium."""
    executable = chromium_path()
    if not executable:
        return {"error": "Chromium introuvable (CHROMIUM_PATH)"}
    from playwright.sync_api import sync_playwright

    loads = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
            context.add_init_script(OBSERVE)
            page = context.new_page()
            page.set_default_timeout(TIMEOUT_MS)
            for _ in range(LOADS):
                loads.append(_one_load(page, base_url + path))
            context.close()
        finally:
            browser.close()
    result = {
        name: statistics.median(load[name] for load in loads)
        for name in ("ready_ms", "click_ms", "answered_ms", "longest_task_ms")
    }
    result["markers"] = loads[-1]["markers"]
    result["loads"] = loads
    return result
