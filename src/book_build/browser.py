"""Look at the built book in a real browser (headless Chromium driven by Playwright).

``python -m book_build.browser screenshots _build/html _build/screenshots`` saves a
full-page PNG of every page in the table of contents (``make screenshots``). The tests use
:func:`inspect_pages` to fail on a missing image, a local asset that does not load, a doubled or
missing theme element, or a figure without real alt text.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
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
class PageReport:
    page: str
    failed_requests: list[str] = field(default_factory=list)
    broken_images: list[str] = field(default_factory=list)
    images_without_alt: list[str] = field(default_factory=list)
    visible_search_fields: int = 0
    has_sidebar: bool = False
    has_article: bool = False
    console_errors: list[str] = field(default_factory=list)
    dark_mode_ok: bool = False


_IMAGE_CHECK = """
els => els.map(e => ({src: e.getAttribute('src'), complete: e.complete, width: e.naturalWidth, alt: (e.getAttribute('alt') || '').trim()}))
"""


def _alt_is_real(alt: str) -> bool:
    lowered = alt.lower()
    return (
        len(alt.split()) >= 8
        and not lowered.endswith((".png", ".svg", ".jpg", ".jpeg", ".gif"))
        and "_images/" not in lowered
    )


def inspect_pages(
    html_dir: Path, pages: list[str] | None = None, screenshot_dir: Path | None = None
) -> list[PageReport]:
    from playwright.sync_api import sync_playwright

    pages = pages or paths.toc_pages()
    executable = chromium_path()
    if executable is None:
        raise RuntimeError("no Chromium found (install Debian's chromium package)")
    reports = []
    with serve(html_dir) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1300, "height": 900})
        for name in pages:
            report = PageReport(name)
            page = context.new_page()
            page.on(
                "requestfailed",
                lambda request, r=report: (
                    r.failed_requests.append(request.url) if request.url.startswith(base) else None
                ),
            )
            page.on(
                "response",
                lambda response, r=report: (
                    r.failed_requests.append(f"{response.status} {response.url}")
                    if response.url.startswith(base) and response.status >= 400
                    else None
                ),
            )
            # Resource failures are judged by URL above (external ones, such as MathJax from its CDN,
            # fail on an offline machine and are not the book's fault); other errors are recorded.
            page.on(
                "console",
                lambda message, r=report: (
                    r.console_errors.append(message.text)
                    if message.type == "error"
                    and not message.text.startswith("Failed to load resource")
                    # pydata-sphinx-theme 0.15 logs this on a visitor's first page (nothing stored yet).
                    and not message.text.startswith("Got invalid theme mode: .")
                    else None
                ),
            )
            page.goto(f"{base}/{name}.html", wait_until="networkidle")
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
            # In dark mode (the theme follows the reader's system setting), figures must keep an
            # opaque light background.
            page.emulate_media(color_scheme="dark")
            backgrounds = page.eval_on_selector_all(
                "article img", "els => els.map(e => getComputedStyle(e).backgroundColor)"
            )
            page.emulate_media(color_scheme="light")
            transparent = [b for b in backgrounds if b in ("rgba(0, 0, 0, 0)", "transparent")]
            report.dark_mode_ok = not transparent or _figures_opaque(html_dir)
            if screenshot_dir is not None:
                target = Path(screenshot_dir) / f"{name.replace('/', '__')}.png"
                target.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(target), full_page=True)
            page.close()
            reports.append(report)
        browser.close()
    return reports


def _figures_opaque(html_dir: Path) -> bool:
    """Every generated figure is an opaque image (no transparent pixels to vanish in dark mode)."""
    from PIL import Image

    for png in (Path(html_dir) / "_images").glob("*.png"):
        with Image.open(png) as image:
            if image.mode in ("RGBA", "LA") and image.getchannel("A").getextrema()[0] < 255:
                return False
    return True


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
        print(
            f"{report.page}: saved; {len(report.failed_requests)} failed requests, {len(report.broken_images)} broken images"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
