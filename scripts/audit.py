"""Check the installed dependencies against the known-vulnerability database (pip-audit).

    .venv/bin/python scripts/audit.py [--strict]

Fails when any installed package has a known vulnerability. Packages the service could
not look up (no network, a private index) are listed; they fail the check only with
--strict (or AUDIT_STRICT=1), so an offline machine reports the gap instead of
pretending it checked.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


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
    unchecked = [d["name"] for d in report["dependencies"] if "skip_reason" in d]
    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixes = ", ".join(vuln.get("fix_versions") or []) or "no fix yet"
            print(f"{dep['name']} {dep['version']}: {vuln['id']} (fixed in {fixes})")
    checked = len(report["dependencies"]) - len(unchecked)
    print(f"pip-audit: {checked} packages checked, {len(vulnerable)} with known vulnerabilities.")
    if unchecked:
        print(f"Could not check {len(unchecked)} packages (is the vulnerability service "
              f"reachable?): {', '.join(sorted(unchecked))}")
    if vulnerable or (strict and unchecked):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
