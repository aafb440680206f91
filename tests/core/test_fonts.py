"""The subset fonts the pages load: every character German text and names in papers need, the
renamed family (a subset may not carry the Reserved Font Name), and no page links the full set."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from fontTools.ttLib import TTFont

FONTS = Path(__file__).resolve().parents[2] / "beirat" / "static" / "beirat" / "fonts"
NEEDED = "AaZzÄÖÜäöüßẞ€„“‚‘–—…·§°ÀÉÈÇÑñçéèáàâêîôûœŒŁłŚśŻżČčŘřŠšŽžĞğİıŞşȘșȚț0123456789"


@pytest.mark.parametrize("path", sorted(FONTS.glob("*.woff2")), ids=lambda path: path.name)
def test_each_subset_has_every_needed_character_and_its_own_name(path):
    font = TTFont(path)
    cmap = font.getBestCmap()
    missing = [char for char in NEEDED if ord(char) not in cmap]
    family = font["name"].getDebugName(1)

    assert missing == []
    assert family is not None
    assert "Fira" not in family


def test_a_character_outside_the_subset_is_missing():
    """Control: the check above can fail (CJK is not in the subset)."""
    cmap = TTFont(FONTS / "BeiratSans-Regular-latin.woff2").getBestCmap()
    assert ord("漢") not in cmap


@pytest.mark.django_db
def test_pages_link_the_subset_not_the_full_font_set():
    html = Client().get("/").content.decode()
    assert "beirat/fonts/beirat-sans" in html
    assert "vendor/kern/fonts/fira-sans.css" not in html
