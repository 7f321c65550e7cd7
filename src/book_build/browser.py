"""Look at the built book in a real browser (headless Chromium driven by Playwright).

Every page of the table of contents is opened in four views: 1400 px (a desktop) and 390 px (a
phone) wide, each in the theme's light and dark mode. In each view :func:`inspect_pages` records
what a reader would trip over: a page wider than the screen, a serious or critical accessibility
violation (axe-core, in both themes at desktop width), a local asset that does not load, a missing image or alt text, a doubled or
missing theme element, a JavaScript error, figure text below a legible size, a figure that cannot
be enlarged. ``python -m book_build.browser screenshots _build/html _build/screenshots`` saves a
full-page PNG of every page in every view (``make screenshots``) and prints what it found.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import re
import shutil
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

from paying_for_protection import paths

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

#: Viewport widths a reader uses: a desktop browser and a phone (an iPhone 12–15 is 390 px wide).
WIDTHS = {"desktop": 1400, "phone": 390}
SCHEMES = ("light", "dark")
#: Axe-core impacts that fail a page; "moderate" and "minor" are reported but tolerated.
BLOCKING_IMPACTS = ("serious", "critical")
#: The smallest figure text, in CSS pixels at the desktop column width, that reads comfortably.
MIN_FIGURE_TEXT_PX = 11.0


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@contextlib.contextmanager
def serve(directory: Path):
    """Serve a folder on a free localhost port (file:// URLs break fonts and scripts)."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@dataclass
class View:
    """One page seen at one width in one colour scheme."""

    width: str
    scheme: str
    applied_theme: str = ""
    #: How far the page scrolls sideways (0 when it fits the viewport).
    overflow_px: int = 0
    #: Elements reaching past the right edge of the screen, outside any scrolling box.
    too_wide: list[str] = field(default_factory=list)
    #: Serious and critical axe-core violations: "rule (impact): selectors".
    accessibility: list[str] = field(default_factory=list)
    #: Smallest text of each figure, in CSS px as displayed: {image: px}.
    figure_text_px: dict[str, float] = field(default_factory=dict)
    screenshot: str = ""


@dataclass
class PageReport:
    page: str
    failed_requests: list[str] = field(default_factory=list)
    broken_images: list[str] = field(default_factory=list)
    images_without_alt: list[str] = field(default_factory=list)
    visible_search_fields: int = 0
    has_sidebar: bool = False
    has_article: bool = False
    console_errors: list[str] = field(default_factory=list)
    #: Figures whose images are not opaque (they would vanish into a dark page).
    transparent_figures: list[str] = field(default_factory=list)
    #: Figures a click does not enlarge (no lightbox opened, or the image did not grow).
    not_enlargeable: list[str] = field(default_factory=list)
    #: The page's "last updated" line as shown, or "" when there is none.
    last_updated: str = ""
    views: list[View] = field(default_factory=list)


_IMAGE_CHECK = """
els => els.map(e => ({src: e.getAttribute('src'), complete: e.complete, width: e.naturalWidth, alt: (e.getAttribute('alt') || '').trim()}))
"""

# Elements whose right edge passes the viewport, skipping those inside a box that scrolls
# sideways on its own (a wide table in its scroll box is fine; the page must not scroll).
_TOO_WIDE = """
() => {
  const limit = document.documentElement.clientWidth;
  const scrolls = el => { for (let p = el.parentElement; p; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (['auto', 'scroll', 'hidden'].includes(s.overflowX) && p !== document.body && p !== document.documentElement) return true; }
    return false; };
  const wide = [...document.querySelectorAll('body *')].filter(el => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.right > limit + 1 && getComputedStyle(el).visibility !== 'hidden' && !scrolls(el); });
  const out = [];
  // The innermost culprits: an element none of whose descendants is itself too wide.
  for (const el of wide.filter(el => !wide.some(other => other !== el && el.contains(other)))) {
    const r = el.getBoundingClientRect();
    const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
    out.push(name + ' (' + Math.round(r.right) + ' px)');
  }
  return out.slice(0, 10);
}
"""

# For every SVG figure: the smallest font size in the file's own units, scaled by how wide the
# browser draws it against the width the file declares (its viewBox).
_FIGURE_TEXT = """
async () => {
  const out = {};
  for (const img of document.querySelectorAll('article figure img, article .cell_output img')) {
    const src = img.getAttribute('src') || '';
    if (!src.endsWith('.svg') || !img.clientWidth) continue;
    const text = await (await fetch(img.src)).text();
    const box = text.match(/viewBox="[\\d.\\-]+ [\\d.\\-]+ ([\\d.]+) [\\d.]+"/);
    const sizes = [...text.matchAll(/font(?:-size)?:\\s*(?:[a-z]+\\s+)*([\\d.]+)px/g)].map(m => parseFloat(m[1]));
    if (!box || !sizes.length) continue;
    out[src] = Math.min(...sizes) * img.clientWidth / parseFloat(box[1]);
  }
  return out;
}
"""

# Click each figure and measure the enlarged image (the lightbox in _static/lightbox.js).
_ENLARGE = """
async () => {
  const failures = [];
  for (const img of document.querySelectorAll('article figure img')) {
    const before = img.getBoundingClientRect().width;
    img.click();
    await new Promise(r => setTimeout(r, 50));
    const dialog = document.querySelector('dialog.pfp-lightbox[open]');
    const big = dialog && dialog.querySelector('img');
    const after = big ? big.getBoundingClientRect().width : 0;
    if (!dialog || after < before * 1.2) failures.push((img.getAttribute('src') || '') + ' (' + Math.round(before) + ' -> ' + Math.round(after) + ' px)');
    if (dialog) dialog.close();
  }
  return failures;
}
"""


def _alt_is_real(alt: str) -> bool:
    lowered = alt.lower()
    return (
        len(alt.split()) >= 8
        and not lowered.endswith((".png", ".svg", ".jpg", ".jpeg", ".gif"))
        and "_images/" not in lowered
    )


def _audit(page) -> list[str]:
    """Serious and critical axe-core violations on the page as it stands."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"resultTypes": ["violations"]})
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] in BLOCKING_IMPACTS:
            targets = ", ".join(str(node["target"][0]) for node in violation["nodes"][:5])
            found.append(f"{violation['id']} ({violation['impact']}, {len(violation['nodes'])}×): {targets}")
    return found


def _watch(page, base: str, report: PageReport):
    """Record the page's failed requests and JavaScript errors; returns a function that stops
    recording requests (axe-core, once injected, fetches stylesheets on its own, and resolves
    their relative @imports against the page: those requests are the audit's, not the book's)."""
    watching = [True]

    def ours(url: str) -> bool:
        return watching[0] and url.startswith(base)

    page.on("requestfailed", lambda request: report.failed_requests.append(request.url) if ours(request.url) else None)
    page.on(
        "response",
        lambda response: (
            report.failed_requests.append(f"{response.status} {response.url}")
            if ours(response.url) and response.status >= 400
            else None
        ),
    )
    # Resource failures are judged by URL above (external ones, such as MathJax from its CDN,
    # fail on an offline machine and are not the book's fault); other errors are recorded, and so
    # is every uncaught exception, which the console does not report.
    page.on("pageerror", lambda error: report.console_errors.append(f"uncaught: {error}"))
    page.on(
        "console",
        lambda message: (
            report.console_errors.append(message.text)
            if message.type == "error"
            and not message.text.startswith("Failed to load resource")
            # pydata-sphinx-theme 0.15 logs this on a visitor's first page (nothing stored yet).
            and not message.text.startswith("Got invalid theme mode: .")
            else None
        ),
    )
    return lambda: watching.__setitem__(0, False)


def _first_look(page, report: PageReport, html_dir: Path) -> None:
    """Checks that do not depend on the width or the colour scheme (done once, at desktop width)."""
    for image in page.eval_on_selector_all("article img", _IMAGE_CHECK):
        if not image["complete"] or image["width"] == 0:
            report.broken_images.append(image["src"])
        if not _alt_is_real(image["alt"]):
            report.images_without_alt.append(f"{image['src']}: {image['alt']!r}")
    report.visible_search_fields = page.eval_on_selector_all(
        ".search-button-field, form.bd-search, input[type=search]",
        "els => els.filter(e => e.offsetParent !== null).length",
    )
    report.has_sidebar = page.locator(".bd-sidebar-primary").count() == 1
    report.has_article = page.locator("article.bd-article").count() == 1
    stamp = page.locator("p.last-updated")
    report.last_updated = stamp.first.inner_text().strip() if stamp.count() else ""
    report.transparent_figures = [
        src
        for src in page.eval_on_selector_all("article img", "els => els.map(e => e.getAttribute('src'))")
        if not _image_is_opaque(html_dir, page.url, src)
    ]
    report.not_enlargeable = page.evaluate(_ENLARGE)


def _image_is_opaque(html_dir: Path, page_url: str, src: str) -> bool:
    """Whether an image has no transparent background (an SVG's first shape is its white face)."""
    relative = re.sub(r"^https?://[^/]+/", "", page_url)
    target = (html_dir / relative).parent / src
    if not target.is_file():
        return True  # a missing file is reported as a failed request instead
    if target.suffix == ".svg":
        text = target.read_text(encoding="utf-8", errors="replace")
        return bool(re.search(r'<g id="patch_1">\s*<path d="[^"]*"\s*style="fill: #ffffff', text))
    from PIL import Image

    with Image.open(target) as image:
        return image.mode not in ("RGBA", "LA") or image.getchannel("A").getextrema()[0] == 255


def inspect_pages(
    html_dir: Path, pages: list[str] | None = None, screenshot_dir: Path | None = None, audit: bool = True
) -> list[PageReport]:
    """Open every page in every view and report what a reader would meet (see the module docstring)."""
    from playwright.sync_api import sync_playwright

    pages = pages or paths.toc_pages()
    executable = chromium_path()
    if executable is None:
        raise RuntimeError("no Chromium found (install Debian's chromium package)")
    reports = [PageReport(name) for name in pages]
    with serve(html_dir) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        for width_name, width in WIDTHS.items():
            for scheme in SCHEMES:
                # The theme follows the reader's system setting (its default "auto" mode).
                context = browser.new_context(
                    viewport={"width": width, "height": 900},
                    color_scheme=scheme,
                    device_scale_factor=1,
                    is_mobile=width_name == "phone",
                    has_touch=width_name == "phone",
                )
                for report in reports:
                    page = context.new_page()
                    first = width_name == "desktop" and scheme == "light"
                    stop_watching = _watch(page, base, report) if first else None
                    page.goto(f"{base}/{report.page}.html", wait_until="networkidle")
                    view = View(width_name, scheme)
                    view.applied_theme = page.evaluate("document.documentElement.dataset.theme || ''")
                    view.overflow_px = page.evaluate(
                        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
                    )
                    view.too_wide = page.evaluate(_TOO_WIDE) if view.overflow_px > 0 else []
                    view.figure_text_px = page.evaluate(_FIGURE_TEXT)
                    if screenshot_dir is not None:
                        target = Path(screenshot_dir) / f"{report.page.replace('/', '__')}.{width_name}.{scheme}.png"
                        target.parent.mkdir(parents=True, exist_ok=True)
                        page.screenshot(path=str(target), full_page=True)
                        view.screenshot = str(target)
                    if first:
                        _first_look(page, report, html_dir)
                        stop_watching()
                    # The audit depends on colours and markup, which differ between the themes
                    # but not between widths (the same HTML and CSS): it runs at desktop width.
                    if audit and width_name == "desktop":
                        view.accessibility = _audit(page)
                    report.views.append(view)
                    page.close()
                context.close()
        browser.close()
    return reports


@dataclass
class ChartView:
    """An interactive chart (``figures.interactive``) on one page, in one colour scheme."""

    page: str
    scheme: str
    #: Requests for anything not served by the site itself (each was blocked, as offline).
    other_hosts: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    #: Charts on the page, and the lines each one drew (plotly's SVG traces).
    charts: int = 0
    traces: list[int] = field(default_factory=list)
    #: The text plotly shows on hovering over the middle of the first chart ("" when none).
    hover_text: str = ""
    #: Lines still shown after a click on the first name of the first chart's legend.
    traces_after_legend_click: int = -1
    #: How the page arrived (status, footer, interactive blocks), and how many loads it took.
    document: str = ""
    loads: int = 0


def _load_whole_page(page, url: str, view: ChartView, attempts: int = 3) -> None:
    """Open ``url``, loading it again when the document came without its footer or not with 200.

    Once in many runs on a loaded machine, the dark view of the chart's page was a document with no
    chart in it and no error: a page the local server did not deliver whole is loaded again, and
    the view records what arrived, so that a chart missing from a whole page still fails.
    """
    for _ in range(attempts):
        response = page.goto(url, wait_until="networkidle")
        view.loads += 1
        status = response.status if response is not None else "no response"
        footers = page.locator("footer").count()
        blocks = page.locator(".pfp-interactive").count()
        view.document = f"HTTP {status}, {footers} footer(s), {blocks} interactive block(s)"
        if status == 200 and footers:
            return


_CHARTS = """
() => [...document.querySelectorAll('.pfp-interactive .plotly-graph-div')].map(
  div => div.querySelectorAll('.scatterlayer .trace').length)
"""

_VISIBLE_TRACES = """
() => [...document.querySelector('.pfp-interactive .plotly-graph-div').querySelectorAll('.scatterlayer .trace')]
  .filter(t => getComputedStyle(t).opacity !== '0' && t.style.opacity !== '0' && t.getAttribute('visibility') !== 'hidden').length
"""


def inspect_charts(html_dir: Path, pages: list[str]) -> list[ChartView]:
    """Open each page that has an interactive chart, in light and dark mode, with every request
    for another host blocked (as on a machine without a network), hover over the chart and click
    its legend: what a reader exploring it would meet."""
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    if executable is None:
        raise RuntimeError("no Chromium found (install Debian's chromium package)")
    views = []
    with serve(html_dir) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        for scheme in SCHEMES:
            context = browser.new_context(viewport={"width": WIDTHS["desktop"], "height": 900}, color_scheme=scheme)
            for name in pages:
                view = ChartView(name, scheme)

                def route(route, view=view):
                    if route.request.url.startswith(base):
                        route.continue_()
                    else:
                        view.other_hosts.append(route.request.url)
                        route.abort()

                page = context.new_page()
                page.route("**/*", route)
                page.on("pageerror", lambda error, view=view: view.console_errors.append(f"uncaught: {error}"))
                page.on(
                    "console",
                    lambda message, view=view: (
                        view.console_errors.append(message.text)
                        if message.type == "error"
                        and not message.text.startswith("Failed to load resource")
                        and not message.text.startswith("Got invalid theme mode: .")
                        else None
                    ),
                )
                _load_whole_page(page, f"{base}/{name}.html", view)
                if page.locator(".pfp-interactive").count():
                    # plotly draws after the page has loaded: wait for its lines (or give up,
                    # and report none, after 15 s).
                    with contextlib.suppress(Exception):
                        page.wait_for_selector(".pfp-interactive .scatterlayer .trace", timeout=15_000)
                view.traces = page.evaluate(_CHARTS)
                view.charts = len(view.traces)
                if view.charts:
                    chart = page.locator(".pfp-interactive .plotly-graph-div .nsewdrag").first
                    chart.scroll_into_view_if_needed()
                    box = chart.bounding_box()
                    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
                    page.wait_for_timeout(300)
                    view.hover_text = (page.locator(".pfp-interactive .hoverlayer").first.text_content() or "").strip()
                    page.locator(".pfp-interactive .legend .traces .legendtoggle").first.click()
                    page.wait_for_timeout(800)  # plotly waits out a possible double click first
                    view.traces_after_legend_click = page.evaluate(_VISIBLE_TRACES)
                views.append(view)
                page.close()
            context.close()
        browser.close()
    return views


def summary(report: PageReport) -> list[str]:
    """What a reader would notice on one page, one line per problem (empty when none)."""
    lines = []
    for view in report.views:
        where = f"{view.width} {view.scheme}"
        if view.overflow_px > 0:
            lines.append(f"{where}: page scrolls sideways by {view.overflow_px} px: {', '.join(view.too_wide)}")
        lines += [f"{where}: accessibility: {a}" for a in view.accessibility]
        if view.width == "desktop" and view.scheme == "light":
            lines += [
                f"{where}: figure text {px:.1f} px in {src}"
                for src, px in view.figure_text_px.items()
                if px < MIN_FIGURE_TEXT_PX
            ]
    lines += [f"failed request: {r}" for r in report.failed_requests]
    lines += [f"broken image: {r}" for r in report.broken_images]
    lines += [f"image without alt text: {r}" for r in report.images_without_alt]
    lines += [f"JavaScript error: {r}" for r in report.console_errors]
    lines += [f"figure not enlargeable: {r}" for r in report.not_enlargeable]
    return lines


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 3 or argv[0] != "screenshots":
        print("usage: python -m book_build.browser screenshots HTML_DIR OUT_DIR", file=sys.stderr)
        return 2
    html_dir, out_dir = Path(argv[1]), Path(argv[2])
    if not (html_dir / "index.html").is_file():
        print(f"error: no built book in {html_dir} (run make book first)", file=sys.stderr)
        return 1
    for report in inspect_pages(html_dir, screenshot_dir=out_dir):
        problems = summary(report)
        print(f"{report.page}: {len(report.views)} screenshots; " + ("no problem found" if not problems else ""))
        for line in problems:
            print(f"  {line}")
    print(f"Screenshots: {out_dir}/<page>.<desktop|phone>.<light|dark>.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
