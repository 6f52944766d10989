"""What each kind of personal number looks like: a mobile's and a landline's shape, an ID
card's region, birth date and check character (GB 11643-1999), a bank card's Luhn digit."""

from __future__ import annotations

import re
from datetime import date

MOBILE = re.compile(r"(?:0086|86)?(1[3-9]\d{9})")
# 010 and 02x carry 8-digit local numbers; other area codes are 0 + 3 digits with 7 or 8.
# Local numbers never start with 0.
LANDLINE = re.compile(r"0(?:10|2\d)[1-9]\d{7}|0[3-9]\d\d[1-9]\d{6,7}")

# First two digits of a resident ID: the province-level region (GB/T 2260), plus 83 used on
# residence permits for Taiwan residents.
_ID_REGIONS = frozenset(
    str(n)
    for block in (range(11, 16), range(21, 24), range(31, 38), range(41, 47), range(50, 55))
    for n in block
) | {"61", "62", "63", "64", "65", "71", "81", "82", "83"}
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

MAX_DIGITS = 19  # the longest number we report (a 19-digit bank card)
# Mobile 11 (13 with 86, 15 with 0086), landline 11-12, ID card 18, bank card 16-19.
NUMBER_LENGTHS = frozenset({11, 12, 13, 15, 16, 17, 18, 19})


def is_id_card(number: str) -> bool:
    """GB 11643-1999: region, a real birth date, and the ISO 7064 MOD 11-2 check character."""
    body = number[:17]
    if len(number) != 18 or not body.isascii() or not body.isdigit():
        return False
    if number[:2] not in _ID_REGIONS or not _plausible_birth(body[6:14]):
        return False
    total = sum(int(d) * w for d, w in zip(body, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == number[17]


def _plausible_birth(yyyymmdd: str) -> bool:
    try:
        born = date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:]))
    except ValueError:
        return False
    return date(1900, 1, 1) <= born <= date.today()


def is_bank_card(number: str) -> bool:
    if not 16 <= len(number) <= MAX_DIGITS or number[0] == "0" or len(set(number)) == 1:
        return False
    return _luhn_ok(number)


def _luhn_ok(number: str) -> bool:
    total = 0
    for k, char in enumerate(reversed(number)):
        d = int(char)
        if k % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0
