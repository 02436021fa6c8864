#!/usr/bin/env python3
"""verbforms: fill in irregular verb forms in a PETRARCH-1 verbs file.

dyad's reader generates regular forms (-S, -ED, -ING) for a verb written
without '{...}'. That is wrong for irregular verbs (hold/held) and for verbs
that double their final consonant (ban/banned). This tool reads WordNet 3.0's
verb.exc (Debian wordnet-base: inflected form -> base) and, for every verb
line without '{...}' whose WordNet forms differ from the generated ones,
writes the full list of forms in '{...}' and notes "forms: wordnet".

Usage: python3 tools/dictgen/verbforms.py [--wordnet DIR] [--check] FILE
Deterministic and idempotent; --check exits 1 if FILE would change.
"""

import argparse
import os
import re
import sys


def plural(w):
    if w.endswith("Y") and len(w) > 1 and w[-2] not in "AEIOU":
        return w[:-1] + "IES"
    if w.endswith(("S", "X", "Z", "CH", "SH")):
        return w + "ES"
    return w + "S"


def regular(w):
    """The forms dyad's reader generates (crates/dyad-dict phrase.rs)."""
    vowel = lambda c: c in "AEIOU"
    s = w + "ES" if w.endswith("SS") else (w[:-1] + "IES" if w.endswith("Y") and len(w) > 1 and not vowel(w[-2]) else w + "S")
    if w.endswith("E"):
        ed = w + "D"
    elif w.endswith("Y") and len(w) >= 2 and not vowel(w[-2]):
        ed = w[:-1] + "IED"
    else:
        ed = w + "ED"
    if w.endswith("E") and len(w) > 2 and not vowel(w[-2]):
        ing = w[:-1] + "ING"
    else:
        ing = w + "ING"
    return s, ed, ing


def load_exc(wn_dir):
    by_base = {}
    with open(os.path.join(wn_dir, "verb.exc"), encoding="latin-1") as f:
        for line in f:
            parts = line.split()
            if len(parts) < 2:
                continue
            infl = parts[0].upper()
            for base in parts[1:]:
                by_base.setdefault(base.upper(), set()).add(infl)
    return by_base


def forms_for(base, exc):
    """All inflected forms, or None when the regular ones are right."""
    if base not in exc:
        return None
    reg = set(regular(base))
    wn = exc[base] - {base}
    # Keep the regular forms too: some verbs have both (pleaded/pled,
    # canceled/cancelled), and a form that never occurs costs nothing.
    out = reg | wn
    if out == reg:
        return None
    return sorted(out)


def rewrite(lines, exc):
    out = []
    in_synset = False
    for line in lines:
        body, sep, comment = line.partition("#")
        stripped = body.strip()
        if stripped.startswith("&"):
            in_synset = True
        elif not stripped:
            in_synset = False
        is_verb = (stripped and not stripped.startswith(("-", "&", "~", "<")) and
                   not (in_synset and stripped.startswith("+")) and "{" not in stripped)
        if not is_verb:
            out.append(line)
            continue
        m = re.fullmatch(r"([A-Z0-9_+'\-]+)(\s*\[[^\]]*\])?", stripped)
        if not m:
            out.append(line)
            continue
        phrase, code = m.group(1), m.group(2) or ""
        words = phrase.split("_")
        vi = next((i for i, w in enumerate(words) if w.startswith("+")), 0)
        verb = words[vi].lstrip("+")
        forms = forms_for(verb, exc)
        if forms is None:
            out.append(line)
            continue
        mk = lambda f: "_".join(("+" + f if i == vi and words[i].startswith("+") else (f if i == vi else w))
                                for i, w in enumerate(words))
        new = f"{phrase} {{{' '.join(mk(f) for f in forms)}}}{code}"
        note = comment.strip()
        note = (note + "; " if note else "") + "forms: wordnet"
        out.append(f"{new}  # {note}\n" if line.endswith("\n") else f"{new}  # {note}")
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wordnet", default="/usr/share/wordnet")
    ap.add_argument("--check", action="store_true")
    ap.add_argument("file")
    a = ap.parse_args()
    exc = load_exc(a.wordnet)
    with open(a.file, encoding="utf-8") as f:
        lines = f.readlines()
    new = rewrite(lines, exc)
    if a.check:
        sys.exit(0 if new == lines else 1)
    if new != lines:
        with open(a.file, "w", encoding="utf-8") as f:
            f.writelines(new)
        changed = sum(1 for x, y in zip(lines, new) if x != y)
        print(f"verbforms: {changed} verb lines given their forms")


if __name__ == "__main__":
    main()
