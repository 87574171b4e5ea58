"""The ledger store: SQLAlchemy Core tables, Alembic migrations and the store API (public as rectflow.store)."""
