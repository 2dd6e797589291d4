#!/usr/bin/env python3
"""Writes the hostile-input catalogue: tests/hostile/payloads/NNN-NAME.bin (the
bytes a MEF could send in a Retrieve or Update response) and
tests/hostile/catalogue.json (the same payloads as test vectors, spec/vectors/
README.md, each with the outcome reasoned from the rulings it names).

Run it again after changing it; the files it writes are committed so that a
reviewer reads the payloads and their expectations, not this script."""

import base64
import json
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FQDN = "mef.example.com"
LONG_ID = "/" + "T" * 127  # an SP-relative CSE-ID of exactly MEFC_ID_MAX bytes
LONG_PATH = "/" + "p" * 127  # an objectPath of exactly MEFC_PATH_MAX bytes
FP_CA = "3" * 64

CLIENT = {
    "mef_fqdn": FQDN,
    "role": "node",
    "acts_for": ["urn:dev:ops:1", "/CSE01", "Cae01", LONG_ID],
    "classes": [0, 1, 2, 3],
    "cert_prov_protocols": [1, 2],
    "dev_mgmt_ids": [3],
    "symm_keys": ["key-1"],
    "certs": ["1" * 64],
    "ca_certs": [FP_CA],
}
MO = [
    {"path": "/reg", "mgd": 1020, "attrs": {"csi": "/CSE01"}},
    {"path": "/ap", "parent": "/reg", "mgd": 1022,
     "attrs": {"suid": 12, "aski": "key-1", "tlcs": [174]}},
    {"path": "/tac1", "mgd": 1024, "attrs": {"cfp": FP_CA}},
    {"path": LONG_PATH, "mgd": 1024, "attrs": {"cfp": FP_CA}},
]

ENV = ["MCC-2-5a", "I-10"]  # rules of every unparseable envelope
CASES = []


def add(name, payload, expect, rules, note=None):
    if isinstance(payload, str):
        payload = payload.encode("utf-8")
    CASES.append((name, payload, expect, rules, note))


def retry(name, payload, rules=None, note=None):
    add(name, payload, {"decision": "retry"}, rules or ENV, note)


def report(name, payload, status, rules, note=None):
    add(name, payload, {"decision": "report", "status": status}, rules, note)


def env(mcci, mccd, mccs="10", extra=""):
    """A <mefClientCmd> response; mccd and extra are raw JSON text."""
    return '{"sec:mcc":{%s"mcci":%s,"mccs":%s,"mccd":%s}}' % (extra, mcci, mccs, mccd)


def q(s):
    return json.dumps(s)


def nomore(cid, rdu="PT30S"):
    return env(q(cid), '{"ccid":0,"cma":{"nmca":{"rdu":%s}}}' % q(rdu))


def cpca(cid, uri="https://%s/.well-known/est" % FQDN, cppi="1", cst="1", csi=q("urn:dev:ops:1")):
    return env(q(cid), '{"ccid":1,"cma":{"cpca":{"cppi":%s,"uri":%s,"cst":%s,"csi":%s}}}'
               % (cppi, q(uri) if not uri.startswith("RAW:") else uri[4:], cst, csi))


def dcca(cid, dcu):
    return env(q(cid), '{"ccid":2,"cma":{"dcca":{"dcu":%s}}}' % dcu)


def nnca(cid, inner):
    return env(q(cid), '{"ccid":3,"cma":{"nnca":%s}}' % inner)


WAIT30 = {"decision": "wait", "ms": 30000}
EST = {"decision": "execute", "procedure": "est_enroll"}


def build():
    n = [0]

    def cid():
        n[0] += 1
        return "h%03d" % n[0]

    # 1. Truncation at every byte of a real CERT_PROV command and every 5th
    #    byte of a real MO_NODE command: no prefix of an object is JSON.
    full = cpca("h-trunc")
    for k in range(len(full)):
        retry("trunc-cert-prov-%03d" % k, full[:k], note="the first %d of %d bytes" % (k, len(full)))
    full = nnca("h-trunc-mo", '{"ajop":"/ap","otyp":1,"otsa":{"suid":12}}')
    for k in range(0, len(full), 5):
        retry("trunc-mo-node-%03d" % k, full[:k], note="the first %d of %d bytes" % (k, len(full)))

    # 2. Nesting: the root object is level 1, MEFC_JSON_DEPTH_MAX is 8.
    for k in range(1, 8):
        arr = "[" * k + "]" * k
        p = env(q(cid()), '{"ccid":0,"cma":{"nmca":{"rdu":"PT30S"}}}', extra='"lbl":%s,' % arr)
        if 2 + k <= 8:
            add("depth-arrays-%d" % (2 + k), p, WAIT30, ["MCC-2-5a", "MCC-6-3"],
                "an ignored member nesting to level %d" % (2 + k))
        else:
            retry("depth-arrays-%d" % (2 + k), p, note="level %d is past 8" % (2 + k))
    for k in (16, 100, 1000, 10000):
        arr = "[" * k + "]" * k
        p = env(q(cid()), '{"ccid":0,"cma":{"nmca":{"rdu":"PT30S"}}}', extra='"lbl":%s,' % arr)
        retry("depth-arrays-%d" % (2 + k), p)
    for k in (5, 6, 7):
        obj = '{"a":' * k + "1" + "}" * k
        p = env(q(cid()), '{"ccid":0,"cma":{"nmca":{"rdu":"PT30S"}}}', extra='"x":%s,' % obj)
        if 2 + k <= 8:
            add("depth-objects-%d" % (2 + k), p, WAIT30, ["MCC-2-5a", "MCC-6-3"])
        else:
            retry("depth-objects-%d" % (2 + k), p)
    # Inside nmca (level 5): an unknown member is ignored (I-20) but counts.
    for k in (3, 4):
        arr = "[" * k + "]" * k
        p = env(q(cid()), '{"ccid":0,"cma":{"nmca":{"rdu":"PT30S","x":%s}}}' % arr)
        if 5 + k <= 8:
            add("depth-in-nmca-%d" % (5 + k), p, WAIT30, ["MCC-2-5a", "MCC-6-3", "I-20"])
        else:
            retry("depth-in-nmca-%d" % (5 + k), p)
    retry("depth-unclosed-10000", '{"sec:mcc":' + "[" * 10000)
    retry("depth-closing-only", '{"sec:mcc":{}}' + "]" * 100)

    # 3. Token count: the NO_MORE_COMMANDS envelope is 17 tokens, "lbl" and
    #    its array 2 more; MEFC_JSON_TOKENS_MAX is 96.
    for k in (76, 77, 78, 200):
        p = env(q(cid()), '{"ccid":0,"cma":{"nmca":{"rdu":"PT30S"}}}',
                extra='"lbl":[%s],' % ",".join(['"l"'] * k))
        if 19 + k <= 96:
            add("tokens-%d" % (19 + k), p, WAIT30, ["MCC-2-5a", "MCC-6-3"])
        else:
            retry("tokens-%d" % (19 + k), p)

    # 4. Payload size: MEFC_PAYLOAD_MAX is 4096 bytes (padding is whitespace
    #    after the document, or a long string in an ignored member).
    base = nomore(cid())
    for size in (4095, 4096):
        add("size-ws-%d" % size, base + " " * (size - len(base)), WAIT30, ["MCC-2-5a", "MCC-6-3"])
    for size in (4097, 8192, 65536):
        retry("size-ws-%d" % size, base + " " * (size - len(base)))
    for size in (4096, 4097, 16384, 65536):
        c = cid()
        skel = env(q(c), '{"ccid":0,"cma":{"nmca":{"rdu":"PT30S"}}}', extra='"lbl":"",')
        p = skel.replace('"lbl":""', '"lbl":"%s"' % ("x" * (size - len(skel))))
        if size <= 4096:
            add("size-string-%d" % size, p, WAIT30, ["MCC-2-5a", "MCC-6-3"])
        else:
            retry("size-string-%d" % size, p)

    # 5. cmdID length (I-29): 1..64 bytes after unescaping.
    for ln in (1, 63, 64):
        add("cmdid-len-%d" % ln, nomore("i" * ln), WAIT30, ["MCC-2-5a", "I-29", "MCC-6-3"])
    for ln in (65, 128, 1024):
        retry("cmdid-len-%d" % ln, nomore("i" * ln), ENV + ["I-29"])
    retry("cmdid-empty", nomore(""), ENV + ["I-29"])
    add("cmdid-escaped-64", env('"' + "\\u0041" * 64 + '"', '{"ccid":0,"cma":{"nmca":{"rdu":"PT30S"}}}'),
        WAIT30, ["MCC-2-5a", "I-29"], "384 bytes on the wire, 64 after unescaping")
    retry("cmdid-escaped-65", env('"' + "\\u0041" * 65 + '"', '{"ccid":0,"cma":{"nmca":{"rdu":"PT30S"}}}'),
          ENV + ["I-29"])
    add("cmdid-utf8-64", nomore("\u00e9" * 32), WAIT30, ["MCC-2-5a", "I-29"], "32 two-byte characters")
    retry("cmdid-utf8-66", nomore("\u00e9" * 33), ENV + ["I-29"])
    add("cmdid-4byte-64", nomore("\U0001F600" * 16), WAIT30, ["MCC-2-5a", "I-29"])
    retry("cmdid-4byte-68", nomore("\U0001F600" * 17), ENV + ["I-29"])
    add("cmdid-escaped-nul", env('"a\\u0000b"', '{"ccid":0,"cma":{"nmca":{"rdu":"PT30S"}}}'),
        WAIT30, ["MCC-2-5a", "I-29"], "an escaped NUL is a byte of the cmdID like any other")

    # 6. Identifiers, URIs, objectPath and retryDuration at and past capacity.
    c = cid()
    add("target-at-capacity", env(q(c), '{"ccid":0,"cma":{"nmca":{"rdu":"PT30S"}},"tgi":%s}' % q(LONG_ID)),
        WAIT30, ["I-5", "I-12", "MCC-6-3"], "a 128-byte targetID naming an entity the client acts for")
    report("target-past-capacity", env(q(cid()), '{"ccid":1,"cma":{"cpca":{"cppi":1,"uri":"https://%s/est",'
                                                 '"cst":1,"csi":"urn:dev:ops:1"}},"tgi":%s}' % (FQDN, q(LONG_ID + "T"))),
           42, ["I-12", "MCC-5-7"], "129 bytes: cannot be held")
    report("target-unknown", env(q(cid()), '{"ccid":1,"cma":{"cpca":{"cppi":1,"uri":"https://%s/est",'
                                           '"cst":1,"csi":"urn:dev:ops:1"}},"tgi":"/CSE99"}' % FQDN),
           43, ["I-5", "MCC-5-8"])
    csi128 = "/" + "C" * 127
    add("subject-id-at-capacity", cpca(cid(), cst="2", csi=q(csi128)),
        dict(EST, args={"subject_id": csi128}), ["MCC-7-3", "MCC-7-4-ID", "I-25"])
    report("subject-id-past-capacity", cpca(cid(), cst="2", csi=q(csi128 + "C")), 42, ["MCC-7-3", "MCC-5-7"])
    report("subject-id-1024", cpca(cid(), cst="2", csi=q("/" + "C" * 1023)), 42, ["MCC-7-3", "MCC-5-7"])
    for ln in (384, 385, 2048):
        uri = "https://%s/" % FQDN
        uri += "a" * (ln - len(uri))
        if ln <= 384:
            add("cert-uri-%d" % ln, cpca(cid(), uri=uri), dict(EST, args={"uri": uri}), ["MCC-7-3", "MCC-7-4-URI"])
            add("dev-cfg-uri-%d" % ln, dcca(cid(), q("3:" + uri)),
                {"decision": "execute", "procedure": "dev_cfg", "args": {"uri": uri}}, ["MCC-8-3", "I-26"])
        else:
            report("cert-uri-%d" % ln, cpca(cid(), uri=uri), 42, ["MCC-7-3", "MCC-5-7"])
            report("dev-cfg-uri-%d" % ln, dcca(cid(), q("3:" + uri)), 42, ["MCC-8-3", "MCC-5-7"])
    host = "h" * 300 + ".example.com"
    report("cert-uri-host-past-fqdn-capacity", cpca(cid(), uri="https://%s/" % host), 43,
           ["MCC-7-4-URI", "I-9"], "a 312-byte host never equals the MEF FQDN")
    report("object-path-at-capacity", nnca(cid(), '{"ajop":%s,"otyp":2}' % q(LONG_PATH)), 20,
           ["MCC-9-1-3", "MCC-9-7-1", "I-37"], "the trust anchor is held locally")
    report("object-path-past-capacity", nnca(cid(), '{"ajop":%s,"otyp":2}' % q(LONG_PATH + "p")), 42,
           ["MCC-9-1-3", "MCC-5-7"])
    report("object-path-4000", nnca(cid(), '{"ajop":%s,"otyp":2}' % q("/" + "p" * 3800)), 42,
           ["MCC-9-1-3", "MCC-5-7"])
    rdu64 = "PT" + "0" * 60 + "1S"
    add("duration-string-64", nomore(cid(), rdu64), {"decision": "wait", "ms": 1000}, ["I-8", "MCC-6-3"])
    report("duration-string-65", nomore(cid(), "PT" + "0" * 61 + "1S"), 42, ["I-8", "MCC-6-3"])
    add("duration-max-ms", nomore(cid(), "PT18446744073709551.615S"),
        {"decision": "wait", "ms": "18446744073709551615"}, ["I-8", "I-24"], "2^64-1 ms")
    report("duration-max-ms-plus-1", nomore(cid(), "PT18446744073709551.616S"), 42, ["I-8"])
    report("duration-huge-seconds", nomore(cid(), "PT99999999999999999999S"), 42, ["I-8"])
    report("duration-huge-years", nomore(cid(), "P99999999999999Y"), 42, ["I-8"])
    report("duration-negative", nomore(cid(), "-PT30S"), 42, ["I-8", "I-24"])
    report("duration-negative-zero", nomore(cid(), "-PT0S"), 42, ["I-24"])
    report("duration-nul", nomore(cid(), "PT3\u00000S"), 42, ["I-8"])
    report("duration-empty", nomore(cid(), ""), 42, ["I-8"])
    report("duration-lowercase", nomore(cid(), "pt30s"), 42, ["I-8"])
    report("duration-plus", nomore(cid(), "+PT30S"), 42, ["I-8"])
    report("duration-space", nomore(cid(), "PT30S "), 42, ["I-8"])
    report("duration-comma", nomore(cid(), "PT1,5S"), 42, ["I-8"])
    report("duration-t-alone", nomore(cid(), "PT"), 42, ["I-8"])
    add("duration-fraction-truncated", nomore(cid(), "PT0.0019S"), {"decision": "wait", "ms": 1}, ["I-24"])
    report("duration-number", env(q(cid()), '{"ccid":0,"cma":{"nmca":{"rdu":30}}}'), 42, ["I-8", "MCC-5-7"])

    # 7. Numbers: status, class and enumerations; huge, negative, reals.
    nm = '{"ccid":0,"cma":{"nmca":{"rdu":"PT30S"}}}'
    for label, v in (("neg", "-10"), ("zero", "0"), ("20", "20"), ("12", "12"), ("real", "10.0"),
                     ("exp", "1e1"), ("exp-real", "1.0e1"), ("neg-zero", "-0"), ("lead-zero", "010"),
                     ("plus", "+10"), ("hex", "0x0A"), ("int64-max", "9223372036854775807"),
                     ("int64-max-plus-1", "9223372036854775808"), ("int64-min-minus-1", "-9223372036854775809"),
                     ("huge", "1" + "0" * 400), ("huge-real", "1e400"), ("string", '"10"'), ("true", "true"),
                     ("null", "null"), ("array", "[10]"), ("nan", "NaN"), ("infinity", "Infinity"),
                     ("dot", "10."), ("minus", "-")):
        retry("status-%s" % label, env(q(cid()), nm, mccs=v), note="cmdStatusCode must be the integer 10 or 11")
    add("status-reissued-new-id", env(q(cid()), nm, mccs="11"), WAIT30, ["I-1", "MCC-6-3"],
        "REISSUED for a cmdID the client does not hold is processed as new")
    for label, v in (("real", "1.0"), ("exp", "1e0"), ("string", '"1"'), ("true", "true"), ("null", "null"),
                     ("object", "{}"), ("overflow", "9223372036854775808"), ("huge-real", "1e400")):
        retry("class-%s" % label, env(q(cid()), '{"ccid":%s,"cma":{"cpca":{}}}' % v), ENV + ["MCC-4-CCID"])
    for label, v in (("4", "4"), ("7", "7"), ("255", "255"), ("neg", "-1"), ("int64-max", "9223372036854775807"),
                     ("int64-min", "-9223372036854775808"), ("2pow32", "4294967296"), ("2pow32-plus-1", "4294967297")):
        report("class-unsupported-%s" % label, env(q(cid()), '{"ccid":%s,"cma":{"nmca":{"rdu":"PT1S"}}}' % v), 41,
               ["MCC-2-5c", "MCC-5-6", "I-10"])
    # enumerations inside cmdArgs (I-11): outside -> 42, unsupported -> 43
    for label, v, st in (("0", "0", 42), ("3", "3", 42), ("neg", "-1", 42), ("real", "1.0", 42),
                         ("exp", "1e0", 42), ("string", '"1"', 42), ("huge-real", "1e300", 42),
                         ("int64-max", "9223372036854775807", 42), ("null", "null", 42)):
        report("cppi-%s" % label, cpca(cid(), cppi=v), st, ["MCC-7-3", "I-11", "MCC-5-7"])
    retry("cppi-overflow", cpca(cid(), cppi="99999999999999999999"),
          note="an integer the reader cannot hold makes the whole document unparseable")
    for label, v in (("0", "0"), ("4", "4"), ("neg", "-2"), ("real", "2.0"), ("string", '"2"'), ("bool", "false")):
        report("cst-%s" % label, cpca(cid(), cst=v), 42, ["MCC-7-3", "I-11", "MCC-5-7"])
    for label, v in (("0", "0"), ("4", "4"), ("neg", "-1"), ("real", "1.0"), ("string", '"1"')):
        report("otyp-%s" % label, nnca(cid(), '{"ajop":"/ap","otyp":%s,"otsa":{"suid":12}}' % v), 42,
               ["MCC-9-1-1-TYPE", "I-11", "MCC-5-7"])
    for label, v in (("16", "16"), ("neg", "-1"), ("0", "0"), ("99", "99"), ("real", "12.0"), ("string", '"12"'),
                     ("int64-max", "9223372036854775807")):
        report("suid-%s" % label, nnca(cid(), '{"ajop":"/ap","otyp":1,"otsa":{"suid":%s}}' % v), 302,
               ["MCC-9-2-2", "I-11", "MCC-5-15"])
    for label, v, st in (("5", "5", 42), ("0", "0", 42), ("neg", "-3", 42), ("lead-zero", "03", 42),
                         ("plus", "+3", 42), ("huge", "99999999999999999999", 42), ("empty", "", 42),
                         ("unsupported-1", "1", 43), ("unsupported-4", "4", 43)):
        report("dev-mgmt-id-%s" % label, dcca(cid(), q("%s:coaps://%s/dm" % (v, FQDN))), st,
               ["MCC-8-3", "MCC-8-4-DM", "I-26"])
    report("dev-cfg-no-colon", dcca(cid(), q("3")), 42, ["MCC-8-3", "I-26"])
    report("dev-cfg-empty-uri", dcca(cid(), q("3:")), 42, ["MCC-8-3", "I-26"])
    report("dev-cfg-number", dcca(cid(), "3"), 42, ["MCC-8-3", "MCC-5-7"])

    # 8. Duplicate and conflicting members (a known member twice, or any
    #    name twice anywhere: not RFC 8259 JSON as the binding reads it).
    c = cid()
    for label, p in (
        ("mcci", '{"sec:mcc":{"mcci":"%s","mcci":"other","mccs":10,"mccd":%s}}' % (c, nm)),
        ("mcci-same", '{"sec:mcc":{"mcci":"%s","mcci":"%s","mccs":10,"mccd":%s}}' % (c, c, nm)),
        ("mccs", '{"sec:mcc":{"mcci":"%s","mccs":10,"mccs":11,"mccd":%s}}' % (c, nm)),
        ("mccd", '{"sec:mcc":{"mcci":"%s","mccs":10,"mccd":%s,"mccd":%s}}' % (c, nm, nm)),
        ("ccid", '{"sec:mcc":{"mcci":"%s","mccs":10,"mccd":{"ccid":0,"ccid":1,"cma":{"nmca":{"rdu":"PT1S"}}}}}' % c),
        ("cma", '{"sec:mcc":{"mcci":"%s","mccs":10,"mccd":{"ccid":0,"cma":{"nmca":{"rdu":"PT1S"}},'
                '"cma":{"nmca":{"rdu":"PT2S"}}}}}' % c),
        ("nmca", '{"sec:mcc":{"mcci":"%s","mccs":10,"mccd":{"ccid":0,"cma":{"nmca":{"rdu":"PT1S"},'
                 '"nmca":{"rdu":"PT2S"}}}}}' % c),
        ("rdu", '{"sec:mcc":{"mcci":"%s","mccs":10,"mccd":{"ccid":0,"cma":{"nmca":{"rdu":"PT1S","rdu":"PT2S"}}}}}' % c),
        ("root", '{"sec:mcc":{"mcci":"%s","mccs":10,"mccd":%s},"sec:mcc":{"mcci":"x","mccs":10,"mccd":%s}}'
                 % (c, nm, nm)),
        ("sec-and-m2m", '{"sec:mcc":{"mcci":"%s","mccs":10,"mccd":%s},"m2m:mcc":{"mcci":"%s","mccs":10,"mccd":%s}}'
                        % (c, nm, c, nm)),
        ("uri", '{"sec:mcc":{"mcci":"%s","mccs":10,"mccd":{"ccid":1,"cma":{"cpca":{"cppi":1,'
                '"uri":"https://%s/est","uri":"https://evil.example/est","cst":1,"csi":"urn:dev:ops:1"}}}}}' % (c, FQDN)),
        ("cppi", '{"sec:mcc":{"mcci":"%s","mccs":10,"mccd":{"ccid":1,"cma":{"cpca":{"cppi":1,"cppi":2,'
                 '"uri":"https://%s/est","cst":1,"csi":"urn:dev:ops:1"}}}}}' % (c, FQDN)),
        ("csi", '{"sec:mcc":{"mcci":"%s","mccs":10,"mccd":{"ccid":1,"cma":{"cpca":{"cppi":1,'
                '"uri":"https://%s/est","cst":1,"csi":"urn:dev:ops:1","csi":"urn:dev:ops:2"}}}}}' % (c, FQDN)),
        ("tgi", '{"sec:mcc":{"mcci":"%s","mccs":10,"mccd":{"ccid":0,"cma":{"nmca":{"rdu":"PT1S"}},'
                '"tgi":"/CSE01","tgi":"/CSE99"}}}' % c),
        ("ajop", nnca(c, '{"ajop":"/ap","ajop":"/tac1","otyp":1,"otsa":{"suid":12}}')),
        ("suid", nnca(c, '{"ajop":"/ap","otyp":1,"otsa":{"suid":12,"suid":13}}')),
        ("dcu", '{"sec:mcc":{"mcci":"%s","mccs":10,"mccd":{"ccid":2,"cma":{"dcca":{"dcu":"3:coaps://%s/",'
                '"dcu":"3:coaps://evil.example/"}}}}}' % (c, FQDN)),
        ("ignored", '{"sec:mcc":{"lbl":1,"lbl":2,"mcci":"%s","mccs":10,"mccd":%s}}' % (c, nm)),
        ("ignored-nested", '{"sec:mcc":{"x":{"a":1,"a":1},"mcci":"%s","mccs":10,"mccd":%s}}' % (c, nm)),
        ("escaped-name", '{"sec:mcc":{"mcci":"%s","mc\\u0063i":"other","mccs":10,"mccd":%s}}' % (c, nm)),
        ("escaped-root", '{"sec:mcc":{"mcci":"%s","mccs":10,"mccd":%s},"sec\\u003amcc":{}}' % (c, nm)),
    ):
        retry("duplicate-%s" % label, p)
    # Members that look alike but differ are different members: ignored.
    add("near-duplicate-case", '{"sec:mcc":{"MCCI":"x","mcci":"%s","mccs":10,"mccd":%s}}' % (cid(), nm),
        WAIT30, ["MCC-2-5a", "MCC-6-3"], "MCCI is an unknown member, ignored")
    add("m2m-root", '{"m2m:mcc":{"mcci":"%s","mccs":10,"mccd":%s}}' % (cid(), nm), WAIT30, ["MCC-2-5a"])

    # 9. Bad UTF-8, escapes, control characters, NUL (in the cmdID, in a URI
    #    inside cmdArgs, in an ignored member: the document is not UTF-8 JSON).
    bad_utf8 = (("invalid-ff", b"\xff"), ("invalid-fe", b"\xfe"), ("lone-continuation", b"\x80"),
                ("overlong-slash", b"\xc0\xaf"), ("overlong-nul", b"\xc0\x80"), ("overlong-3", b"\xe0\x80\xaf"),
                ("surrogate", b"\xed\xa0\x80"), ("above-max", b"\xf4\x90\x80\x80"), ("five-byte", b"\xf8\x88\x80\x80\x80"),
                ("truncated-2", b"\xc3"), ("truncated-3", b"\xe2\x82"), ("truncated-4", b"\xf0\x9f\x98"),
                ("latin1", b"\xe9"))
    for label, bad in bad_utf8:
        c = cid()
        retry("utf8-%s-in-cmdid" % label, nomore(c).encode().replace(c.encode(), c.encode() + bad, 1))
        retry("utf8-%s-in-uri" % label, cpca(c).encode().replace(b"/.well-known", b"/" + bad, 1))
    for label, bad in bad_utf8[:6]:
        c = cid()
        retry("utf8-%s-in-ignored" % label,
              env(q(c), nm, extra='"lbl":"@@",').encode().replace(b"@@", bad))
        retry("utf8-%s-in-name" % label,
              env(q(c), nm, extra='"@@":1,').encode().replace(b"@@", bad))
    for label, esc in (("lone-high", "\\ud800"), ("lone-low", "\\udc00"), ("high-then-letter", "\\ud800A"),
                       ("high-high", "\\ud800\\ud800"), ("short", "\\u12"), ("short-end", "\\u"),
                       ("non-hex", "\\u12G4"), ("upper-u", "\\U0041"), ("x", "\\x41"), ("quote-single", "\\'"),
                       ("a", "\\a"), ("zero", "\\0"), ("v", "\\v"), ("backslash-end", "\\")):
        c = cid()
        retry("escape-%s" % label, env('"%s%s"' % (c, esc), nm))
    for label, esc in (("pair", "\\ud83d\\ude00"), ("all-simple", "\\\"\\\\\\/\\b\\f\\n\\r\\t"),
                       ("bmp", "\\u00e9\\u4e2d"), ("upper-hex", "\\u00E9")):
        c = cid()
        add("escape-valid-%s" % label, env('"%s%s"' % (c, esc), nm), WAIT30, ["MCC-2-5a", "I-29"])
    for label, ch in (("nul", b"\x00"), ("soh", b"\x01"), ("tab", b"\t"), ("lf", b"\n"), ("us", b"\x1f")):
        c = cid()
        retry("control-%s-in-cmdid" % label, nomore(c).encode().replace(c.encode(), c.encode() + ch, 1))
        retry("control-%s-in-uri" % label, cpca(c).encode().replace(b"/.well-known", b"/" + ch, 1))
    add("control-del-in-cmdid", nomore("h-del\x7f"), WAIT30, ["MCC-2-5a", "I-29"], "DEL is not a control character in JSON")
    for label, p in (("before", b"\x00" + nomore(cid()).encode()), ("after", nomore(cid()).encode() + b"\x00"),
                     ("between-tokens", nomore(cid()).encode().replace(b'"mccs"', b'\x00"mccs"', 1)),
                     ("only", b"\x00"), ("many", b"\x00" * 64)):
        retry("nul-%s" % label, p)
    report("nul-escaped-in-uri-host", cpca(cid(), uri="https://%s\u0000.evil.example/" % FQDN), 43, ["MCC-7-4-URI", "I-9"])
    report("nul-escaped-in-subject", cpca(cid(), csi=q("urn:dev:ops:1\u0000")), 43, ["MCC-7-4-ID", "I-25"])

    # 10. cmdArgs shape (I-20): two members, wrong class/args pairs, empty.
    elems = {0: '{"nmca":{"rdu":"PT1S"}}', 1: '{"cpca":{"cppi":1,"uri":"https://%s/est","cst":1,"csi":"urn:dev:ops:1"}}' % FQDN,
             2: '{"dcca":{"dcu":"3:coaps://%s/dm"}}' % FQDN, 3: '{"nnca":{"ajop":"/ap","otyp":1,"otsa":{"suid":12}}}'}
    for cls in range(4):
        for other in range(4):
            if other != cls:
                report("class-%d-with-args-of-%d" % (cls, other),
                       env(q(cid()), '{"ccid":%d,"cma":%s}' % (cls, elems[other])), 42, ["I-20", "MCC-4-CMA", "MCC-5-7"])
        both = elems[cls][:-1] + "," + elems[(cls + 1) % 4][1:]
        report("class-%d-two-cmdargs-members" % cls, env(q(cid()), '{"ccid":%d,"cma":%s}' % (cls, both)), 42,
               ["I-20", "MCC-5-7"])
        report("class-%d-cmdargs-extra-member" % cls,
               env(q(cid()), '{"ccid":%d,"cma":%s}' % (cls, elems[cls][:-1] + ',"x":{}}')), 42, ["I-20", "MCC-5-7"])
        for label, v in (("empty", "{}"), ("null", "null"), ("array", "[%s]" % elems[cls]), ("string", '"x"'),
                         ("number", "1")):
            report("class-%d-cmdargs-%s" % (cls, label), env(q(cid()), '{"ccid":%d,"cma":%s}' % (cls, v)), 42,
                   ["I-20", "MCC-5-7"])
        report("class-%d-cmdargs-missing" % cls, env(q(cid()), '{"ccid":%d}' % cls), 42, ["I-20", "MCC-5-7"])
    for label, elem in (("cpca", "[]"), ("cpca", '"x"'), ("dcca", "null"), ("nnca", "1"), ("nmca", "true")):
        cls = {"nmca": 0, "cpca": 1, "dcca": 2, "nnca": 3}[label]
        report("element-%s-not-object-%s" % (label, elem.strip('"[]') or "array"),
               env(q(cid()), '{"ccid":%d,"cma":{"%s":%s}}' % (cls, label, elem)), 42, ["I-20", "MCC-5-7"])

    # 11. Envelope shapes (I-10).
    for label, p in (("array-root", "[%s]" % nomore(cid())), ("string-root", '"x"'), ("null-root", "null"),
                     ("number-root", "10"), ("empty-object", "{}"), ("no-root-member", '{"x":{}}'),
                     ("mcc-not-object", '{"sec:mcc":[]}'), ("mcc-string", '{"sec:mcc":"x"}'),
                     ("mccd-missing", '{"sec:mcc":{"mcci":"%s","mccs":10}}' % cid()),
                     ("mccd-string", '{"sec:mcc":{"mcci":"%s","mccs":10,"mccd":"x"}}' % cid()),
                     ("mccd-array", '{"sec:mcc":{"mcci":"%s","mccs":10,"mccd":[]}}' % cid()),
                     ("mcci-missing", '{"sec:mcc":{"mccs":10,"mccd":%s}}' % nm),
                     ("mcci-number", '{"sec:mcc":{"mcci":1,"mccs":10,"mccd":%s}}' % nm),
                     ("mcci-null", '{"sec:mcc":{"mcci":null,"mccs":10,"mccd":%s}}' % nm),
                     ("mccs-missing", '{"sec:mcc":{"mcci":"%s","mccd":%s}}' % (cid(), nm)),
                     ("ccid-missing", '{"sec:mcc":{"mcci":"%s","mccs":10,"mccd":{"cma":{"nmca":{"rdu":"PT1S"}}}}}' % cid()),
                     ("trailing-comma", nomore(cid())[:-2] + ",}}"), ("comment", "/*c*/" + nomore(cid())),
                     ("single-quotes", nomore(cid()).replace('"', "'")), ("two-documents", nomore(cid()) * 2),
                     ("trailing-garbage", nomore(cid()) + "x"), ("unquoted-name", nomore(cid()).replace('"mccs"', "mccs")),
                     ("empty", ""), ("whitespace-only", " \t\r\n"), ("bom", b"\xef\xbb\xbf" + b'"x"'),
                     ("missing-colon", nomore(cid()).replace('"mccs":', '"mccs" ')),
                     ("missing-comma", nomore(cid()).replace(',"mccs"', ' "mccs"'))):
        retry("envelope-%s" % label, p)
    add("envelope-whitespace-around", " \r\n\t" + nomore(cid()) + "\n ", WAIT30, ["MCC-2-5a", "MCC-6-3"])
    add("envelope-universal-attributes",
        '{"sec:mcc":{"ri":"x","pi":"y","ct":"20260101T000000","lt":"20260101T000000","et":"20270101T000000",'
        '"rn":"cmd","ty":10021,"lbl":["a","b"],"mcci":"%s","mccs":10,"mccd":%s}}' % (cid(), nm), WAIT30,
        ["MCC-2-5a", "MCC-6-3"], "universal attributes are ignored")

    # 12. Confusable and unacceptable hosts (I-9) in the EST URI, SCEP URI
    #    and deviceConfigURI; the acceptable spellings for contrast.
    bad_hosts = (
        ("userinfo-evil", "https://mef.example.com@evil.example/"),
        ("userinfo-port", "https://mef.example.com:443@evil.example/"),
        ("userinfo-empty", "https://@mef.example.com/"),
        ("userinfo-of-mef", "https://user:pass@mef.example.com/"),
        ("suffix", "https://mef.example.com.evil.example/"),
        ("prefix", "https://evilmef.example.com/"),
        ("label-prefix", "https://x.mef.example.com/"),
        ("shorter", "https://ef.example.com/"),
        ("other-tld", "https://mef.example.co/"),
        ("two-trailing-dots", "https://mef.example.com../"),
        ("percent-dot", "https://mef%2eexample.com/"),
        ("percent-all", "https://%6d%65%66.example.com/"),
        ("percent-at", "https://evil.example%40mef.example.com/"),
        ("ipv6-loopback", "https://[::1]/"),
        ("ipv6-mapped", "https://[::ffff:127.0.0.1]/"),
        ("ipv6-zone", "https://[fe80::1%25eth0]/"),
        ("ipv6-unclosed", "https://[::1/"),
        ("ipv4", "https://127.0.0.1/"),
        ("ipv4-decimal", "https://2130706433/"),
        ("backslash", "https://mef.example.com\\@evil.example/"),
        ("host-in-path", "https://evil.example/mef.example.com"),
        ("host-in-query", "https://evil.example?mef.example.com"),
        ("host-in-fragment", "https://evil.example#@mef.example.com"),
        ("no-authority", "https:mef.example.com/est"),
        ("empty-host", "https:///mef.example.com/"),
        ("cyrillic-e", "https://m\u0435f.example.com/"),
        ("fullwidth-dot", "https://mef\uff0eexample.com/"),
        ("punycode", "https://xn--mef-9na.example.com/"),
        ("space", "https://mef.example.com /"),
        ("leading-space", " https://mef.example.com/"),
        ("not-a-uri", "mef.example.com"),
        ("scheme-only", "https:"),
        ("empty", ""),
        ("http-for-est", "http://mef.example.com/.well-known/est"),
        ("coaps-for-est", "coaps://mef.example.com/est"),
    )
    for label, uri in bad_hosts:
        report("host-est-%s" % label, cpca(cid(), uri=uri), 43, ["MCC-7-4-URI", "MCC-7-4-FAIL", "I-9"])
    for label, uri in bad_hosts[:14]:
        report("host-scep-%s" % label, cpca(cid(), cppi="2", uri=uri.replace("https:", "http:")), 43,
               ["MCC-7-4-URI", "MCC-7-4-FAIL", "I-9"])
        report("host-dev-cfg-%s" % label, dcca(cid(), q("3:" + uri.replace("https:", "coaps:"))), 43,
               ["MCC-8-4-URI", "MCC-8-4-FAIL", "I-9"])
    for label, uri in (("upper-case", "https://MEF.Example.COM/est"), ("trailing-dot", "https://mef.example.com./est"),
                       ("port", "https://mef.example.com:8443/est"), ("no-path", "https://mef.example.com"),
                       ("query", "https://mef.example.com/est?a=@evil.example")):
        add("host-est-ok-%s" % label, cpca(cid(), uri=uri), dict(EST, args={"uri": uri}), ["MCC-7-4-URI", "I-9"])
    add("host-scep-ok-http", cpca(cid(), cppi="2", uri="http://mef.example.com/scep"),
        {"decision": "execute", "procedure": "scep_enroll"}, ["MCC-7-4-URI", "I-9"])

    # 13. MO_NODE lookups with hostile paths.
    for label, path in (("traversal", "/ap/../tac1"), ("trailing-slash", "/ap/"), ("double-slash", "//ap"),
                        ("case", "/AP"), ("nul", "/ap\u0000"), ("empty", ""), ("percent", "/%61p")):
        report("object-path-%s" % label, nnca(cid(), '{"ajop":%s,"otyp":1,"otsa":{"suid":12}}' % q(path)),
               300, ["MCC-9-1-3", "MCC-9-1-4a", "I-35"],
               "objectPath is compared byte for byte with the paths of the tree; no node has these")


def main():
    build()
    names = set()
    out_dir = os.path.join(HERE, "payloads")
    shutil.rmtree(out_dir, ignore_errors=True)
    os.makedirs(out_dir)
    vectors = []
    for i, (name, payload, expect, rules, note) in enumerate(CASES, 1):
        assert name not in names, name
        names.add(name)
        with open(os.path.join(out_dir, "%03d-%s.bin" % (i, name)), "wb") as f:
            f.write(payload)
        v = {"name": "hostile-catalogue-%03d-%s" % (i, name), "rules": rules}
        if note:
            v["note"] = note
        v["client"] = CLIENT
        v["mo"] = MO
        v["response_b64"] = base64.b64encode(payload).decode()
        v["expect"] = expect
        vectors.append(v)
    with open(os.path.join(HERE, "catalogue.json"), "w") as f:
        f.write("[\n" + ",\n".join(json.dumps(v) for v in vectors) + "\n]\n")
    print("hostile catalogue: %d payloads" % len(vectors), file=sys.stderr)


if __name__ == "__main__":
    main()
