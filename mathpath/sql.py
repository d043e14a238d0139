"""The few hand-written read statements, each kept for a measured reason written beside it."""

from django.db import connection


def one_row(sql: str, params: dict) -> dict:
    """The single row `sql` returns, as {column name: value}."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        columns = [column.name for column in cursor.description]
        return dict(zip(columns, cursor.fetchone(), strict=True))
