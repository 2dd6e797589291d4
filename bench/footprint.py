#!/usr/bin/env python3
"""Footprint of the core: worst-case stack depth of every public entry point
(from -fstack-usage frames and the -fcallgraph-info call graph), section sizes
for x86-64 -O2/-Os and Cortex-M4 -Os, and sizeof of the structures a product
keeps in RAM. Usage: footprint.py [--smoke] BUILD_DIR (from the repository root; --smoke
skips x86-64 -Os and checks the figures are plausible)."""
import glob
import os
import re
import subprocess
import sys

CORE_FLAGS = ["-std=c11", "-Iinclude", "-ffreestanding", "-fno-strict-aliasing"]
TARGETS = [  # name, compiler, flags, size tool
    ("x86-64 -O2", "gcc", ["-O2"], "size"),
    ("x86-64 -Os", "gcc", ["-Os"], "size"),
    ("Cortex-M4 -Os", "arm-none-eabi-gcc", ["-Os", "-mthumb", "-mcpu=cortex-m4"],
     "arm-none-eabi-size"),
]
# Headers of the product API; decode.h is the decoder's internal interface.
API_HEADERS = ["json.h", "checks.h", "command.h", "engine.h"]
STACK_LIMIT = 1024
TEXT_LIMIT_M4 = 16 * 1024
STATE_LIMIT = 2048


def run(cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def compile_core(out, cc, flags):
    os.makedirs(out, exist_ok=True)
    objs = []
    for src in sorted(glob.glob("src/core/*.c")):
        base = os.path.join(out, os.path.basename(src)[:-2])
        run([cc] + CORE_FLAGS + flags + ["-fstack-usage", "-fcallgraph-info=su", "-c", src,
                                         "-o", base + ".o", "-dumpdir", out + "/"])
        objs.append(base + ".o")
    return objs


def api_functions():
    names = []
    for h in API_HEADERS:
        text = open(os.path.join("include/mefc", h)).read()
        text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
        text = re.sub(r"//[^\n]*", "", text)
        names += re.findall(r"\b(mefc_\w+)\s*\(", text)
    return sorted(set(names))


def load_graph(out):
    """Frames (bytes) and call edges of the core, keyed as -fcallgraph-info
    names nodes: 'file:func' for static functions, 'func' otherwise."""
    frames, edges, where = {}, {}, {}
    for ci in glob.glob(os.path.join(out, "*.ci")):
        for line in open(ci):
            m = re.match(r'node: \{ title: "([^"]+)" label: "[^"]*\\n([^"]*)\\n(\d+) bytes \(([^)]*)\)"',
                         line)
            if m:
                frames[m.group(1)] = int(m.group(3))
                where[m.group(2)] = m.group(1)
                continue
            m = re.match(r'edge: \{ sourcename: "([^"]+)" targetname: "([^"]+)"', line)
            if m:
                edges.setdefault(m.group(1), set()).add(m.group(2))
    # The frames of -fstack-usage must be the ones the graph carries.
    for su in glob.glob(os.path.join(out, "*.su")):
        for line in open(su):
            loc, size, kind = line.rstrip("\n").split("\t")
            key = where.get(loc.rsplit(":", 1)[0])
            if frames.get(key) != int(size):
                sys.exit("footprint: %s: -fstack-usage says %s, the call graph %s" %
                         (key, size, frames.get(key)))
            if "dynamic" in kind and "bounded" not in kind:
                sys.exit("footprint: %s: unbounded dynamic stack" % key)
    return frames, edges


def runtime_frames(cc, flags, names):
    """Stack of toolchain runtime routines the compiler calls (libgcc division, newlib
    memcpy on the Cortex-M4): every stack-lowering instruction of the
    function's disassembly, plus its deepest callee (an upper bound)."""
    libs = [run([cc] + flags + ["-print-libgcc-file-name"]).strip(),
            run([cc] + flags + ["-print-file-name=libc.a"]).strip()]
    objdump = cc.replace("gcc", "objdump")
    bodies = {}
    for lib in libs:
        cur = None
        for line in run([objdump, "-d", lib]).splitlines():
            m = re.match(r"^[0-9a-f]+ <([\w.]+)>:$", line)
            if m:
                cur = m.group(1)
                bodies.setdefault(cur, [])
            elif cur and line.strip():
                bodies[cur].append(line)
            elif not line.strip():
                cur = None

    def cost(name, seen):
        if name not in bodies or name in seen:
            sys.exit("footprint: runtime routine %s: not found or recursive" % name)
        own, callees = 0, set()
        for ins in bodies[name]:
            m = re.search(r"\t(push|stmdb)(?:\.w)?\s+(?:sp!,\s*)?\{([^}]*)\}", ins)
            if m:
                own += 4 * len(m.group(2).split(","))
            m = re.search(r"\tsub(?:\.w|w)?\s+sp,\s*(?:sp,\s*)?#(\d+)", ins)
            if m:
                own += int(m.group(1))
            m = re.search(r"\[sp, #-(\d+)\]!", ins)
            if m:
                own += int(m.group(1))
            m = re.search(r"\tbl\s+[0-9a-f]+ <([\w.]+)>", ins)
            if m:
                callees.add(m.group(1))
        return own + max([cost(c, seen | {name}) for c in callees] or [0])

    return {n: cost(n, set()) for n in names}


def stack_bounds(out, cc, flags):
    frames, edges = load_graph(out)
    externals = {t for ts in edges.values() for t in ts if t not in frames}
    routines = runtime_frames(cc, flags, sorted(externals)) if externals else {}
    frames.update(routines)
    memo = {}

    def depth(f, path):
        if f in path:
            sys.exit("footprint: recursion through %s" % " -> ".join(path + [f]))
        if f not in memo:
            memo[f] = frames[f] + max([depth(g, path + [f]) for g in edges.get(f, ())] or [0])
        return memo[f]

    result = {}
    for name in api_functions():
        if name not in frames:
            sys.exit("footprint: %s: declared in the API but not defined in src/core" % name)
        result[name] = depth(name, [])
    # The deepest path of the deepest entry point, frame by frame.
    f = max(result, key=result.get)
    path = []
    while True:
        path.append("%s %d" % (f.split(":")[-1], frames[f]))
        callees = list(edges.get(f, ()))
        if not callees:
            break
        f = max(callees, key=lambda g: memo[g])
    return result, routines, path


def sections(objs, size_tool):
    tot = {".text": 0, ".rodata": 0, ".data": 0, ".bss": 0}
    for o in objs:
        for line in run([size_tool, "-A", o]).splitlines():
            parts = line.split()
            if len(parts) < 2 or not parts[1].isdigit():
                continue
            for sec in tot:
                if parts[0] == sec or parts[0].startswith(sec + "."):
                    tot[sec] += int(parts[1])
    return tot


STRUCTS = [  # type, role
    ("mefc_engine", "engine state incl. the durable record (kept between steps)"),
    ("mefc_record", "durable record (also persisted)"),
    ("mefc_workspace", "scratch of one step (JSON tokens + decision); reusable"),
    ("mefc_json_doc", "JSON token array (part of the workspace)"),
    ("mefc_decision", "decision (part of the workspace)"),
    ("mefc_actions", "actions of one step"),
    ("mefc_event", "event of one step"),
    ("mefc_client", "client profile + MO tree; read-only to the core, may live in flash"),
]


def struct_sizes(out, cc, flags):
    """sizeof read from object symbols, so it works for the cross target too."""
    src = os.path.join(out, "sizes.c")
    with open(src, "w") as f:
        f.write('#include "mefc/mefc.h"\n')
        for t, _ in STRUCTS:
            f.write("char sz_%s[sizeof(%s)];\n" % (t, t))
    obj = src[:-2] + ".o"
    run([cc] + CORE_FLAGS + flags + ["-fno-common", "-c", src, "-o", obj])
    nm = cc.replace("gcc", "nm")
    sizes = {}
    for line in run([nm, "-S", obj]).splitlines():
        p = line.split()
        if len(p) == 4 and p[3].startswith("sz_"):
            sizes[p[3][3:]] = int(p[1], 16)
    return sizes


def main():
    args = sys.argv[1:]
    smoke = "--smoke" in args
    args = [a for a in args if a != "--smoke"]
    build = args[0] if args else "build"
    targets = TARGETS[:1] + TARGETS[2:] if smoke else TARGETS
    ok = lambda c: "met" if c else "NOT MET"
    print("Stack: worst case per core entry point, bytes (frames from -fstack-usage, "
          "paths from -fcallgraph-info; no recursion, no indirect calls)")
    results = {}
    for name, cc, flags, size_tool in targets:
        out = os.path.join(build, "bench", "fp-" + name.replace(" ", "").replace("-", "")
                           .lower())
        objs = compile_core(out, cc, flags)
        results[name] = (stack_bounds(out, cc, flags), sections(objs, size_tool),
                         struct_sizes(out, cc, flags))
    names = [t[0] for t in targets]
    print("%-28s" % "entry point" + "".join("%15s" % n for n in names))
    for fn in api_functions():
        print("%-28s" % fn + "".join("%15d" % results[n][0][0][fn] for n in names))
    worst = {n: max(results[n][0][0].values()) for n in names}
    print("%-28s" % "worst" + "".join("%15d" % worst[n] for n in names) +
          "   target <= %d: %s" % (STACK_LIMIT, ok(max(worst.values()) <= STACK_LIMIT)))
    for n in names:
        print("  deepest path, %s: %s" % (n, " > ".join(results[n][0][2])))
        if results[n][0][1]:
            print("  %s includes toolchain runtime routines (frame from their disassembly): %s" %
                  (n, ", ".join("%s %d" % kv for kv in sorted(results[n][0][1].items()))))
    print()
    print("Size of the core (all of src/core), bytes")
    print("%-16s %8s %8s %8s %8s" % ("target", ".text", ".rodata", ".data", ".bss"))
    for n in names:
        s = results[n][1]
        extra = ""
        if n.startswith("Cortex-M4"):
            extra = "   .text target <= %d: %s" % (TEXT_LIMIT_M4, ok(s[".text"] <= TEXT_LIMIT_M4))
        print("%-16s %8d %8d %8d %8d%s" % (n, s[".text"], s[".rodata"], s[".data"], s[".bss"],
                                           extra))
    print()
    print("RAM structures (sizeof, bytes)")
    print("%-16s %10s %10s  %s" % ("type", "x86-64", "Cortex-M4", "role"))
    for t, role in STRUCTS:
        a, b = results[names[0]][2][t], results[names[-1]][2][t]
        extra = ""
        if t == "mefc_engine":
            extra = "  [state target <= %d: %s]" % (STATE_LIMIT, ok(max(a, b) <= STATE_LIMIT))
        print("%-16s %10d %10d  %s%s" % (t, a, b, role, extra))
    # Targets not met are reported above, not turned into a failure: this is
    # a measurement. Smoke mode checks the figures are plausible.
    sane = all(v > 0 for n in names for fn, v in results[n][0][0].items()
               if fn not in ("mefc_class_failure_status", "mefc_outcome_status",
                             "mefc_record_valid")) and \
        all(results[n][1][".text"] > 0 for n in names) and \
        results[names[0]][2]["mefc_engine"] >= results[names[0]][2]["mefc_record"]
    return 0 if sane else 1


if __name__ == "__main__":
    sys.exit(main())
