/* mefd's settings: from a JSON configuration file (--config) and from
 * command-line flags, which override the file. One table lists every
 * setting once, with its flag name, its JSON key and its kind. */
#include "options.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#ifndef MEFD_VERSION
#define MEFD_VERSION "0.1.0"
#endif

enum kind { K_STR, K_PATH, K_PORT, K_SECONDS, K_EST_AUTH, K_FLAG };

struct setting {
  const char *flag;  /* without the leading "--" */
  const char *key;   /* JSON key in the configuration file */
  enum kind kind;
  size_t off;
  const char *arg;   /* what the value is, for --help ("" for a flag) */
  const char *help;
};

#define AT(f) offsetof(struct mefd_opts, f)
static const struct setting settings[] = {
  {"bind", "bind", K_STR, AT(bind), "ADDR", "address to listen on (127.0.0.1)"},
  {"coap-port", "coap_port", K_PORT, AT(coap_port),
    "N", "plain CoAP port, no security (0 = off, default)"},
  {"coaps-port", "coaps_port", K_PORT, AT(coaps_port), "N", "CoAP over DTLS port (5684; 0 = off)"},
  {"https-port", "https_port", K_PORT, AT(https_port),
    "N", "EST and trust-anchor HTTPS port (0 = off, default)"},
  {"psk-file", "psk_file", K_PATH, AT(psk_file),
    "FILE", "PSK per identity: lines \"identity,key\" (key text or hex:...)"},
  {"cert", "cert", K_PATH, AT(cert), "FILE", "the MEF's certificate (PEM), for DTLS and HTTPS"},
  {"key", "key", K_PATH, AT(key), "FILE", "the MEF's private key (PEM)"},
  {"ca", "ca", K_PATH, AT(ca), "FILE", "CA certificates (PEM) that client certificates chain to"},
  {"ca-key", "ca_key", K_PATH, AT(ca_key),
    "FILE", "key of the first --ca certificate: turns EST enrolment on"},
  {"ta-dir", "ta_dir", K_PATH, AT(ta_dir),
    "DIR", "trust anchors NAME.pem, served as /ta/NAME.pem and .der"},
  {"key-dir", "key_dir", K_PATH, AT(key_dir),
    "DIR", "MEF Key Registration: write each registered key here (0600)"},
  {"maf-https-port", "maf_https_port", K_PORT, AT(maf_https_port),
    "N", "MAF role: HTTPS port of a reference MAF (0 = off, default)"},
  {"maf-coaps-port", "maf_coaps_port", K_PORT, AT(maf_coaps_port),
    "N", "MAF role: CoAP over DTLS port of the reference MAF (0 = off, default)"},
  {"maf-fqdn", "maf_fqdn", K_STR, AT(maf_fqdn), "NAME", "MAF role: the MAF's FQDN"},
  {"maf-cert", "maf_cert", K_PATH, AT(maf_cert), "FILE", "MAF role: its certificate (PEM)"},
  {"maf-key", "maf_key", K_PATH, AT(maf_key), "FILE", "MAF role: its private key (PEM)"},
  {"maf-psk-file", "maf_psk_file", K_PATH, AT(maf_psk_file),
    "FILE", "MAF role: Km per KmID, lines \"KmID,MAF-Client-ID,key\""},
  {"campaign", "campaign", K_PATH, AT(campaign), "FILE", "the campaign (JSON), required"},
  {"results", "results", K_PATH, AT(results),
    "FILE", "results file (JSON lines, appended), required"},
  {"max-seconds", "max_seconds", K_SECONDS, AT(max_seconds),
    "N", "stop after N seconds (600; 0 = only on a signal)"},
  {"registration-seconds", "registration_seconds", K_SECONDS, AT(registration_seconds),
    "N", "grant registrations at most N seconds (0 = as asked, else a day)"},
  {"est-auth", "est_auth", K_EST_AUTH, AT(est_auth),
    "tls|none", "EST enrolment needs TLS client authentication (tls)"},
  {"verbose", "verbose", K_FLAG, AT(verbose), "", "pass libcoap's own debug log through"},
  {"resume", "resume", K_FLAG, AT(resume), "",
   "rebuild registrations and campaign positions from --results (a restarted MEF)"},
};
#undef AT
#define N_SETTINGS (sizeof settings / sizeof settings[0])

static void usage(FILE *f)
{
  fprintf(f, "usage: mefd [--config FILE] [OPTION...]\n"
             "The reference MEF: MEF Client Registration and MEF Client Commands over\n"
             "CoAP/DTLS, EST and trust anchors over HTTPS; with --maf-https-port or\n"
             "--maf-coaps-port also a reference MAF (MAF Client and Key Registration). Flags override the file.\n\n");
  fprintf(f, "  --%-20s %-8s %s\n", "config", "FILE",
          "JSON object with the keys in [] below (paths relative to it)");
  for (size_t i = 0; i < N_SETTINGS; i++)
    fprintf(f, "  --%-20s %-8s %s [%s]\n", settings[i].flag, settings[i].arg, settings[i].help,
            settings[i].key);
  fprintf(f, "  --help, --version\n");
}

static char **str_at(struct mefd_opts *o, const struct setting *s)
{
  return (char **)(void *)((char *)o + s->off);
}

static int set_str(char **dst, const char *v, const char *base_dir)
{
  char *copy;
  if (base_dir != NULL && v[0] != '/' && v[0] != '\0') {
    size_t n = strlen(base_dir) + strlen(v) + 2;
    copy = malloc(n);
    if (copy != NULL)
      snprintf(copy, n, "%s/%s", base_dir, v);
  } else {
    copy = strdup(v);
  }
  if (copy == NULL)
    return -1;
  free(*dst);
  *dst = copy;
  return 0;
}

static int parse_long(const char *v, long lo, long hi, long *out)
{
  char *end;
  errno = 0;
  long x = strtol(v, &end, 10);
  if (errno != 0 || end == v || *end != '\0' || x < lo || x > hi)
    return -1;
  *out = x;
  return 0;
}

/* Apply one setting given as text (flag value or JSON string/number text). */
static int apply(struct mefd_opts *o, const struct setting *s, const char *v, const char *base_dir)
{
  long x;
  char *p = (char *)o + s->off;
  switch (s->kind) {
  case K_STR:
    return set_str(str_at(o, s), v, NULL);
  case K_PATH:
    return set_str(str_at(o, s), v, base_dir);
  case K_PORT:
    if (parse_long(v, 0, 65535, &x) != 0)
      return -1;
    *(int *)(void *)p = (int)x;
    return 0;
  case K_SECONDS:
    if (parse_long(v, 0, 86400L * 365, &x) != 0)
      return -1;
    *(long *)(void *)p = x;
    return 0;
  case K_EST_AUTH:
    if (strcmp(v, "tls") == 0)
      *(int *)(void *)p = MEFD_EST_AUTH_TLS;
    else if (strcmp(v, "none") == 0)
      *(int *)(void *)p = MEFD_EST_AUTH_NONE;
    else
      return -1;
    return 0;
  case K_FLAG:
    *(bool *)(void *)p = strcmp(v, "true") == 0;
    return 0;
  }
  return -1;
}

static int load_config(struct mefd_opts *o, const char *path)
{
  json_error_t jerr;
  json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
  if (root == NULL) {
    fprintf(stderr, "mefd: %s:%d: %s\n", path, jerr.line, jerr.text);
    return -1;
  }
  int rc = 0;
  char *dir = strdup(path);
  char *slash = dir != NULL ? strrchr(dir, '/') : NULL;
  if (slash != NULL)
    *slash = '\0';
  const char *base = slash != NULL ? dir : ".";
  if (!json_is_object(root)) {
    fprintf(stderr, "mefd: %s: the configuration must be a JSON object\n", path);
    rc = -1;
  }
  const char *key;
  json_t *val;
  json_object_foreach(root, key, val) {
    if (rc != 0)
      break;
    const struct setting *s = NULL;
    for (size_t i = 0; i < N_SETTINGS; i++)
      if (strcmp(settings[i].key, key) == 0)
        s = &settings[i];
    char num[32];
    const char *text = NULL;
    if (s == NULL) {
      fprintf(stderr, "mefd: %s: unknown key \"%s\"\n", path, key);
      rc = -1;
      break;
    }
    if (s->kind == K_FLAG && json_is_boolean(val))
      text = json_is_true(val) ? "true" : "false";
    else if ((s->kind == K_PORT || s->kind == K_SECONDS) && json_is_integer(val)) {
      snprintf(num, sizeof num, "%lld", (long long)json_integer_value(val));
      text = num;
    } else if (s->kind != K_FLAG && s->kind != K_PORT && s->kind != K_SECONDS && json_is_string(val))
      text = json_string_value(val);
    if (text == NULL || apply(o, s, text, base) != 0) {
      fprintf(stderr, "mefd: %s: bad value for \"%s\"\n", path, key);
      rc = -1;
    }
  }
  free(dir);
  json_decref(root);
  return rc;
}

int mefd_opts_parse(struct mefd_opts *o, int argc, char **argv)
{
  memset(o, 0, sizeof *o);
  o->coaps_port = 5684;
  o->max_seconds = 600;
  o->est_auth = MEFD_EST_AUTH_TLS;
  if (set_str(&o->bind, "127.0.0.1", NULL) != 0)
    return -1;

  /* The file first, wherever --config stands, so that flags override it. */
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
      if (load_config(o, argv[i + 1]) != 0)
        return -1;
      i++;
    } else if (strncmp(argv[i], "--config=", 9) == 0) {
      if (load_config(o, argv[i] + 9) != 0)
        return -1;
    }
  }
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      usage(stdout);
      return 1;
    }
    if (strcmp(a, "--version") == 0) {
      printf("mefd %s\n", MEFD_VERSION);
      return 1;
    }
    if (strcmp(a, "--config") == 0) {
      i++;
      continue;
    }
    if (strncmp(a, "--config=", 9) == 0)
      continue;
    if (strncmp(a, "--", 2) != 0) {
      fprintf(stderr, "mefd: unexpected argument \"%s\" (see mefd --help)\n", a);
      return -1;
    }
    const char *name = a + 2;
    const char *eq = strchr(name, '=');
    size_t nlen = eq != NULL ? (size_t)(eq - name) : strlen(name);
    const struct setting *s = NULL;
    for (size_t k = 0; k < N_SETTINGS; k++)
      if (strlen(settings[k].flag) == nlen && strncmp(settings[k].flag, name, nlen) == 0)
        s = &settings[k];
    if (s == NULL) {
      fprintf(stderr, "mefd: unknown option \"%s\" (see mefd --help)\n", a);
      return -1;
    }
    const char *v;
    if (s->kind == K_FLAG && eq == NULL)
      v = "true";
    else if (eq != NULL)
      v = eq + 1;
    else if (i + 1 < argc)
      v = argv[++i];
    else {
      fprintf(stderr, "mefd: option --%s needs a value\n", s->flag);
      return -1;
    }
    if (apply(o, s, v, NULL) != 0) {
      fprintf(stderr, "mefd: bad value for --%s\n", s->flag);
      return -1;
    }
  }
  if (o->campaign == NULL || o->results == NULL) {
    fprintf(stderr, "mefd: --campaign and --results are required (see mefd --help)\n");
    return -1;
  }
  if ((o->cert == NULL) != (o->key == NULL)) {
    fprintf(stderr, "mefd: --cert and --key go together\n");
    return -1;
  }
  if (o->ca_key != NULL && o->ca == NULL) {
    fprintf(stderr, "mefd: --ca-key needs --ca\n");
    return -1;
  }
  if (o->https_port != 0 && o->cert == NULL) {
    fprintf(stderr, "mefd: --https-port needs --cert and --key\n");
    return -1;
  }
  if (o->maf_https_port != 0 && (o->maf_fqdn == NULL || o->maf_cert == NULL || o->maf_key == NULL)) {
    fprintf(stderr, "mefd: --maf-https-port needs --maf-fqdn, --maf-cert and --maf-key\n");
    return -1;
  }
  if (o->maf_coaps_port != 0 && (o->maf_fqdn == NULL || o->maf_cert == NULL || o->maf_key == NULL ||
                                 (o->maf_psk_file == NULL && o->ca == NULL))) {
    fprintf(stderr, "mefd: --maf-coaps-port needs --maf-fqdn, --maf-cert and --maf-key, and "
                    "--maf-psk-file or --ca\n");
    return -1;
  }
  if (o->coaps_port != 0 && o->psk_file == NULL && (o->cert == NULL || o->ca == NULL)) {
    fprintf(stderr, "mefd: --coaps-port needs --psk-file, or --cert, --key and --ca\n");
    return -1;
  }
  if (o->coap_port == 0 && o->coaps_port == 0) {
    fprintf(stderr, "mefd: no CoAP port: give --coaps-port (or --coap-port)\n");
    return -1;
  }
  return 0;
}

void mefd_opts_free(struct mefd_opts *o)
{
  for (size_t i = 0; i < N_SETTINGS; i++)
    if (settings[i].kind == K_STR || settings[i].kind == K_PATH) {
      free(*str_at(o, &settings[i]));
      *str_at(o, &settings[i]) = NULL;
    }
}
