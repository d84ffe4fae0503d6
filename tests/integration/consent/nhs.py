"""Synthetic NHS numbers for tests: valid ones by index, and ones with a wrong check digit."""


def check_digit(nine: str) -> int | None:
    total = sum(int(d) * w for d, w in zip(nine, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    return 0 if check == 11 else (None if check == 10 else check)


def valid(index: int) -> str:
    """The index-th valid NHS number from 900 000 000 upwards (a test range)."""
    n = 900_000_000
    found = -1
    while True:
        nine = str(n)
        digit = check_digit(nine)
        if digit is not None:
            found += 1
            if found == index:
                return f"{nine}{digit}"
        n += 1


def invalid(index: int) -> str:
    """A ten-digit number whose check digit is wrong."""
    number = valid(index)
    return number[:9] + str((int(number[9]) + 1) % 10)
