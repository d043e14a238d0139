"""The installed packages are exactly the ones uv.lock pins, on every machine."""

import shutil
import subprocess
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent


def uv():
    found = ROOT / "build" / "uv" / "bin" / "uv"
    return str(found) if found.exists() else shutil.which("uv")


def locked_versions():
    """{name: version} uv.lock pins for this machine (markers evaluated), dev extra included."""
    assert uv(), "uv is missing: `make install` puts it in build/uv"
    exported = subprocess.run(
        [uv(), "export", "--frozen", "--extra", "dev", "--no-hashes", "--no-emit-project",
         "--no-header", "--no-annotate", "--quiet"],
        cwd=ROOT, capture_output=True, text=True, check=True, timeout=60,
    ).stdout
    pinned = {}
    for line in exported.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate():
                (version,) = [spec.version for spec in requirement.specifier]
                pinned[canonicalize_name(requirement.name)] = version
    return pinned


def installed_versions():
    return {
        canonicalize_name(dist.metadata["Name"]): dist.version
        for dist in metadata.distributions()
        if canonicalize_name(dist.metadata["Name"]) != "mathpath"
    }


def test_every_installed_package_is_the_locked_version_and_nothing_else():
    locked, installed = locked_versions(), installed_versions()
    assert locked, "uv export listed nothing"
    differ = {name: (installed.get(name), version) for name, version in locked.items()
              if installed.get(name) != version}
    assert not differ, f"installed vs locked: {differ}"
    extra = sorted(set(installed) - set(locked))
    assert not extra, f"installed but not in uv.lock: {extra}"

