"""The optional proof of work on the public forms: off by default, one hash to check, spent once."""

import itertools

import pytest

from beirat.core import proof_of_work
from beirat.submissions.models import Submission
from tests.submissions.test_intake import NEW, form_data

pytestmark = pytest.mark.django_db

BITS = 8


def solve(challenge: str, bits: int = BITS) -> str:
    """What the browser's script does (beirat/static/beirat/proof-of-work.js)."""
    for nonce in itertools.count():
        if proof_of_work.work_of(challenge, str(nonce)) >= bits:
            return str(nonce)
    raise AssertionError("unreachable")


@pytest.fixture
def switched_on(settings):
    settings.BEIRAT_PROOF_OF_WORK_BITS = BITS


def test_off_by_default_the_form_needs_no_script(anonymous):
    page = anonymous.get(NEW).content.decode()

    assert "data-proof-of-work" not in page
    assert "proof-of-work.js" not in page
    anonymous.post(NEW, form_data(anonymous))
    assert Submission.objects.count() == 1


def test_switched_on_the_form_loads_the_script_and_explains_the_alternative(anonymous, switched_on):
    page = anonymous.get(NEW).content.decode()

    assert f'data-proof-of-work="{BITS}"' in page
    assert "/static/beirat/proof-of-work.js" in page
    assert "<noscript>" in page
    assert "digitalbeirat@stadt.koblenz.de" in page


def test_without_the_work_nothing_is_stored_and_the_text_is_kept(anonymous, switched_on):
    response = anonymous.post(NEW, form_data(anonymous, text="Mein sorgfältiger Text."))

    assert response.status_code == 200
    assert Submission.objects.count() == 0
    page = response.content.decode()
    assert "Ihr Browser konnte das Formular nicht absichern" in page
    assert "Mein sorgfältiger Text." in page


@pytest.mark.parametrize("nonce", ["", "abc", "-1", "1" * 10_000, "١٢٣"])
def test_malformed_answers_are_a_form_error(anonymous, switched_on, nonce):
    response = anonymous.post(NEW, form_data(anonymous, work=nonce))

    assert response.status_code == 200
    assert Submission.objects.count() == 0


def test_the_solved_form_is_accepted_once(anonymous, switched_on):
    data = form_data(anonymous)
    data["work"] = solve(data["issued"])

    first = anonymous.post(NEW, data)
    second = anonymous.post(NEW, data)

    assert first.status_code == 302
    assert Submission.objects.count() == 1
    assert "wurde schon abgeschickt" in second.content.decode()
    # The re-rendered form carries a fresh token, so a person can simply send it again.
    assert second.context["form"].data["issued"] != data["issued"]


def test_fixing_a_mistake_does_not_cost_the_work_again(anonymous, switched_on):
    data = form_data(anonymous, consent=None)
    data["work"] = solve(data["issued"])

    mistake = anonymous.post(NEW, data)
    fixed = anonymous.post(NEW, {**data, "consent": "on"})

    assert "Ohne Ihr Einverständnis" in mistake.content.decode()
    assert fixed.status_code == 302
    assert Submission.objects.count() == 1


def test_too_little_work_is_refused(anonymous, switched_on):
    data = form_data(anonymous)
    nonce = next(
        str(n) for n in itertools.count() if proof_of_work.work_of(data["issued"], str(n)) < BITS
    )

    anonymous.post(NEW, {**data, "work": nonce})

    assert Submission.objects.count() == 0


@pytest.mark.parametrize(
    ("digest", "bits"),
    [(b"\x00\x00\xff", 16), (b"\x00\x01", 15), (b"\x80", 0), (b"\x0f", 4), (b"\x00\x00", 16)],
)
def test_leading_zero_bits(digest, bits):
    assert proof_of_work.leading_zero_bits(digest) == bits
