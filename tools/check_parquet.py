#!/usr/bin/env python3
"""Check that a dyad Parquet file loads in DuckDB with string codes.

Usage: python3 tools/check_parquet.py FILE.parquet [EXPECTED_ROWS]

Checks: the 43 flat-schema columns are present in order with the event
codes as VARCHAR; every `cameo` is a zero-padded 2-4 digit string that
starts with its 2-digit `root`; `quad_class` is 1-4; with EXPECTED_ROWS,
the row count matches. Prints the per-root counts. Exits 1 on a failed
check, 2 when DuckDB is missing.
"""
import re
import sys


def fail(msg):
    print(f"check_parquet: FAIL: {msg}")
    sys.exit(1)


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    try:
        import duckdb
    except ImportError:
        print("check_parquet: duckdb is not installed")
        return 2
    path = argv[1]
    rel = duckdb.read_parquet(path)
    names = rel.columns
    types = [str(t) for t in rel.types]
    if len(names) != 43 or names[0] != "id" or names[-1] != "sentence":
        fail(f"columns {names}")
    for c in ("cameo", "root", "source_code", "target_code", "date"):
        if types[names.index(c)] != "VARCHAR":
            fail(f"column {c} is {types[names.index(c)]}, not VARCHAR")
    rows = rel.fetchall()
    ic, ir, iq = names.index("cameo"), names.index("root"), names.index("quad_class")
    for n, r in enumerate(rows, 1):
        if not re.match(r"^\d{2,4}$", r[ic]) or not re.match(r"^\d{2}$", r[ir]) or not r[ic].startswith(r[ir]):
            fail(f"row {n}: cameo {r[ic]!r} / root {r[ir]!r}")
        if r[iq] not in (1, 2, 3, 4):
            fail(f"row {n}: quad_class {r[iq]!r}")
    if len(argv) > 2 and len(rows) != int(argv[2]):
        fail(f"{len(rows)} rows, expected {argv[2]}")
    lead0 = sum(1 for r in rows if r[ic].startswith("0"))
    print(
        f"check_parquet: OK: DuckDB {duckdb.__version__} reads {len(rows)} rows x {len(names)} columns; "
        f"{lead0} cameo codes keep a leading zero"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
