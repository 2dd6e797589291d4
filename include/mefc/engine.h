/* The MEF Client Command engine: a pure step function
 * (state, event) -> (state', actions). Time, sockets, files and crypto are
 * events and actions; the shell performs the actions in the order given. */
#ifndef MEFC_ENGINE_H
#define MEFC_ENGINE_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "mefc/command.h"

enum mefc_state {
  MEFC_S_IDLE = 0,         /* not started, or stopped between exchanges */
  MEFC_S_AWAIT = 1,        /* a Retrieve or Update is outstanding */
  MEFC_S_EXECUTING = 2,    /* a procedure is running */
  MEFC_S_RETRY_TIMER = 3,  /* NO_MORE_COMMANDS retryDuration timer armed */
  MEFC_S_BACKOFF = 4       /* waiting to resend the pending request */
};

enum mefc_pending { MEFC_PEND_NONE = 0, MEFC_PEND_RETRIEVE = 1, MEFC_PEND_UPDATE = 2 };

typedef struct {
  uint32_t state;        /* enum mefc_state */
  uint32_t pending;      /* enum mefc_pending: the request outstanding or to be resent */
  mefc_record rec;       /* the durable record as the engine last persisted it */
  mefc_cmd_id upd_id;    /* the Update to send or resend */
  uint32_t upd_status;
  uint32_t exec_proc;    /* procedure running in EXECUTING */
  uint32_t backoff_ms;   /* next backoff delay */
} mefc_engine;

enum mefc_event_kind {
  MEFC_EV_START = 1,          /* registered (or restarted and registered again) */
  MEFC_EV_TRIGGER = 2,        /* an 8.3.4.6 trigger other than the timer */
  MEFC_EV_RESPONSE = 3,       /* a successful response to the outstanding request */
  MEFC_EV_TRANSPORT_FAIL = 4, /* the outstanding request failed, timed out or was refused */
  MEFC_EV_OUTCOME = 5,        /* the running procedure ended */
  MEFC_EV_TIMER = 6           /* the armed timer expired */
};

typedef struct {
  uint32_t kind;            /* enum mefc_event_kind */
  const uint8_t *payload;   /* RESPONSE: body */
  size_t len;
  uint32_t outcome;         /* OUTCOME: enum mefc_outcome */
} mefc_event;

enum mefc_action_kind {
  MEFC_ACT_SEND_RETRIEVE = 1,
  MEFC_ACT_SEND_UPDATE = 2,   /* id and status: engine.upd_id, engine.upd_status */
  MEFC_ACT_EXECUTE = 3,       /* procedure and arguments: workspace.decision */
  MEFC_ACT_PERSIST = 4,       /* write engine.rec durably before the next action */
  MEFC_ACT_ARM_TIMER = 5,     /* ms; reason: enum mefc_timer_reason */
  MEFC_ACT_CANCEL_TIMER = 6
};

enum mefc_timer_reason { MEFC_TIMER_BACKOFF = 1, MEFC_TIMER_RETRY_DURATION = 2 };

typedef struct {
  uint32_t kind;   /* enum mefc_action_kind */
  uint64_t ms;     /* ARM_TIMER */
  uint32_t reason; /* ARM_TIMER */
} mefc_action;

typedef struct {
  mefc_action a[MEFC_ACTIONS_MAX];
  uint32_t n;
} mefc_actions;

/* Caller-owned scratch for one step: kept out of the engine so the state a
 * product must keep in RAM stays small. */
typedef struct {
  mefc_json_doc doc;
  mefc_decision decision;
  mefc_record rec;  /* the durable record as mefc_decide reads it */
} mefc_workspace;

/* Start from the durable record (a zeroed record for a first start). */
void mefc_engine_init(mefc_engine *eng, const mefc_record *rec);

/* One step. Always fills *out (possibly with no action). */
void mefc_engine_step(mefc_engine *eng, const mefc_client *cli, const mefc_event *ev,
                      mefc_workspace *ws, mefc_actions *out);

/* True when rec is a record the engine can start from (phase in range, ID
 * length in range, STARTED has a class, DONE/REPORTED a status). */
bool mefc_record_valid(const mefc_record *rec);

#endif
