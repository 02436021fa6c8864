#!/usr/bin/env python3
"""dictgen: rebuild the generated parts of dyad's default dictionaries.

Inputs (facts only):
  * CIA World Factbook JSON (CC0), one file per entity: country names
    (conventional short/long forms, abbreviations, local short forms, former
    names), nationality nouns and adjectives, capitals, executive branch.
  * Debian iso-codes: ISO 3166-1 (current countries) and ISO 3166-3 (former
    countries), which give the ISO alpha-3 code that roots every CAMEO actor
    code.
  * Hand-curated tables beside this script (tools/dictgen/*.tsv): extra
    aliases, seat-of-government metonyms and the resolution of names shared
    by several countries. Every row carries its own source note.
  * The hand-curated people file data/dict/dyad.people.actors.txt: a leader
    already curated there (with full history) is not generated again.
  * WordNet 3.0 (Debian wordnet-base) index files, only to avoid making a
    leader's surname alone an actor when it is also a common English word.

Outputs (deterministic: same inputs give byte-identical files):
  * data/dict/dyad.countries.actors.txt
  * data/dict/dyad.leaders.actors.txt

Usage: python3 tools/dictgen/dictgen.py [--factbook DIR] [--iso DIR]
       [--wordnet DIR] [--out DIR] [--check]
  --check rebuilds into memory and exits 1 if the committed files differ.
Python 3 standard library only.
"""

import argparse
import glob
import html
import json
import os
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))

# ISO 3166-3 former countries that were absorbed or dissolved rather than
# renamed keep their own code; the rest map to the successor named by the
# last two letters of their alpha-4 code.
KEEP_OWN_CODE = {"DDR", "YMD", "VDR", "SUN", "YUG", "SCG", "CSK", "ANT"}

# Title words stripped from the front of a Factbook executive-branch entry.
TITLE_WORDS = {
    "president", "prime", "minister", "vice", "king", "queen", "emperor",
    "emir", "amir", "sultan", "chancellor", "premier", "supreme", "leader",
    "transition", "transitional", "general", "gen.", "capt.", "captain",
    "crown", "prince", "princess", "grand", "duke", "duchess", "sheikh",
    "shaykh", "chairman", "chair", "chief", "of", "the", "state", "council",
    "sovereign", "federal", "state", "counselor", "colonel", "col.", "lt.",
    "lieutenant", "brig.", "brigadier", "maj.", "major", "head", "governor",
    "governor-general", "acting", "interim", "executive", "co-prince",
    "pope", "cardinal", "secretary", "presidential", "national", "cnsp",
    "and", "commander-in-chief", "armed", "forces", "sudanese", "mr.",
    "dr.", "his", "her", "majesty", "highness", "coprince", "first",
    "deputy", "high", "commissioner", "administrator", "mayor", "captain-regent",
    "captains", "regent", "regents", "taoiseach", "tanaiste", "de", "facto",
    "affairs", "commission", "government", "republic", "ruler", "monarch",
    "people's", "assembly", "presidium", "standing", "committee", "dr.",
    "presidential", "leadership", "chairperson", "gnu", "taliban", "overall",
    "presidency",
}

# Given names so common that a leader's surname equal to one of them is never
# used alone as an actor phrase.
COMMON_NAMES = {
    "mohamed", "mohammed", "muhammad", "mohammad", "ahmed", "ahmad", "ali",
    "hassan", "hasan", "hussein", "husayn", "ibrahim", "abdullah", "abdallah",
    "khan", "singh", "kumar", "kim", "lee", "park", "wang", "zhang", "chen",
    "nguyen", "tran", "smith", "jones", "brown", "martin", "thomas", "james",
    "john", "george", "charles", "david", "joseph", "peter", "paul", "mark",
    "daniel", "salman", "khalifa", "hamad", "said", "saeed", "omar", "umar",
    "yusuf", "issa", "musa", "moussa", "idriss", "traore", "diallo", "kone",
    "sow", "ba", "ndiaye", "diop", "mahmoud", "mustafa", "mostafa", "khalil",
    "karim", "rashid", "salem", "saleh", "salih", "nasser", "sultan", "faisal",
    "rodriguez", "gonzalez", "pena", "phillips", "wong", "taylor", "zamora",
    "haas", "salam", "eman", "tove", "jeri", "mishal", "tamim", "haitham",
}

MONTHS = {m: i + 1 for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july",
     "august", "september", "october", "november", "december"])}
# The Factbook also abbreviates months ("since 5 Sep 2025").
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9


def fold(s):
    """Unescape HTML, fold accents to ASCII, normalise quotes and spaces."""
    s = html.unescape(s)
    s = s.replace("\u2019", "'").replace("\u2018", "'").replace("\u02bc", "'")
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.encode("ascii", "ignore").decode("ascii")
    s = re.sub(r"<[^>]+>", " ", s)
    return re.sub(r"\s+", " ", s).strip()


def phrase(s):
    """A name as a dictionary phrase: upper case, PTB-style 's split, words
    joined by underscores. Returns '' for something that is not a name."""
    s = fold(s)
    s = re.sub(r"\([^)]*\)", " ", s)
    s = s.strip(" .,;:\"")
    if not s or s.lower() in ("none", "na", "n/a"):
        return ""
    s = re.sub(r"(\w)'s\b", r"\1 's", s)
    s = s.replace(",", " ")
    words = s.upper().split()
    if not words:
        return ""
    for w in words:
        if not re.fullmatch(r"[A-Z0-9][A-Z0-9.'\-&]*|'S", w):
            return ""
    return "_".join(words)


def split_names(text):
    """Split a Factbook list of names ('A, B or C; note - ...')."""
    text = fold(text)
    text = re.split(r";?\s*note\b", text, maxsplit=1)[0]
    out = []
    # '(or X)' and '(X)' inside a name give an alternative.
    for alt in re.findall(r"\(or\s+([^)]*)\)", text):
        out.append(alt)
    text = re.sub(r"\([^)]*\)", " ", text)
    for part in re.split(r",|;|/|\bor\b", text):
        part = part.strip()
        if part:
            out.append(part)
    return out


def nationality_forms(text):
    """Forms of a Factbook nationality noun/adjective: 'Iraqi(s)' gives
    Iraqi and Iraqis; 'Irishman(men)' gives Irishman and Irishmen."""
    text = fold(text)
    text = re.split(r";?\s*note\b", text, maxsplit=1)[0]
    text = re.sub(r"\((?:singular|plural|singular and plural|collective plural|"
                  r"colloquial|US citizens|US nationals)[^)]*\)", " ", text)
    out = []
    for part in re.split(r",|;|/|\bor\b", text):
        part = part.strip()
        if not part:
            continue
        m = re.fullmatch(r"(.*?)\s*\((\w+)\)", part)
        if m:
            base, suf = m.group(1).strip(), m.group(2)
            out.append(base)
            if suf == "s":
                out.append(base + "s")
            elif suf in ("men", "women") and base.endswith(suf[:-2] + "an"):
                out.append(base[: -len(suf[:-2] + "an")] + suf)
        else:
            out.append(part)
    return out


def iso_name(name):
    """ISO's inverted names ('Korea, Republic of') in natural order."""
    name = fold(name)
    if ", " in name:
        a, b = name.split(", ", 1)
        if re.search(r"\bof( the)?$", b):
            return b + " " + a
        return a
    return name


# Prefixes after which dyad's tokenizer (crates/dyad-text, following UD
# English-EWT) keeps a hyphenated word whole; elsewhere "al-Qaeda" is
# tokenized "al - Qaeda".
KEEP_PREFIXES = {
    "anti", "co", "counter", "cross", "e", "ex", "inter", "intra", "meta", "micro", "mid",
    "multi", "neo", "non", "over", "post", "pre", "pro", "re", "semi", "socio", "sub",
    "super", "trans", "ultra", "un",
}


def hyphen_split_word(w):
    """'AL-QAEDA' -> ['AL', '-', 'QAEDA']; 'ANTI-ISIS' stays whole."""
    out, piece = [], ""
    for i, c in enumerate(w):
        if c == "-" and piece and i + 1 < len(w) and piece.lower() not in KEEP_PREFIXES:
            out.extend([piece, "-"])
            piece = ""
        else:
            piece += c
    out.append(piece)
    return out


def hyphen_variant(ph):
    """The phrase as dyad's tokenizer sees it, or None when that is the same."""
    lead = "+" if ph.startswith("+") else ""
    words = ph[len(lead):].split("_")
    new = []
    for w in words:
        new.extend(hyphen_split_word(w) if w else [w])
    v = lead + "_".join(new)
    return None if v == ph else v


def add_hyphen_variants(text, kind):
    """Adds tokenizer-style split variants to an actor or agent file's text
    (idempotent): '+AL_-_QAEDA' after 'AL-QAEDA', and so on."""
    lines = text.split("\n")
    out = []
    if kind == "actors":
        # Pass 1: the phrases of each record (a record starts at a line that
        # is neither a '+' synonym nor an indented date restriction).
        def phrase_of(line):
            body = line.split("#", 1)[0].strip()
            if not body or line.startswith(("\t", " ")) or body.startswith(("<", "!")):
                return None
            return body.split("[", 1)[0].strip()
        rec_of, rec, recs = [], -1, []
        for line in lines:
            ph = phrase_of(line)
            if ph is not None and not ph.startswith("+"):
                rec += 1
                recs.append(set())
            if ph is not None and rec >= 0:
                recs[rec].add(ph.lstrip("+"))
            rec_of.append(rec)
        for line, r in zip(lines, rec_of):
            out.append(line)
            ph = phrase_of(line)
            if ph is None or r < 0:
                continue
            v = hyphen_variant(ph.lstrip("+"))
            if v and v not in recs[r]:
                recs[r].add(v)
                out.append("+" + v + "  # tokenizer splits hyphens")
        return "\n".join(out)
    for line in lines:  # agents
        out.append(line)
        m = re.match(r"^([^\s{\[#!]+)(\s*\{[^}]*\})?(\s*\[[^\]]*\])", line)
        if not m or "!" in m.group(1):
            continue
        v = hyphen_variant(m.group(1))
        if not v:
            continue
        plural = m.group(2) or ""
        if plural.strip() not in ("", "{}"):
            inner = plural.strip()[1:-1].strip()
            plural = " {" + (hyphen_variant(inner) or inner) + "}"
        new = f"{v}{plural}{m.group(3)}  # tokenizer splits hyphens"
        if new.split("#")[0].split("[")[0].split("{")[0].strip() not in existing_agents(lines):
            out.append(new)
    return "\n".join(out)


def existing_agents(lines):
    return {l.split("#")[0].split("[")[0].split("{")[0].strip() for l in lines}


def read_tsv(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) < 3:
                sys.exit(f"{path}:{lineno}: expected 3 tab-separated columns")
            rows.append((lineno, [c.strip() for c in cols]))
    return rows


def load_iso(iso_dir):
    with open(os.path.join(iso_dir, "iso_3166-1.json"), encoding="utf-8") as f:
        cur = json.load(f)["3166-1"]
    with open(os.path.join(iso_dir, "iso_3166-3.json"), encoding="utf-8") as f:
        old = json.load(f)["3166-3"]
    return cur, old


def factbook_entities(fb_dir):
    out = []
    for path in sorted(glob.glob(os.path.join(fb_dir, "*", "*.json"))):
        gec = os.path.splitext(os.path.basename(path))[0]
        region = os.path.basename(os.path.dirname(path))
        if region in ("meta", "oceans", "world"):
            continue
        with open(path, encoding="utf-8") as f:
            d = json.load(f)
        out.append((gec, d))
    return out


def text_of(d, *keys):
    for k in keys:
        if not isinstance(d, dict) or k not in d:
            return ""
        d = d[k]
    if isinstance(d, dict):
        return d.get("text", "")
    return ""


def parse_since(text):
    """'since 13 October 2022' -> ('20221013', exact?).

    Also 'since 5 Sep 2025' (abbreviated month), a bare '28 October 2022'
    (an entry that gives the date without 'since'), 'since March 2020'
    (month only: the 1st, not exact) and 'since 1997' (year only: 1 January,
    not exact). The first date in the text wins.
    """
    m = re.search(r"(\d{1,2}) ([A-Za-z]+)\.? (\d{4})", text)
    if m and m.group(2).lower() in MONTHS:
        return "%s%02d%02d" % (m.group(3), MONTHS[m.group(2).lower()], int(m.group(1))), True
    m = re.search(r"since ([A-Za-z]+)\.? (\d{4})", text)
    if m and m.group(1).lower() in MONTHS:
        return "%s%02d01" % (m.group(2), MONTHS[m.group(1).lower()]), False
    m = re.search(r"since (\d{4})\b", text)
    if m:
        return "%s0101" % m.group(1), False
    return None, False


def wordnet_lemmas(wn_dir):
    words = set()
    for pos in ("noun", "verb", "adj", "adv"):
        p = os.path.join(wn_dir, "index." + pos)
        if not os.path.exists(p):
            continue
        with open(p, encoding="latin-1") as f:
            for line in f:
                if line.startswith(" "):
                    continue
                words.add(line.split(" ", 1)[0].lower())
    return words


def wordnet_common_words(wn_dir):
    """Words WordNet writes in lower case in some synset: ordinary English
    words ("car", "as", "island"), as opposed to names and abbreviations it
    only writes capitalised ("US", "UK", "PRC")."""
    words = set()
    for pos in ("noun", "verb", "adj", "adv"):
        p = os.path.join(wn_dir, "data." + pos)
        if not os.path.exists(p):
            continue
        with open(p, encoding="latin-1") as f:
            for line in f:
                if line.startswith(" "):
                    continue
                fields = line.split(" ")
                n = int(fields[3], 16)
                for i in range(n):
                    w = re.sub(r"\(.*\)$", "", fields[4 + 2 * i])
                    if w.islower():
                        words.add(w)
    return words


def curated_people_phrases(path):
    out = set()
    if not os.path.exists(path):
        return out
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].rstrip()
            if not line or line.startswith("\t") or line.startswith(" "):
                continue
            p = line.lstrip("+").split("[", 1)[0].strip().rstrip("_")
            if p:
                out.add(p)
    return out


def build(args):
    iso_cur, iso_old = load_iso(args.iso)
    a2_to_a3 = {c["alpha_2"]: c["alpha_3"] for c in iso_cur}
    iso_by_a3 = {c["alpha_3"]: c for c in iso_cur}
    overrides = {}  # phrase -> (code or DROP, note)
    for lineno, (ph, code, note) in read_tsv(os.path.join(HERE, "ambiguous.tsv")):
        overrides[ph] = (code, note)
    tld_fix = {"uk": "GB", "xk": "XK"}

    # names[phrase] -> set of (code, note)
    names = {}
    primary = {}  # code -> (phrase, note)

    def add(code, ph, note):
        if not ph or len(ph.replace("_", "")) < 2:
            return
        names.setdefault(ph, {})
        names[ph].setdefault(code, note)

    # A one-word abbreviation or local short form that is also an ordinary
    # English word ("AS" for American Samoa, "CAR" for the Central African
    # Republic, Iceland's "Island") would code the word wherever it occurs
    # (dyad's dictionaries are matched without regard to case); such forms
    # are left out. "US" stays: WordNet writes it only capitalised (the
    # pronoun "us" is not in WordNet, and the coder never reads a lower-case
    # one-word match as an actor).
    common = wordnet_common_words(args.wordnet)
    skipped_common = []

    fb_by_code = {}
    for gec, d in factbook_entities(args.factbook):
        tld = text_of(d, "Communications", "Internet country code")
        m = re.search(r"\.([a-z]{2})\b", tld)
        if not m:
            continue
        a2 = tld_fix.get(m.group(1), m.group(1).upper())
        code = a2_to_a3.get(a2, "XKX" if a2 == "XK" else None)
        if code is None:
            continue
        fb_by_code.setdefault(code, []).append((gec, d))

    all_codes = sorted(set(iso_by_a3) | set(fb_by_code))
    for code in all_codes:
        iso = iso_by_a3.get(code)
        if iso:
            for key in ("name", "official_name", "common_name"):
                if key in iso:
                    add(code, phrase(iso_name(iso[key])), f"iso3166-1:{code} {key}")
        for gec, d in fb_by_code.get(code, []):
            cn = d.get("Government", {}).get("Country name", {})
            for key, label in (("conventional short form", "short form"),
                               ("conventional long form", "long form"),
                               ("English short form", "short form"),
                               ("English long form", "long form"),
                               ("abbreviation", "abbreviation"),
                               ("local short form", "local short form"),
                               ("former", "former name")):
                t = text_of(cn, key)
                if not t:
                    continue
                parts = split_names(t) if key not in ("conventional long form",
                                                      "English long form") else [
                    re.split(r";\s*note\b", fold(t))[0]]
                for n in parts:
                    ph = phrase(n)
                    if key == "local short form" and (len(ph) < 4 or "_" in ph and len(ph) > 30):
                        continue
                    if key in ("abbreviation", "local short form") and ph.lower() in common:
                        skipped_common.append((ph, code, f"factbook:{gec} {label}"))
                        continue
                    add(code, ph, f"factbook:{gec} {label}")
                    if ph.startswith("THE_"):
                        add(code, ph[4:], f"factbook:{gec} {label}")
            nat = d.get("People and Society", {}).get("Nationality", {})
            for key in ("noun", "adjective"):
                for n in nationality_forms(text_of(nat, key)):
                    add(code, phrase(n), f"factbook:{gec} nationality {key}")
            cap = text_of(d, "Government", "Capital", "name")
            for n in split_names(cap):
                ph = phrase(n)
                if ph and not re.search(r"NOTE|CAPITAL|ADMINISTERED|NONE", ph):
                    add(code, ph, f"factbook:{gec} capital")

    # Former countries (ISO 3166-3).
    for c in iso_old:
        a3 = c["alpha_3"]
        succ = c.get("alpha_4", "")[2:]
        code = a3
        if a3 not in KEEP_OWN_CODE and succ in a2_to_a3:
            code = a2_to_a3[succ]
        elif a3 not in KEEP_OWN_CODE:
            continue
        for n in [iso_name(c["name"])]:
            add(code, phrase(n), f"iso3166-3:{a3} former country (withdrawn {c.get('withdrawal_date', '?')})")

    # Curated aliases and metonyms.
    extra = []
    for fname in ("aliases.tsv", "metonyms.tsv", "groups.tsv"):
        for lineno, (ph, code, note) in read_tsv(os.path.join(HERE, fname)):
            extra.append((ph, code, f"{note} (tools/dictgen/{fname}:{lineno})"))
    for ph, code, note in extra:
        add(code, ph, note)

    # Resolve names claimed by several codes.
    resolved = {}
    dropped = []
    for ph in sorted(names):
        codes = names[ph]
        if ph in overrides:
            code, note = overrides[ph]
            if code == "DROP":
                dropped.append((ph, sorted(codes), note))
                continue
            resolved[ph] = (code, f"{codes.get(code, 'curated')}; {note} (tools/dictgen/ambiguous.tsv)")
            continue
        if len(codes) > 1:
            dropped.append((ph, sorted(codes), "ambiguous, not resolved"))
            continue
        (code, note), = codes.items()
        resolved[ph] = (code, note)

    # Group by code. The primary phrase of a country is its ISO short name.
    by_code = {}
    for ph, (code, note) in resolved.items():
        by_code.setdefault(code, []).append((ph, note))

    lines = [
        "# dyad default dictionary: country actors",
        "# GENERATED by tools/dictgen/dictgen.py -- do not edit by hand; edit the",
        "# generator's inputs (tools/dictgen/*.tsv) and rerun it (see data/dict/README.md).",
        "# Sources: CIA World Factbook JSON (CC0), Debian iso-codes ISO 3166-1/3166-3,",
        "# curated tables in tools/dictgen/. Each phrase names its source after '#'.",
        "# Codes: ISO 3166-1 alpha-3 roots (XKX for Kosovo; former states keep their",
        "# ISO 3166-3 code); seat-of-government metonyms carry a role (GOV, MIL, LEG...).",
        "",
    ]
    for code in sorted(by_code):
        entries = by_code[code]
        is_role = len(code) > 3 or (code not in iso_by_a3 and code not in fb_by_code
                                    and code not in KEEP_OWN_CODE and code != "ANT")
        iso = iso_by_a3.get(code)
        if is_role:
            # Role-coded metonyms: one record each.
            for ph, note in sorted(entries):
                lines.append(f"{ph} [{code}]  # src: {note}")
            lines.append("")
            continue
        head = phrase(iso_name(iso["name"])) if iso else None
        phs = dict(entries)
        # "Saudi-led coalition", "US-led forces": the leading state is the
        # actor. Written both joined (PTB-style input) and split the way
        # dyad's tokenizer splits hyphens.
        for ph, note in sorted(entries):
            if "_" in ph or "-" in ph or not re.search(r"nationality|short form|abbreviation|aliases", note):
                continue
            if ph.endswith("S") and ph[:-1] in phs:
                continue  # a plural demonym: "Saudis-led" is not English
            for led in (ph + "-LED", ph + "_-_LED"):
                if led not in phs and led not in resolved:
                    phs[led] = note.split(";")[0] + "; '-led' form"
        if head not in phs:
            head = sorted(phs)[0]
        lines.append(f"{head} [{code}]  # src: {phs[head]}")
        for ph in sorted(phs):
            if ph != head:
                lines.append(f"+{ph}  # src: {phs[ph]}")
        lines.append("")
    # (only those no other source gives: "Turkey" stays as the ISO name)
    skipped_common = [x for x in skipped_common if resolved.get(x[0], ("",))[0] != x[1]]
    if skipped_common:
        lines.append("# Abbreviations and local short forms left out (ordinary English words, WordNet):")
        for ph, code, note in sorted(skipped_common):
            lines.append(f"#   {ph}: {code} -- {note}")
        lines.append("")
    if dropped:
        lines.append("# Names left out (shared by several countries or resolved as DROP in tools/dictgen/ambiguous.tsv):")
        for ph, codes, note in dropped:
            lines.append(f"#   {ph}: {' '.join(codes)} -- {note}")
        lines.append("")
    countries = "\n".join(lines)

    leaders = build_leaders(args, fb_by_code)
    return {"dyad.countries.actors.txt": add_hyphen_variants(countries, "actors"),
            "dyad.leaders.actors.txt": add_hyphen_variants(leaders, "actors")}


def leader_names(raw):
    """'Prime Minister Mohammed Shia al-SUDANI' -> (full, short, surname)."""
    words = fold(raw).replace(",", " ").split()
    i = 0
    while i < len(words) and (words[i].lower() in TITLE_WORDS or words[i].isupper() and len(words[i]) <= 4 and any(w.isupper() and len(w) > 1 for w in words[i + 1:])):
        i += 1
    words = [w for w in words[i:] if w not in ("-",)]
    if not words:
        return None
    def is_caps(w):
        core = re.sub(r"^(al-|el-|bin-|ad-|as-)", "", w, flags=re.I)
        last = core.split("-")[-1].replace("'", "")
        return len(w) > 1 and (core.replace("-", "").replace("'", "").isupper() or (len(last) > 1 and last.isupper()))
    caps = [j for j, w in enumerate(words) if is_caps(w)]
    if not caps:
        return None

    def tc(w):
        if any(c.islower() for c in w):
            return w
        parts = re.split(r"(-|')", w)
        return "".join(p.capitalize() if p not in ("-", "'") else p for p in parts)
    pretty = [tc(w) for w in words]
    full = " ".join(pretty)
    surname_idx = caps
    surname = " ".join(pretty[j] for j in surname_idx)
    # First given name + surname (drops middle names and patronymics).
    first = pretty[0].lower()
    if surname_idx[0] > 0 and not re.match(r"^(abd|abu|abdel|abdul|abdal|bin|ben)\b", first):
        short = pretty[0] + " " + surname
    else:
        short = full
    return full, short, surname


def build_leaders(args, fb_by_code):
    lemmas = wordnet_lemmas(args.wordnet)
    curated = curated_people_phrases(os.path.join(args.out, "dyad.people.actors.txt"))
    people = {}  # full phrase -> dict
    for code in sorted(fb_by_code):
        for gec, d in fb_by_code[code]:
            ex = d.get("Government", {}).get("Executive branch", {})
            gov = d.get("Government", {})
            # A dependency's chief of state is the sovereign's (e.g. the
            # President of China for Hong Kong): only its own head of
            # government is generated.
            keys = ("head of government",) if "Dependency status" in gov else (
                "chief of state", "head of government")
            for key in keys:
                t = fold(text_of(ex, key))
                # "King X; also spelled Y (since ...)": the spelling note is
                # not a second person.
                spelled = [phrase(x.strip()) for x in re.findall(r";\s*also spelled ([^(;]*)", t)]
                t = re.sub(r";\s*also spelled [^(;]*", " ", t)
                t = re.split(r";\s*(?:note|represented|former)\b|<br>", t)[0]
                for part in re.split(r";", t):
                    # "(since 5 Sep 2025)", "(chairperson since ...", a bare
                    # "(28 October 2022)"; the ';' split may have cut the
                    # closing parenthesis.
                    m = re.match(r"(.*?)\s*\(((?:[^()]*\s)?since\s[^()]*|\d{1,2} [A-Za-z]+\.? \d{4})\)?", part)
                    if not m:
                        continue
                    since, exact = parse_since(m.group(2))
                    if since is None:
                        continue
                    nm = leader_names(m.group(1))
                    if nm is None:
                        continue
                    full, short, surname = nm
                    ph = phrase(full)
                    if not ph:
                        continue
                    if ph in people:
                        if key not in people[ph]["roles"]:
                            people[ph]["roles"].append(key)
                        people[ph]["codes"].add(code)
                        continue
                    people[ph] = {"code": code, "gec": gec, "full": full,
                                  "short": short, "surname": surname,
                                  "since": since, "exact": exact,
                                  "roles": [key], "title": m.group(1),
                                  "codes": {code},
                                  "spelled": {x for x in spelled if x}}
    # Surnames used by more than one leader are never used alone.
    sn_count = {}
    for p in people.values():
        sn_count[phrase(p["surname"])] = sn_count.get(phrase(p["surname"]), 0) + 1
    lines = [
        "# dyad default dictionary: current heads of state and government",
        "# GENERATED by tools/dictgen/dictgen.py from the CIA World Factbook executive",
        "# branch entries (CC0; frozen early 2026) -- do not edit by hand. People with",
        "# a curated history in dyad.people.actors.txt are left out here. Codes start",
        "# on the Factbook's 'since' date; month-only dates start on the 1st (noted).",
        "",
    ]
    skipped = []
    shared = []
    for ph in sorted(people):
        p = people[ph]
        alts = {ph}
        if phrase(p["short"]):
            alts.add(phrase(p["short"]))
        sn = phrase(p["surname"])
        bare = re.sub(r"^(AL|EL|AD|AS|BIN)-", "", sn)
        if (sn_count.get(sn, 0) == 1 and "_" not in bare and len(bare) >= 4
                and bare.lower() not in lemmas and bare.lower() not in COMMON_NAMES):
            alts.add(bare)
            if bare != sn:
                alts.add(sn)
        alts |= p["spelled"]
        if alts & curated:
            skipped.append(ph)
            continue
        if len(p["codes"]) > 1:
            # Head of several states (e.g. a monarch of several realms):
            # which state a mention means needs a curator.
            shared.append(f"{ph} ({' '.join(sorted(p['codes']))})")
            continue
        note = (f"factbook:{p['gec']} {' and '.join(p['roles'])}, since "
                f"{p['since'][:4]}-{p['since'][4:6]}-{p['since'][6:]}"
                + ("" if p["exact"] else " (month only)"))
        lines.append(f"{ph}  # src: {note}")
        for a in sorted(alts - {ph}):
            lines.append(f"+{a}")
        lines.append(f"\t[{p['code']}GOV >{p['since']}]")
        lines.append("")
    if skipped:
        lines.append("# Curated in dyad.people.actors.txt instead: " + ", ".join(skipped))
        lines.append("")
    if shared:
        lines.append("# Heads of several states, left to curation: " + ", ".join(shared))
        lines.append("")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--factbook", default=os.path.join(ROOT, "..", "shared", "data", "factbook"))
    ap.add_argument("--iso", default="/usr/share/iso-codes/json")
    ap.add_argument("--wordnet", default="/usr/share/wordnet")
    ap.add_argument("--out", default=os.path.join(ROOT, "data", "dict"))
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--hyphen-variants", nargs="+", metavar="FILE",
                    help="add tokenizer-style split-hyphen variants to curated actor/agent files in place")
    args = ap.parse_args()
    if args.hyphen_variants:
        for path in args.hyphen_variants:
            kind = "agents" if "agent" in os.path.basename(path) else "actors"
            with open(path, encoding="utf-8") as f:
                old_text = f.read()
            new_text = add_hyphen_variants(old_text, kind)
            if new_text != old_text:
                with open(path, "w", encoding="utf-8", newline="\n") as f:
                    f.write(new_text)
                print(f"dictgen: added hyphen variants to {path}")
        return
    for p in (args.factbook, args.iso):
        if not os.path.isdir(p):
            sys.exit(f"dictgen: input directory not found: {p}")
    files = build(args)
    bad = 0
    for name, text in sorted(files.items()):
        path = os.path.join(args.out, name)
        if args.check:
            old = open(path, encoding="utf-8").read() if os.path.exists(path) else None
            if old != text:
                print(f"dictgen: {path} is stale", file=sys.stderr)
                bad = 1
        else:
            with open(path, "w", encoding="utf-8", newline="\n") as f:
                f.write(text)
            print(f"dictgen: wrote {path}")
    sys.exit(bad)


if __name__ == "__main__":
    main()
