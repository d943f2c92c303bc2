"""`store.bulk` hands rows to the driver itself: what it stores must be exactly what Core stores.

Each test writes the same values through Core and through `store.bulk`, then compares the
raw stored values (read with the driver, no result processing), on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import bindparam, insert
from sqlalchemy.engine import Engine

from aiwatch.store.bulk import add_rows, insert_rows, update_rows
from aiwatch.store.db import session
from aiwatch.store.models import CopyrightCase, table_of

CASES = table_of(CopyrightCase)
PARIS = timezone(timedelta(hours=2))


def case(key: str, **changes: Any) -> dict[str, Any]:
    """A case row with a time in another zone, a naive time, no time, JSON and booleans."""
    row = {
        "key": key,
        "caption": "Times v. Lab — « quoted »",
        "court": "",
        "docket": "",
        "claims": ["copyright", 'say "hi"', "emoji 🎉"],
        "kind": "lawsuit",
        "stage": "filed",
        "ruling": "",
        "ruling_date": None,
        "certainty": "fact",
        "first_seen": datetime(2025, 3, 1, 12, 30, 0, 123456, tzinfo=PARIS),
        "last_seen": datetime(2025, 3, 2, 8, 0),
        "user_edited": True,
    }
    return row | changes


def stored(engine: Engine) -> list[tuple[Any, ...]]:
    """Every case as the database holds it, by key, without the id."""
    columns = ", ".join(f'"{c.name}"' for c in CASES.columns if c.name != "id")
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(f'SELECT {columns} FROM copyrightcase ORDER BY "key"')
        return [tuple(row) for row in rows]


def test_inserted_rows_are_stored_as_core_stores_them(engine: Engine) -> None:
    later = datetime(2030, 1, 1, tzinfo=UTC)
    with session(engine) as db:
        db.execute(insert(CASES), [case("core-1"), case("core-2", ruling_date=later)])
        add_rows(db, CopyrightCase, [case("driver-1"), case("driver-2", ruling_date=later)])
        db.commit()
    rows = stored(engine)
    core, driver = rows[:2], rows[2:]
    assert [row[1:] for row in core] == [row[1:] for row in driver]
    assert [row[0] for row in driver] == ["driver-1", "driver-2"]


def test_insert_rows_returns_the_new_ids_by_their_unique_column(engine: Engine) -> None:
    with session(engine) as db:
        ids = insert_rows(db, CopyrightCase, [case("a"), case("b")], unique="key")
        db.commit()
    with engine.connect() as connection:
        found = connection.exec_driver_sql('SELECT "key", id FROM copyrightcase').all()
    assert ids == dict(found)


def test_updated_rows_are_stored_as_core_stores_them(engine: Engine) -> None:
    with session(engine) as db:
        ids = insert_rows(db, CopyrightCase, [case("core"), case("driver")], unique="key")
        change = {"stage": "ruling", "ruling_date": datetime(2026, 5, 4, 3, 2, 1, tzinfo=PARIS)}
        db.execute(
            CASES.update().where(CASES.c.id == bindparam("row_id")),
            [{"row_id": ids["core"], **change}],
        )
        update_rows(db, CopyrightCase, [{"id": ids["driver"], **change}])
        db.commit()
    core, driver = stored(engine)
    assert core[1:] == driver[1:]
    assert core[CASES.columns.keys().index("stage") - 1] == "ruling"


def test_rows_must_give_every_column_that_has_a_default(engine: Engine) -> None:
    partial = {k: v for k, v in case("partial").items() if k != "court"}
    with session(engine) as db, pytest.raises(ValueError, match="court"):
        add_rows(db, CopyrightCase, [partial])


def test_times_shared_across_columns_and_zones_are_stored_as_core_stores_them(
    engine: Engine,
) -> None:
    """One instant in several zones and columns, naive and aware: each value is its own."""
    noon = datetime(2025, 6, 1, 12, 0)
    same_instant = datetime(2025, 6, 1, 14, 0, tzinfo=PARIS)
    times = {"ruling_date": noon, "first_seen": noon.replace(tzinfo=UTC), "last_seen": same_instant}
    rows = [case(f"{n}", **times) for n in range(3)] + [
        case("swapped", ruling_date=same_instant, first_seen=noon, last_seen=noon)
    ]
    with session(engine) as db:
        db.execute(insert(CASES), [row | {"key": "core-" + row["key"]} for row in rows])
        add_rows(db, CopyrightCase, [row | {"key": "driver-" + row["key"]} for row in rows])
        db.commit()
    found = stored(engine)
    core, driver = found[: len(rows)], found[len(rows) :]
    assert [row[1:] for row in core] == [row[1:] for row in driver]
