import math

from hypothesis import given
from hypothesis import strategies as st

from beirat.core.tracking_codes import ALPHABET, RANDOM_SYMBOLS, new_tracking_code, normalize_code


def test_code_has_at_least_128_bits_of_entropy():
    assert RANDOM_SYMBOLS * math.log2(len(ALPHABET)) >= 128


def test_code_is_seven_groups_of_four_unambiguous_symbols():
    code = new_tracking_code()
    groups = code.split("-")
    assert [len(group) for group in groups] == [4] * 7
    assert not set("".join(groups)) & set("ILOU")


def test_codes_do_not_repeat():
    assert len({new_tracking_code() for _ in range(2000)}) == 2000


def test_a_typed_code_is_read_back_whatever_the_case_spacing_and_look_alikes():
    code = new_tracking_code()
    typed = code.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    assert normalize_code(typed) == code


@given(st.integers(min_value=0, max_value=27), st.sampled_from(ALPHABET))
def test_every_single_wrong_symbol_is_detected(position, replacement):
    code = new_tracking_code().replace("-", "")
    if code[position] == replacement:
        return
    broken = code[:position] + replacement + code[position + 1 :]
    assert normalize_code(broken) is None


def test_wrong_length_and_foreign_characters_are_refused():
    assert normalize_code("ABCD") is None
    assert normalize_code("Ä" * 28) is None
    assert normalize_code("") is None
