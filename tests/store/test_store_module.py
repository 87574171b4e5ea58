"""rectflow.store as a module: light to import, one-line errors for a missing extra, and its
revision constant equal to the migrations' head."""

from __future__ import annotations

import subprocess
import sys

from alembic.script import ScriptDirectory

import rectflow.store
from rectflow._store.schema import alembic_config


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)


def test_import_rectflow_does_not_load_sqlalchemy() -> None:
    """The core stays light: only rectflow.store loads SQLAlchemy."""
    done = _python("import sys, rectflow; print('sqlalchemy' in sys.modules)")
    assert done.stdout.strip() == "False", done.stderr


def test_a_missing_store_extra_names_the_install_command() -> None:
    """Without SQLAlchemy, importing rectflow.store is one line naming rectflow[store]."""
    done = _python(
        "import sys; sys.modules['sqlalchemy'] = None\n"
        "try:\n    import rectflow.store\n"
        "except ImportError as error:\n    print(type(error).__name__, error)"
    )
    assert done.stdout.strip() == (
        "MissingExtraError this needs sqlalchemy, which rectflow installs with an extra: "
        'pip install "rectflow[store]"'
    ), done.stderr


def test_a_postgresql_url_without_psycopg_names_the_postgresql_extra() -> None:
    """open() of a PostgreSQL URL without psycopg names rectflow[postgresql]."""
    done = _python(
        "import sys; sys.modules['psycopg'] = None\nimport rectflow.store\n"
        "try:\n    rectflow.store.open('postgresql://x@127.0.0.1/db')\n"
        "except ImportError as error:\n    print(error)"
    )
    assert 'pip install "rectflow[postgresql]"' in done.stdout, done.stderr


def test_head_is_the_newest_migration() -> None:
    """HEAD, which the store checks databases against, is the scripts' only head."""
    scripts = ScriptDirectory.from_config(alembic_config())
    assert scripts.get_heads() == [rectflow.store.HEAD]
