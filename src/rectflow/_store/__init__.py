"""The ledger store: SQLAlchemy Core tables, Alembic migrations and the store API.

Public as :mod:`rectflow.store`.
"""
