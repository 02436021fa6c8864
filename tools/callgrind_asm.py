#!/usr/bin/env python3
"""Per-instruction cost of one function from a callgrind profile, on its assembly.

callgrind_annotate shows costs per source line; with inlining and LTO much of a
hot function has no usable line ("unidentified lines"). This joins the
per-instruction counts of a `--dump-instr=yes` profile with `objdump -d`.

usage:
  valgrind --tool=callgrind --dump-instr=yes --toggle-collect='*Model::build*' \\
      --callgrind-out-file=cg.out target/release/examples/nlp bench MODEL GOLD 1
  tools/callgrind_asm.py cg.out target/release/examples/nlp score_cached [--blocks MIN]

Prints the function's total self cost (instructions executed inside it, inlined
code included, callees excluded), then each instruction with its execution
count. With --blocks MIN: runs of consecutive instructions executed equally
often (basic blocks, roughly) whose total is at least MIN, as
"count x length = total  first-last  first instruction" -- the count tells
what a block runs per (per call, per key, ...).
"""
import collections
import re
import subprocess
import sys


def costs_of(cg_file, pattern):
    """Self cost per instruction address of the functions whose name contains pattern."""
    costs = collections.Counter()
    names = {}
    cur = None
    in_call = False
    last = 0
    for line in open(cg_file):
        line = line.rstrip("\n")
        m = re.match(r"c?fn=\((\d+)\)(?: (.*))?", line)
        if m:
            if m.group(2):
                names[m.group(1)] = m.group(2)
            if line.startswith("fn="):
                cur = names.get(m.group(1), "")
            continue
        if line.startswith("calls="):
            # the next cost line is the call's inclusive cost: skip it
            in_call = True
            continue
        if not line or not (line[0].isdigit() or line[0] in "+-*"):
            continue
        parts = line.split()
        tok = parts[0]
        if tok.startswith("+"):
            addr = last + int(tok[1:], 0)
        elif tok.startswith("-"):
            addr = last - int(tok[1:], 0)
        elif tok == "*":
            addr = last
        else:
            addr = int(tok, 16)
        last = addr
        if in_call:
            in_call = False
            continue
        if cur and pattern in cur and len(parts) >= 3:
            costs[addr] += int(parts[2])
    return costs


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    cg_file, binary, pattern = sys.argv[1:4]
    blocks = int(sys.argv[5]) if len(sys.argv) > 5 and sys.argv[4] == "--blocks" else None
    costs = costs_of(cg_file, pattern)
    if not costs:
        sys.exit(f"no instructions of a function matching {pattern!r} in {cg_file}")
    print("total self", sum(costs.values()))
    lo, hi = min(costs), max(costs)
    dis = subprocess.run(
        ["objdump", "-d", "--no-show-raw-insn", "-M", "intel",
         f"--start-address={lo:#x}", f"--stop-address={hi + 16:#x}", binary],
        capture_output=True, text=True, check=True).stdout
    rows = []
    for l in dis.splitlines():
        m = re.match(r"\s*([0-9a-f]+):\s*(.*)", l)
        if m:
            a = int(m.group(1), 16)
            rows.append((costs.get(a, 0), a, m.group(2)))
    if blocks is None:
        for c, a, text in rows:
            print(f"{c:12d}  {a:x}  {text}")
        return
    runs = []
    for c, a, text in rows:
        if runs and runs[-1][0] == c:
            runs[-1][2] += 1
            runs[-1][3] = a
        else:
            runs.append([c, a, 1, a, text])
    for c, a, n, e, text in runs:
        if c * n >= blocks:
            print(f"{c:10d} x {n:3d} = {c * n:11d}  {a:x}-{e:x}  {text[:60]}")


if __name__ == "__main__":
    main()
