"""scripts/audit.py: where pip-audit cannot look a package up, PyPI's project page decides."""

import importlib.util
import io
import json
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "audit.py"


@pytest.fixture
def audit():
    spec = importlib.util.spec_from_file_location("audit_script", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def pypi_answers(monkeypatch, audit, pages):
    """PyPI's project pages as `pages` {name: (latest version, [advisory ids])}."""
    def urlopen(url, timeout):
        name = url.rstrip("/").split("/")[-2]
        latest, ids = pages[name]
        body = {"info": {"version": latest},
                "vulnerabilities": [{"id": i, "fixed_in": ["9.9"]} for i in ids]}
        return io.BytesIO(json.dumps(body).encode())

    monkeypatch.setattr(audit.urllib.request, "urlopen", urlopen)
    monkeypatch.setattr(audit.metadata, "version", lambda name: "1.0")


def test_a_latest_release_with_an_advisory_is_reported(monkeypatch, audit, capsys):
    pypi_answers(monkeypatch, audit, {"clean": ("1.0", []), "leaky": ("1.0", ["PYSEC-1"])})
    left, vulnerable = audit.check_latest_releases(["clean", "leaky"])
    assert (left, vulnerable) == ([], ["leaky"])
    assert "leaky 1.0: PYSEC-1 (fixed in 9.9)" in capsys.readouterr().out


def test_an_older_release_stays_unchecked(monkeypatch, audit):
    pypi_answers(monkeypatch, audit, {"old": ("2.0", [])})
    left, vulnerable = audit.check_latest_releases(["old"])
    assert left == ["old 1.0 (not the latest release)"]
    assert vulnerable == []


def test_an_unreachable_page_stays_unchecked(monkeypatch, audit):
    def refuse(url, timeout):
        raise OSError("no route to host")

    monkeypatch.setattr(audit.urllib.request, "urlopen", refuse)
    assert audit.check_latest_releases(["django"]) == (["django"], [])
