"""manage.py import_papers: folders, a progress bar, a report, one bad file never stops a batch."""

import io
import shutil

import pytest
from django.core.management import CommandError, call_command

from beirat.council.models import Paper
from beirat.directory import demo as directory_demo
from tests.ingest.test_parse import SEEDS

pytestmark = pytest.mark.django_db


@pytest.fixture
def folder(tmp_path):
    directory_demo.load(stdout=io.StringIO())
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, tmp_path / seed.name)
    (tmp_path / "kaputt.pdf").write_bytes(b"%PDF-1.7 broken")
    (tmp_path / "notiz.txt").write_text("Einkaufsliste: Milch, Brot")
    (tmp_path / "bild.gif").write_bytes(b"GIF89a")  # not a type the import looks at
    return tmp_path


def run(*paths):
    out = io.StringIO()
    call_command("import_papers", *[str(path) for path in paths], stdout=out)
    return out.getvalue()


def test_a_folder_is_imported_with_a_report(folder):
    report = run(folder)

    assert "Import [" in report
    assert "100% 4/4" in report  # the progress bar reached the end
    assert "4 Dateien" in report
    assert "eingelesen: 1" in report
    assert "wartet auf Prüfung: 1" in report
    assert "fehlgeschlagen: 2" in report
    assert "kaputt.pdf: fehlgeschlagen" in report
    assert "beschädigt" in report
    assert "notiz.txt: fehlgeschlagen" in report
    assert "keine Vorlage" in report
    assert set(Paper.objects.values_list("reference", flat=True)) == {
        "AW/0011/2021",
        "AF/0013/2021",
        "ST/0078/2025",
        "AT/0080/2025",
    }


def test_a_second_run_changes_nothing(folder):
    run(folder)
    papers = list(Paper.objects.values_list("pk", "modified_at"))

    report = run(folder)

    assert "unverändert: 2" in report
    assert list(Paper.objects.values_list("pk", "modified_at")) == papers


def test_a_missing_path_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="nicht gefunden"):
        run(tmp_path / "fehlt")
