"""The benchmark report names the code it measured, and the load floor does the form's work."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core import signing
from django.test import RequestFactory

from beirat.core import form_tokens
from benchmarks import provenance, report, urls


def test_every_section_is_stamped_with_its_commit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(report, "PATH", tmp_path / "benchmarks.md")
    monkeypatch.setattr(provenance, "changes", lambda: [])
    report.write_section("## Load", "## Load\n\nfirst run")
    report.write_section("## Search", "## Search\n\nsearch")
    report.write_section("## Load", "## Load\n\nsecond run")
    text = (tmp_path / "benchmarks.md").read_text()
    head = provenance.commit()
    assert text.count(f"Commit {head},") == 2
    assert "first run" not in text
    assert text.index("## Load") < text.index("second run") < text.index("## Search")
    assert "Not a result" not in text


def test_a_dirty_tree_is_refused_or_marked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(report, "PATH", tmp_path / "benchmarks.md")
    monkeypatch.setattr(provenance, "changes", lambda: ["beirat/search/queries.py"])
    monkeypatch.delenv(provenance.ALLOW_DIRTY, raising=False)
    with pytest.raises(SystemExit, match="Uncommitted changes"):
        provenance.require_clean()
    monkeypatch.setenv(provenance.ALLOW_DIRTY, "1")
    provenance.require_clean()
    report.write_section("## Load", "## Load\n\nfigures")
    text = (tmp_path / "benchmarks.md").read_text()
    assert "**Not a result: measured with 1 uncommitted change(s)" in text
    assert "beirat/search/queries.py" in text


def test_changes_outside_docs_and_tests_count():
    assert all(not path.startswith(("docs/", "tests/")) for path in provenance.changes())


def test_the_load_floor_serves_a_signed_token_and_answers_like_the_form():
    factory = RequestFactory()
    page = urls.trivial_form(factory.get("/bench/trivial-form/")).content.decode()
    token = page.split('name="issued" value="')[1].split('"')[0]
    signing.TimestampSigner(salt=form_tokens.SALT).unsign(token)  # the form's own kind of token
    answer = urls.trivial_post(
        factory.post("/bench/trivial-post/", {"issued": token, "title": "x", "text": "y"})
    )
    assert answer.status_code == 302
