"""Checks for the codes and numbers of Chinese records, and masking for display.

* 统一社会信用代码 (unified social credit code), GB 32100-2015: 18 characters, mod-31 check,
  positions 3–8 the registering authority's administrative-division code (digits only).
* 居民身份证号码 (national ID number), GB 11643-1999: 18 characters, mod-11 check, a real birth
  date in digits 7–14. The region code in digits 1–6 is checked against GB/T 2260 as a
  *warning* only (``id_region_warning``): see ``app.schemas.regions``.
* Mainland mobile and landline numbers (area codes 010, 02X and 0XXX with X ≠ 0; no 00, and
  no 01X other than 010).

Spreadsheets and hurried typing bring full-width digits (１２３), ideographic spaces and stray
blanks. Two normalisations, on purpose different:

* ``normalize_text`` (free text: names, titles, addresses) only tidies whitespace. Full-width
  punctuation is kept as typed: an enterprise registered as “…（集团）有限公司” must be stored
  with the registry's own brackets, or it no longer matches the registry, the contract or the
  seal. Full-width letters and digits in free text are kept too (they are rare, and a name is
  what it is).
* ``fold_width`` (codes, ID numbers, phones, spreadsheet headers, identity keys) maps
  full-width ASCII to half-width as well, since only the digits and letters matter there.

Every checker folds first, then refuses with a short Chinese reason (the caller adds the
field's name). The ``random_*`` helpers make valid values for demo data.
"""

from __future__ import annotations

import random
import re
from datetime import date, timedelta
from typing import Annotated, Any

from pydantic import BeforeValidator

# ---- text --------------------------------------------------------------------------------

_FULL_WIDTH: dict[int, int | str] = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_SPACES: dict[int, int | str] = {
    cp: " " for cp in (0x3000, 0x00A0, 0x2002, 0x2003, 0x2009, 0x200A, 0x202F, 0x205F)
}
_SPACES.update({0x200B: "", 0xFEFF: ""})  # zero-width space and BOM vanish
_FOLD = {**_FULL_WIDTH, **_SPACES}
_RUNS = re.compile(r"\s+")


def normalize_text(value: str) -> str:
    """Odd spaces to plain ones, trimmed and collapsed; every other character as typed."""
    return _RUNS.sub(" ", value.translate(_SPACES)).strip()


def fold_width(value: str) -> str:
    """Full-width ASCII to half-width as well as ``normalize_text``: for codes and numbers,
    and for keys that must match however a name was typed (（集团） and (集团) alike)."""
    return _RUNS.sub(" ", value.translate(_FOLD)).strip()


def _compact(value: str) -> str:
    return fold_width(value).replace(" ", "")


# ---- unified social credit code (GB 32100-2015) -----------------------------------------

CREDIT_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_VALUE = {c: i for i, c in enumerate(CREDIT_CHARSET)}
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# Positions 9–17 are the organisation code (GB 11714), whose last character is its own check.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_VALUE = {c: int(c, 36) for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"}


def credit_code_check_char(first17: str) -> str:
    total = sum(_CREDIT_VALUE[c] * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return CREDIT_CHARSET[(31 - total % 31) % 31]


def org_code_check_char(first8: str) -> str:
    """The GB 11714 check character of an organisation code (positions 9–16 of a credit code).

    Not enforced on input (codes issued before the scheme settled do not all follow it); the
    demo data follows it so its codes pass the strictest reading of GB 32100."""
    total = sum(_ORG_VALUE[c] * w for c, w in zip(first8, _ORG_WEIGHTS, strict=True))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def check_credit_code(value: str) -> str:
    code = _compact(value).upper()
    if len(code) != 18:
        raise ValueError(f"应为18位，实际为{len(code)}位")
    for c in code:
        if c not in _CREDIT_VALUE:
            raise ValueError(f"含有不允许的字符「{c}」")
    if not code[2:8].isdigit():
        raise ValueError("第3–8位应为数字（登记管理机关的行政区划码）")
    if credit_code_check_char(code[:17]) != code[17]:
        raise ValueError("校验位错误，请核对")
    return code


def random_credit_code(rng: random.Random, region: str | None = None) -> str:
    """A code a clerk would believe: 91 (企业, 市场监管), a Nanjing district's division code,
    an organisation code with its GB 11714 check, then the GB 32100 check."""
    division = region or rng.choice(("320102", "320104", "320105", "320106", "320111"))
    while True:
        org8 = "".join(rng.choice(CREDIT_CHARSET) for _ in range(8))
        org = org8 + org_code_check_char(org8)
        if org[-1] in _CREDIT_VALUE:  # always, but the charset has no I, O, S, V, Z
            break
    first17 = "91" + division + org
    return first17 + credit_code_check_char(first17)


# ---- national ID number (GB 11643-1999) --------------------------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"  # index: sum mod 11


def id_check_char(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def check_id_number(value: str) -> str:
    number = _compact(value).upper()
    if len(number) != 18:
        raise ValueError(f"应为18位，实际为{len(number)}位")
    if not number[:17].isascii() or not number[:17].isdigit():
        raise ValueError("前17位应为数字")
    if number[17] not in "0123456789X":  # str.isdigit() also takes ٣ and ३
        raise ValueError("末位应为数字或X")
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValueError("出生日期无效") from None
    if not date(1900, 1, 1) <= born <= date.today():
        raise ValueError("出生日期无效")
    if id_check_char(number[:17]) != number[17]:
        raise ValueError("校验位错误，请核对")
    return number


def id_region_warning(value: str) -> str | None:
    """A reason to double-check an ID number whose region code (digits 1–6) GB/T 2260 does
    not know, or that was abolished before the holder was born; None if it looks right.

    Only a warning: the table lags behind new counties, and people keep the number they were
    given, so a code abolished in 2013 is right for someone born in 1980."""
    from app.schemas.regions import region_problem

    number = _compact(value).upper()
    if len(number) < 10 or not number[:10].isdigit():
        return None  # the checker proper reports malformed numbers
    return region_problem(number[:6], int(number[6:10]))


def id_birth_date(value: str) -> date:
    return date(int(value[6:10]), int(value[10:12]), int(value[12:14]))


def id_gender(value: str) -> str:
    """ "男" or "女", from the parity of the 17th digit."""
    return "男" if int(value[16]) % 2 else "女"


def random_id_number(
    rng: random.Random,
    *,
    region: str = "320106",
    birth: date | None = None,
    gender: str | None = None,
) -> str:
    if birth is None:
        start = date(1966, 1, 1)
        birth = start + timedelta(days=rng.randrange((date(2004, 12, 31) - start).days))
    parity = {"男": 1, "女": 0}.get(gender or "", rng.randrange(2))
    seq = rng.randrange(100) * 10 + rng.choice([d for d in range(10) if d % 2 == parity])
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    return first17 + id_check_char(first17)


# ---- phones ------------------------------------------------------------------------------

_MOBILE = re.compile(r"^(?:\+?86)?(1[3-9]\d{9})$")
# 010 (Beijing), 020–029, and 0XXX with X in 3–9; never 00 (international) nor 01X but 010.
_LANDLINE = re.compile(r"^(010|02\d|0[3-9]\d{2})-(\d{7,8})(?:-(\d{1,6}))?$")


def check_phone(value: str) -> str:
    """A mobile as 11 bare digits, or a landline as ``0AA(A)-NNNNNNN(N)[-EXT]``."""
    text = _compact(value)
    mobile = _MOBILE.match(text.replace("-", ""))
    if mobile:
        return mobile.group(1)
    landline = _landline(text)
    if landline is None:
        raise ValueError("不是有效的手机号或固定电话")
    return landline


def _area_length(digits: str) -> int:
    """010 and 020–029 have three digits; every other area code has four."""
    return 3 if digits[1:2] in ("1", "2") else 4


def _landline(text: str) -> str | None:
    text = re.sub("-+", "-", text.replace("(", "").replace(")", "-")).strip("-")
    if text.isdigit() and text.startswith("0"):
        cut = _area_length(text)
        text = f"{text[:cut]}-{text[cut:]}"
    found = _LANDLINE.match(text)
    if not found:
        return None
    area, number, ext = found.groups()
    return f"{area}-{number}" + (f"-{ext}" if ext else "")


_MOBILE_PREFIXES = tuple(
    [
        "133",
        "135",
        "136",
        "137",
        "138",
        "139",
        "150",
        "151",
        "152",
        "158",
        "159",
        "177",
        "182",
        "186",
        "187",
        "188",
        "189",
        "199",
    ]
)


def random_mobile(rng: random.Random) -> str:
    prefix = rng.choice(_MOBILE_PREFIXES)
    return prefix + f"{rng.randrange(10**8):08d}"


# ---- masking (lists and exports show these; revealing is an explicit action) -------------


def mask_id_number(value: str | None) -> str:
    if not value:
        return ""
    if len(value) == 18:
        return f"{value[:4]}********{value[-4:]}"
    return f"{value[:2]}****{value[-2:]}" if len(value) >= 5 else "****"


def mask_phone(value: str | None) -> str:
    if not value:
        return ""
    if len(value) == 11 and value.isdigit():
        return f"{value[:3]}****{value[-4:]}"
    area, _, rest = value.partition("-")
    number = rest.split("-")[0]
    if not number:
        return "****"
    return f"{area}-{'*' * (len(number) - 2)}{number[-2:]}"


# ---- pydantic types ----------------------------------------------------------------------


def _text_only(check: Any) -> Any:
    def run(value: Any) -> Any:
        if value is None:
            raise ValueError("必填")  # blank form fields arrive as None
        if not isinstance(value, str):
            raise ValueError("应为文本")
        return check(value)

    return run


CreditCode = Annotated[str, BeforeValidator(_text_only(check_credit_code))]
IdNumber = Annotated[str, BeforeValidator(_text_only(check_id_number))]
Phone = Annotated[str, BeforeValidator(_text_only(check_phone))]
CleanText = Annotated[str, BeforeValidator(_text_only(normalize_text))]
