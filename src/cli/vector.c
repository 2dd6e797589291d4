/* `mefc vector FILE...`: run language-neutral test vectors (spec/vectors/,
 * format in spec/vectors/README.md) through mefc_decide and compare each
 * decision with the case's expectation. Exit 0 all pass, 1 some fail,
 * 2 a file could not be read or is not a well-formed vector file. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli/commands.h"
#include "mefc/command.h"
#include "shell/client_json.h"

#define ERR_MAX 512u

/* What a case expects. Fields not named by the case are not compared. */
struct expect {
  uint32_t decision;   /* enum mefc_decision_kind */
  uint32_t status;     /* report */
  uint32_t procedure;  /* execute */
  uint64_t ms;         /* wait */
  int effect;          /* enum mefc_record_effect, or -1 when not compared */
  const json_t *args;  /* execute: object compared as a subset, or NULL */
  bool has_outcome;
  uint32_t outcome;    /* enum mefc_outcome */
  uint32_t final_status;
};

/* One case, ready to run. */
struct vcase {
  const char *name;
  mefc_client cli;
  mefc_record rec;
  uint8_t *payload;
  size_t len;
  struct expect exp;
};

static const char *const decision_names[] = {NULL, "report", "execute", "wait", "retry"};
static const char *const procedure_names[] = {NULL, "est_enroll", "scep_enroll", "dev_cfg",
                                              "trust_anchor_fetch", "mef_key_reg", "maf_key_reg",
                                              "maf_client_reg"};
static const char *const effect_names[] = {"new", "keep", "failed"};
static const char *const outcome_names[] = {"ok", "server_error", "client_error"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* The tables above are indexed by the enumerations' values. */
_Static_assert(MEFC_DECIDE_REPORT == 1 && MEFC_DECIDE_RETRY == 4, "decision_names");
_Static_assert(MEFC_PROC_EST_ENROLL == 1 && MEFC_PROC_MAF_CLIENT_REG == 7, "procedure_names");
_Static_assert(MEFC_REC_NEW == 0 && MEFC_REC_FAILED == 2, "effect_names");
_Static_assert(MEFC_OUTCOME_OK == 0 && MEFC_OUTCOME_CLIENT_ERROR == 2, "outcome_names");

/* Index of name in names[0..n), or -1. NULL entries never match. */
static int lookup(const char *const *names, size_t n, const char *name)
{
  for (size_t i = 0; i < n; i++) {
    if (names[i] != NULL && strcmp(names[i], name) == 0)
      return (int)i;
  }
  return -1;
}

static const char *name_or(const char *const *names, size_t n, uint64_t i)
{
  return (i < n && names[i] != NULL) ? names[i] : "?";
}

static int fail(char *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(char *err, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, ERR_MAX, fmt, ap);
  va_end(ap);
  return -1;
}

static int check_keys(const json_t *obj, const char *const *allowed, const char *where, char *err)
{
  const char *key;
  json_t *val;
  json_object_foreach((json_t *)obj, key, val) {
    bool known = false;
    (void)val;
    for (size_t i = 0; allowed[i] != NULL && !known; i++)
      known = strcmp(allowed[i], key) == 0;
    if (!known)
      return fail(err, "%s: unknown key \"%s\"", where, key);
  }
  return 0;
}

/* Strict base64 (RFC 4648 section 4, padded, no whitespace). */
static int b64_value(char c)
{
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if (c >= '0' && c <= '9')
    return c - '0' + 52;
  if (c == '+')
    return 62;
  if (c == '/')
    return 63;
  return -1;
}

static int b64_decode(const char *s, size_t n, uint8_t *out, size_t *out_len)
{
  size_t o = 0;
  if (n % 4u != 0)
    return -1;
  for (size_t i = 0; i < n; i += 4) {
    int v[4];
    size_t pad = 0;
    for (size_t k = 0; k < 4; k++) {
      if (s[i + k] == '=' && i + 4 == n && k >= 2) {
        v[k] = 0;
        pad++;
      } else {
        if (pad != 0)
          return -1; /* data after padding */
        v[k] = b64_value(s[i + k]);
        if (v[k] < 0)
          return -1;
      }
    }
    uint32_t w = (uint32_t)v[0] * 262144u + (uint32_t)v[1] * 4096u + (uint32_t)v[2] * 64u +
                 (uint32_t)v[3];
    out[o++] = (uint8_t)(w / 65536u);
    if (pad < 2)
      out[o++] = (uint8_t)((w / 256u) % 256u);
    if (pad < 1)
      out[o++] = (uint8_t)(w % 256u);
  }
  *out_len = o;
  return 0;
}

/* The args keys an execute expectation may compare. */
static const char *const args_keys[] = {"uri", "subject_type", "subject_id", "dev_mgmt_id", "node",
                                        "suid", "fingerprint", "target", NULL};

static int build_args(const json_t *args, char *err)
{
  const char *key;
  json_t *v;
  uint8_t fp[MEFC_FP_LEN];
  if (!json_is_object(args))
    return fail(err, "expect.args: must be an object");
  if (check_keys(args, args_keys, "expect.args", err) != 0)
    return -1;
  json_object_foreach((json_t *)args, key, v) {
    bool is_int = strcmp(key, "subject_type") == 0 || strcmp(key, "dev_mgmt_id") == 0 ||
                  strcmp(key, "suid") == 0;
    if (is_int && !json_is_integer(v))
      return fail(err, "expect.args.%s: must be an integer", key);
    if (strcmp(key, "target") == 0 && json_is_null(v))
      continue;
    if (!is_int && !json_is_string(v))
      return fail(err, "expect.args.%s: must be a string%s", key,
                  strcmp(key, "target") == 0 ? " or null" : "");
    if (strcmp(key, "fingerprint") == 0 &&
        mefc_fp_from_hex(json_string_value(v), json_string_length(v), fp) != 0)
      return fail(err, "expect.args.fingerprint: not 64 hexadecimal digits");
  }
  return 0;
}

/* "ms": a non-negative integer, or a string of decimal digits for values
 * above what a JSON integer of the reader holds (up to 2^64-1). */
static int get_ms(const json_t *v, uint64_t *ms, char *err)
{
  if (json_is_integer(v) && json_integer_value(v) >= 0) {
    *ms = (uint64_t)json_integer_value(v);
    return 0;
  }
  if (json_is_string(v) && json_string_length(v) > 0 && json_string_length(v) <= 20) {
    const char *s = json_string_value(v);
    uint64_t x = 0;
    for (size_t i = 0; i < json_string_length(v); i++) {
      if (s[i] < '0' || s[i] > '9')
        return fail(err, "expect.ms: must be a non-negative integer or a string of digits");
      uint64_t d = (uint64_t)(s[i] - '0');
      if (x > (UINT64_MAX - d) / 10u)
        return fail(err, "expect.ms: above 2^64-1");
      x = x * 10u + d;
    }
    *ms = x;
    return 0;
  }
  return fail(err, "expect.ms: must be a non-negative integer or a string of digits");
}

static int build_expect(const json_t *e, struct expect *x, char *err)
{
  static const char *const report_keys[] = {"decision", "status", "effect", NULL};
  static const char *const execute_keys[] = {"decision", "procedure", "args", "effect", NULL};
  static const char *const wait_keys[] = {"decision", "ms", "effect", NULL};
  static const char *const retry_keys[] = {"decision", NULL};
  const json_t *v;
  int k;

  memset(x, 0, sizeof *x);
  x->effect = -1;
  if (!json_is_object(e))
    return fail(err, "expect: must be an object");
  v = json_object_get(e, "decision");
  if (!json_is_string(v) ||
      (k = lookup(decision_names, COUNT(decision_names), json_string_value(v))) < 0)
    return fail(err, "expect.decision: must be \"report\", \"execute\", \"wait\" or \"retry\"");
  x->decision = (uint32_t)k;

  const char *const *keys = x->decision == MEFC_DECIDE_REPORT    ? report_keys
                            : x->decision == MEFC_DECIDE_EXECUTE ? execute_keys
                            : x->decision == MEFC_DECIDE_WAIT    ? wait_keys
                                                                 : retry_keys;
  if (check_keys(e, keys, "expect", err) != 0)
    return -1;

  if (x->decision == MEFC_DECIDE_REPORT) {
    v = json_object_get(e, "status");
    if (v == NULL)
      return fail(err, "expect.status: missing");
    if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 999)
      return fail(err, "expect.status: must be a status code (integer)");
    x->status = (uint32_t)json_integer_value(v);
  } else if (x->decision == MEFC_DECIDE_EXECUTE) {
    v = json_object_get(e, "procedure");
    if (v == NULL)
      return fail(err, "expect.procedure: missing");
    if (!json_is_string(v) ||
        (k = lookup(procedure_names, COUNT(procedure_names), json_string_value(v))) < 0)
      return fail(err, "expect.procedure: must be one of est_enroll, scep_enroll, dev_cfg, "
                       "trust_anchor_fetch, mef_key_reg, maf_key_reg, maf_client_reg");
    x->procedure = (uint32_t)k;
    x->args = json_object_get(e, "args");
    if (x->args != NULL && build_args(x->args, err) != 0)
      return -1;
  } else if (x->decision == MEFC_DECIDE_WAIT) {
    v = json_object_get(e, "ms");
    if (v == NULL)
      return fail(err, "expect.ms: missing");
    if (get_ms(v, &x->ms, err) != 0)
      return -1;
  }

  v = json_object_get(e, "effect");
  if (v != NULL) {
    if (!json_is_string(v) ||
        (x->effect = lookup(effect_names, COUNT(effect_names), json_string_value(v))) < 0)
      return fail(err, "expect.effect: must be \"new\", \"keep\" or \"failed\"");
  }
  return 0;
}

static int build_case(const json_t *c, struct vcase *vc, char *err)
{
  static const char *const keys[] = {"name", "rules", "note", "client", "mo", "record", "response",
                                     "response_b64", "expect", "outcome", "final_status", NULL};
  char sub[MEFC_CJ_ERR_MAX];
  const json_t *v;
  const json_t *resp;
  const json_t *b64;

  if (!json_is_object(c))
    return fail(err, "a case must be an object");
  v = json_object_get(c, "name");
  if (!json_is_string(v) || json_string_length(v) == 0)
    return fail(err, "name: missing, or not a non-empty string");
  vc->name = json_string_value(v);
  if (check_keys(c, keys, "case", err) != 0)
    return -1;

  v = json_object_get(c, "rules");
  if (!json_is_array(v) || json_array_size(v) == 0)
    return fail(err, "rules: must be a non-empty array of requirement IDs");
  for (size_t i = 0; i < json_array_size(v); i++) {
    const json_t *r = json_array_get(v, i);
    if (!json_is_string(r) || json_string_length(r) == 0)
      return fail(err, "rules[%zu]: must be a non-empty string", i);
  }
  v = json_object_get(c, "note");
  if (v != NULL && !json_is_string(v))
    return fail(err, "note: must be a string");

  if (mefc_client_from_json(json_object_get(c, "client"), json_object_get(c, "mo"), &vc->cli, sub,
                            sizeof sub) != 0)
    return fail(err, "%s", sub);
  if (mefc_record_from_json(json_object_get(c, "record"), &vc->rec, sub, sizeof sub) != 0)
    return fail(err, "%s", sub);

  resp = json_object_get(c, "response");
  b64 = json_object_get(c, "response_b64");
  if ((resp == NULL) == (b64 == NULL))
    return fail(err, "exactly one of response and response_b64 is needed");
  if (resp != NULL) {
    if (!json_is_string(resp))
      return fail(err, "response: must be a string");
    vc->len = json_string_length(resp);
    vc->payload = malloc(vc->len + 1u);
    if (vc->payload == NULL)
      return fail(err, "out of memory");
    memcpy(vc->payload, json_string_value(resp), vc->len);
  } else {
    if (!json_is_string(b64))
      return fail(err, "response_b64: must be a string");
    vc->payload = malloc(json_string_length(b64) / 4u * 3u + 1u);
    if (vc->payload == NULL)
      return fail(err, "out of memory");
    if (b64_decode(json_string_value(b64), json_string_length(b64), vc->payload, &vc->len) != 0)
      return fail(err, "response_b64: not padded base64 (RFC 4648 section 4)");
  }

  v = json_object_get(c, "expect");
  if (v == NULL)
    return fail(err, "expect: missing");
  if (build_expect(v, &vc->exp, err) != 0)
    return -1;

  const json_t *oc = json_object_get(c, "outcome");
  const json_t *fs = json_object_get(c, "final_status");
  if ((oc == NULL) != (fs == NULL))
    return fail(err, "outcome and final_status go together");
  if (oc != NULL) {
    int k;
    if (vc->exp.decision != MEFC_DECIDE_EXECUTE)
      return fail(err, "outcome: only with an execute expectation");
    if (!json_is_string(oc) ||
        (k = lookup(outcome_names, COUNT(outcome_names), json_string_value(oc))) < 0)
      return fail(err, "outcome: must be \"ok\", \"server_error\" or \"client_error\"");
    if (!json_is_integer(fs) || json_integer_value(fs) < 0 || json_integer_value(fs) > 999)
      return fail(err, "final_status: must be a status code (integer)");
    vc->exp.has_outcome = true;
    vc->exp.outcome = (uint32_t)k;
    vc->exp.final_status = (uint32_t)json_integer_value(fs);
  }
  return 0;
}

/* Bytes for a message: printable ASCII as is, the rest as \xNN. */
static void quote(char *dst, size_t cap, const uint8_t *b, size_t n)
{
  size_t o = 0;
  if (cap < 8)
    return;
  dst[o++] = '"';
  for (size_t i = 0; i < n && o + 6 < cap; i++) {
    if (b[i] >= 0x20 && b[i] < 0x7f && b[i] != '"' && b[i] != '\\')
      dst[o++] = (char)b[i];
    else
      o += (size_t)snprintf(dst + o, cap - o, "\\x%02x", b[i]);
  }
  dst[o++] = '"';
  dst[o] = '\0';
}

static void describe(char *dst, size_t cap, const mefc_decision *d)
{
  switch (d->kind) {
  case MEFC_DECIDE_REPORT:
    snprintf(dst, cap, "report %u", d->status);
    break;
  case MEFC_DECIDE_EXECUTE:
    snprintf(dst, cap, "execute %s", name_or(procedure_names, COUNT(procedure_names), d->procedure));
    break;
  case MEFC_DECIDE_WAIT:
    snprintf(dst, cap, "wait %llu ms", (unsigned long long)d->wait_ms);
    break;
  case MEFC_DECIDE_RETRY:
    snprintf(dst, cap, "retry");
    break;
  default:
    snprintf(dst, cap, "decision kind %u (invalid)", d->kind);
  }
}

/* Compare a string expectation with bytes the core returned. */
static bool bytes_match(const json_t *want, const uint8_t *b, uint32_t n, uint32_t cap)
{
  return n <= cap && json_string_length(want) == n && memcmp(json_string_value(want), b, n) == 0;
}

/* Compare the args subset; on mismatch write what differed into msg. */
static bool args_match(const struct vcase *vc, const mefc_decision *d, char *msg, size_t cap)
{
  const mefc_exec_args *a = &d->args;
  const char *key;
  json_t *v;
  char got[2 * MEFC_URI_MAX];
  char want[2 * MEFC_URI_MAX];

  json_object_foreach((json_t *)vc->exp.args, key, v) {
    bool ok = true;
    got[0] = '\0';
    if (strcmp(key, "uri") == 0) {
      ok = bytes_match(v, a->uri, a->uri_len, MEFC_URI_MAX);
      quote(got, sizeof got, a->uri, a->uri_len <= MEFC_URI_MAX ? a->uri_len : 0);
    } else if (strcmp(key, "subject_type") == 0) {
      ok = json_integer_value(v) == (json_int_t)a->subject_type;
      snprintf(got, sizeof got, "%u", a->subject_type);
    } else if (strcmp(key, "subject_id") == 0) {
      ok = bytes_match(v, a->subject_id.b, a->subject_id.len, MEFC_ID_MAX);
      quote(got, sizeof got, a->subject_id.b, a->subject_id.len <= MEFC_ID_MAX ? a->subject_id.len : 0);
    } else if (strcmp(key, "dev_mgmt_id") == 0) {
      ok = json_integer_value(v) == (json_int_t)a->dev_mgmt_id;
      snprintf(got, sizeof got, "%u", a->dev_mgmt_id);
    } else if (strcmp(key, "node") == 0) {
      ok = a->node < vc->cli.n_mo &&
           bytes_match(v, vc->cli.mo[a->node].path, vc->cli.mo[a->node].path_len, MEFC_PATH_MAX);
      if (a->node < vc->cli.n_mo)
        quote(got, sizeof got, vc->cli.mo[a->node].path, vc->cli.mo[a->node].path_len);
      else
        snprintf(got, sizeof got, "node index %u (no such node)", a->node);
    } else if (strcmp(key, "suid") == 0) {
      ok = json_integer_value(v) == (json_int_t)a->suid;
      snprintf(got, sizeof got, "%lld", (long long)a->suid);
    } else if (strcmp(key, "fingerprint") == 0) {
      uint8_t fp[MEFC_FP_LEN];
      (void)mefc_fp_from_hex(json_string_value(v), json_string_length(v), fp);
      ok = memcmp(fp, a->fp, MEFC_FP_LEN) == 0;
      for (size_t i = 0; i < MEFC_FP_LEN; i++)
        snprintf(got + 2 * i, sizeof got - 2 * i, "%02x", a->fp[i]);
    } else if (strcmp(key, "target") == 0) {
      if (json_is_null(v)) {
        ok = !a->has_target;
      } else {
        ok = a->has_target && bytes_match(v, a->target.b, a->target.len, MEFC_ID_MAX);
      }
      if (a->has_target)
        quote(got, sizeof got, a->target.b, a->target.len <= MEFC_ID_MAX ? a->target.len : 0);
      else
        snprintf(got, sizeof got, "no target");
    }
    if (!ok) {
      if (json_is_string(v))
        quote(want, sizeof want, (const uint8_t *)json_string_value(v), json_string_length(v));
      else if (json_is_null(v))
        snprintf(want, sizeof want, "no target");
      else
        snprintf(want, sizeof want, "%lld", (long long)json_integer_value(v));
      snprintf(msg, cap, "args.%s: expected %s, got %s", key, want, got);
      return false;
    }
  }
  return true;
}

/* Run one case; on failure write what differed into msg. */
static bool run_case(struct vcase *vc, mefc_json_doc *doc, char *msg, size_t cap)
{
  mefc_decision d;
  char got[96];
  const struct expect *x = &vc->exp;

  /* Poison the output so a field the core leaves unset cannot match by luck. */
  memset(&d, 0xA5, sizeof d);
  mefc_decide(&vc->cli, &vc->rec, vc->payload, vc->len, doc, &d);
  describe(got, sizeof got, &d);

  bool same = d.kind == x->decision;
  if (same && x->decision == MEFC_DECIDE_REPORT)
    same = d.status == x->status;
  if (same && x->decision == MEFC_DECIDE_EXECUTE)
    same = d.procedure == x->procedure;
  if (same && x->decision == MEFC_DECIDE_WAIT)
    same = d.wait_ms == x->ms;
  if (!same) {
    char want[96];
    mefc_decision e;
    memset(&e, 0, sizeof e);
    e.kind = x->decision;
    e.status = x->status;
    e.procedure = x->procedure;
    e.wait_ms = x->ms;
    describe(want, sizeof want, &e);
    snprintf(msg, cap, "expected %s, got %s", want, got);
    return false;
  }
  if (x->effect >= 0 && d.effect != (uint32_t)x->effect) {
    snprintf(msg, cap, "effect: expected %s, got %s", effect_names[x->effect],
             name_or(effect_names, COUNT(effect_names), d.effect));
    return false;
  }
  if (x->args != NULL && !args_match(vc, &d, msg, cap))
    return false;
  if (x->has_outcome) {
    uint32_t s = mefc_outcome_status(d.procedure, x->outcome);
    if (s != x->final_status) {
      snprintf(msg, cap, "final_status for outcome %s: expected %u, got %u",
               outcome_names[x->outcome], x->final_status, s);
      return false;
    }
  }
  return true;
}

struct tally {
  unsigned passed;
  unsigned failed;
  bool malformed;
  json_t *names; /* name -> file, for uniqueness across files */
};

/* Load, check and run one file. */
static void run_file(const char *path, struct tally *t, mefc_json_doc *doc)
{
  json_error_t jerr;
  char err[ERR_MAX];
  json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
  if (root == NULL) {
    fprintf(stderr, "mefc vector: %s: line %d column %d: %s\n", path, jerr.line, jerr.column,
            jerr.text);
    t->malformed = true;
    return;
  }
  size_t n = json_is_array(root) ? json_array_size(root) : 1u;
  if (!json_is_array(root) && !json_is_object(root)) {
    fprintf(stderr, "mefc vector: %s: must hold a case object or an array of cases\n", path);
    t->malformed = true;
    json_decref(root);
    return;
  }
  if (n == 0) {
    fprintf(stderr, "mefc vector: %s: holds no case\n", path);
    t->malformed = true;
    json_decref(root);
    return;
  }
  struct vcase *cases = calloc(n, sizeof *cases);
  if (cases == NULL) {
    fprintf(stderr, "mefc vector: %s: out of memory\n", path);
    t->malformed = true;
    json_decref(root);
    return;
  }

  bool ok = true;
  for (size_t i = 0; i < n && ok; i++) {
    const json_t *c = json_is_array(root) ? json_array_get(root, i) : root;
    if (build_case(c, &cases[i], err) != 0) {
      fprintf(stderr, "mefc vector: %s: case %zu%s%s%s: %s\n", path, i,
              cases[i].name ? " (" : "", cases[i].name ? cases[i].name : "",
              cases[i].name ? ")" : "", err);
      ok = false;
    } else if (json_object_get(t->names, cases[i].name) != NULL) {
      fprintf(stderr, "mefc vector: %s: case %zu (%s): name already used in %s\n", path, i,
              cases[i].name, json_string_value(json_object_get(t->names, cases[i].name)));
      ok = false;
    } else {
      json_object_set_new(t->names, cases[i].name, json_string(path));
    }
  }
  if (!ok) {
    t->malformed = true;
  } else {
    for (size_t i = 0; i < n; i++) {
      char msg[2 * ERR_MAX + 4 * MEFC_URI_MAX];
      if (run_case(&cases[i], doc, msg, sizeof msg)) {
        t->passed++;
      } else {
        t->failed++;
        printf("FAIL %s: %s: %s\n", path, cases[i].name, msg);
      }
    }
  }
  for (size_t i = 0; i < n; i++)
    free(cases[i].payload);
  free(cases);
  json_decref(root);
}

int mefc_cmd_vector(int argc, char **argv)
{
  if (argc < 2 || strcmp(argv[1], "--help") == 0) {
    fprintf(argc < 2 ? stderr : stdout,
            "usage: mefc vector FILE...\n"
            "Runs each test vector case through the core's decision and compares it with the\n"
            "case's expectation. Exit status: 0 all passed, 1 a case failed, 2 a file could not\n"
            "be read or is not a vector file.\n");
    return argc < 2 ? 2 : 0;
  }
  struct tally t = {0, 0, false, json_object()};
  mefc_json_doc *doc = malloc(sizeof *doc);
  if (t.names == NULL || doc == NULL) {
    fprintf(stderr, "mefc vector: out of memory\n");
    return 2;
  }
  for (int i = 1; i < argc; i++)
    run_file(argv[i], &t, doc);
  printf("vectors: %u passed, %u failed\n", t.passed, t.failed);
  free(doc);
  json_decref(t.names);
  if (t.malformed)
    return 2;
  return t.failed == 0 ? 0 : 1;
}
