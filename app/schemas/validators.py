"""Checks for the codes and numbers of Chinese records, and masking for display.

* 统一社会信用代码 (unified social credit code), GB 32100-2015: 18 characters, mod-31 check.
* 居民身份证号码 (national ID number), GB 11643-1999: 18 characters, mod-11 check, a real birth
  date in digits 7–14.
* Mainland mobile and landline numbers.

Spreadsheets and hurried typing bring full-width digits (１２３), ideographic spaces and stray
blanks: every checker normalises first, then refuses with a short Chinese reason (the caller
adds the field's name). The ``random_*`` helpers make valid values for demo data.
"""

from __future__ import annotations

import random
import re
from datetime import date, timedelta
from typing import Annotated, Any

from pydantic import BeforeValidator

# ---- text --------------------------------------------------------------------------------

_FULL_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_SPACES = {cp: " " for cp in (0x3000, 0x00A0, 0x2002, 0x2003, 0x2009, 0x200A, 0x202F, 0x205F)}
_SPACES.update({0x200B: "", 0xFEFF: ""})  # zero-width space and BOM vanish
_TRANSLATE = {**_FULL_WIDTH, **_SPACES}
_RUNS = re.compile(r"\s+")


def normalize_text(value: str) -> str:
    """Full-width ASCII to half-width, odd spaces to plain ones, trimmed and collapsed."""
    return _RUNS.sub(" ", value.translate(_TRANSLATE)).strip()


def _compact(value: str) -> str:
    return normalize_text(value).replace(" ", "")


# ---- unified social credit code (GB 32100-2015) -----------------------------------------

CREDIT_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_VALUE = {c: i for i, c in enumerate(CREDIT_CHARSET)}
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_char(first17: str) -> str:
    total = sum(_CREDIT_VALUE[c] * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return CREDIT_CHARSET[(31 - total % 31) % 31]


def check_credit_code(value: str) -> str:
    code = _compact(value).upper()
    if len(code) != 18:
        raise ValueError(f"应为18位，实际为{len(code)}位")
    for c in code:
        if c not in _CREDIT_VALUE:
            raise ValueError(f"含有不允许的字符「{c}」")
    if credit_code_check_char(code[:17]) != code[17]:
        raise ValueError("校验位错误，请核对")
    return code


def random_credit_code(rng: random.Random) -> str:
    body = "".join(rng.choice(CREDIT_CHARSET) for _ in range(9))
    first17 = "91" + rng.choice(("320102", "320104", "320105", "320106", "320111")) + body
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
    if not (number[17].isdigit() or number[17] == "X"):
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
_LANDLINE = re.compile(r"^(0\d{2,3})-(\d{7,8})(?:-(\d{1,6}))?$")


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
    return 3 if digits[1] in "12" else 4


def _landline(text: str) -> str | None:
    text = re.sub("-+", "-", text.replace("(", "").replace(")", "-")).strip("-")
    if text.isdigit() and text.startswith("0"):
        cut = _area_length(text)
        text = f"{text[:cut]}-{text[cut:]}"
    found = _LANDLINE.match(text)
    if not found:
        return None
    area, number, ext = found.groups()
    if len(area) != _area_length(area):
        return None
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
