"""rectflow's Alembic migrations of the store's tables (run in code: no alembic.ini needed)."""
