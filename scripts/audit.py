"""Check the installed dependencies against the known-vulnerability database (pip-audit).

    .venv/bin/python scripts/audit.py [--strict]

Fails when any installed package has a known vulnerability. pip-audit looks each exact
version up on PyPI; a package it cannot look up (behind a proxy that serves only project
pages) is checked from its PyPI project page when it is installed at its latest release.
What still could not be checked is listed, and fails the check only with --strict (or
AUDIT_STRICT=1), so an offline machine reports the gap instead of pretending it checked.
"""

import json
import os
import subprocess
import sys
import urllib.request
from importlib import metadata
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


PYPI_PROJECT = "https://pypi.org/pypi/{name}/json"
OWN_PROJECT = "mathpath"  # installed editable, not from PyPI: nothing to look up


def main():
    strict = "--strict" in sys.argv or os.environ.get("AUDIT_STRICT") == "1"
    result = subprocess.run(
        [str(Path(sys.executable).parent / "pip-audit"), "--format", "json",
         "--skip-editable", "--progress-spinner", "off"],
        capture_output=True, text=True, cwd=BASE_DIR, check=False,
    )
    try:
        report = json.loads(result.stdout)
    except ValueError:
        sys.stderr.write(result.stderr)
        raise SystemExit("pip-audit did not produce a report.") from None
    vulnerable = [d for d in report["dependencies"] if d.get("vulns")]
    unchecked = [
        d["name"] for d in report["dependencies"]
        if "skip_reason" in d and d["name"] != OWN_PROJECT
    ]
    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixes = ", ".join(vuln.get("fix_versions") or []) or "no fix yet"
            print(f"{dep['name']} {dep['version']}: {vuln['id']} (fixed in {fixes})")
    checked = sum("skip_reason" not in d for d in report["dependencies"])
    print(f"pip-audit: {checked} packages checked, {len(vulnerable)} with known vulnerabilities.")
    if unchecked:
        unchecked, found = check_latest_releases(unchecked)
        vulnerable += found
    if unchecked:
        print(f"Could not check {len(unchecked)} packages: {', '.join(sorted(unchecked))}")
    if vulnerable or (strict and unchecked):
        raise SystemExit(1)


def check_latest_releases(names):
    """PyPI's advisories for packages pip-audit could not look up; the ones left unchecked.

    pip-audit asks PyPI about each exact version; where only PyPI's project pages can be
    reached (some mirrors and proxies), the project page still lists the known
    vulnerabilities of the latest release, the same advisory data. So a package installed
    at its latest release is checked from there; any other stays unchecked.
    """
    left, vulnerable, checked = [], [], 0
    for name in names:
        try:
            installed = metadata.version(name)
            url = PYPI_PROJECT.format(name=name)  # a fixed https address
            with urllib.request.urlopen(url, timeout=30) as answer:  # noqa: S310
                project = json.load(answer)
        except (OSError, ValueError, metadata.PackageNotFoundError):
            left.append(name)
            continue
        if project["info"]["version"] != installed:
            left.append(f"{name} {installed} (not the latest release)")
            continue
        checked += 1
        for vuln in project.get("vulnerabilities") or []:
            fixes = ", ".join(vuln.get("fixed_in") or []) or "no fix yet"
            print(f"{name} {installed}: {vuln['id']} (fixed in {fixes})")
            vulnerable.append(name)
    print(f"PyPI project pages: {checked} more packages checked at their latest release, "
          f"{len(set(vulnerable))} with known vulnerabilities.")
    return left, vulnerable


if __name__ == "__main__":
    main()
