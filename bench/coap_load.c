/* The libcoap-only side of the end-to-end benchmark: N simulated MEF Clients,
 * each on its own DTLS-PSK session to mefd, register and then repeat command
 * cycles as fast as mefd answers. A cycle is Retrieve (GET) then Update (PUT)
 * of the command just retrieved, or with --put-only the Update alone, whose
 * response carries the next command (the exchange a client makes per command
 * once it runs). With N = 1 this is the floor a client program is held to.
 * Usage: coap_load PORT CLIENTS SECONDS [--put-only]
 * PSK identity of client i is load-i, its key the text load-secret-i. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <sys/resource.h>
#include <coap3/coap.h>

#define OPT_FR 279u
#define OPT_RQI 283u
#define CF_RES_JSON 10001u
#define MAX_HANDSHAKES 32 /* clients registering at once: mefd's libcoap caps handshakes */
#define MAX_LAT 2000000u

enum phase { P_IDLE, P_REGISTER, P_READY, P_GET, P_PUT, P_DEAD };

struct client {
  coap_session_t *s;
  char ident[32];
  char key[32];
  char path[64];  /* mef/<rn>/cmd */
  char mcci[80];  /* the command to report */
  int phase;
  double t_start; /* of the cycle in progress */
  int due;        /* a response came: send the next request from the main loop */
};

static struct client *cl;
static int n_cl, put_only, measuring, registering, stopping;
static unsigned long cycles, errors;
static double *lat;
static size_t n_lat;

static double now_us(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static void add_path(coap_optlist_t **ol, const char *p)
{
  while (*p != '\0') {
    size_t n = strcspn(p, "/");
    coap_insert_optlist(ol, coap_new_optlist(COAP_OPTION_URI_PATH, n, (const uint8_t *)p));
    p += n;
    while (*p == '/')
      p++;
  }
}

static int send_req(struct client *c, coap_pdu_code_t code, const char *path, const char *body)
{
  coap_optlist_t *ol = NULL;
  uint8_t tok[8], cf[4];
  size_t tl;
  coap_pdu_t *pdu = coap_new_pdu(COAP_MESSAGE_CON, code, c->s);
  if (pdu == NULL)
    return -1;
  coap_session_new_token(c->s, &tl, tok);
  coap_add_token(pdu, tl, tok);
  add_path(&ol, path);
  if (body != NULL)
    coap_insert_optlist(&ol, coap_new_optlist(COAP_OPTION_CONTENT_FORMAT,
                                              coap_encode_var_safe(cf, sizeof cf, CF_RES_JSON), cf));
  coap_insert_optlist(&ol, coap_new_optlist(OPT_FR, strlen(c->ident), (const uint8_t *)c->ident));
  coap_add_optlist_pdu(pdu, &ol);
  coap_delete_optlist(ol);
  if (body != NULL)
    coap_add_data(pdu, strlen(body), (const uint8_t *)body);
  return coap_send(c->s, pdu) == COAP_INVALID_MID ? -1 : 0;
}

/* Copy the string value of "name" in a small JSON body; mefd writes these
 * members plainly (no escapes in the IDs it issues here). */
static int json_str(const uint8_t *b, size_t len, const char *name, char *out, size_t cap)
{
  char pat[16];
  snprintf(pat, sizeof pat, "\"%s\":\"", name);
  const char *p = memmem(b, len, pat, strlen(pat));
  if (p == NULL)
    return -1;
  p += strlen(pat);
  const char *e = memchr(p, '"', len - (size_t)(p - (const char *)b));
  if (e == NULL || (size_t)(e - p) >= cap)
    return -1;
  memcpy(out, p, (size_t)(e - p));
  out[e - p] = '\0';
  return 0;
}

static void next(struct client *c)
{
  char body[160];
  int rc = 0;
  if (stopping) {
    c->phase = P_READY;
    return;
  }
  if (c->phase == P_READY || (c->phase == P_PUT && !put_only)) {
    c->phase = P_GET;
    c->t_start = now_us();
    rc = send_req(c, COAP_REQUEST_CODE_GET, c->path, NULL);
  } else {
    if (c->phase == P_PUT)
      c->t_start = now_us();
    c->phase = P_PUT;
    snprintf(body, sizeof body, "{\"sec:mcc\":{\"mcci\":\"%s\",\"mccs\":20}}", c->mcci);
    rc = send_req(c, COAP_REQUEST_CODE_PUT, c->path, body);
  }
  if (rc != 0) {
    errors++;
    c->phase = P_DEAD;
  }
}

static coap_response_t on_response(coap_session_t *s, const coap_pdu_t *sent,
                                   const coap_pdu_t *rcvd, const coap_mid_t mid)
{
  struct client *c = coap_session_get_app_data(s);
  const uint8_t *data = NULL;
  size_t len = 0;
  (void)sent;
  (void)mid;
  if (c == NULL || coap_pdu_get_type(rcvd) == COAP_MESSAGE_RST)
    return COAP_RESPONSE_OK;
  coap_get_data(rcvd, &len, &data);
  if (COAP_RESPONSE_CLASS(coap_pdu_get_code(rcvd)) != 2 || data == NULL) {
    errors++;
    c->phase = P_DEAD;
    return COAP_RESPONSE_OK;
  }
  if (c->phase == P_REGISTER) {
    char rn[32];
    registering--;
    if (json_str(data, len, "rn", rn, sizeof rn) != 0) {
      errors++;
      c->phase = P_DEAD;
      return COAP_RESPONSE_OK;
    }
    snprintf(c->path, sizeof c->path, "mef/%s/cmd", rn);
    c->phase = P_READY;
    return COAP_RESPONSE_OK;
  }
  if (json_str(data, len, "mcci", c->mcci, sizeof c->mcci) != 0) {
    errors++;
    c->phase = P_DEAD;
    return COAP_RESPONSE_OK;
  }
  if (c->phase == P_PUT) {
    if (measuring) {
      cycles++;
      if (n_lat < MAX_LAT)
        lat[n_lat++] = now_us() - c->t_start;
    }
  }
  /* Sent once libcoap has finished with this response, as a client
   * program does between two requests. */
  c->due = 1;
  return COAP_RESPONSE_OK;
}

static void on_nack(coap_session_t *s, const coap_pdu_t *sent, const coap_nack_reason_t reason,
                    const coap_mid_t mid)
{
  struct client *c = coap_session_get_app_data(s);
  (void)sent;
  (void)mid;
  (void)reason;
  if (c != NULL && c->phase != P_DEAD) {
    if (c->phase == P_REGISTER)
      registering--;
    errors++;
    c->phase = P_DEAD;
  }
}

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static void run_for(coap_context_t *ctx, double us)
{
  double end = now_us() + us;
  while (now_us() < end) {
    /* Waits as a client program does (mefc too): a busy poll would spare
     * the floor the wake-up latency the client pays. */
    coap_io_process(ctx, 20);
    for (int i = 0; i < n_cl; i++) {
      if (cl[i].due) {
        cl[i].due = 0;
        next(&cl[i]);
      }
    }
  }
}

int main(int argc, char **argv)
{
  if (argc < 4) {
    fprintf(stderr, "usage: coap_load PORT CLIENTS SECONDS [--put-only]\n");
    return 2;
  }
  int port = atoi(argv[1]);
  n_cl = atoi(argv[2]);
  double secs = atof(argv[3]);
  put_only = argc > 4 && strcmp(argv[4], "--put-only") == 0;
  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max; /* one UDP socket per session */
    setrlimit(RLIMIT_NOFILE, &rl);
  }
  cl = calloc((size_t)n_cl, sizeof *cl);
  lat = malloc(MAX_LAT * sizeof *lat);
  if (n_cl < 1 || cl == NULL || lat == NULL)
    return 2;

  coap_startup();
  coap_set_log_level(LOG_EMERG);
  coap_dtls_set_log_level(LOG_EMERG);
  coap_context_t *ctx = coap_new_context(NULL);
  coap_context_set_block_mode(ctx, COAP_BLOCK_USE_LIBCOAP | COAP_BLOCK_SINGLE_BODY);
  coap_register_option(ctx, OPT_RQI);
  coap_register_option(ctx, 307);
  coap_register_response_handler(ctx, on_response);
  coap_register_nack_handler(ctx, on_nack);
  coap_address_t dst;
  coap_address_init(&dst);
  dst.addr.sin.sin_family = AF_INET;
  dst.addr.sin.sin_port = htons((uint16_t)port);
  dst.addr.sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  dst.size = sizeof dst.addr.sin;

  /* Register every client, a few handshakes at a time. */
  double t0 = now_us();
  int started = 0, ready = 0;
  while (ready < n_cl && now_us() - t0 < 120e6) {
    while (started < n_cl && registering < MAX_HANDSHAKES) {
      struct client *c = &cl[started++];
      coap_dtls_cpsk_t psk;
      snprintf(c->ident, sizeof c->ident, "load-%d", (int)(c - cl));
      snprintf(c->key, sizeof c->key, "load-secret-%d", (int)(c - cl));
      memset(&psk, 0, sizeof psk);
      psk.version = COAP_DTLS_CPSK_SETUP_VERSION;
      psk.psk_info.identity.s = (const uint8_t *)c->ident;
      psk.psk_info.identity.length = strlen(c->ident);
      psk.psk_info.key.s = (const uint8_t *)c->key;
      psk.psk_info.key.length = strlen(c->key);
      c->s = coap_new_client_session_psk2(ctx, NULL, &dst, COAP_PROTO_DTLS, &psk);
      if (c->s == NULL) {
        c->phase = P_DEAD;
        errors++;
        continue;
      }
      coap_session_set_app_data(c->s, c);
      c->phase = P_REGISTER;
      registering++;
      if (send_req(c, COAP_REQUEST_CODE_POST, "mef", "{\"sec:mecr\":{}}") != 0) {
        c->phase = P_DEAD;
        registering--;
        errors++;
      }
    }
    coap_io_process(ctx, 20);
    ready = 0;
    for (int i = 0; i < started; i++)
      ready += cl[i].phase == P_READY || cl[i].phase == P_DEAD;
    if (started == n_cl && registering == 0)
      break;
  }
  int alive = 0;
  for (int i = 0; i < n_cl; i++)
    alive += cl[i].phase == P_READY;
  double t_reg = (now_us() - t0) / 1e6;

  for (int i = 0; i < n_cl; i++) {
    if (cl[i].phase == P_READY)
      next(&cl[i]);
  }
  run_for(ctx, 0.2e6 + 0.1 * secs * 1e6); /* warm-up */
  measuring = 1;
  double m0 = now_us();
  run_for(ctx, secs * 1e6);
  double m = (now_us() - m0) / 1e6;
  measuring = 0;
  stopping = 1;
  run_for(ctx, 0.3e6);

  qsort(lat, n_lat, sizeof lat[0], cmp_double);
  double p50 = n_lat ? lat[n_lat / 2] : 0, p99 = n_lat ? lat[(n_lat * 99) / 100] : 0;
  printf("clients=%d alive=%d register_s=%.2f cycle=%s cycles=%lu seconds=%.2f rate=%.1f "
         "p50_us=%.1f p99_us=%.1f errors=%lu\n",
         n_cl, alive, t_reg, put_only ? "put" : "get+put", cycles, m, (double)cycles / m, p50, p99,
         errors);
  for (int i = 0; i < n_cl; i++) {
    if (cl[i].s != NULL)
      coap_session_release(cl[i].s);
  }
  coap_free_context(ctx);
  coap_cleanup();
  return alive == n_cl && cycles > 0 ? 0 : 1;
}
