"""EXPLAIN on PostgreSQL with the statistics of the test's own rows.

ANALYZE writes a table's size (``pg_class.reltuples`` and ``relpages``) in place, outside the
transaction a test rolls back, so the estimates a plan rests on would otherwise be whatever an
earlier test left: a plan test would pass or fail with the order of the suite. Each plan here is
taken after ANALYZE of every table the query reads (found in a first EXPLAIN), so that a test
sees the statistics of the rows it made itself, whatever ran before it.
"""

import json

from django.db import connection


def _relations(node) -> set[str]:
    found = {node["Relation Name"]} if "Relation Name" in node else set()
    for child in node.get("Plans", []):
        found |= _relations(child)
    return found


def analyze_tables_of(sql: str, params=None) -> set[str]:
    """ANALYZE every table the query reads; returns their names."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
        if isinstance(plan, str):
            plan = json.loads(plan)
        tables = _relations(plan[0]["Plan"])
        for table in sorted(tables):
            cursor.execute(f'ANALYZE "{table}"')
    return tables


def analyzed_plan(queryset) -> str:
    """``queryset.explain()`` after ANALYZE of the tables it reads."""
    sql, params = queryset.query.sql_with_params()
    analyze_tables_of(sql, params)
    return queryset.explain()


def plan_of_sql(sql: str) -> str:
    """EXPLAIN of a query as Django logged it (values inlined), after ANALYZE of its tables."""
    analyze_tables_of(sql)
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())
