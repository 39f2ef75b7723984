#!/usr/bin/env python3
"""pprof_oracle.py - compare tiprof's output with `go tool pprof`'s, by number.

Used by tests/e2e/pprof_text.sh and pprof_live.sh:
  collapse TRACES FOLDED [thread]  -traces aggregated by stack (with
                                  "thread", the thread label as the root
                                  frame) equals tiprof's folded stacks,
                                  within the rounding of pprof's numbers
  raw EXPECTED OURS filtered|full -raw values per stack of addresses
  rawnorm RAW                     -raw in a canonical form: identical
                                  samples merged, ids replaced by what they
                                  stand for, unused mappings left out (newer
                                  pprof prints a profile as stored)
  goroutine DUMP FOLDED TOPJSON   an independent reading of a debug=2 dump
  toptotal PPROF_TOP TIPROF_TOP   the "of TOTAL total" figures agree
  toprows PPROF_TOP TIPROF_TOP    every row's flat and cum agree
"""
import re, sys

named = set()

UNITS = {"": 1, "B": 1, "kB": 1024, "MB": 1024**2, "GB": 1024**3, "TB": 1024**4,
         "PB": 1024**5, "ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9, "mins": 60e9,
         "hrs": 3600e9, "days": 86400e9}

def value(text):
    m = re.match(r"^(-?[0-9.]+)(.*)$", text)
    num, unit = m.group(1), m.group(2)
    b = UNITS[unit]
    dec = len(num.split(".")[1]) if "." in num else 0
    # pprof prints %.2f and drops ".00": an integer was rounded too
    tol = (0.005 if dec == 0 and unit not in ("",) else 0.5 * 10 ** -max(dec, 2)) * b
    if unit == "":
        tol = 0
    return float(num) * b, tol

def traces(path, thread=False):
    """go tool pprof -traces -> {root;..;leaf: [value, tolerance]}"""
    out = {}
    blocks = open(path).read().split("-----------+-------------------------------------------------------\n")[1:]
    for b in blocks:
        frames, val, root = [], None, None
        if not b.strip():
            continue
        for line in b.splitlines():
            if val is None:
                m = re.match(r"^\s*(\S+):  (.*)$", line)
                if m:
                    if thread and m.group(1) == "thread":
                        root = m.group(2)
                    continue  # a label line
                m = re.match(r"^\s*(\S+)   (.*)$", line)
                val = value(m.group(1))
                frames.append(m.group(2))
            else:
                frames.append(line[13:])
        frames = [re.sub(r" \((partial-)?inline\)$", "", f) for f in frames]
        if root is not None:
            frames.append(root)
        key = ";".join(reversed(frames))
        e = out.setdefault(key, [0.0, 0.0])
        e[0] += val[0]
        e[1] += val[1]
    return out

def folded(path):
    out = {}
    for line in open(path, encoding="utf-8", errors="replace"):
        line = line.rstrip("\n")
        if not line:
            continue
        stack, _, n = line.rpartition(" ")
        out[stack] = out.get(stack, 0) + int(n)
    return out

def cmp_collapse(exp, ours, thread=False):
    want, got = traces(exp, thread), folded(ours)
    bad = []
    for k, (v, tol) in want.items():
        g = got.get(k, 0)
        if abs(g - v) > tol + 1e-9 * abs(v) + 0.5:
            bad.append("%s: pprof %s, ours %s" % (k[-120:], v, g))
    for k, g in got.items():
        if k not in want and g != 0:
            bad.append("extra: %s %s" % (k[-120:], g))
    for b in bad[:5]:
        print(b)
    print("%d stacks, %d mismatches" % (len(want), len(bad)))
    return not bad

def raw(path):
    """go tool pprof -raw (or a .string golden) -> types, samples, locations"""
    global named
    types, samples, locs, sec = [], [], {}, None
    for line in open(path):
        line = line.rstrip("\n")
        if line in ("Samples:", "Locations", "Mappings"):
            sec = line
            continue
        if sec == "Samples:":
            if not types:
                types = line.split()
                continue
            m = re.match(r"^\s*(-?\d+(?:\s+-?\d+)*):((?:\s+\d+)*)\s*$", line)
            if m:
                samples.append(([int(x) for x in m.group(1).split()],
                                [int(x) for x in m.group(2).split()]))
        elif sec == "Locations":
            m = re.match(r"^\s*(\d+): (0x[0-9a-f]+) M=\d+ ?(.*)$", line)
            if m:
                locs[int(m.group(1))] = int(m.group(2), 16)
                if m.group(3).strip():
                    named.add(int(m.group(2), 16))
    return types, samples, locs

def cmp_raw(exp, ours, filtered):
    global named
    et, es, el = raw(exp)
    named = set()
    ot, osm, ol = raw(ours)
    if et != ot:
        print("sample types: pprof %s, ours %s" % (et, ot))
        return False
    mine = named  # the addresses we have "#" lines (function names) for
    def agg(samples, locs):
        d = {}
        for vals, ids in samples:
            addrs = tuple(locs[i] for i in ids)
            if filtered:
                addrs = tuple(a for a in addrs if a in mine)
            s = d.setdefault(addrs, [0] * len(vals))
            for i, v in enumerate(vals):
                s[i] += v
        # `go tool pprof -raw` leaves out samples without locations
        return {k: v for k, v in d.items() if any(v) and k}
    a, b = agg(es, el), agg(osm, ol)
    bad = [k for k in set(a) | set(b) if a.get(k) != b.get(k)]
    for k in bad[:5]:
        print("stack %s: pprof %s, ours %s" % ([hex(x) for x in k][:6], a.get(k), b.get(k)))
    tot_e = [sum(v[i] for v in a.values()) for i in range(len(et))]
    tot_o = [sum(v[i] for v in b.values()) for i in range(len(ot))]
    print("%d stacks, %d mismatches, totals %s / %s" % (len(a), len(bad), tot_e, tot_o))
    return not bad and tot_e == tot_o

def rawnorm(path):
    """go tool pprof -raw -> canonical text, independent of ids and order"""
    head, types, samples, locs, maps, sec = [], None, [], {}, {}, None
    last = None
    for line in open(path):
        line = line.rstrip("\n")
        if line in ("Samples:", "Locations", "Mappings"):
            sec = line
            continue
        if sec is None:
            head.append(line)
        elif sec == "Samples:":
            if types is None:
                types = line.split()
                continue
            m = re.match(r"^\s*(-?\d+(?:\s+-?\d+)*):((?:\s+\d+)*)\s*$", line)
            if m:
                last = [[int(x) for x in m.group(1).split()],
                        [int(x) for x in m.group(2).split()], []]
                samples.append(last)
            elif last is not None:
                last[2].append(line.strip())
        elif sec == "Locations":
            m = re.match(r"^\s*(\d+): (0x[0-9a-f]+) M=(\d+) ?(.*)$", line)
            if m:
                last = [m.group(2), int(m.group(3)), [m.group(4).strip()]]
                locs[int(m.group(1))] = last
            else:
                last[2].append(line.strip())
        elif sec == "Mappings":
            m = re.match(r"^(\d+): (.*)$", line)
            if m:
                maps[int(m.group(1))] = m.group(2).strip()
    def loc(i):
        a, mid, lines = locs[i]
        return "%s [%s] %s" % (a, maps.get(mid, ""), " | ".join(lines))
    merged = {}
    for vals, ids, labels in samples:
        key = (tuple(loc(i) for i in ids), tuple(sorted(labels)))
        acc = merged.setdefault(key, [0] * len(vals))
        for i, v in enumerate(vals):
            acc[i] += v
    out = head + [" ".join(types or [])]
    for key in sorted(merged):
        out.append("%s: %s %s" % (merged[key], " / ".join(key[0]), key[1]))
    return "\n".join(out) + "\n"

def goroutines(path):
    """an independent reading of a debug=2 dump: folded stacks, states"""
    stacks, states, frames, state = {}, {}, None, None
    def done():
        if frames is not None:
            key = ";".join(reversed(frames)) if frames else "<stack unavailable>"
            stacks[key] = stacks.get(key, 0) + 1
    lines = open(path).read().split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        m = re.match(r"^goroutine \d+ .*?\[([^,\]]*)(?:, [^\]]*)?\]:$", line)
        if m:
            done()
            frames, state = [], m.group(1)
            states[state] = states.get(state, 0) + 1
        elif frames is not None and line == "":
            done()
            frames = None
        elif frames is not None and line.startswith("created by "):
            i += 1
        elif frames is not None and line == "...additional frames elided...":
            frames.append(line)
        elif frames is not None and not line.startswith("\t"):
            depth, j = 0, len(line) - 1
            while j >= 0:
                if line[j] == ")":
                    depth += 1
                elif line[j] == "(":
                    depth -= 1
                    if depth == 0:
                        break
                j -= 1
            frames.append(line[:j])
            i += 1
        i += 1
    done()
    return stacks, states

if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "collapse":
        sys.exit(0 if cmp_collapse(sys.argv[2], sys.argv[3], len(sys.argv) > 4) else 1)
    if cmd == "raw":
        sys.exit(0 if cmp_raw(sys.argv[2], sys.argv[3], sys.argv[4] == "filtered") else 1)
    if cmd == "rawnorm":
        sys.stdout.write(rawnorm(sys.argv[2]))
        sys.exit(0)
    if cmd == "goroutine":
        import json
        stacks, states = goroutines(sys.argv[2])
        got = folded(sys.argv[3])
        top = json.load(open(sys.argv[4]))[0]
        tstates = {s["state"]: s["count"] for s in top["states"]}
        ok = stacks == got and tstates == states and top["total"] == sum(states.values())
        if not ok:
            print("stacks equal: %s, states %s vs %s" % (stacks == got, states, tstates))
            for k in set(stacks) ^ set(got):
                print("  differs: %s" % k[-150:])
        print("%d goroutines, %d stacks" % (sum(states.values()), len(stacks)))
        sys.exit(0 if ok else 1)
    if cmd == "toptotal":
        # "Showing nodes accounting for X, P% of TOTAL total" -> TOTAL in base units
        def total(path):
            for line in open(path):
                m = re.match(r"^Showing nodes accounting for .* of (\S+) total", line)
                if m:
                    return value(m.group(1))
        e, o = total(sys.argv[2]), total(sys.argv[3])
        print("pprof %s, ours %s" % (e, o))
        sys.exit(0 if abs(e[0] - o[0]) <= e[1] + o[1] + 1e-9 * abs(e[0]) else 1)
    if cmd == "toprows":
        def rows(path):
            out, on = {}, False
            for line in open(path):
                if re.match(r"^\s*flat\s+flat%", line):
                    on = True
                    continue
                if on and line.strip():
                    f = line.split()
                    name = re.sub(r" \((partial-)?inline\)$", "", " ".join(f[5:]))
                    out[name] = (value(f[0]), value(f[3]))
            return out
        e, o = rows(sys.argv[2]), rows(sys.argv[3])
        bad = [k for k in e if k not in o or
               abs(e[k][0][0] - o[k][0][0]) > e[k][0][1] + o[k][0][1] + 1e-6 or
               abs(e[k][1][0] - o[k][1][0]) > e[k][1][1] + o[k][1][1] + 1e-6]
        bad += [k for k in o if k not in e]
        for k in bad[:5]:
            print("row %s: pprof %s, ours %s" % (k, e.get(k), o.get(k)))
        print("%d rows, %d mismatches" % (len(e), len(bad)))
        sys.exit(0 if e and not bad else 1)
