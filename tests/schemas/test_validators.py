"""Check digits, phones, text normalisation and masking."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from app.schemas.validators import (
    CREDIT_CHARSET,
    CleanText,
    CreditCode,
    IdNumber,
    Phone,
    check_credit_code,
    check_id_number,
    check_phone,
    credit_code_check_char,
    id_check_char,
    id_gender,
    mask_id_number,
    mask_phone,
    normalize_text,
    random_credit_code,
    random_id_number,
    random_mobile,
)


def reference_credit_check(first17: str) -> str:
    """GB 32100-2015 written out independently: weights 3^(i-1) mod 31, check 31 - sum mod 31."""
    weights = [pow(3, i, 31) for i in range(17)]
    total = sum(CREDIT_CHARSET.index(c) * w for c, w in zip(first17, weights, strict=True))
    return CREDIT_CHARSET[(31 - total % 31) % 31]


def reference_id_check(first17: str) -> str:
    """GB 11643-1999: weights 2^(17-i) mod 11, check (12 - sum mod 11) mod 11, 10 -> X."""
    weights = [pow(2, 17 - i, 11) for i in range(17)]
    value = (12 - sum(int(c) * w for c, w in zip(first17, weights, strict=True)) % 11) % 11
    return "X" if value == 10 else str(value)


CREDIT_BODIES = st.text(alphabet=CREDIT_CHARSET, min_size=17, max_size=17)
BIRTHS = st.dates(min_value=date(1900, 1, 1), max_value=date.today())
ID_BODIES = st.builds(
    lambda region, born, seq: f"{region}{born:%Y%m%d}{seq}",
    st.text(alphabet="0123456789", min_size=6, max_size=6),
    BIRTHS,
    st.text(alphabet="0123456789", min_size=3, max_size=3),
)


def test_known_numbers() -> None:
    assert check_id_number("11010519491231002X") == "11010519491231002X"
    assert check_id_number("11010519491231002x") == "11010519491231002X"
    with pytest.raises(ValueError, match="校验位"):
        check_id_number("110105194912310021")
    assert id_gender("11010519491231002X") == "女"
    code = "91320106MA1W2A3B4" + reference_credit_check("91320106MA1W2A3B4")
    assert check_credit_code(code.lower()) == code


@given(CREDIT_BODIES)
@settings(max_examples=150)
def test_every_valid_credit_code_is_accepted(first17: str) -> None:
    assert credit_code_check_char(first17) == reference_credit_check(first17)
    code = first17 + credit_code_check_char(first17)
    assert check_credit_code(code) == code


@given(CREDIT_BODIES, st.integers(0, 17), st.integers(1, 30))
@settings(max_examples=200)
def test_every_single_substitution_in_a_credit_code_is_rejected(
    first17: str, position: int, shift: int
) -> None:
    code = first17 + credit_code_check_char(first17)
    wrong = CREDIT_CHARSET[(CREDIT_CHARSET.index(code[position]) + shift) % 31]
    changed = code[:position] + wrong + code[position + 1 :]
    with pytest.raises(ValueError):
        check_credit_code(changed)


@given(ID_BODIES)
@settings(max_examples=150)
def test_every_valid_id_number_is_accepted(first17: str) -> None:
    assert id_check_char(first17) == reference_id_check(first17)
    number = first17 + id_check_char(first17)
    assert check_id_number(number) == number


@given(ID_BODIES, st.integers(0, 17), st.integers(1, 10))
@settings(max_examples=200)
def test_every_single_substitution_in_an_id_number_is_rejected(
    first17: str, position: int, shift: int
) -> None:
    number = first17 + id_check_char(first17)
    alphabet = "0123456789X" if position == 17 else "0123456789"
    step = shift % (len(alphabet) - 1) + 1  # never a full turn back to the same character
    wrong = alphabet[(alphabet.index(number[position]) + step) % len(alphabet)]
    changed = number[:position] + wrong + number[position + 1 :]
    with pytest.raises(ValueError):
        check_id_number(changed)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("9132010", "应为18位"),
        ("91320106MA1W2A3B4I", "不允许的字符"),
        ("91320106MA1W2A3B4O", "不允许的字符"),
    ],
)
def test_credit_code_reasons(value: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        check_credit_code(value)


def test_id_number_reasons() -> None:
    future = date.today() + timedelta(days=30)
    body = f"320106{future:%Y%m%d}123"
    for value, reason in [
        ("3201061990", "应为18位"),
        ("32010619900A01123X", "前17位"),
        ("320106199002301234", "出生日期"),  # 30 February
        (body + id_check_char(body), "出生日期"),
    ]:
        with pytest.raises(ValueError, match=reason):
            check_id_number(value)


def test_full_width_and_spaces_are_normalised() -> None:
    assert check_id_number("１１０１０５１９４９１２３１００２Ｘ ") == "11010519491231002X"
    assert check_credit_code(" 9132 0106 MA1W 2A3B 4" + reference_credit_check("91320106MA1W2A3B4"))
    assert normalize_text("　ＡＢＣ１２３  工资\u00a0拖欠 ") == "ABC123 工资 拖欠"


@given(st.text(max_size=40))
def test_normalize_is_idempotent_and_keeps_cjk(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once
    for ch in text:
        if "\u4e00" <= ch <= "\u9fff":
            assert ch in once


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("13812345678", "13812345678"),
        ("+86 138-1234-5678", "13812345678"),
        ("８６１３８１２３４５６７８", "13812345678"),
        ("025-83456789", "025-83456789"),
        ("02583456789", "025-83456789"),
        ("(025)83456789", "025-83456789"),
        ("0512-6789012-801", "0512-6789012-801"),
        ("051267890123", "0512-67890123"),
        ("010-12345678", "010-12345678"),
    ],
)
def test_phones_accepted(value: str, expected: str) -> None:
    assert check_phone(value) == expected


@pytest.mark.parametrize(
    "value", ["1381234567", "12812345678", "138123456789", "abc", "025-123", "0251-2345678", ""]
)
def test_phones_refused(value: str) -> None:
    with pytest.raises(ValueError, match="手机号或固定电话"):
        check_phone(value)


def test_masks() -> None:
    assert mask_id_number("32010619870309260X") == "3201********260X"
    assert mask_id_number(None) == "" and mask_id_number("") == ""
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("025-83456789") == "025-******89"
    assert mask_phone("0512-6789012-801") == "0512-*****12"


@given(st.randoms(use_true_random=False))
def test_masked_id_never_shows_the_middle(rng: random.Random) -> None:
    number = random_id_number(rng)
    masked = mask_id_number(number)
    assert number[4:14] not in masked and len(masked) == 16
    assert masked.startswith(number[:4]) and masked.endswith(number[-4:])


@given(st.randoms(use_true_random=False))
@settings(max_examples=50)
def test_random_values_are_valid_and_reproducible(rng: random.Random) -> None:
    state = rng.getstate()
    values = (random_credit_code(rng), random_id_number(rng, gender="男"), random_mobile(rng))
    rng.setstate(state)
    assert values == (
        random_credit_code(rng),
        random_id_number(rng, gender="男"),
        random_mobile(rng),
    )
    assert check_credit_code(values[0]) and id_gender(check_id_number(values[1])) == "男"
    assert check_phone(values[2]) == values[2]


class Form(BaseModel):
    code: CreditCode
    id_number: IdNumber
    phone: Phone
    name: CleanText


def test_pydantic_types_give_chinese_reasons() -> None:
    code = "91320106MA1W2A3B4" + reference_credit_check("91320106MA1W2A3B4")
    ok = Form(code=code, id_number="11010519491231002X", phone="13812345678", name=" 李 四 ")
    assert ok.name == "李 四"
    with pytest.raises(ValidationError) as err:
        Form(code=code[:-1] + "0", id_number=12, phone="123", name="x")  # type: ignore[arg-type]
    text = str(err.value)
    assert "应为文本" in text and "手机号或固定电话" in text
