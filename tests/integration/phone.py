"""The phone walk's tools (tests/integration/test_phone_browser.py and
test_phone_staff_browser.py): one browser context at 390 px; each page opened up to
DOMContentLoaded, then the check waits for what sets the layout (style sheets, web fonts,
images) before measuring the width; axe-core once per page of the matrix, loaded into every
document by the context."""

import io
import time

from django.conf import settings
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import Error as PlaywrightError

from tests.conftest import axe_source
from tests.integration.pages import page_sets
from tests.integration.world import build_world

PHONE = {"width": 390, "height": 844}
# Resolves once the layout no longer waits for a resource: every style sheet applied, the
# web fonts loaded, every image loaded or failed (an image may widen a box).
READY_SCRIPT = """async () => {
  const settled = (el, done) => new Promise((resolve) => {
    if (done()) return resolve();
    el.addEventListener("load", resolve, {once: true});
    el.addEventListener("error", resolve, {once: true});
  });
  await Promise.all([
    ...[...document.querySelectorAll('link[rel="stylesheet"]')]
      .map((l) => settled(l, () => l.sheet)),
    ...[...document.images].map((i) => settled(i, () => i.complete)),
  ]);
  await document.fonts.ready;
}"""
# The page's width, and the first elements past the right edge that no scroll box of their
# own contains (a table in a box that scrolls sideways is allowed: the page does not move),
# except a table made to be read on a phone, which must fit.
WIDTH_SCRIPT = r"""() => {
  const root = document.documentElement;
  const contained = (e) => {
    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== "visible") return true;
    }
    return false;
  };
  const wide = [...document.querySelectorAll("body *")]
    .filter((e) => e.getBoundingClientRect().right > root.clientWidth + 1)
    .filter((e) => !e.closest(".visually-hidden, [hidden]") && !contained(e))
    .slice(0, 3)
    .map((e) => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "")
      + (typeof e.className === "string" && e.className
        ? "." + e.className.trim().split(/\s+/).join(".") : ""));
  // A table meant to be read on a phone (portal.css, `table.stack`) scrolls in no box either.
  const stacked = [...document.querySelectorAll("table.stack")]
    .filter((t) => t.getBoundingClientRect().width > t.parentElement.clientWidth + 1);
  return {width: root.scrollWidth, wide, stacked: stacked.length};
}"""


def sign_in(page, live_server, user) -> None:
    """The user's session cookie in the browser context (no login form: not what is tested)."""
    page.context.clear_cookies()
    if user is None:
        return
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


class Walk:
    """Opens pages at 390 px in one context, keeps what fails and where the time goes."""

    def __init__(self, page, live_server, axe_check):
        self.page, self.live_server, self.axe_check = page, live_server, axe_check
        self.overflow: list[str] = []
        self.axe_failures: list[str] = []
        self.checked: set[str] = set()
        self.walked = 0
        self.files: list[str] = []  # files met among the pages, left out
        self.seconds = {"load": 0.0, "measure": 0.0, "axe": 0.0}
        self.slowest: list[tuple[float, str]] = []
        page.set_viewport_size(PHONE)
        # axe-core in every document of the context as it opens (compiled by the browser,
        # cached): several times cheaper than sending its source to each page.
        page.context.add_init_script(script=axe_source())

    def as_(self, user) -> None:
        sign_in(self.page, self.live_server, user)

    def visit(self, who: str, key: str, url: str) -> None:
        page = self.page
        start = time.monotonic()
        try:
            response = page.goto(url, wait_until="domcontentloaded")
        except PlaywrightError as exc:
            if "Download is starting" not in str(exc):
                raise
            self.files.append(key)  # a file that FILES (tests/integration/pages.py) misses
            return
        assert response is not None and response.status == 200, (who, key, url)
        if not response.headers.get("content-type", "").startswith("text/html"):
            self.files.append(key)
            return
        page.evaluate(READY_SCRIPT)
        loaded = time.monotonic()
        self.walked += 1
        measure = page.evaluate(WIDTH_SCRIPT)
        if measure["width"] > PHONE["width"]:
            self.overflow.append(f"{who} {key} {url}: {measure['width']} px {measure['wide']}")
        if measure["stacked"]:
            self.overflow.append(f"{who} {key} {url}: {measure['stacked']} table.stack too wide")
        measured = time.monotonic()
        if key not in self.checked:
            self.checked.add(key)
            try:
                self.axe_check(page)
            except AssertionError as exc:
                self.axe_failures.append(f"{who} {key}: {exc}")
        self.seconds["load"] += loaded - start
        self.seconds["measure"] += measured - loaded
        self.seconds["axe"] += time.monotonic() - measured
        self.slowest = sorted([*self.slowest, (time.monotonic() - start, key)], reverse=True)[:5]

    def report(self, started: float) -> None:
        parts = ", ".join(f"{name} {value:.0f} s" for name, value in self.seconds.items())
        print(
            f"{self.walked} pages, {len(self.checked)} checked by axe, "
            f"in {time.monotonic() - started:.0f} s ({parts}); slowest: "
            + ", ".join(f"{key} {seconds:.1f} s" for seconds, key in self.slowest)
            + (f"; files left out: {', '.join(self.files)}" if self.files else "")
        )
        assert not self.overflow, "wider than 390 px:\n" + "\n".join(self.overflow)
        assert not self.axe_failures, "\n".join(self.axe_failures)


def seeded_sets():
    started = time.monotonic()
    call_command("seed_ptce", stdout=io.StringIO())
    world = build_world()
    sets = page_sets(world)
    print(f"seeded in {time.monotonic() - started:.0f} s")
    return world, sets
