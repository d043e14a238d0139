"""Lighthouse accessibility and best-practices scores of the main pages, in Chromium.

    .venv/bin/python scripts/lighthouse.py       (make lighthouse)

Runs the pinned Lighthouse (build/lighthouse, npm i -E lighthouse@12.2.3) against a
throw-away copy of the site (scripts/screenshots.py's), with Debian's chromium: home and
catalogue signed out, a resource page, the roadmap and the dashboard signed in. Prints one
line a page and exits 1 when any score is under 100. Not part of make test: each page
takes Lighthouse several seconds.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from screenshots import BASE_DIR, find_chromium, seeded_site

LIGHTHOUSE = BASE_DIR / "build" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ["accessibility", "best-practices"]
PAGES = [
    ("home", "/", False),
    ("catalogue", "/catalog/", False),
    ("resource", "/catalog/khan-academy-linear-algebra/", True),
    ("roadmap", "/roadmap/", True),
    ("dashboard", "/", True),
]


def audit(url: str, session: str | None, chromium: str, out: Path) -> dict:
    command = [
        str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu --no-first-run",
        "--form-factor=desktop", "--screenEmulation.disabled",
    ]
    if session:
        command.append(json.dumps({"Cookie": f"sessionid={session}"}).join(
            ["--extra-headers=", ""]))
    subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": chromium})
    report = json.loads(out.read_text())
    scores = {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}
    failing = [
        f"{audit['id']}: {audit['title']}"
        for audit in report["audits"].values()
        if audit.get("score") is not None and audit["score"] < 1
        and audit.get("scoreDisplayMode") == "binary"
    ]
    if report["finalDisplayedUrl"] != url:  # a redirect to log-in would score the wrong page
        failing.append(f"ended at {report['finalDisplayedUrl']}, not {url}")
        scores = {name: 0 for name in CATEGORIES}
    return {"scores": scores, "failing": failing}


def main():
    if not LIGHTHOUSE.exists():
        raise SystemExit("Lighthouse not found: cd build/lighthouse && npm i -E lighthouse@12.2.3")
    chromium = find_chromium()
    below = 0
    with seeded_site("mp-lighthouse-") as (base, session), tempfile.TemporaryDirectory() as tmp:
        for name, path, signed_in in PAGES:
            result = audit(base + path, session if signed_in else None, chromium,
                           Path(tmp) / f"{name}.json")
            scores = "  ".join(f"{k} {v}" for k, v in result["scores"].items())
            print(f"{name:<10} {path:<42} {scores}")
            for line in result["failing"]:
                print(f"           failing: {line}")
            below += any(v < 100 for v in result["scores"].values())
    sys.exit(1 if below else 0)


if __name__ == "__main__":
    main()
