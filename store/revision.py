"""The schema revision this aiwatch writes (a module of its own: nothing heavy to import).

`store.db.init_schema` skips Alembic when a database is already at this
revision, and `store.refresh_state` checks it before touching a database
without SQLAlchemy. tests/test_migrations.py keeps it equal to the newest
migration in ``store/migrations/versions``.
"""

HEAD_REVISION = "0009"
