"""GB/T 2260 administrative-division codes, with the years each was in use.

The table is python-stdnum's ``stdnum/cn/loc.dat`` (every county-level code since 1980 with
the years it was assigned, compiled from the published GB/T 2260 editions), read through
stdnum's own ``numdb`` reader. Why a dependency rather than a vendored file: counties are
created, merged and renamed every year, and a stale table makes false warnings; a maintained
package brings the new codes with an ordinary version bump (pinned in pyproject), while a
vendored file needs someone to remember to regenerate it. Only the data is used: stdnum's
``cn.ric`` validator ties the code to the birth year in the wrong direction (it refuses a
code created after the holder's birth, though people born in 1975 hold codes made in 1983),
so it is not an oracle for 身份证号.

The rule here: a code is plausible for someone born in year Y unless the table does not know
it, or every use of it ended before Y. A code created after Y is fine (the number is issued
when the person registers, often years after birth). The residence-permit codes for Hong
Kong, Macao and Taiwan residents (810000, 820000, 830000) are known as well.
"""

from __future__ import annotations

import functools
import re

from stdnum import numdb

PERMITS = {"810000": "香港", "820000": "澳门", "830000": "台湾"}
_USE = re.compile(r"^\[(\d{4})?-(\d{4})?\](.*)$")


@functools.cache
def _table() -> numdb.NumDB:
    return numdb.get("cn/loc")


@functools.cache
def uses(code: str) -> tuple[tuple[int | None, int | None, str], ...]:
    """(first year, last year, name) of each use of a six-digit code; () if unknown."""
    if code in PERMITS:
        return ((None, None, PERMITS[code]),)
    parts = _table().info(code)
    if len(parts) < 2 or parts[0][0] != code[:2] or parts[1][0] != code[2:]:
        return ()
    county = parts[1][1].get("county")
    if not county:
        return ()
    out: list[tuple[int | None, int | None, str]] = []
    for item in county.split(","):
        found = _USE.match(item)
        if found is None:
            out.append((None, None, item))
        else:
            start, end, name = found.groups()
            out.append((int(start) if start else None, int(end) if end else None, name))
    return tuple(out)


def region_problem(code: str, born: int) -> str | None:
    """Why ``code`` is doubtful for someone born in ``born``, in Chinese; None if it is not."""
    known = uses(code)
    if not known:
        return f"前6位地区码{code}不是 GB/T 2260 行政区划代码，请核对"
    if any(end is None or born <= end for _start, end, _name in known):
        return None
    end, name = max((end or 0, name) for _start, end, name in known)
    return f"前6位地区码{code}（{name}）在{end}年后已撤销，{born}年出生的人不会取得此码，请核对"
