"""Screenshots of each page of the web workspace at 1280 and 390 pixels wide, for docs/screenshots/.

    python scripts/web_screenshots.py --kb demo-kb [--out docs/screenshots] [--chromium /usr/bin/chromium]

Serves the KB (`make demo` builds demo-kb from corpus/published) from a background thread, drives Chromium
through Playwright and writes PAGE-WIDTH.png (palette PNGs, cut at a readable length).
"""
from __future__ import annotations

import argparse
import io
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PAGES = [
    ("search", "/search?q=children+in+care"),
    ("document", None),  # the Blackpool report, at its page
    ("tracker", "/tracker?as_of=2026-11-23"),
    ("authority", "/authorities/Lancashire%20County%20Council"),
    ("compare", "/compare?authority=Lancashire+County+Council&authority=Blackpool+Council"
                "&authority=Somerset+County+Council&topic=family+safeguarding&as_of=2026-11-23"),
    ("timeline", "/timeline?authority=Lancashire+County+Council&as_of=2026-11-23"),
    ("ingest", "/ingest"),
]
WIDTHS = {1280: 2200, 390: 3000}  # width: the most height kept


def shoot(page, url: str, dest: Path, height: int) -> None:
    from PIL import Image

    page.goto(url)
    page.wait_for_load_state("networkidle")
    full = page.evaluate("document.documentElement.scrollHeight")
    png = page.screenshot(full_page=True, clip={"x": 0, "y": 0, "width": page.viewport_size["width"],
                                                 "height": min(full, height)})
    with Image.open(io.BytesIO(png)) as im:
        im.convert("RGB").quantize(colors=128, method=Image.Quantize.MEDIANCUT).save(dest, optimize=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kb", type=Path, required=True)
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    from kb.store import open_store
    from kb.users import add_user, count_users
    from reports.web.core import Settings
    from reports.web.live import serving

    with open_store(args.kb) as s:
        doc = next(d for d in s.documents() if d["format"] == "pdf")
    pages = [(n, u or f"/documents/{doc['id']}?q=children+in+care") for n, u in PAGES]
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p, serving(Settings(home=args.kb, local_user="officer")) as url:
        browser = p.chromium.launch(executable_path=args.chromium, args=["--no-sandbox", "--disable-gpu"])
        for width, height in WIDTHS.items():
            page = browser.new_page(viewport={"width": width, "height": 900})
            for name, path in pages:
                shoot(page, url + path, args.out / f"{name}-{width}.png", height)
            page.close()
        with tempfile.TemporaryDirectory() as tmp:  # the sign-in page of a shared server, on an empty KB
            with open_store(Path(tmp) / "kb") as s:
                count_users(s) or add_user(s, "admin", "a long password", "admin")
            with serving(Settings(home=Path(tmp) / "kb", sign_in=True)) as shared:
                for width in WIDTHS:
                    page = browser.new_page(viewport={"width": width, "height": 900})
                    shoot(page, shared + "/sign-in", args.out / f"sign-in-{width}.png", 900)
                    page.close()
        browser.close()
    print(f"wrote {len(pages) * 2 + 2} screenshots to {args.out}")


if __name__ == "__main__":
    main()
