"""Benchmark: the ledger store on SQLite and PostgreSQL at ledger scale; prints one JSON object.

    .venv/bin/python bench/store.py [--cases 2000] [--measures 250] [--engines sqlite,postgresql]
        [--pg-url postgresql://postgres@127.0.0.1:5432/postgres] [--fires 200] [--seed 1]

The ledger is the lifecycle benchmark's (bench/lifecycle.py): cases of 250 measures (5
categories x 10 problems x 5 measures, each with a leader, department, person and due date),
each measure walked through five events (start, basically completed, complete, close, reopen)
and each case through four case events: 2,000 cases are 500,000 measures and 2.5 M events.

Each engine gets a database of its own (a file in a temporary folder; a PostgreSQL database
created for the run and dropped after it), and each figure is printed beside a baseline taken in
the same run, on the same machine, so that the ratio holds on another machine:

* ``import_s``: ``Store.add_many`` of every case, 100 cases per transaction (document checked,
  events, items and spans computed and written). Baseline ``raw_insert_s``: the very same rows,
  computed beforehand (untimed), inserted into empty tables with the driver's ``executemany``
  (what no store can beat); ``rows`` is how many rows that is. ``--raw-cases N`` inserts the
  first N cases' rows only and scales the time to all of them (``raw_insert_cases`` says how
  many were inserted). ``import_check_ms_per_case``:
  the part of a case's import that is the check that its document loads back (structured by
  the case-file loader and compared), which a new case gets once.
* ``overdue_by_ms``: ``Store.overdue_by(D, "department")`` across every case, for several days D
  (the median; on PostgreSQL after ``VACUUM ANALYZE``, which autovacuum does after a bulk
  load, so that the index-only scan need not read the table); baseline ``select_1_ms`` (one
  round trip) and ``count_spans_ms`` (a plain count
  of every span row, the scan a query without an index would make).
* ``fire_ms``: ``Store.fire(case, "start", item=…, guards=…)`` with the built-in checks as guards
  (``rectflow.guards``), one full transaction, median. ``fire_warm_ms``: fires on a case this
  store changed last (the clerk working through a case's ledger: no reload); ``fire_cold_ms``:
  the first fire on a case (a load, the fire, the save). Baselines: ``fire_in_memory_us``
  (``rectflow.fire`` with the same guards on a loaded case), ``select_1_ms`` and ``commit_ms``
  (a one-row INSERT and its durable COMMIT: the floor of any durable write). On PostgreSQL,
  for information, ``fire_no_sync_commit_ms``: the warm fires with ``synchronous_commit=off``
  (a commit that does not wait for the WAL flush and may be lost in a crash; the store never
  sets it).
* ``get_ms``: ``Store.get`` of a 250-measure case with its log, again, the case unchanged
  (median): the store reads the case's row, document and later events and, finding them as
  they were, returns a copy of the case it verified then; ``get_cold_ms``: the first get of
  each case by this store (the document structured, replayed and checked). Baselines
  ``load_case_ms`` (``rectflow.load_case`` of the same case's TOML file) and ``json_loads_ms``
  (parsing the stored document alone).
* ``writers``: fires per second by one writer process, and by 8 at once on distinct cases;
  ``speedup`` is their ratio (``cpus`` says how many cores they shared).
  ``one_writer_cpu_share`` is the part of the lone writer's time spent on the CPU in its own
  process (the rest it waited for the database); eight writers on ``cpus`` cores can be at
  most ``writers_speedup_bound`` = min(8, cpus / that share) times as fast, and less when the
  database's own work shares the cores (on one machine it does): on 2 cores, 3x needs writers
  that wait for the database more than a third of their time.

The machine's load average is printed at the start and end (``load``), since a machine shared
with other work slows every figure alike.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import multiprocessing
import os
import platform
import random
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

import lifecycle
import sqlalchemy as sa

import rectflow
import rectflow.store
from rectflow._store.projection import item_rows, span_rows
from rectflow._store.tables import cases as cases_table
from rectflow._store.tables import events, item_spans, items
from rectflow._store.writing import case_row, document_of, event_rows

PG_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
BATCH = 100
TARGETS = {
    "sqlite": {"import_s": 30.0, "overdue_by_ms": 250.0, "fire_ms": 2.0, "get_ms": 10.0},
    "postgresql": {
        "import_s": 60.0,
        "overdue_by_ms": 250.0,
        "fire_ms": 4.0,
        "get_ms": 10.0,
        "writers_speedup": 3.0,
    },
}


def ledger(count: int, measures: int, seed: int) -> list[rectflow.Case]:
    """The lifecycle benchmark's cases, walked."""
    pools = lifecycle.Pools(random.Random(seed))
    built = lifecycle.build(lifecycle.draw([measures] * count, pools))
    lifecycle.walk(built, pools)
    return built


def median_ms(function: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


@contextmanager
def database(engine_name: str, pg_url: str, folder: Path, label: str) -> Iterator[str]:
    """An empty database's URL for the run; a PostgreSQL one is dropped after it."""
    if engine_name == "sqlite":
        yield f"sqlite:///{folder / (label + '.db')}"
        return
    admin = sa.create_engine(
        sa.make_url(pg_url).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT"
    )
    name = f"rectflow_bench_{label}_{os.getpid()}_{secrets.token_hex(3)}"
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield sa.make_url(pg_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def bulk_import(store: rectflow.store.Store, ledger_cases: list[rectflow.Case]) -> float:
    start = time.perf_counter()
    for begin in range(0, len(ledger_cases), BATCH):
        store.add_many(ledger_cases[begin : begin + BATCH])
    return time.perf_counter() - start


def raw_rows(ledger_cases: list[rectflow.Case]) -> dict[sa.Table, list[dict[str, Any]]]:
    """Every row the store writes for the cases (the baseline's input)."""
    rows: dict[sa.Table, list[dict[str, Any]]] = {
        cases_table: [],
        events: [],
        items: [],
        item_spans: [],
    }
    for case in ledger_cases:
        document = document_of(case, case.id, load_back=False)
        rows[cases_table].append(case_row(case, document))
        rows[events].extend(event_rows(case, 0))
        rows[items].extend(item_rows(case))
        rows[item_spans].extend(span_rows(case))
    return rows


def raw_insert(url: str, ledger_cases: list[rectflow.Case]) -> tuple[float, int]:
    """Insert the rows the store writes with the driver's own ``executemany`` (JSON encoded
    and the rows computed beforehand, untimed), BATCH cases per transaction: the floor under
    any store's import. Returns the seconds and the rows."""
    store = rectflow.store.open(url)
    store.init()
    marker = "?" if store.engine.dialect.name == "sqlite" else "%s"
    raw = store.engine.raw_connection()
    elapsed, count = 0.0, 0
    try:
        cursor = raw.cursor()
        for begin in range(0, len(ledger_cases), BATCH):
            prepared = []
            for table, table_rows in raw_rows(ledger_cases[begin : begin + BATCH]).items():
                names = [c.name for c in table.columns if c.name in table_rows[0]]
                quoted = ", ".join(f'"{n}"' for n in names)
                markers = ", ".join([marker] * len(names))
                sql = f"INSERT INTO {table.name} ({quoted}) VALUES ({markers})"
                values = [
                    tuple(
                        json.dumps(row[n], ensure_ascii=False, default=str)
                        if isinstance(row[n], dict | list)
                        else row[n]
                        for n in names
                    )
                    for row in table_rows
                ]
                prepared.append((sql, values))
                count += len(values)
            start = time.perf_counter()
            for sql, values in prepared:
                cursor.executemany(sql, values)
            raw.commit()
            elapsed += time.perf_counter() - start
        cursor.close()
    finally:
        raw.close()
        store.close()
    return elapsed, count


def check_cost(ledger_cases: list[rectflow.Case]) -> float:
    """Milliseconds per case of the check a new case gets (its document loaded back and
    compared), beside the document built without it, on a sample."""
    sample = ledger_cases[: min(20, len(ledger_cases))]
    start = time.perf_counter()
    for case in sample:
        document_of(case, case.id)
    checked = time.perf_counter() - start
    start = time.perf_counter()
    for case in sample:
        document_of(case, case.id, load_back=False)
    unchecked = time.perf_counter() - start
    return (checked - unchecked) / len(sample) * 1000


def overdue_figures(store: rectflow.store.Store, days: list[dt.date]) -> dict[str, Any]:
    timings = []
    late = []
    for day in days:
        store.overdue_by(day, "department")  # warm the plan and the cache
        start = time.perf_counter()
        groups = store.overdue_by(day, "department")
        timings.append((time.perf_counter() - start) * 1000)
        late.append(sum(groups.values()))
    with store.engine.connect() as connection:
        select_1 = median_ms(lambda: connection.exec_driver_sql("SELECT 1").all(), 50)
        count = median_ms(
            lambda: connection.execute(sa.select(sa.func.count()).select_from(item_spans)).all(),
            3,
        )
    return {
        "overdue_by_ms": statistics.median(timings),
        "overdue_by_ms_each": [round(t, 1) for t in timings],
        "overdue_items_each": late,
        "select_1_ms": select_1,
        "count_spans_ms": count,
    }


def fire_day(case: rectflow.Case) -> dt.date:
    last = case.last_event_on
    assert last is not None
    return last + dt.timedelta(days=10)


def fire_figures(
    store: rectflow.store.Store, ledger_cases: list[rectflow.Case], fires: int
) -> dict[str, Any]:
    guards = rectflow.guards(None, "xuncha")
    # Warm: one case, its measures started one after another (the first fire loads it).
    case = ledger_cases[len(ledger_cases) // 2]
    ids = [m.id for m in case.measures()]
    on = fire_day(case)
    warm = []
    for item in ids[: fires + 1]:
        start = time.perf_counter()
        store.fire(case.id, "start", item=item, on=on, guards=guards)
        warm.append((time.perf_counter() - start) * 1000)
    # Cold: the first fire on each of other cases.
    cold = []
    for other in ledger_cases[: min(fires, len(ledger_cases) // 2)]:
        start = time.perf_counter()
        store.fire(other.id, "start", item=ids[0], on=fire_day(other), guards=guards)
        cold.append((time.perf_counter() - start) * 1000)
    # In memory: the same fire on a loaded case, no store.
    loaded = store.get(ledger_cases[-1].id)
    memory = []
    for item in ids[: fires + 1]:
        start = time.perf_counter()
        rectflow.fire(loaded, "start", item=item, on=fire_day(loaded), guards=guards)
        memory.append((time.perf_counter() - start) * 1e6)
    with store.engine.connect() as connection:
        connection.exec_driver_sql("CREATE TABLE bench_commit (x INTEGER)")
        connection.commit()

        def commit() -> None:
            connection.exec_driver_sql("INSERT INTO bench_commit VALUES (1)")
            connection.commit()

        durable = median_ms(commit, 50)
        connection.exec_driver_sql("DROP TABLE bench_commit")
        connection.commit()
    figures: dict[str, Any] = {}
    spare = len(ledger_cases) // 2 + 1  # a case neither the fires above nor the writers use
    if store.engine.dialect.name == "postgresql" and spare < len(ledger_cases) - 9:
        # Information only: the same fires with the commit not waiting for the WAL flush
        # (synchronous_commit=off, which loses the last commits on a crash; the store never
        # sets it). Another case, a store of its own.
        relaxed = rectflow.store.open(
            sa.create_engine(
                store.engine.url, connect_args={"options": "-c synchronous_commit=off"}
            )
        )
        other = ledger_cases[spare]
        on = fire_day(other)
        timings = []
        for item in ids[: fires + 1]:
            start = time.perf_counter()
            relaxed.fire(other.id, "start", item=item, on=on, guards=guards)
            timings.append((time.perf_counter() - start) * 1000)
        relaxed.engine.dispose()
        figures["fire_no_sync_commit_ms"] = statistics.median(timings[1:])
    return figures | {
        "commit_ms": durable,
        "fire_ms": statistics.median(warm[1:]),
        "fire_warm_ms": statistics.median(warm[1:]),
        "fire_warm_p90_ms": statistics.quantiles(warm[1:], n=10)[-1] if len(warm) > 2 else None,
        "fire_cold_ms": statistics.median(cold) if cold else None,
        "fire_in_memory_us": statistics.median(memory),
        "fires": len(warm) - 1,
    }


def get_figures(
    store: rectflow.store.Store, ledger_cases: list[rectflow.Case], folder: Path
) -> dict[str, Any]:
    sample = ledger_cases[1 : len(ledger_cases) : max(1, len(ledger_cases) // 20)][:20]
    # The first get of each case by this store structures, replays and checks its document;
    # the next ones of the case unchanged return the case verified then (a copy).
    cold = [median_ms(functools.partial(store.get, c.id), 1) for c in sample]
    gets = [median_ms(functools.partial(store.get, c.id), 3) for c in sample]
    path = folder / "case.toml"
    store.export(sample[0].id, path, force=True)
    load = median_ms(lambda: rectflow.load_case(path), 5)
    with store.engine.connect() as connection:
        text = connection.execute(
            sa.select(sa.cast(cases_table.c.document, sa.Text)).where(
                cases_table.c.case_id == sample[0].id
            )
        ).scalar_one()
    parse = median_ms(lambda: json.loads(text), 5)
    return {
        "get_ms": statistics.median(gets),
        "get_cold_ms": statistics.median(cold),
        "load_case_ms": load,
        "json_loads_ms": parse,
        "document_bytes": len(text.encode("utf-8")),
        "events_per_case": len(sample[0].events),
    }


def _writer(
    url: str, case_id: str, items_: list[str], on: dt.date, start_at: float, queue: Any
) -> None:
    store = rectflow.store.open(url)
    store.get(case_id)  # connect and check the revision before the clock starts
    while time.time() < start_at:
        time.sleep(0.001)
    begin = time.perf_counter()
    cpu = time.process_time()
    for item in items_:
        store.fire(case_id, "start", item=item, on=on)
    queue.put((len(items_), time.perf_counter() - begin, time.process_time() - cpu))
    store.close()


def writer_figures(url: str, ledger_cases: list[rectflow.Case], per_writer: int) -> dict[str, Any]:
    context = multiprocessing.get_context("fork")

    def run(chosen: list[rectflow.Case]) -> tuple[float, float]:
        queue = context.Queue()
        start_at = time.time() + 1.0
        processes = []
        for case in chosen:
            ids = [m.id for m in case.measures()][1 : per_writer + 1]
            processes.append(
                context.Process(
                    target=_writer,
                    args=(
                        url,
                        case.id,
                        ids,
                        fire_day(case) + dt.timedelta(days=1),
                        start_at,
                        queue,
                    ),
                )
            )
        for process in processes:
            process.start()
        results = [queue.get(timeout=600) for _ in processes]
        for process in processes:
            process.join(timeout=60)
        fired = sum(int(n) for n, _, _ in results)
        wall = max(float(t) for _, t, _ in results)
        cpu = sum(float(c) for _, _, c in results)
        return fired / wall, cpu / max(float(t) for _, t, _ in results) / len(results)

    one, busy = run(ledger_cases[-9:-8])
    eight, _ = run(ledger_cases[-8:])
    cpus = os.cpu_count() or 1
    return {
        "one_writer_fires_per_s": one,
        "eight_writers_fires_per_s": eight,
        "writers_speedup": eight / one,
        "per_writer": per_writer,
        "cpus": cpus,
        # The share of its time one writer spent on the CPU in its own process (the rest it
        # waited for the database). Eight writers on ``cpus`` cores can at best be
        # min(8, cpus / busy) times as fast, and less when the database's work shares the cores.
        "one_writer_cpu_share": busy,
        "writers_speedup_bound": min(8.0, cpus / busy) if busy > 0 else 8.0,
    }


def bench_engine(
    engine_name: str, ledger_cases: list[rectflow.Case], args: argparse.Namespace, folder: Path
) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    with database(engine_name, args.pg_url, folder, "raw") as url:
        sample = ledger_cases[: args.raw_cases or len(ledger_cases)]
        raw_s, raw_count = raw_insert(url, sample)
        # Scaled to every case by rows (the same shape per case), when a sample was inserted.
        figures["raw_insert_s"] = raw_s * len(ledger_cases) / len(sample)
        figures["rows"] = raw_count * len(ledger_cases) // len(sample)
        figures["raw_insert_cases"] = len(sample)
    figures["import_check_ms_per_case"] = check_cost(ledger_cases)
    with database(engine_name, args.pg_url, folder, "store") as url:
        store = rectflow.store.open(url)
        store.init()
        figures["import_s"] = bulk_import(store, ledger_cases)
        figures["import_ms_per_case"] = figures["import_s"] / len(ledger_cases) * 1000
        if engine_name == "postgresql":
            # What autovacuum does after a bulk load, done now rather than when it comes round:
            # statistics, and the visibility map without which an index-only scan (overdue by
            # department) reads every heap page too.
            with store.engine.connect().execution_options(
                isolation_level="AUTOCOMMIT"
            ) as connection:
                connection.exec_driver_sql("VACUUM ANALYZE")
            figures["vacuum_analyze_after_import"] = True
        first = min(c.feedback_on.earliest for c in ledger_cases if c.feedback_on)
        days = [first + dt.timedelta(days=n) for n in (120, 240, 360, 480, 600)]
        figures.update(overdue_figures(store, days))
        figures.update(get_figures(store, ledger_cases, folder))
        figures.update(fire_figures(store, ledger_cases, args.fires))
        figures.update(writer_figures(url, ledger_cases, args.per_writer))
        store.close()
    targets = TARGETS[engine_name]
    figures["targets"] = {
        name: {
            "target": limit,
            "value": round(figures[name], 3),
            "met": figures[name] >= limit if name == "writers_speedup" else figures[name] <= limit,
        }
        for name, limit in targets.items()
    }
    return figures


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=2000, help="how many cases")
    parser.add_argument("--measures", type=int, default=250, help="measures per case")
    parser.add_argument("--engines", default="sqlite,postgresql", help="comma-separated")
    parser.add_argument("--pg-url", default=os.environ.get("RECTFLOW_TEST_PG_URL", PG_URL))
    parser.add_argument("--fires", type=int, default=200, help="fires timed per figure")
    parser.add_argument("--per-writer", type=int, default=100, help="fires per writer process")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic ledger")
    parser.add_argument(
        "--raw-cases",
        type=int,
        default=0,
        help="cases the raw-insert baseline inserts, its time scaled to all (0: all of them)",
    )
    args = parser.parse_args(argv)
    if min(args.cases, args.measures, args.fires, args.per_writer) < 1 or args.cases < 20:
        parser.error("--cases must be at least 20, the others at least 1")
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    began = time.perf_counter()
    load_start = load_average()
    ledger_cases = ledger(args.cases, args.measures, args.seed)
    result: dict[str, Any] = {
        "cases": args.cases,
        "measures": args.cases * args.measures,
        "events": sum(len(c.events) for c in ledger_cases),
    }
    with tempfile.TemporaryDirectory() as folder:
        for engine_name in engines:
            result[engine_name] = bench_engine(engine_name, ledger_cases, args, Path(folder))
    result["load"] = {"start": load_start, "end": load_average()}
    result["environment"] = {
        "python": platform.python_version(),
        "rectflow": rectflow.__version__,
        "sqlalchemy": sa.__version__,
        "cpus": os.cpu_count(),
        "seed": args.seed,
    }
    result["total_s"] = time.perf_counter() - began
    json.dump(_rounded(result), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value


if __name__ == "__main__":
    sys.exit(main())
