"""Check digits, phones, region codes, text normalisation and masking."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from hypothesis import assume, given, settings
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
    fold_width,
    id_check_char,
    id_gender,
    id_region_warning,
    mask_id_number,
    mask_phone,
    normalize_text,
    org_code_check_char,
    random_credit_code,
    random_id_number,
    random_mobile,
)
from tests.helpers import id_with


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


def reference_org_check(first8: str) -> str:
    """GB 11714 written out: values 0–9, A–Z = 10–35, weights 3 7 9 10 5 8 4 2, 11 - sum mod 11."""
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    value = 11 - sum(int(c, 36) * w for c, w in zip(first8, weights, strict=True)) % 11
    return "X" if value == 10 else "0" if value == 11 else str(value)


DIGITS = "0123456789"
# GB 32100: registering authority and kind (2), division code (6 digits), organisation code (9).
CREDIT_BODIES = st.builds(
    lambda head, division, org: head + division + org,
    st.text(alphabet=CREDIT_CHARSET, min_size=2, max_size=2),
    st.text(alphabet=DIGITS, min_size=6, max_size=6),
    st.text(alphabet=CREDIT_CHARSET, min_size=9, max_size=9),
)
LETTERS = "".join(c for c in CREDIT_CHARSET if not c.isdigit())
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
    # A real enterprise's published code: both its own checks agree with ours.
    assert check_credit_code("914403001922038216") == "914403001922038216"
    assert org_code_check_char("19220382") == reference_org_check("19220382") == "1"


@given(CREDIT_BODIES, st.integers(2, 7), st.sampled_from(LETTERS))
@settings(max_examples=150)
def test_a_letter_in_the_division_code_is_refused_even_with_a_right_check(
    first17: str, position: int, letter: str
) -> None:
    body = first17[:position] + letter + first17[position + 1 :]
    code = body + credit_code_check_char(body)  # the mod-31 check alone would pass it
    with pytest.raises(ValueError, match="第3–8位应为数字"):
        check_credit_code(code)


@given(st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=8, max_size=8))
def test_organisation_code_check_matches_gb_11714(first8: str) -> None:
    assert org_code_check_char(first8) == reference_org_check(first8)


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
        ("91AB0106MA1W2A3B4" + reference_credit_check("91AB0106MA1W2A3B4"), "第3–8位"),
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


def test_id_number_edges_of_birth_and_digits() -> None:
    """The first birth date allowed is 1900-01-01; digits are ASCII (or full-width, folded)
    only: Arabic-Indic and Devanagari digits pass str.isdigit() but are no ID number."""
    first = "110105" + "19000101" + "123"
    assert check_id_number(first + id_check_char(first)) == first + id_check_char(first)
    before = "110105" + "18991231" + "123"
    with pytest.raises(ValueError, match="出生日期"):
        check_id_number(before + id_check_char(before))
    good = "11010519491231002X"
    for digit in ("٣", "३", "𝟑"):  # Arabic-Indic, Devanagari, mathematical bold three
        with pytest.raises(ValueError, match="前17位"):
            check_id_number(digit + good[1:])
        with pytest.raises(ValueError, match="末位"):
            check_id_number(good[:17] + digit)


def test_full_width_and_spaces_are_normalised() -> None:
    assert check_id_number("１１０１０５１９４９１２３１００２Ｘ ") == "11010519491231002X"
    assert check_credit_code(" 9132 0106 MA1W 2A3B 4" + reference_credit_check("91320106MA1W2A3B4"))
    assert fold_width("　ＡＢＣ１２３  工资\u00a0拖欠 ") == "ABC123 工资 拖欠"
    assert normalize_text("　ＡＢＣ１２３  工资\u00a0拖欠 ") == "ＡＢＣ１２３ 工资 拖欠"


def test_full_width_punctuation_is_kept_as_typed() -> None:
    name = "南京宏达（集团）有限公司：一分厂，二车间；好！对？"
    assert normalize_text(f"  {name}\u3000") == name


FULL_WIDTH_PUNCTUATION = "（）：，；！？、。“”《》【】"
FREE_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(FULL_WIDTH_PUNCTUATION),
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
        st.characters(min_codepoint=0x21, max_codepoint=0x7E),
        st.sampled_from(" \u3000\u00a0\t"),
    ),
    max_size=40,
)


@given(FREE_TEXT)
def test_free_text_keeps_every_visible_character(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once
    assert [c for c in once if not c.isspace()] == [c for c in text if not c.isspace()]


@given(FREE_TEXT)
def test_a_form_keeps_punctuation_while_codes_fold(text: str) -> None:
    assume(normalize_text(text))
    parsed = Form(
        code="９１" + "320106MA1W2A3B4" + reference_credit_check("91320106MA1W2A3B4"),
        id_number="１１０１０５１９４９１２３１００２Ｘ",
        phone="１３８－１２３４－５６７８",
        name=text,
    )
    assert parsed.name == normalize_text(text)
    assert parsed.code.isascii() and parsed.id_number == "11010519491231002X"
    assert parsed.phone == "13812345678"


@given(st.text(max_size=40))
def test_normalize_is_idempotent_and_keeps_cjk(text: str) -> None:
    for normalise in (normalize_text, fold_width):
        once = normalise(text)
        assert normalise(once) == once
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
        ("（０２５）８３４５６７８９", "025-83456789"),
        ("0101234567", "010-1234567"),
    ],
)
def test_phones_accepted(value: str, expected: str) -> None:
    assert check_phone(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "1381234567",
        "12812345678",
        "138123456789",
        "abc",
        "025-123",
        "0251-2345678",
        "",
        "0086-12345678",  # 00 is the international prefix, not an area code
        "001-2345678",
        "011-12345678",  # 01X is only ever 010
        "019-12345678",
        "0111-2345678",
        "01112345678",
    ],
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


@given(
    st.text(alphabet=DIGITS, min_size=1, max_size=1),
    st.text(alphabet=DIGITS, min_size=1, max_size=2),
    st.text(alphabet=DIGITS, min_size=7, max_size=8),
)
def test_area_codes_follow_the_numbering_plan(second: str, rest: str, number: str) -> None:
    """Generated landlines: accepted exactly when the area code is 010, 02X or 0[3-9]XX."""
    area = "0" + second + rest
    valid = area == "010" or (second == "2" and len(area) == 3) or (
        second in "3456789" and len(area) == 4
    )
    if valid:
        assert check_phone(f"{area}-{number}") == f"{area}-{number}"
    else:
        with pytest.raises(ValueError):
            check_phone(f"{area}-{number}")


# ---- region codes (GB/T 2260) ------------------------------------------------------------


def test_region_codes_warn_but_never_refuse() -> None:
    assert id_region_warning(id_with("320106", date(1975, 3, 1))) is None  # made in 1983
    # 白下区 (320103) was merged into 秦淮区 in 2013: right for people born before, not after.
    assert id_region_warning(id_with("320103", date(1980, 5, 1))) is None
    late = id_region_warning(id_with("320103", date(2015, 5, 1)))
    assert late is not None and "白下区" in late and "2013" in late
    unknown = id_region_warning(id_with("329999", date(1990, 1, 1)))
    assert unknown is not None and "329999" in unknown
    assert id_region_warning(id_with("830000", date(1990, 1, 1))) is None  # 台湾居民居住证
    number = id_with("329999", date(1990, 1, 1))
    assert check_id_number(number) == number  # a warning, not a refusal


def test_worker_input_reports_the_warning_without_refusing() -> None:
    from app.schemas.ledger import WorkerIn

    base = {"enterprise_id": "0" * 36, "name": "李四"}
    odd = WorkerIn.parse({**base, "id_number": id_with("329999", date(1990, 1, 1))})
    (warning,) = odd.warnings()
    assert (warning.field, warning.label) == ("id_number", "身份证号")
    assert warning.code == "id_region_unknown" and "329999" in str(warning)
    fine = WorkerIn.parse({**base, "id_number": id_with("320106", date(1990, 1, 1))})
    assert fine.warnings() == []
    assert WorkerIn.parse(base).warnings() == []


def _table_codes() -> list[tuple[str, int | None, int | None]]:
    from stdnum import numdb

    db = numdb.get("cn/loc")
    out = []
    for _l, province, _p, _props, children in db.prefixes:
        for _l2, county, _c, props, _kids in children:
            for use in props.get("county", "").split(","):
                start = end = None
                if use.startswith("["):
                    years = use[1 : use.index("]")].split("-")
                    start = int(years[0]) if years[0] else None
                    end = int(years[1]) if years[1] else None
                out.append((province + county, start, end))
    return out


TABLE = _table_codes()


@given(st.sampled_from(TABLE), st.integers(1900, 2025))
@settings(max_examples=300)
def test_every_table_code_is_plausible_until_it_was_abolished(
    use: tuple[str, int | None, int | None], year: int
) -> None:
    code, _start, end = use
    born = date(year, 6, 15)
    assume(born <= date.today())
    warning = id_region_warning(id_with(code, born))
    if end is None or year <= end:
        assert warning is None, (code, year, warning)  # created later is fine: issued later
    elif all(e is not None and year > e for c, _s, e in TABLE if c == code):
        assert warning is not None and code in warning


@given(st.text(alphabet=DIGITS, min_size=6, max_size=6), BIRTHS)
@settings(max_examples=200)
def test_any_region_code_passes_the_checker_itself(region: str, born: date) -> None:
    number = id_with(region, born)
    assert check_id_number(number) == number
    warning = id_region_warning(number)
    assert warning is None or region in warning


def test_an_empty_required_choice_or_date_is_reported_as_required() -> None:
    from app.schemas.base import field_errors
    from app.schemas.ledger import AssistanceIn

    empty: dict[str, object] = dict.fromkeys(["worker_id", "given_on", "kind", "funding_source"])
    with pytest.raises(ValidationError) as err:
        AssistanceIn(**empty)  # type: ignore[arg-type]
    reasons = {e.label: e.message for e in field_errors(AssistanceIn, err.value)}
    assert reasons == dict.fromkeys(["帮扶对象", "帮扶日期", "帮扶类型", "资金来源"], "必填")
    bogus = {"worker_id": "0" * 36, "given_on": "2026-01-01", "kind": "x", "funding_source": "x"}
    with pytest.raises(ValidationError) as err:
        AssistanceIn(**bogus)  # type: ignore[arg-type]
    assert {e.message for e in field_errors(AssistanceIn, err.value)} == {"不是有效的选项"}
