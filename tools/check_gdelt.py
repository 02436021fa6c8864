#!/usr/bin/env python3
"""Check that a dyad GDELT file loads as the GDELT 2.0 event table.

Usage: python3 tools/check_gdelt.py FILE.tsv [--duckdb]

Loads FILE with pandas (tab-separated, no header, every column as a
string) and checks: exactly 61 columns on every row; EventCode,
EventBaseCode and EventRootCode are zero-padded digit strings and nest
(root prefixes base prefixes code); QuadClass is 1-4; GoldsteinScale is
a number in [-10, 10]; SQLDATE, when present, is YYYYMMDD. With --duckdb
it also loads the file through DuckDB's CSV reader with all columns as
VARCHAR. Exits 1 on the first failed check, 2 when pandas is missing.
"""
import csv
import re
import sys

COLUMNS = (
    "GLOBALEVENTID SQLDATE MonthYear Year FractionDate "
    "Actor1Code Actor1Name Actor1CountryCode Actor1KnownGroupCode Actor1EthnicCode "
    "Actor1Religion1Code Actor1Religion2Code Actor1Type1Code Actor1Type2Code Actor1Type3Code "
    "Actor2Code Actor2Name Actor2CountryCode Actor2KnownGroupCode Actor2EthnicCode "
    "Actor2Religion1Code Actor2Religion2Code Actor2Type1Code Actor2Type2Code Actor2Type3Code "
    "IsRootEvent EventCode EventBaseCode EventRootCode QuadClass GoldsteinScale "
    "NumMentions NumSources NumArticles AvgTone "
    "Actor1Geo_Type Actor1Geo_FullName Actor1Geo_CountryCode Actor1Geo_ADM1Code Actor1Geo_ADM2Code "
    "Actor1Geo_Lat Actor1Geo_Long Actor1Geo_FeatureID "
    "Actor2Geo_Type Actor2Geo_FullName Actor2Geo_CountryCode Actor2Geo_ADM1Code Actor2Geo_ADM2Code "
    "Actor2Geo_Lat Actor2Geo_Long Actor2Geo_FeatureID "
    "ActionGeo_Type ActionGeo_FullName ActionGeo_CountryCode ActionGeo_ADM1Code ActionGeo_ADM2Code "
    "ActionGeo_Lat ActionGeo_Long ActionGeo_FeatureID DATEADDED SOURCEURL"
).split()
assert len(COLUMNS) == 61


def fail(msg):
    print(f"check_gdelt: FAIL: {msg}")
    sys.exit(1)


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    path = argv[1]
    try:
        import pandas as pd
    except ImportError:
        print("check_gdelt: pandas is not installed")
        return 2

    # Raw check first: every line has exactly 60 tabs.
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            k = line.rstrip("\n").count("\t") + 1
            if k != 61:
                fail(f"{path}:{n}: {k} fields, expected 61")

    df = pd.read_csv(
        path,
        sep="\t",
        header=None,
        names=COLUMNS,
        dtype=str,
        keep_default_na=False,
        quoting=csv.QUOTE_NONE,
        engine="c",
    )
    if df.shape[1] != 61:
        fail(f"{df.shape[1]} columns")
    code_re = re.compile(r"^\d{2,4}$")
    for i, row in df.iterrows():
        code, base, root = row["EventCode"], row["EventBaseCode"], row["EventRootCode"]
        if not code_re.match(code) or not re.match(r"^\d{2}$", root):
            fail(f"row {i + 1}: codes {code!r}/{root!r} are not zero-padded digit strings")
        if not (code.startswith(base) and base.startswith(root)):
            fail(f"row {i + 1}: {root!r} / {base!r} / {code!r} do not nest")
        if row["QuadClass"] not in {"1", "2", "3", "4"}:
            fail(f"row {i + 1}: QuadClass {row['QuadClass']!r}")
        g = float(row["GoldsteinScale"])
        if not -10.0 <= g <= 10.0:
            fail(f"row {i + 1}: GoldsteinScale {g}")
        if row["SQLDATE"] and not re.match(r"^\d{8}$", row["SQLDATE"]):
            fail(f"row {i + 1}: SQLDATE {row['SQLDATE']!r}")
    lead0 = int(df["EventCode"].str.startswith("0").sum())
    print(
        f"check_gdelt: OK: {len(df)} rows x {df.shape[1]} columns (pandas {pd.__version__}); "
        f"{lead0} event codes keep a leading zero; root codes: "
        f"{sorted(df['EventRootCode'].unique().tolist())}"
    )

    if "--duckdb" in argv:
        import duckdb

        rel = duckdb.read_csv(path, sep="\t", header=False, all_varchar=True, quotechar="")
        cols = len(rel.columns)
        if cols != 61:
            fail(f"DuckDB sees {cols} columns")
        codes = [r[26] for r in rel.fetchall()]
        if codes != df["EventCode"].tolist():
            fail("DuckDB's EventCode column differs from pandas'")
        print(f"check_gdelt: OK: DuckDB {duckdb.__version__} reads {len(codes)} rows x {cols} columns as VARCHAR")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
