/* mefd: the reference MEF of the mefc project. Loads the settings, the PSKs,
 * the CA and the campaign, then runs one libevent loop that serves CoAP (via
 * libcoap's descriptor) and HTTPS (EST, trust anchors and the oneM2M HTTP
 * binding) until --max-seconds pass or a signal comes. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "campaign.h"
#include "ca.h"
#include "coap_server.h"
#include "est_server.h"
#include "http_onem2m.h"
#include "log.h"
#include "maf.h"
#include "options.h"
#include "psk.h"
#include "registry.h"
#include "results.h"
#include "resume.h"

/* libcoap's retransmissions and session timeouts need a regular call even
 * when no datagram arrives. */
#define COAP_TICK_MS 100

static void on_coap_fd(evutil_socket_t fd, short what, void *arg)
{
  (void)fd;
  (void)what;
  mefd_coap_process(arg);
}

static void on_maf_coap_fd(evutil_socket_t fd, short what, void *arg)
{
  (void)fd;
  (void)what;
  mefd_maf_coap_process(arg);
}

static void on_stop(evutil_socket_t fd, short what, void *arg)
{
  (void)fd;
  if (what & EV_SIGNAL)
    mefd_log("stop: signal %d", (int)fd);
  else
    mefd_log("stop: --max-seconds reached");
  event_base_loopbreak(arg);
}

int main(int argc, char **argv)
{
  struct mefd_opts o;
  int rc = mefd_opts_parse(&o, argc, argv);
  if (rc != 0) {
    mefd_opts_free(&o);
    return rc > 0 ? 0 : 2;
  }
  signal(SIGPIPE, SIG_IGN);

  struct mefd_psk_table psk = {NULL, 0};
  struct mefd_ca ca = {NULL, NULL};
  struct mefd_campaign camp = {NULL, 0};
  struct mefd_results res = {-1, NULL};
  struct mefd_registry reg;
  struct mefd_coap coap;
  struct mefd_est est;
  struct mefd_http_om2m om2m;
  struct mefd_maf maf;
  struct event_base *base = NULL;
  struct event *ev_coap = NULL, *ev_tick = NULL, *ev_timeout = NULL, *ev_int = NULL,
               *ev_term = NULL, *ev_maf_coap = NULL, *ev_maf_tick = NULL;
  bool have_ca = false, have_coap = false, have_est = false;
  int status = 1;
  memset(&coap, 0, sizeof coap);
  memset(&est, 0, sizeof est);
  memset(&om2m, 0, sizeof om2m);
  memset(&maf, 0, sizeof maf);
  om2m.kr.dir = o.key_dir;

  if (o.psk_file != NULL && mefd_psk_load(&psk, o.psk_file) != 0)
    goto out;
  if (o.ca != NULL) {
    if (mefd_ca_load(&ca, o.ca, o.ca_key) != 0)
      goto out;
    have_ca = true;
  }
  if (mefd_campaign_load(&camp, o.campaign) != 0 || mefd_results_open(&res, o.results) != 0)
    goto out;
  mefd_registry_init(&reg, &camp);
  reg.reg_seconds = o.registration_seconds;
  if (o.resume && mefd_resume(&reg, o.results) != 0)
    goto out;

  base = event_base_new();
  if (base == NULL)
    goto out;
  have_coap = true;
  if (mefd_coap_start(&coap, &o, &reg, &res, &psk, &om2m.kr) != 0)
    goto out;
  if (o.https_port != 0) {
    have_est = true;
    if (mefd_est_start(&est, base, &o, &reg, have_ca ? &ca : NULL, &psk) != 0 ||
        mefd_http_om2m_start(&om2m, est.http, &reg, &res) != 0)
      goto out;
  }
  if ((o.maf_https_port != 0 || o.maf_coaps_port != 0) &&
      mefd_maf_start(&maf, base, &o, &reg) != 0)
    goto out;
  ev_coap = event_new(base, mefd_coap_fd(&coap), EV_READ | EV_PERSIST, on_coap_fd, &coap);
  ev_tick = event_new(base, -1, EV_PERSIST, on_coap_fd, &coap);
  ev_int = evsignal_new(base, SIGINT, on_stop, base);
  ev_term = evsignal_new(base, SIGTERM, on_stop, base);
  struct timeval tick = {0, COAP_TICK_MS * 1000};
  if (ev_coap == NULL || ev_tick == NULL || ev_int == NULL || ev_term == NULL ||
      event_add(ev_coap, NULL) != 0 || event_add(ev_tick, &tick) != 0 ||
      event_add(ev_int, NULL) != 0 || event_add(ev_term, NULL) != 0)
    goto out;
  if (o.maf_coaps_port != 0) {
    /* The MAF's libcoap context: its own descriptor and timers. */
    ev_maf_coap = event_new(base, mefd_maf_coap_fd(&maf), EV_READ | EV_PERSIST, on_maf_coap_fd,
                            &maf);
    ev_maf_tick = event_new(base, -1, EV_PERSIST, on_maf_coap_fd, &maf);
    if (ev_maf_coap == NULL || ev_maf_tick == NULL || event_add(ev_maf_coap, NULL) != 0 ||
        event_add(ev_maf_tick, &tick) != 0)
      goto out;
  }
  if (o.max_seconds > 0) {
    struct timeval limit = {o.max_seconds, 0};
    ev_timeout = evtimer_new(base, on_stop, base);
    if (ev_timeout == NULL || evtimer_add(ev_timeout, &limit) != 0)
      goto out;
  }
  mefd_log("ready (stops after %ld s%s)", o.max_seconds,
           o.max_seconds == 0 ? ": never, only on a signal" : "");
  status = event_base_dispatch(base) < 0 ? 1 : 0;

out:
  if (status != 0)
    mefd_log("stopped on an error");
  if (ev_coap != NULL)
    event_free(ev_coap);
  if (ev_tick != NULL)
    event_free(ev_tick);
  if (ev_maf_coap != NULL)
    event_free(ev_maf_coap);
  if (ev_maf_tick != NULL)
    event_free(ev_maf_tick);
  if (ev_timeout != NULL)
    event_free(ev_timeout);
  if (ev_int != NULL)
    event_free(ev_int);
  if (ev_term != NULL)
    event_free(ev_term);
  if (have_est)
    mefd_est_stop(&est);
  mefd_maf_stop(&maf);
  if (have_coap)
    mefd_coap_stop(&coap);
  if (base != NULL) {
    mefd_registry_free(&reg);
    event_base_free(base);
  }
  mefd_key_regs_free(&om2m.kr);
  mefd_results_close(&res);
  mefd_campaign_free(&camp);
  mefd_ca_free(&ca);
  mefd_psk_free(&psk);
  mefd_opts_free(&o);
  return status;
}
