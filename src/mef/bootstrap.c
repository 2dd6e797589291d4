/* The LwM2M Bootstrap-Server side of DEV_CFG (bootstrap.h). One bootstrap per
 * client session at a time, one request outstanding: the next one leaves
 * when the client has answered the previous one. Payloads are built from the
 * campaign's values: strings, integers, booleans, {"hex": ...} for opaque
 * values, arrays for multiple resources; TLV (11542) or SenML JSON (110).
 * Fault knobs (campaign "fault"): refuse /bs, a malformed first Write, no
 * Bootstrap-Finish, the Server (1) writes left out. */
#include "bootstrap.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

#define BS_RUNS_MAX 8u
#define CF_TLV 11542u
#define CF_SENML 110u
#define PAYLOAD_MAX 4096u

struct bs_run {
  bool active;
  coap_session_t *sess;  /* referenced while the run lasts */
  char client[256];
  const json_t *spec;    /* the campaign's "bootstrap" member */
  size_t step;
  bool waiting;
  uint8_t token[8];
  size_t token_len;
  char what[128];        /* the outstanding request, for the log */
};

static struct {
  coap_context_t *ctx;
  struct mefd_registry *reg;
  struct bs_run runs[BS_RUNS_MAX];
} bs;

static const char *fault_of(const json_t *spec)
{
  const char *f = json_string_value(json_object_get(spec, "fault"));
  return f != NULL ? f : "";
}

static bool is_senml(const json_t *spec, const json_t *w)
{
  const char *f = json_string_value(json_object_get(w, "format"));
  if (f == NULL)
    f = json_string_value(json_object_get(spec, "format"));
  return f != NULL && strcmp(f, "senml") == 0;
}

/* ---- campaign check ---- */

static int bad(const char *path, const char *where, const char *msg)
{
  mefd_log("campaign: %s: %s: bootstrap: %s", path, where, msg);
  return -1;
}

static bool lw_path_ok(const char *p, int min_depth, int max_depth)
{
  int depth = 0;
  if (p == NULL || p[0] != '/')
    return false;
  for (const char *s = p + 1; *s != '\0';) {
    size_t n = strspn(s, "0123456789");
    if (n == 0 || n > 5 || (s[n] != '/' && s[n] != '\0'))
      return false;
    depth++;
    s += n;
    if (*s == '/')
      s++;
  }
  return depth >= min_depth && depth <= max_depth;
}

static bool value_ok(const json_t *v, bool in_array)
{
  if (json_is_string(v) || json_is_integer(v) || json_is_boolean(v))
    return true;
  if (json_is_object(v))
    return json_object_size(v) == 1 && json_is_string(json_object_get(v, "hex")) &&
           json_string_length(json_object_get(v, "hex")) % 2 == 0 &&
           strspn(json_string_value(json_object_get(v, "hex")), "0123456789abcdefABCDEF") ==
               json_string_length(json_object_get(v, "hex"));
  if (json_is_array(v) && !in_array && json_array_size(v) > 0) {
    size_t i;
    const json_t *e;
    json_array_foreach(v, i, e) {
      if (!value_ok(e, true))
        return false;
    }
    return true;
  }
  return false;
}

int mefd_bs_check(const char *path, const char *where, const json_t *spec)
{
  static const char *const faults[] = {"refuse", "malformed", "never_finish", "inconsistent", NULL};
  const char *key;
  const json_t *v;
  if (!json_is_object(spec))
    return bad(path, where, "must be an object");
  json_object_foreach((json_t *)spec, key, v) {
    if (strcmp(key, "format") == 0) {
      if (!json_is_string(v) || (strcmp(json_string_value(v), "tlv") != 0 &&
                                 strcmp(json_string_value(v), "senml") != 0))
        return bad(path, where, "\"format\" must be \"tlv\" or \"senml\"");
    } else if (strcmp(key, "fault") == 0) {
      bool ok = false;
      for (size_t i = 0; faults[i] != NULL && json_is_string(v); i++)
        ok = ok || strcmp(json_string_value(v), faults[i]) == 0;
      if (!ok)
        return bad(path, where, "\"fault\" must be refuse, malformed, never_finish or inconsistent");
    } else if (strcmp(key, "delete") == 0) {
      size_t i;
      const json_t *d;
      if (!json_is_array(v))
        return bad(path, where, "\"delete\" must be an array of paths");
      json_array_foreach(v, i, d) {
        if (!lw_path_ok(json_string_value(d), 0, 2))
          return bad(path, where, "a \"delete\" path must be \"/\", \"/o\" or \"/o/i\"");
      }
    } else if (strcmp(key, "write") == 0) {
      size_t i;
      const json_t *w;
      if (!json_is_array(v))
        return bad(path, where, "\"write\" must be an array");
      json_array_foreach(v, i, w) {
        const json_t *vals = json_object_get(w, "values");
        const json_t *raw = json_object_get(w, "raw"), *rawh = json_object_get(w, "raw_hex");
        const char *wk;
        const json_t *wv;
        if (!json_is_object(w))
          return bad(path, where, "a \"write\" entry must be an object");
        json_object_foreach((json_t *)w, wk, wv) {
          if (strcmp(wk, "path") != 0 && strcmp(wk, "values") != 0 && strcmp(wk, "raw") != 0 &&
              strcmp(wk, "raw_hex") != 0 && strcmp(wk, "format") != 0 && strcmp(wk, "comment") != 0)
            return bad(path, where, "a \"write\" entry has an unknown key");
        }
        if ((vals != NULL) + (raw != NULL) + (rawh != NULL) != 1)
          return bad(path, where, "a \"write\" entry has exactly one of values, raw, raw_hex");
        if (!lw_path_ok(json_string_value(json_object_get(w, "path")), 1,
                        vals != NULL ? 2 : 4) ||
            (vals != NULL && !lw_path_ok(json_string_value(json_object_get(w, "path")), 2, 2)))
          return bad(path, where, "a \"write\" path must be \"/o/i\" (values) or any LwM2M path (raw)");
        if (raw != NULL && !json_is_string(raw))
          return bad(path, where, "\"raw\" must be a string");
        if (rawh != NULL && (!json_is_string(rawh) || json_string_length(rawh) % 2 != 0 ||
                             strspn(json_string_value(rawh), "0123456789abcdefABCDEF") !=
                                 json_string_length(rawh)))
          return bad(path, where, "\"raw_hex\" must be an even number of hexadecimal digits");
        if (vals != NULL) {
          const char *rk;
          const json_t *rv;
          if (!json_is_object(vals) || json_object_size(vals) == 0)
            return bad(path, where, "\"values\" must be a non-empty object {\"<resource ID>\": value}");
          json_object_foreach((json_t *)vals, rk, rv) {
            if (strspn(rk, "0123456789") != strlen(rk) || strlen(rk) == 0 || strlen(rk) > 5 ||
                !value_ok(rv, false))
              return bad(path, where, "a value must be a string, integer, boolean, {\"hex\":...} "
                                      "or an array of those, under a numeric resource ID");
          }
        }
      }
    } else if (strcmp(key, "comment") != 0) {
      return bad(path, where, "unknown key");
    }
  }
  if (strcmp(fault_of(spec), "malformed") == 0 && json_array_size(json_object_get(spec, "write")) == 0)
    return bad(path, where, "fault \"malformed\" needs at least one write");
  return 0;
}

/* ---- payloads ---- */

struct buf {
  uint8_t b[PAYLOAD_MAX];
  size_t n;
  bool over;
};

static void put(struct buf *o, const void *p, size_t n)
{
  if (n > sizeof o->b - o->n) {
    o->over = true;
    return;
  }
  memcpy(o->b + o->n, p, n);
  o->n += n;
}

static size_t hex_decode(const char *h, uint8_t *out, size_t cap)
{
  size_t n = strlen(h) / 2;
  if (n > cap)
    return 0;
  for (size_t i = 0; i < n; i++) {
    unsigned v = 0;
    if (sscanf(h + 2 * i, "%2x", &v) != 1)
      return 0;
    out[i] = (uint8_t)v;
  }
  return n;
}

/* The bytes of a scalar value as TLV carries them. */
static size_t scalar_bytes(const json_t *v, uint8_t *out, size_t cap)
{
  if (json_is_string(v)) {
    size_t n = json_string_length(v);
    if (n > cap)
      return 0;
    memcpy(out, json_string_value(v), n);
    return n;
  }
  if (json_is_boolean(v)) {
    out[0] = json_is_true(v) ? 1 : 0;
    return 1;
  }
  if (json_is_integer(v)) {
    long long x = json_integer_value(v);
    size_t n = (x >= -128 && x <= 127) ? 1 : (x >= -32768 && x <= 32767) ? 2
               : (x >= INT32_MIN && x <= INT32_MAX) ? 4 : 8;
    for (size_t i = 0; i < n; i++)
      out[i] = (uint8_t)((unsigned long long)x >> (8 * (n - 1 - i)));
    return n;
  }
  return hex_decode(json_string_value(json_object_get(v, "hex")), out, cap);
}

static void tlv_item(struct buf *o, unsigned type, unsigned id, const uint8_t *val, size_t len)
{
  uint8_t h[6];
  size_t k = 0;
  uint8_t t = (uint8_t)(type << 6);
  if (id > 255)
    t |= 0x20;
  if (len < 8)
    t |= (uint8_t)len;
  else if (len < 256)
    t |= 0x08;
  else if (len < 65536)
    t |= 0x10;
  else
    t |= 0x18;
  h[k++] = t;
  if (id > 255)
    h[k++] = (uint8_t)(id >> 8);
  h[k++] = (uint8_t)id;
  if (len >= 65536)
    h[k++] = (uint8_t)(len >> 16);
  if (len >= 256)
    h[k++] = (uint8_t)(len >> 8);
  if (len >= 8)
    h[k++] = (uint8_t)len;
  put(o, h, k);
  put(o, val, len);
}

static void tlv_values(const json_t *vals, struct buf *o)
{
  const char *rk;
  const json_t *rv;
  static uint8_t val[PAYLOAD_MAX];
  json_object_foreach((json_t *)vals, rk, rv) {
    unsigned id = (unsigned)strtoul(rk, NULL, 10);
    if (json_is_array(rv)) {
      struct buf *inner = calloc(1, sizeof *inner);
      size_t i;
      const json_t *e;
      if (inner == NULL) {
        o->over = true;
        return;
      }
      json_array_foreach(rv, i, e) {
        size_t n = scalar_bytes(e, val, sizeof val);
        tlv_item(inner, 1, (unsigned)i, val, n);
      }
      tlv_item(o, 2, id, inner->b, inner->n);
      o->over = o->over || inner->over;
      free(inner);
    } else {
      size_t n = scalar_bytes(rv, val, sizeof val);
      tlv_item(o, 3, id, val, n);
    }
  }
}

static char *b64url(const uint8_t *p, size_t n)
{
  static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  char *s = malloc(4 * (n / 3 + 1) + 1);
  size_t k = 0;
  if (s == NULL)
    return NULL;
  for (size_t i = 0; i < n; i += 3) {
    uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0) |
                 (i + 2 < n ? p[i + 2] : 0);
    s[k++] = a[v >> 18 & 63];
    s[k++] = a[v >> 12 & 63];
    if (i + 1 < n)
      s[k++] = a[v >> 6 & 63];
    if (i + 2 < n)
      s[k++] = a[v & 63];
  }
  s[k] = '\0';
  return s;
}

static json_t *senml_rec(const char *name, const json_t *v)
{
  json_t *r = json_pack("{s:s}", "n", name);
  if (json_is_string(v)) {
    json_object_set(r, "vs", (json_t *)v);
  } else if (json_is_integer(v)) {
    json_object_set(r, "v", (json_t *)v);
  } else if (json_is_boolean(v)) {
    json_object_set(r, "vb", (json_t *)v);
  } else {
    static uint8_t d[PAYLOAD_MAX];
    size_t n = hex_decode(json_string_value(json_object_get(v, "hex")), d, sizeof d);
    char *s = b64url(d, n);
    json_object_set_new(r, "vd", json_string(s != NULL ? s : ""));
    free(s);
  }
  return r;
}

static void senml_values(const char *path, const json_t *vals, struct buf *o)
{
  json_t *arr = json_array();
  const char *rk;
  const json_t *rv;
  char bn[64], nm[32];
  snprintf(bn, sizeof bn, "%s/", path);
  json_object_foreach((json_t *)vals, rk, rv) {
    if (json_is_array(rv)) {
      size_t i;
      const json_t *e;
      json_array_foreach(rv, i, e) {
        snprintf(nm, sizeof nm, "%s/%zu", rk, i);
        json_array_append_new(arr, senml_rec(nm, e));
      }
    } else {
      json_array_append_new(arr, senml_rec(rk, rv));
    }
  }
  if (json_array_size(arr) > 0)
    json_object_set_new(json_array_get(arr, 0), "bn", json_string(bn));
  char *t = json_dumps(arr, JSON_COMPACT);
  json_decref(arr);
  if (t == NULL) {
    o->over = true;
    return;
  }
  put(o, t, strlen(t));
  free(t);
}

/* ---- the run ---- */

static const json_t *deletes_of(const json_t *spec, json_t **own)
{
  const json_t *d = json_object_get(spec, "delete");
  if (d != NULL)
    return d;
  *own = json_pack("[s]", "/");
  return *own;
}

/* The writes that go out (fault "inconsistent": the Server object's left out). */
static bool write_skipped(const json_t *spec, const json_t *w)
{
  const char *p = json_string_value(json_object_get(w, "path"));
  return strcmp(fault_of(spec), "inconsistent") == 0 && p != NULL &&
         (strcmp(p, "/1") == 0 || strncmp(p, "/1/", 3) == 0);
}

static void end_run(struct bs_run *r, const char *outcome)
{
  mefd_log("bootstrap: client=%s outcome=%s", r->client, outcome);
  coap_session_release(r->sess);
  memset(r, 0, sizeof *r);
}

static void release_buf(coap_session_t *s, void *p)
{
  (void)s;
  free(p);
}

static int add_path(coap_optlist_t **ol, const char *p)
{
  while (*p == '/')
    p++;
  while (*p != '\0') {
    size_t n = strcspn(p, "/");
    if (!coap_insert_optlist(ol, coap_new_optlist(COAP_OPTION_URI_PATH, n, (const uint8_t *)p)))
      return -1;
    p += n;
    while (*p == '/')
      p++;
  }
  return 0;
}

/* Send request number r->step. Returns 0, 1 when there is none left, -1. */
static int send_step(struct bs_run *r)
{
  json_t *own = NULL;
  const json_t *dels = deletes_of(r->spec, &own);
  const json_t *writes = json_object_get(r->spec, "write");
  size_t nd = json_array_size(dels), k = r->step, wi = 0;
  const json_t *w = NULL;
  coap_pdu_code_t code;
  const char *path;
  struct buf *body = NULL;
  unsigned cf = 0;
  bool first_write = true;

  if (k < nd) {
    code = COAP_REQUEST_CODE_DELETE;
    path = json_string_value(json_array_get(dels, k));
    snprintf(r->what, sizeof r->what, "DELETE %s", path);
  } else {
    size_t left = k - nd;
    for (wi = 0; wi < json_array_size(writes); wi++) {
      if (write_skipped(r->spec, json_array_get(writes, wi)))
        continue;
      if (left == 0) {
        w = json_array_get(writes, wi);
        break;
      }
      left--;
      first_write = false;
    }
    if (w == NULL && left > 0) {
      json_decref(own);
      return 1;
    }
    if (w == NULL && strcmp(fault_of(r->spec), "never_finish") == 0) {
      json_decref(own);
      return 1;
    }
    if (w == NULL) {
      code = COAP_REQUEST_CODE_POST;
      path = "/bs";
      snprintf(r->what, sizeof r->what, "Bootstrap-Finish POST /bs");
    } else {
      code = COAP_REQUEST_CODE_PUT;
      path = json_string_value(json_object_get(w, "path"));
      bool senml = is_senml(r->spec, w);
      cf = senml ? CF_SENML : CF_TLV;
      body = calloc(1, sizeof *body);
      if (body == NULL) {
        json_decref(own);
        return -1;
      }
      const json_t *raw = json_object_get(w, "raw"), *rawh = json_object_get(w, "raw_hex");
      if (first_write && strcmp(fault_of(r->spec), "malformed") == 0) {
        /* A resource that announces 10 bytes and carries 1; a SenML array cut short. */
        static const uint8_t tlv_bad[] = {0xC8, 0x00, 0x0A, 'x'};
        static const char senml_bad[] = "[{\"n\":\"/0/0/0\",\"vs\":";
        if (senml)
          put(body, senml_bad, strlen(senml_bad));
        else
          put(body, tlv_bad, sizeof tlv_bad);
      } else if (raw != NULL) {
        put(body, json_string_value(raw), json_string_length(raw));
      } else if (rawh != NULL) {
        body->n = hex_decode(json_string_value(rawh), body->b, sizeof body->b);
      } else if (senml) {
        senml_values(path, json_object_get(w, "values"), body);
      } else {
        tlv_values(json_object_get(w, "values"), body);
      }
      if (body->over) {
        mefd_log("bootstrap: client=%s: the payload for %s exceeds %u bytes", r->client, path,
                 PAYLOAD_MAX);
        free(body);
        json_decref(own);
        return -1;
      }
      snprintf(r->what, sizeof r->what, "PUT %s (%s, %zu bytes)", path, senml ? "SenML JSON" : "TLV",
               body->n);
    }
  }
  coap_pdu_t *pdu = coap_new_pdu(COAP_MESSAGE_CON, code, r->sess);
  coap_optlist_t *ol = NULL;
  uint8_t cfb[4];
  int fail = pdu == NULL;
  if (!fail) {
    coap_session_new_token(r->sess, &r->token_len, r->token);
    fail = !coap_add_token(pdu, r->token_len, r->token) || add_path(&ol, path) != 0 ||
           (body != NULL &&
            !coap_insert_optlist(&ol, coap_new_optlist(COAP_OPTION_CONTENT_FORMAT,
                                                       coap_encode_var_safe(cfb, sizeof cfb, cf),
                                                       cfb))) ||
           (ol != NULL && !coap_add_optlist_pdu(pdu, &ol));
  }
  coap_delete_optlist(ol);
  json_decref(own);
  if (!fail && body != NULL) {
    uint8_t *data = malloc(body->n > 0 ? body->n : 1);
    fail = data == NULL;
    if (!fail) {
      memcpy(data, body->b, body->n);
      if (!coap_add_data_large_request(r->sess, pdu, body->n, data, release_buf, data))
        fail = 1; /* data is released by libcoap either way */
    }
  }
  free(body);
  if (fail) {
    mefd_log("bootstrap: client=%s: cannot build %s", r->client, r->what);
    coap_delete_pdu(pdu);
    return -1;
  }
  if (coap_send(r->sess, pdu) == COAP_INVALID_MID) {
    mefd_log("bootstrap: client=%s: cannot send %s", r->client, r->what);
    return -1;
  }
  mefd_log("bootstrap: client=%s: %s", r->client, r->what);
  r->waiting = true;
  return 0;
}

void mefd_bs_tick(void)
{
  for (size_t i = 0; i < BS_RUNS_MAX; i++) {
    struct bs_run *r = &bs.runs[i];
    if (!r->active || r->waiting)
      continue;
    int s = send_step(r);
    if (s == 1)
      end_run(r, "finish_withheld (fault never_finish)");
    else if (s < 0)
      end_run(r, "send_failed");
  }
}

static struct bs_run *run_of(const coap_session_t *sess, const coap_pdu_t *pdu)
{
  coap_bin_const_t tok = coap_pdu_get_token(pdu);
  for (size_t i = 0; i < BS_RUNS_MAX; i++) {
    struct bs_run *r = &bs.runs[i];
    if (r->active && r->waiting && r->sess == sess && tok.length == r->token_len &&
        memcmp(tok.s, r->token, r->token_len) == 0)
      return r;
  }
  return NULL;
}

static coap_response_t on_response(coap_session_t *sess, const coap_pdu_t *sent,
                                   const coap_pdu_t *received, const coap_mid_t mid)
{
  (void)sent;
  (void)mid;
  struct bs_run *r = run_of(sess, received);
  if (r == NULL)
    return COAP_RESPONSE_OK;
  coap_pdu_code_t c = coap_pdu_get_code(received);
  unsigned cls = (unsigned)c >> 5, det = (unsigned)c & 31u;
  mefd_log("bootstrap: client=%s: %s -> %u.%02u", r->client, r->what, cls, det);
  r->waiting = false;
  if (strncmp(r->what, "Bootstrap-Finish", 16) == 0)
    end_run(r, cls == 2 ? "finished (client accepted Bootstrap-Finish)"
                        : "finish_refused (client found the configuration inconsistent)");
  else if (cls != 2)
    end_run(r, "client_rejected");
  else
    r->step++;
  return COAP_RESPONSE_OK;
}

static void on_nack(coap_session_t *sess, const coap_pdu_t *sent, const coap_nack_reason_t reason,
                    const coap_mid_t mid)
{
  (void)mid;
  (void)reason;
  struct bs_run *r = sent != NULL ? run_of(sess, sent) : NULL;
  if (r != NULL)
    end_run(r, "no_answer");
}

static int session_identity(coap_session_t *sess, char *out, size_t cap)
{
  if (coap_session_get_proto(sess) != COAP_PROTO_DTLS)
    return 0;
  const coap_bin_const_t *psk_id = coap_session_get_psk_identity(sess);
  if (psk_id != NULL && psk_id->length > 0 && psk_id->length < cap) {
    memcpy(out, psk_id->s, psk_id->length);
    out[psk_id->length] = '\0';
    return 1;
  }
  const char *cert_id = coap_session_get_app_data(sess);
  if (cert_id != NULL && strlen(cert_id) < cap) {
    snprintf(out, cap, "%s", cert_id);
    return 1;
  }
  return -1;
}

/* POST /bs?ep=<endpoint>: Bootstrap-Request (LwM2M 1.1 core 6.1.x). */
static void hnd_bs(coap_resource_t *res, coap_session_t *sess, const coap_pdu_t *req,
                   const coap_string_t *query, coap_pdu_t *resp)
{
  char ep[256] = "", who[256], auth[256];
  (void)res;
  (void)req;
  if (query != NULL) {
    const char *q = (const char *)query->s;
    size_t n = query->length;
    for (size_t i = 0; i + 3 <= n; i++) {
      if ((i == 0 || q[i - 1] == '&') && memcmp(q + i, "ep=", 3) == 0) {
        size_t e = i + 3, l = 0;
        while (e + l < n && q[e + l] != '&')
          l++;
        if (l > 0 && l < sizeof ep) {
          memcpy(ep, q + e, l);
          ep[l] = '\0';
        }
        break;
      }
    }
  }
  mefd_log_safe(who, sizeof who, ep, strlen(ep));
  if (ep[0] == '\0') {
    mefd_log("bootstrap: %s: POST /bs without ?ep= -> 4.00", coap_session_str(sess));
    coap_pdu_set_code(resp, COAP_RESPONSE_CODE(400));
    return;
  }
  int k = session_identity(sess, auth, sizeof auth);
  if (k < 0 || (k > 0 && strcmp(auth, ep) != 0)) {
    mefd_log("bootstrap: ep=%s: not the identity the DTLS handshake authenticated -> 4.03", who);
    coap_pdu_set_code(resp, COAP_RESPONSE_CODE(403));
    return;
  }
  if (k == 0)
    mefd_log("bootstrap: ep=%s over plain CoAP: the endpoint name is not authenticated", who);
  struct mefd_client *c = mefd_registry_find(bs.reg, ep);
  const struct mefd_cmd *cmd = c != NULL ? mefd_client_current(c) : NULL;
  if (cmd == NULL || cmd->bootstrap == NULL) {
    mefd_log("bootstrap: ep=%s: no DEV_CFG with a bootstrap entry is current for it -> 4.04", who);
    coap_pdu_set_code(resp, COAP_RESPONSE_CODE(404));
    return;
  }
  if (strcmp(fault_of(cmd->bootstrap), "refuse") == 0) {
    mefd_log("bootstrap: client=%s cmd=%s: Bootstrap-Request refused (fault refuse) -> 4.03", who,
             cmd->id);
    mefd_log("bootstrap: client=%s outcome=refused", who);
    coap_pdu_set_code(resp, COAP_RESPONSE_CODE(403));
    return;
  }
  struct bs_run *r = NULL;
  for (size_t i = 0; i < BS_RUNS_MAX; i++) {
    if (bs.runs[i].active && strcmp(bs.runs[i].client, ep) == 0)
      end_run(&bs.runs[i], "superseded (a new Bootstrap-Request)");
  }
  for (size_t i = 0; i < BS_RUNS_MAX && r == NULL; i++)
    if (!bs.runs[i].active)
      r = &bs.runs[i];
  if (r == NULL) {
    mefd_log("bootstrap: client=%s: %u bootstraps already running -> 5.03", who, BS_RUNS_MAX);
    coap_pdu_set_code(resp, COAP_RESPONSE_CODE(503));
    return;
  }
  r->active = true;
  r->sess = coap_session_reference(sess);
  snprintf(r->client, sizeof r->client, "%s", who);
  r->spec = cmd->bootstrap;
  r->step = 0;
  r->waiting = false; /* the first request leaves on the next tick, after this answer */
  mefd_log("bootstrap: client=%s cmd=%s: Bootstrap-Request accepted (%s%s%s) -> 2.04", who, cmd->id,
           is_senml(cmd->bootstrap, NULL) ? "SenML JSON" : "TLV",
           *fault_of(cmd->bootstrap) ? ", fault " : "", fault_of(cmd->bootstrap));
  coap_pdu_set_code(resp, COAP_RESPONSE_CODE(204));
}

int mefd_bs_attach(coap_context_t *ctx, struct mefd_registry *reg)
{
  memset(&bs, 0, sizeof bs);
  bs.ctx = ctx;
  bs.reg = reg;
  coap_resource_t *r = coap_resource_init(coap_make_str_const("bs"), 0);
  if (r == NULL)
    return -1;
  coap_register_request_handler(r, COAP_REQUEST_POST, hnd_bs);
  coap_add_resource(ctx, r);
  coap_register_response_handler(ctx, on_response);
  coap_register_nack_handler(ctx, on_nack);
  return 0;
}

void mefd_bs_stop(void)
{
  for (size_t i = 0; i < BS_RUNS_MAX; i++)
    if (bs.runs[i].active)
      end_run(&bs.runs[i], "stopped (mefd is stopping)");
}
