"""Vietnamese personal names, drawn with the frequencies of common family names (for cadres, applicants)."""

from __future__ import annotations

import itertools
import random

# Family names and rough shares of the population (Lê Trung Hoa, "Họ và tên người Việt Nam", and the
# commonly cited national estimates): Nguyễn ~38%, Trần ~11%, Lê ~9.5%, Phạm ~7%...
FAMILY = [("Nguyễn", 38), ("Trần", 11), ("Lê", 9.5), ("Phạm", 7), ("Hoàng", 5), ("Vũ", 4), ("Phan", 3),
          ("Đặng", 2.1), ("Bùi", 2), ("Đỗ", 1.4), ("Ngô", 1.3), ("Dương", 1), ("Đinh", 1), ("Lý", 0.5),
          ("Hà", 0.6), ("Đào", 0.6), ("Trịnh", 0.5), ("Mai", 0.4), ("Lương", 0.4), ("Tô", 0.3), ("Cao", 0.3)]
MIDDLE_M = ["Văn", "Văn", "Đức", "Minh", "Quốc", "Hữu", "Xuân", "Thanh", "Ngọc", "Công", "Trung", "Mạnh"]
MIDDLE_F = ["Thị", "Thị", "Thị", "Thu", "Thanh", "Ngọc", "Minh", "Hồng", "Phương", "Kim", "Thùy"]
GIVEN_M = ["Anh", "Bình", "Cường", "Dũng", "Duy", "Đạt", "Hải", "Hiếu", "Hòa", "Hùng", "Huy", "Khánh", "Kiên",
           "Long", "Minh", "Nam", "Phong", "Phúc", "Quang", "Sơn", "Thắng", "Thành", "Tiến", "Toàn", "Trung",
           "Tuấn", "Tùng", "Việt", "Vinh", "Hoàng"]
GIVEN_F = ["Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hồng", "Hương", "Huyền",
           "Lan", "Liên", "Linh", "Loan", "Mai", "Ngọc", "Nhung", "Oanh", "Phương", "Quỳnh", "Thảo", "Thu",
           "Thủy", "Trang", "Tuyết", "Vân", "Yến", "Nga"]

_FAMILY_NAMES = [f for f, _ in FAMILY]
# Cumulative weights once (`choices` draws the same name from them as from the weights, without summing again).
_FAMILY_CUMULATIVE = list(itertools.accumulate(w for _, w in FAMILY))


def full_name(rng: random.Random) -> str:
    family = rng.choices(_FAMILY_NAMES, cum_weights=_FAMILY_CUMULATIVE)[0]
    if rng.random() < 0.5:
        return f"{family} {rng.choice(MIDDLE_M)} {rng.choice(GIVEN_M)}"
    return f"{family} {rng.choice(MIDDLE_F)} {rng.choice(GIVEN_F)}"


def id_number(rng: random.Random) -> str:
    """A 12-digit citizen ID of a person registered in Quảng Ninh (province code 022)."""
    century_sex = rng.choice("0123")
    return f"022{century_sex}{rng.randint(40, 99):02d}{rng.randint(0, 999999):06d}"


def phone(rng: random.Random) -> str:
    return f"0{rng.choice(['91', '94', '98', '97', '90', '93', '88', '35', '36'])}{rng.randint(0, 9_999_999):07d}"
