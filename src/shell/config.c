/* Load the mefc configuration file. Strict like client_json: unknown keys,
 * wrong types and out-of-range values are errors naming the field, so a typo
 * never silently changes what the client does. */
#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <openssl/crypto.h>

#include "client_json.h"
#include "fsutil.h"
#include "lwm2m_store.h"

#define CFG_FILE_MAX (1024u * 1024u)

static int fail(char *err, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t cap, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, cap, fmt, ap);
  va_end(ap);
  return -1;
}

static char *dup_str(const char *s)
{
  size_t n = strlen(s);
  char *c = malloc(n + 1);
  if (c != NULL)
    memcpy(c, s, n + 1);
  return c;
}

static int check_keys(const json_t *obj, const char *const *allowed, const char *where, char *err,
                      size_t cap)
{
  const char *key;
  json_t *val;
  json_object_foreach((json_t *)obj, key, val) {
    bool known = false;
    (void)val;
    for (size_t i = 0; allowed[i] != NULL; i++)
      known = known || strcmp(key, allowed[i]) == 0;
    if (!known)
      return fail(err, cap, "%s: unknown key \"%s\"", where, key);
  }
  return 0;
}

/* A required or optional non-empty string member, copied. */
static int get_str(const json_t *obj, const char *key, const char *where, bool required,
                   char **out, char *err, size_t cap)
{
  json_t *v = json_object_get(obj, key);
  *out = NULL;
  if (v == NULL)
    return required ? fail(err, cap, "%s.%s: missing", where, key) : 0;
  if (!json_is_string(v) || json_string_length(v) == 0 ||
      strlen(json_string_value(v)) != json_string_length(v))
    return fail(err, cap, "%s.%s: must be a non-empty string", where, key);
  *out = dup_str(json_string_value(v));
  return *out == NULL ? fail(err, cap, "out of memory") : 0;
}

/* A file path member, resolved against the configuration's directory. */
static int get_path(const mefc_config *cfg, const json_t *obj, const char *key, const char *where,
                    bool required, char **out, char *err, size_t cap)
{
  char *raw;
  if (get_str(obj, key, where, required, &raw, err, cap) != 0)
    return -1;
  if (raw == NULL)
    return 0;
  *out = fsu_join(cfg->dir, raw);
  free(raw);
  return *out == NULL ? fail(err, cap, "out of memory") : 0;
}

static int get_uint(const json_t *obj, const char *key, const char *where, uint32_t lo,
                    uint32_t hi, uint32_t *out, char *err, size_t cap)
{
  json_t *v = json_object_get(obj, key);
  if (v == NULL)
    return 0; /* keeps the default */
  if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
    return fail(err, cap, "%s.%s: must be an integer in %u..%u", where, key, lo, hi);
  *out = (uint32_t)json_integer_value(v);
  return 0;
}

static int get_bool(const json_t *obj, const char *key, const char *where, int *out, char *err,
                    size_t cap)
{
  json_t *v = json_object_get(obj, key);
  if (v == NULL)
    return 0;
  if (!json_is_boolean(v))
    return fail(err, cap, "%s.%s: must be true or false", where, key);
  *out = json_is_true(v);
  return 0;
}

static const json_t *get_obj(const json_t *obj, const char *key, const char *where, bool required,
                             int *bad, char *err, size_t cap)
{
  json_t *v = json_object_get(obj, key);
  if (v == NULL) {
    if (required)
      *bad = fail(err, cap, "%s%s%s: missing", where, *where ? "." : "", key);
    return NULL;
  }
  if (!json_is_object(v)) {
    *bad = fail(err, cap, "%s%s%s: must be an object", where, *where ? "." : "", key);
    return NULL;
  }
  return v;
}

/* "coap://host[:port]", "coaps://host[:port]" or "https://host[:port]", an
 * optional "/" at the end. The scheme chooses the binding. */
static int parse_address(mefc_config *cfg, const char *a, char *err, size_t cap)
{
  const char *p;
  const char *host, *host_end;
  unsigned long port;

  if (strncmp(a, "coaps://", 8) == 0) {
    cfg->secure = 1;
    p = a + 8;
    port = 5684;
  } else if (strncmp(a, "coap://", 7) == 0) {
    cfg->secure = 0;
    p = a + 7;
    port = 5683;
  } else if (strncmp(a, "https://", 8) == 0) {
    cfg->binding = CFG_BIND_HTTP;
    cfg->secure = 1;
    p = a + 8;
    port = 443;
  } else {
    return fail(err, cap,
                "mef.address: must start with coaps:// or https:// (or coap:// for tests)");
  }
  if (*p == '[') {
    host = p + 1;
    host_end = strchr(host, ']');
    if (host_end == NULL)
      return fail(err, cap, "mef.address: unterminated [IPv6 literal]");
    p = host_end + 1;
  } else {
    host = p;
    host_end = p + strcspn(p, ":/");
    p = host_end;
  }
  if (host_end == host)
    return fail(err, cap, "mef.address: no host");
  if (*p == ':') {
    char *end;
    port = strtoul(p + 1, &end, 10);
    if (end == p + 1 || port == 0 || port > 65535)
      return fail(err, cap, "mef.address: bad port");
    p = end;
  }
  if (!(*p == '\0' || (p[0] == '/' && p[1] == '\0')))
    return fail(err, cap, "mef.address: only scheme, host and port are allowed (the path is \"mef\")");
  cfg->mef_port = (uint16_t)port;
  cfg->mef_host = malloc((size_t)(host_end - host) + 1);
  if (cfg->mef_host == NULL)
    return fail(err, cap, "out of memory");
  memcpy(cfg->mef_host, host, (size_t)(host_end - host));
  cfg->mef_host[host_end - host] = '\0';
  return 0;
}

static int load_mef(mefc_config *cfg, const json_t *m, char *err, size_t cap)
{
  static const char *const keys[] = {"address", "fqdn", "hosts", NULL};
  char *addr;
  json_t *h;

  if (check_keys(m, keys, "mef", err, cap) != 0 ||
      get_str(m, "address", "mef", true, &addr, err, cap) != 0)
    return -1;
  int r = parse_address(cfg, addr, err, cap);
  free(addr);
  if (r != 0 || get_str(m, "fqdn", "mef", true, &cfg->mef_fqdn, err, cap) != 0)
    return -1;
  if (strlen(cfg->mef_fqdn) > MEFC_FQDN_MAX)
    return fail(err, cap, "mef.fqdn: longer than %u bytes", MEFC_FQDN_MAX);
  h = json_object_get(m, "hosts");
  if (h != NULL) {
    const char *name;
    json_t *v;
    if (!json_is_object(h))
      return fail(err, cap, "mef.hosts: must be an object {\"name\": \"address\"}");
    if (json_object_size(h) > CFG_HOSTS_MAX)
      return fail(err, cap, "mef.hosts: more than %u entries", CFG_HOSTS_MAX);
    json_object_foreach(h, name, v) {
      if (!json_is_string(v) || json_string_length(v) == 0)
        return fail(err, cap, "mef.hosts.%s: must be an address string", name);
      cfg->hosts[cfg->n_hosts].name = dup_str(name);
      cfg->hosts[cfg->n_hosts].addr = dup_str(json_string_value(v));
      if (cfg->hosts[cfg->n_hosts].name == NULL || cfg->hosts[cfg->n_hosts].addr == NULL)
        return fail(err, cap, "out of memory");
      cfg->n_hosts++;
    }
  }
  return 0;
}

/* The PSK file: the key's bytes (one trailing newline ignored), or
 * "hex:" followed by the key in hexadecimal. */
static int load_psk_key(const char *path, const char *where, uint8_t *key, size_t *key_len,
                        char *err, size_t cap)
{
  uint8_t *buf;
  size_t len;
  struct stat st;
  char ferr[256];

  if (fsu_read_file(path, 4096, 0, &buf, &len, ferr, sizeof ferr) != 0)
    return fail(err, cap, "%s.key_file: %s", where, ferr);
  if (stat(path, &st) == 0 && (st.st_mode & 077) != 0)
    fprintf(stderr, "mefc: warning: PSK file %s is readable by group or others\n", path);
  while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
    len--;
  int rc = 0;
  if (len >= 4 && memcmp(buf, "hex:", 4) == 0) {
    size_t n = len - 4;
    if (n == 0 || n % 2 != 0 || n / 2 > CFG_PSK_MAX) {
      rc = fail(err, cap, "%s.key_file: hex key must have 2..%u digits, even count", where,
                2 * CFG_PSK_MAX);
    } else {
      for (size_t i = 0; i < n / 2 && rc == 0; i++) {
        unsigned v;
        if (sscanf((const char *)buf + 4 + 2 * i, "%2x", &v) != 1)
          rc = fail(err, cap, "%s.key_file: not hexadecimal", where);
        key[i] = (uint8_t)v;
      }
      *key_len = n / 2;
    }
  } else if (len == 0 || len > CFG_PSK_MAX) {
    rc = fail(err, cap, "%s.key_file: the key must have 1..%u bytes", where, CFG_PSK_MAX);
  } else {
    memcpy(key, buf, len);
    *key_len = len;
  }
  OPENSSL_cleanse(buf, len);
  free(buf);
  return rc;
}

static int load_credentials(mefc_config *cfg, const json_t *c, char *err, size_t cap)
{
  static const char *const keys[] = {"psk", "cert", NULL};
  static const char *const psk_keys[] = {"identity", "key_file", NULL};
  static const char *const cert_keys[] = {"cert_file", "key_file", "trust_anchors", NULL};
  int bad = 0;
  const json_t *psk, *cert;

  if (check_keys(c, keys, "credentials", err, cap) != 0)
    return -1;
  psk = get_obj(c, "psk", "credentials", false, &bad, err, cap);
  cert = get_obj(c, "cert", "credentials", false, &bad, err, cap);
  if (bad)
    return -1;
  if ((psk == NULL) == (cert == NULL))
    return fail(err, cap, "credentials: give exactly one of \"psk\" and \"cert\"");
  if (psk != NULL) {
    char *kf = NULL;
    cfg->cred = CFG_CRED_PSK;
    if (check_keys(psk, psk_keys, "credentials.psk", err, cap) != 0 ||
        get_str(psk, "identity", "credentials.psk", true, &cfg->psk_identity, err, cap) != 0 ||
        get_path(cfg, psk, "key_file", "credentials.psk", true, &kf, err, cap) != 0)
      return -1;
    if (strlen(cfg->psk_identity) > 255) {
      free(kf);
      return fail(err, cap, "credentials.psk.identity: longer than 255 bytes");
    }
    int r = load_psk_key(kf, "credentials.psk", cfg->psk_key, &cfg->psk_key_len, err, cap);
    free(kf);
    return r;
  }
  cfg->cred = CFG_CRED_CERT;
  if (check_keys(cert, cert_keys, "credentials.cert", err, cap) != 0 ||
      get_path(cfg, cert, "cert_file", "credentials.cert", true, &cfg->cert_file, err, cap) != 0 ||
      get_path(cfg, cert, "key_file", "credentials.cert", true, &cfg->key_file, err, cap) != 0 ||
      get_path(cfg, cert, "trust_anchors", "credentials.cert", true, &cfg->trust_anchors, err,
               cap) != 0)
    return -1;
  return 0;
}

/* The SCEP section: the challenge password (from a file, like the PSK), the
 * SHA-256 fingerprint the CA of GetCACert must have, the RSA key size
 * (RFC 8894 key transport needs an RSA key). */
static int load_scep(mefc_config *cfg, const json_t *root, char *err, size_t cap)
{
  static const char *const scep_keys[] = {"challenge_file", "ca_fingerprint", "key", NULL};
  int bad = 0;
  const json_t *o = get_obj(root, "scep", "", false, &bad, err, cap);
  char *cf = NULL, *fp = NULL, *k = NULL;
  int rc = 0;
  if (bad)
    return -1;
  if (o == NULL)
    return 0;
  if (check_keys(o, scep_keys, "scep", err, cap) != 0 ||
      get_path(cfg, o, "challenge_file", "scep", false, &cf, err, cap) != 0 ||
      get_str(o, "ca_fingerprint", "scep", false, &fp, err, cap) != 0 ||
      get_str(o, "key", "scep", false, &k, err, cap) != 0)
    rc = -1;
  if (rc == 0 && cf != NULL) {
    uint8_t *buf;
    size_t len;
    char ferr[256];
    if (fsu_read_file(cf, 4096, 0, &buf, &len, ferr, sizeof ferr) != 0) {
      rc = fail(err, cap, "scep.challenge_file: %s", ferr);
    } else {
      size_t n = len;
      while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
        n--;
      bool printable = n > 0 && n <= 255;
      for (size_t i = 0; i < n && printable; i++)
        printable = buf[i] >= 0x20 && buf[i] < 0x7f;
      if (!printable) {
        rc = fail(err, cap, "scep.challenge_file: the password must have 1..255 printable ASCII "
                  "characters");
      } else if ((cfg->scep_challenge = malloc(n + 1)) == NULL) {
        rc = fail(err, cap, "out of memory");
      } else {
        memcpy(cfg->scep_challenge, buf, n);
        cfg->scep_challenge[n] = '\0';
      }
      OPENSSL_cleanse(buf, len);
      free(buf);
    }
  }
  if (rc == 0 && fp != NULL) {
    bool hex = strlen(fp) == 2 * MEFC_FP_LEN;
    for (size_t i = 0; i < MEFC_FP_LEN && hex; i++) {
      unsigned v = 0;
      hex = isxdigit((unsigned char)fp[2 * i]) && isxdigit((unsigned char)fp[2 * i + 1]) &&
            sscanf(fp + 2 * i, "%2x", &v) == 1;
      cfg->scep_ca_fp[i] = (uint8_t)v;
    }
    if (!hex)
      rc = fail(err, cap, "scep.ca_fingerprint: must be 64 hexadecimal digits (SHA-256)");
    cfg->scep_has_ca_fp = hex;
  }
  if (rc == 0 && k != NULL) {
    if (strcmp(k, "rsa-2048") == 0 || strcmp(k, "rsa-3072") == 0 || strcmp(k, "rsa-4096") == 0)
      cfg->scep_rsa_bits = (uint32_t)atoi(k + 4);
    else
      rc = fail(err, cap, "scep.key: must be \"rsa-2048\", \"rsa-3072\" or \"rsa-4096\"");
  }
  free(cf);
  free(fp);
  free(k);
  return rc;
}

/* The maf section (ruling I-41): a pre-provisioned Km/KmID for the MAF
 * Handshake (8.8.2.2, 8.8.3.1), or the trust anchors that the MAF's
 * certificate must chain to when the client certificate is used. */
static int load_maf(mefc_config *cfg, const json_t *root, char *err, size_t cap)
{
  static const char *const maf_keys[] = {"psk", "trust_anchors", NULL};
  static const char *const psk_keys[] = {"identity", "key_file", NULL};
  int bad = 0;
  const json_t *o = get_obj(root, "maf", "", false, &bad, err, cap);
  if (bad)
    return -1;
  if (o == NULL)
    return 0;
  const json_t *psk = get_obj(o, "psk", "maf", false, &bad, err, cap);
  if (bad || check_keys(o, maf_keys, "maf", err, cap) != 0 ||
      get_path(cfg, o, "trust_anchors", "maf", false, &cfg->maf_trust_anchors, err, cap) != 0)
    return -1;
  if (psk == NULL)
    return 0;
  char *kf = NULL;
  if (check_keys(psk, psk_keys, "maf.psk", err, cap) != 0 ||
      get_str(psk, "identity", "maf.psk", true, &cfg->maf_psk_identity, err, cap) != 0 ||
      get_path(cfg, psk, "key_file", "maf.psk", true, &kf, err, cap) != 0)
    return -1;
  const char *at = strrchr(cfg->maf_psk_identity, '@');
  int r = strlen(cfg->maf_psk_identity) > 255 || at == NULL || at == cfg->maf_psk_identity ||
                  at[1] == '\0'
              ? fail(err, cap, "maf.psk.identity: a KmID MAF_RELATIVE_KmID@MAF-FQDN (TS-0003 "
                               "10.6) of at most 255 bytes")
              : load_psk_key(kf, "maf.psk", cfg->maf_psk_key, &cfg->maf_psk_key_len, err, cap);
  free(kf);
  return r;
}

static int load_sections(mefc_config *cfg, const json_t *root, char *err, size_t cap)
{
  static const char *const keys[] = {"mef", "identity", "credentials", "https", "state_dir",
                                     "coap", "http", "registration", "est", "scep", "run", "client",
                                     "mo", "maf", "lwm2m", "comment", NULL};
  static const char *const lwm2m_keys[] = {"timeout_ms", NULL};
  static const char *const https_keys[] = {"trust_anchors", "client_cert", NULL};
  static const char *const coap_keys[] = {"ack_timeout_ms", "max_retransmit",
                                          "response_timeout_ms", "send_rvi", "send_ty", NULL};
  static const char *const http_keys[] = {"response_timeout_ms", NULL};
  static const char *const reg_keys[] = {"labels", "expiration", NULL};
  static const char *const est_keys[] = {"key", "max_attempts", "max_retry_after_s", NULL};
  static const char *const run_keys[] = {"once_max_backoffs", NULL};
  int bad = 0;
  const json_t *o;

  if (!json_is_object(root))
    return fail(err, cap, "the configuration must be a JSON object");
  if (check_keys(root, keys, "configuration", err, cap) != 0)
    return -1;

  o = get_obj(root, "mef", "", true, &bad, err, cap);
  if (bad || load_mef(cfg, o, err, cap) != 0)
    return -1;
  if (get_str(root, "identity", "configuration", false, &cfg->identity, err, cap) != 0)
    return -1;
  if (cfg->identity != NULL && strlen(cfg->identity) > 255)
    return fail(err, cap, "identity: longer than 255 bytes (the FR option's limit)");
  o = get_obj(root, "credentials", "", cfg->secure, &bad, err, cap);
  if (bad || (o != NULL && load_credentials(cfg, o, err, cap) != 0))
    return -1;
  if (cfg->cred != CFG_CRED_PSK && cfg->identity == NULL)
    return fail(err, cap, "identity: missing (the From of requests without PSK credentials)");

  cfg->https_client_cert = cfg->cred == CFG_CRED_CERT;
  o = get_obj(root, "https", "", false, &bad, err, cap);
  if (bad)
    return -1;
  if (o != NULL) {
    if (check_keys(o, https_keys, "https", err, cap) != 0 ||
        get_path(cfg, o, "trust_anchors", "https", false, &cfg->https_trust_anchors, err, cap) != 0 ||
        get_bool(o, "client_cert", "https", &cfg->https_client_cert, err, cap) != 0)
      return -1;
    if (cfg->https_client_cert && cfg->cred != CFG_CRED_CERT)
      return fail(err, cap, "https.client_cert: needs credentials.cert");
  }
  if (cfg->https_trust_anchors == NULL && cfg->trust_anchors != NULL)
    cfg->https_trust_anchors = dup_str(cfg->trust_anchors);

  {
    char *sd;
    if (get_str(root, "state_dir", "configuration", true, &sd, err, cap) != 0)
      return -1;
    cfg->state_dir = fsu_join(cfg->dir, sd);
    free(sd);
  }

  o = get_obj(root, "coap", "", false, &bad, err, cap);
  if (bad || (o != NULL && (check_keys(o, coap_keys, "coap", err, cap) != 0 ||
                            get_uint(o, "ack_timeout_ms", "coap", 100, 60000, &cfg->ack_timeout_ms,
                                     err, cap) != 0 ||
                            get_uint(o, "max_retransmit", "coap", 0, 10, &cfg->max_retransmit, err,
                                     cap) != 0 ||
                            get_uint(o, "response_timeout_ms", "coap", 100, 600000,
                                     &cfg->response_timeout_ms, err, cap) != 0 ||
                            get_bool(o, "send_rvi", "coap", &cfg->send_rvi, err, cap) != 0 ||
                            get_bool(o, "send_ty", "coap", &cfg->send_ty, err, cap) != 0)))
    return -1;

  o = get_obj(root, "http", "", false, &bad, err, cap);
  if (bad || (o != NULL && (check_keys(o, http_keys, "http", err, cap) != 0 ||
                            get_uint(o, "response_timeout_ms", "http", 100, 600000,
                                     &cfg->http_response_timeout_ms, err, cap) != 0)))
    return -1;

  o = get_obj(root, "registration", "", false, &bad, err, cap);
  if (bad)
    return -1;
  if (o != NULL) {
    json_t *l = json_object_get(o, "labels");
    if (check_keys(o, reg_keys, "registration", err, cap) != 0 ||
        get_str(o, "expiration", "registration", false, &cfg->expiration, err, cap) != 0)
      return -1;
    if (l != NULL) {
      if (!json_is_array(l))
        return fail(err, cap, "registration.labels: must be an array of strings");
      for (size_t i = 0; i < json_array_size(l); i++) {
        if (!json_is_string(json_array_get(l, i)))
          return fail(err, cap, "registration.labels[%zu]: must be a string", i);
      }
      cfg->labels = json_deep_copy(l);
    }
  }

  o = get_obj(root, "est", "", false, &bad, err, cap);
  if (bad)
    return -1;
  if (o != NULL) {
    char *k = NULL;
    if (check_keys(o, est_keys, "est", err, cap) != 0 ||
        get_str(o, "key", "est", false, &k, err, cap) != 0 ||
        get_uint(o, "max_attempts", "est", 1, 20, &cfg->est_max_attempts, err, cap) != 0 ||
        get_uint(o, "max_retry_after_s", "est", 0, 3600, &cfg->est_max_retry_after_s, err, cap) != 0)
      return -1;
    if (k != NULL) {
      if (strcmp(k, "ec-p256") == 0) {
        cfg->est_key_type = CFG_KEY_EC_P256;
      } else if (strcmp(k, "rsa-2048") == 0 || strcmp(k, "rsa-3072") == 0 ||
                 strcmp(k, "rsa-4096") == 0) {
        cfg->est_key_type = CFG_KEY_RSA;
        cfg->est_rsa_bits = (uint32_t)atoi(k + 4);
      } else {
        free(k);
        return fail(err, cap, "est.key: must be \"ec-p256\", \"rsa-2048\", \"rsa-3072\" or \"rsa-4096\"");
      }
      free(k);
    }
  }

  if (load_scep(cfg, root, err, cap) != 0 || load_maf(cfg, root, err, cap) != 0)
    return -1;

  o = get_obj(root, "run", "", false, &bad, err, cap);
  if (bad || (o != NULL && (check_keys(o, run_keys, "run", err, cap) != 0 ||
                            get_uint(o, "once_max_backoffs", "run", 1, 1000,
                                     &cfg->once_max_backoffs, err, cap) != 0)))
    return -1;

  o = get_obj(root, "lwm2m", "", false, &bad, err, cap);
  if (bad || (o != NULL && (check_keys(o, lwm2m_keys, "lwm2m", err, cap) != 0 ||
                            get_uint(o, "timeout_ms", "lwm2m", 500, 600000,
                                     &cfg->lwm2m_timeout_ms, err, cap) != 0)))
    return -1;

  /* The profile: client_json's format; mef_fqdn defaults to mef.fqdn. The
   * MO tree is the "mo" array with the nodes a DEV_CFG bootstrap stored
   * merged in (lwm2m_store.h), checked as one. */
  {
    json_t *client = json_object_get(root, "client");
    json_t *conf_mo = json_object_get(root, "mo");
    json_t *mo = NULL;
    char cerr[MEFC_CJ_ERR_MAX];
    if (conf_mo != NULL && (cfg->mo_configured = json_deep_copy(conf_mo)) == NULL)
      return fail(err, cap, "out of memory");
    if (lw_mo_load(cfg->state_dir, conf_mo, &cfg->mo_json, err, cap) != 0)
      return -1;
    mo = cfg->mo_json;
    if (client == NULL)
      return fail(err, cap, "client: missing (role, acts_for, classes, ...)");
    if (!json_is_object(client))
      return fail(err, cap, "client: must be an object");
    json_t *copy = json_deep_copy(client);
    if (copy == NULL)
      return fail(err, cap, "out of memory");
    json_t *f = json_object_get(copy, "mef_fqdn");
    if (f == NULL) {
      json_object_set_new(copy, "mef_fqdn", json_string(cfg->mef_fqdn));
    } else if (!json_is_string(f) || strcmp(json_string_value(f), cfg->mef_fqdn) != 0) {
      json_decref(copy);
      return fail(err, cap, "client.mef_fqdn: differs from mef.fqdn (leave it out)");
    }
    int r = mefc_client_from_json(copy, mo, &cfg->client, cerr, sizeof cerr);
    json_decref(copy);
    if (r != 0) {
      struct stat st;
      char *sp = fsu_join(cfg->state_dir, LW_STORE_FILE);
      bool boot = sp != NULL && stat(sp, &st) == 0;
      free(sp);
      return fail(err, cap, "%s%s", cerr,
                  boot ? " (in the MO tree with the bootstrapped nodes of " LW_STORE_FILE ")" : "");
    }
    /* The values the core does not keep (durations, labels, FQDNs, ports)
     * are read from cfg->mo_json by the MO procedures, by node index. */
  }
  return 0;
}

mefc_config *cfg_load(const char *path, char *err, size_t cap)
{
  uint8_t *buf;
  size_t len;
  json_error_t je;
  mefc_config *cfg = calloc(1, sizeof *cfg);

  if (cfg == NULL) {
    fail(err, cap, "out of memory");
    return NULL;
  }
  cfg->ack_timeout_ms = 2000;
  cfg->max_retransmit = 4;
  cfg->response_timeout_ms = 60000;
  cfg->http_response_timeout_ms = 60000;
  cfg->est_key_type = CFG_KEY_EC_P256;
  cfg->est_rsa_bits = 2048;
  cfg->est_max_attempts = 3;
  cfg->est_max_retry_after_s = 30;
  cfg->scep_rsa_bits = 2048;
  cfg->once_max_backoffs = 5;
  cfg->lwm2m_timeout_ms = 30000;
  cfg->path = dup_str(path);
  cfg->dir = fsu_dirname(path);
  if (cfg->path == NULL || cfg->dir == NULL) {
    fail(err, cap, "out of memory");
    cfg_free(cfg);
    return NULL;
  }
  if (fsu_read_file(path, CFG_FILE_MAX, 0, &buf, &len, err, cap) != 0) {
    cfg_free(cfg);
    return NULL;
  }
  json_t *root = json_loadb((const char *)buf, len, JSON_REJECT_DUPLICATES, &je);
  free(buf);
  if (root == NULL) {
    fail(err, cap, "%s:%d:%d: %s", path, je.line, je.column, je.text);
    cfg_free(cfg);
    return NULL;
  }
  char inner[512];
  if (load_sections(cfg, root, inner, sizeof inner) != 0) {
    fail(err, cap, "%s: %s", path, inner);
    json_decref(root);
    cfg_free(cfg);
    return NULL;
  }
  json_decref(root);
  return cfg;
}

void cfg_free(mefc_config *cfg)
{
  if (cfg == NULL)
    return;
  OPENSSL_cleanse(cfg->psk_key, sizeof cfg->psk_key);
  OPENSSL_cleanse(cfg->maf_psk_key, sizeof cfg->maf_psk_key);
  free(cfg->maf_psk_identity);
  free(cfg->maf_trust_anchors);
  free(cfg->path);
  free(cfg->dir);
  free(cfg->mef_host);
  free(cfg->mef_fqdn);
  for (size_t i = 0; i < cfg->n_hosts; i++) {
    free(cfg->hosts[i].name);
    free(cfg->hosts[i].addr);
  }
  free(cfg->identity);
  free(cfg->psk_identity);
  free(cfg->cert_file);
  free(cfg->key_file);
  free(cfg->trust_anchors);
  free(cfg->https_trust_anchors);
  free(cfg->state_dir);
  if (cfg->labels != NULL)
    json_decref(cfg->labels);
  if (cfg->mo_json != NULL)
    json_decref(cfg->mo_json);
  if (cfg->mo_configured != NULL)
    json_decref(cfg->mo_configured);
  free(cfg->expiration);
  if (cfg->scep_challenge != NULL)
    OPENSSL_cleanse(cfg->scep_challenge, strlen(cfg->scep_challenge));
  free(cfg->scep_challenge);
  free(cfg);
}

const char *cfg_resolve_host(const mefc_config *cfg, const char *name)
{
  for (size_t i = 0; i < cfg->n_hosts; i++) {
    if (strcasecmp(cfg->hosts[i].name, name) == 0)
      return cfg->hosts[i].addr;
  }
  return name;
}

const char *cfg_originator(const mefc_config *cfg)
{
  return cfg->cred == CFG_CRED_PSK ? cfg->psk_identity : cfg->identity;
}

const char *cfg_scheme(const mefc_config *cfg)
{
  if (cfg->binding == CFG_BIND_HTTP)
    return "https";
  return cfg->secure ? "coaps" : "coap";
}

const char *cfg_security(const mefc_config *cfg)
{
  int tls = cfg->binding == CFG_BIND_HTTP;
  if (!cfg->secure)
    return "no DTLS";
  if (cfg->cred == CFG_CRED_PSK)
    return tls ? "TLS PSK" : "DTLS PSK";
  return tls ? "TLS certificates" : "DTLS certificates";
}
