"""Reading numbers from what a browser sent: a crafted value is "no such thing", not a 500."""

MAX_ID = 2**63 - 1  # the largest value of a bigint primary key


def row_id(value) -> int | None:
    """`value` as a database id, or None: ASCII digits only ("²" is a digit to Python and
    int() refuses it) and within a bigint (beyond it PostgreSQL refuses the query)."""
    value = str(value if value is not None else "")
    if not (value.isascii() and value.isdigit()) or len(value) > 19:
        return None
    number = int(value)
    return number if number <= MAX_ID else None
