/* Promela model of MEF Client Command processing (TS-0003 8.3.9, 8.3.4.6):
 * the MEF, the client engine of src/core/engine.c with its durable record, a
 * network that loses, duplicates and reorders, and client crashes. The map
 * from this file to the engine and the rulings is spec/model/README.md. */

/* ---- Bounds (override with -D; scripts/model states the ones checked) ---- */
#ifndef NCMD
#define NCMD 2        /* commands the MEF issues; odd cmdIDs execute, even ones are refused (41) */
#endif
#ifndef CAP
#define CAP 2         /* messages each direction of the network holds */
#endif
#ifndef LOSSES
#define LOSSES 2      /* messages the network may lose */
#endif
#ifndef DUPS
#define DUPS 1        /* messages the network may duplicate */
#endif
#ifndef CRASHES
#define CRASHES 1     /* client crashes (each followed by a restart from the record) */
#endif
#ifndef TIMEOUTS
#define TIMEOUTS 1    /* client timeouts that fire while the answer is still in flight */
#endif
#ifndef FAULTS
#define FAULTS 1      /* MEF errors: a resolved cmdID sent again as ISSUED (8.3.9.5.5) */
#endif
#ifndef RETRIES
#define RETRIES 1     /* expiries of the NO_MORE_COMMANDS retryDuration timer */
#endif
#ifndef TRIGGERS
#define TRIGGERS 1    /* 8.3.4.6 triggers other than the timer */
#endif
#define TAGS 4        /* request tags (the CoAP token): a response is matched to its request */

/* ---- The engine's numbers (include/mefc/engine.h, command.h, status.h) ---- */
#define S_IDLE 0
#define S_AWAIT 1
#define S_EXECUTING 2
#define S_RETRY 3
#define S_BACKOFF 4
#define P_NONE 0
#define P_RETRIEVE 1
#define P_UPDATE 2
#define PH_NONE 0
#define PH_STARTED 1
#define PH_DONE 2
#define PH_REPORTED 3
#define EV_START 1
#define EV_TRIGGER 2
#define EV_RESPONSE 3
#define EV_TFAIL 4
#define EV_OUTCOME 5
#define EV_TIMER 6
#define A_RETRIEVE 1
#define A_UPDATE 2
#define A_EXECUTE 3
#define A_PERSIST 4
#define A_ARM 5
#define A_CANCEL 6
#define ISSUED 10
#define REISSUED 11
#define ST_OK 20
#define ST_REPEATED 40
#define ST_CLASS 41
#define ST_SRV 201        /* DEV_CFG_SERVER_ERROR: the procedure failed at the server */
#define ST_CLI 202        /* DEV_CFG_CLIENT_ERROR: the class failure of ruling I-2 */
#define EFF_NEW 0
#define EFF_KEEP 1
#define EFF_FAILED 2
#define CLASS_NOMORE 0
#define CLASS_DEVCFG 2
#define CLASS_BAD 7
/* cmdID 0 stands for the NO_MORE_COMMANDS command. */
#define CLASS_OF(k) ((k) == 0 -> CLASS_NOMORE : ((k) % 2 == 1 -> CLASS_DEVCFG : CLASS_BAD))

/* A property: on violation the trail replay names the requirement. */
#define REQUIRE(cond, msg) if :: !(cond) -> printf(msg) :: else -> skip fi; assert(cond)

/* ---- Network: requests (tag, kind, cmdID, status), responses (tag, cmdID, mark) ---- */
chan req = [CAP] of { byte, byte, byte, byte };
chan rsp = [CAP] of { byte, byte, byte };

byte losses = LOSSES, dups = DUPS, crashes = CRASHES, spurious = TIMEOUTS;
byte faults = FAULTS, retries = RETRIES, triggers = TRIGGERS;

/* ---- MEF ---- */
byte cur = 1;          /* the command the MEF is on; NCMD+1: none left */
bool issued;           /* cur has been sent at least once */
byte fin[NCMD + 1];    /* the final status the MEF recorded for each command */

/* ---- Client: the engine (RAM), the durable record (disk), the step's actions ---- */
byte cst, pend, r_id, r_ph, r_st, u_id, u_st, tag;
byte d_id, d_ph, d_st;
byte act[4];
byte nact, ai;

/* ---- Ghosts: what happened in the world ---- */
byte execd[NCMD + 1];   /* how often each cmdID was handed to execution */
byte decided[NCMD + 1]; /* the status of each command's DONE record */
byte owed;              /* a command durably received whose Update has not been sent */

/* Temporaries of atomic sequences: not part of the state. */
hidden byte mt, mk, mc, ms, rot;

/* Reordering: any message of a channel can be the next one taken. */
inline pick_req() {
  rot = 0;
  do
  :: rot + 1 < len(req) -> req?mt, mk, mc, ms; req!mt, mk, mc, ms; rot++
  :: break
  od
}
inline pick_rsp() {
  rot = 0;
  do
  :: rot + 1 < len(rsp) -> rsp?mt, mc, mk; rsp!mt, mc, mk; rot++
  :: break
  od
}

/* ---- The engine's step (src/core/engine.c), one inline per engine function ---- */
inline emit(k) { act[nact] = k; nact++ }

inline begin_exchange() {
  if
  :: r_ph == PH_STARTED -> r_st = ST_CLI; r_ph = PH_DONE; emit(A_PERSIST)  /* I-2, I-23 */
  :: else -> skip
  fi;
  if
#ifdef MUT_RETRIEVE_FIRST
  :: r_ph == PH_DONE ->
     printf("MT mutant 4\n");      /* mutant: the owed Update waits behind a Retrieve */
     pend = P_RETRIEVE; emit(A_RETRIEVE)
#else
  :: r_ph == PH_DONE -> u_id = r_id; u_st = r_st; pend = P_UPDATE; emit(A_UPDATE)  /* TRG-3 */
#endif
  :: else -> pend = P_RETRIEVE; emit(A_RETRIEVE)  /* TRG-1 */
  fi;
  cst = S_AWAIT
}

inline send_pending() {
  if
  :: pend == P_UPDATE -> emit(A_UPDATE)
  :: else -> emit(A_RETRIEVE)
  fi;
  cst = S_AWAIT
}

inline apply_report(st, eff, id) {
  if
  :: eff != EFF_KEEP ->
     if
     :: eff == EFF_NEW -> r_id = id
     :: else -> skip
     fi;
     r_ph = PH_DONE; r_st = st; emit(A_PERSIST)
  :: else -> skip
  fi;
  u_id = r_id; u_st = st; pend = P_UPDATE; cst = S_AWAIT; emit(A_UPDATE)
}

inline decide_new(id) {
  if
  :: CLASS_OF(id) == CLASS_DEVCFG ->
     r_id = id; r_ph = PH_STARTED; r_st = 0;
#ifdef MUT_NOPERSIST
     printf("MT mutant 1\n");       /* mutant: the record is not written before execution */
#else
     emit(A_PERSIST);               /* MCC-2-5d: STARTED on disk before EXECUTE */
#endif
     emit(A_EXECUTE); pend = P_NONE; cst = S_EXECUTING
  :: else -> apply_report(ST_CLASS, EFF_NEW, id)   /* MCC-2-5c */
  fi
}

inline on_response(id, mark) {
  if
  :: pend == P_UPDATE && r_ph == PH_DONE && u_id == r_id -> r_ph = PH_REPORTED; emit(A_PERSIST)  /* MCC-3-5 */
  :: else -> skip
  fi;
  if
  :: id == 0 -> pend = P_NONE; cst = S_RETRY; emit(A_ARM)   /* MCC-6-5, I-16 */
  :: id != 0 && r_ph != PH_NONE && r_id == id ->            /* MCC-2-5b, I-1, I-2 */
     if
     :: r_ph == PH_STARTED -> apply_report(ST_CLI, EFF_FAILED, id)
     :: r_ph == PH_REPORTED && mark == ISSUED ->
#ifdef MUT_REPEAT
        printf("MT mutant 2\n");    /* mutant: the repeated cmdID is taken as new */
        decide_new(id)
#else
        apply_report(ST_REPEATED, EFF_KEEP, id)
#endif
     :: else -> apply_report(r_st, EFF_KEEP, id)
     fi
  :: else -> decide_new(id)
  fi
}

inline on_outcome(st) {
  r_ph = PH_DONE; r_st = st; emit(A_PERSIST);
  u_id = r_id; u_st = st; pend = P_UPDATE; cst = S_AWAIT; emit(A_UPDATE)   /* TRG-3 */
}

/* One line per step: event, its arguments, the actions, the engine after. */
inline trace_step(ev, x, y, z) {
  printf("MT step %d %d %d %d | %d %d %d %d %d | %d %d %d %d %d %d %d\n",
         ev, x, y, z, nact, act[0], act[1], act[2], act[3],
         cst, pend, r_id, r_ph, r_st, u_id, u_st)
}

/* Timer actions need nothing from the world here: the state carries them. */
inline skip_timer_actions() {
  do
  :: ai < nact && (act[ai] == A_ARM || act[ai] == A_CANCEL) -> ai++
  :: else -> break
  od;
  if
  :: ai == nact -> act[0] = 0; act[1] = 0; act[2] = 0; act[3] = 0; nact = 0; ai = 0
  :: else -> skip
  fi
}

/* A new request gets a fresh tag; whatever still carries that tag is stale. */
inline send(kind, id, st) {
  tag = (tag + 1) % TAGS;
  do
  :: req??[eval(tag), _, _, _] -> req??eval(tag), _, _, _
  :: rsp??[eval(tag), _, _] -> rsp??eval(tag), _, _
  :: !req??[eval(tag), _, _, _] && !rsp??[eval(tag), _, _] -> break
  od;
  if
  :: nfull(req) -> req!tag, kind, id, st
  :: full(req) -> skip             /* a full network drops it */
  fi
}

/* The shell performs one action of the step. */
inline perform(k) {
  printf("MT do %d\n", k);
  if
  :: k == A_PERSIST ->
     d_id = r_id; d_ph = r_ph; d_st = r_st;
     if
     :: d_ph == PH_STARTED || d_ph == PH_DONE -> owed = d_id
     :: else -> skip
     fi;
     if
     :: d_ph == PH_DONE -> decided[d_id] = d_st
     :: else -> skip
     fi
  :: k == A_EXECUTE ->
     REQUIRE(execd[r_id] == 0, "MT violated MCC-1-3 I-2: a cmdID executed twice\n");
     execd[r_id]++
  :: k == A_RETRIEVE ->
     REQUIRE(owed == 0 && r_ph != PH_STARTED && r_ph != PH_DONE,
             "MT violated MCC-2-PC: Retrieve between a command and its Update\n");
     send(A_RETRIEVE, 0, 0)
  :: k == A_UPDATE ->
     if
     :: owed == u_id -> owed = 0
     :: else -> skip
     fi;
     send(A_UPDATE, u_id, u_st)
  :: else -> skip
  fi
}

active proctype Client() {
restart:
  atomic {
    /* mefc_engine_init from the record, then START (TRG-1) */
    cst = S_IDLE; pend = P_NONE; r_id = d_id; r_ph = d_ph; r_st = d_st;
    u_id = d_id; u_st = 0;
    begin_exchange();
    trace_step(EV_START, 0, 0, 0);
    skip_timer_actions()
  };
  do
  :: atomic { ai < nact -> perform(act[ai]); ai++; skip_timer_actions() }
  :: atomic {
       ai == nact && nempty(rsp) ->
       pick_rsp(); rsp?mt, mc, mk;
       if
       :: cst == S_AWAIT && mt == tag ->
          on_response(mc, mk); trace_step(EV_RESPONSE, mc, mk, CLASS_OF(mc)); skip_timer_actions()
       :: else -> skip                /* not the outstanding request's: dropped */
       fi
     }
  :: atomic {
       ai == nact && cst == S_AWAIT &&
       (spurious > 0 || (!req??[eval(tag), _, _, _] && !rsp??[eval(tag), _, _])) ->
       /* I-21: timed out (the request or its answer is lost, or a timeout fired early) */
       if
       :: req??[eval(tag), _, _, _] || rsp??[eval(tag), _, _] -> spurious--
       :: else -> skip
       fi;
       cst = S_BACKOFF; emit(A_ARM); trace_step(EV_TFAIL, 0, 0, 0); skip_timer_actions()
     }
  :: atomic { ai == nact && cst == S_EXECUTING -> on_outcome(ST_OK); trace_step(EV_OUTCOME, 0, 0, 0); skip_timer_actions() }
  :: atomic { ai == nact && cst == S_EXECUTING -> on_outcome(ST_SRV); trace_step(EV_OUTCOME, 1, 0, 0); skip_timer_actions() }
  :: atomic { ai == nact && cst == S_BACKOFF -> send_pending(); trace_step(EV_TIMER, 0, 0, 0); skip_timer_actions() }
  :: atomic {
       ai == nact && cst == S_RETRY && retries > 0 ->
       retries--; pend = P_RETRIEVE; cst = S_AWAIT; emit(A_RETRIEVE);   /* MCC-6-5b */
       trace_step(EV_TIMER, 0, 0, 0); skip_timer_actions()
     }
  :: atomic {
       ai == nact && triggers > 0 && (cst == S_RETRY || cst == S_BACKOFF) ->
       triggers--; emit(A_CANCEL);
       if
       :: cst == S_RETRY -> begin_exchange()       /* MCC-6-5a, I-28 */
       :: else -> send_pending()                   /* I-21 */
       fi;
       trace_step(EV_TRIGGER, 0, 0, 0); skip_timer_actions()
     }
  :: atomic {
       crashes > 0 ->
       /* RAM, the running procedure and the old connection's responses are gone */
       crashes--;
       do
       :: rsp?mt, mc, mk
       :: empty(rsp) -> break
       od;
       act[0] = 0; act[1] = 0; act[2] = 0; act[3] = 0; nact = 0; ai = 0;
       printf("MT crash %d %d %d\n", d_id, d_ph, d_st)
     };
     goto restart
  :: ai == nact && cst == S_RETRY && retries == 0 && triggers == 0 -> break
  od;
  /* Nothing left to happen: every command has its final status (TRG-3, MCC-3-2b). */
  REQUIRE(cur > NCMD, "MT violated TRG-3 MCC-3-2b: the client rests with a command unresolved\n")
}

active proctype Mef() {
end_mef:
  do
  :: atomic {
       nempty(req) && nfull(rsp) ->
       pick_req(); req?mt, mk, mc, ms;
       /* MCC-3-2b: a report counts only for the most recently issued cmdID */
       if
       :: mk == A_UPDATE && issued && mc == cur ->
          REQUIRE(fin[cur] == 0, "MT violated MCC-3-2b: a second final status\n");
          REQUIRE(ms == decided[cur], "MT violated TRG-3: the MEF recorded a status the client did not decide\n");
          fin[cur] = ms; cur++; issued = false
       :: else -> skip
       fi;
#ifdef MUT_EARLY
       if
       :: mk == A_RETRIEVE && issued && cur <= NCMD -> cur++; issued = false   /* mutant: moves on unanswered */
       :: else -> skip
       fi;
#endif
       if
       :: faults > 0 && cur > 1 -> faults--; rsp!mt, cur - 1, ISSUED    /* 8.3.9.5.5: an MEF error */
       :: true ->
          if
          :: cur > NCMD -> rsp!mt, 0, ISSUED                         /* MCC-6-1: NO_MORE_COMMANDS */
          :: cur <= NCMD && !issued ->
             REQUIRE(cur == 1 || fin[cur - 1] != 0,
                     "MT violated MCC-3-3: a new command before the previous one is resolved\n");
             issued = true; rsp!mt, cur, ISSUED                      /* MCC-2-4, MCC-5-2 */
          :: cur <= NCMD && issued ->
#ifdef MUT_NOREISSUE
             rsp!mt, 0, ISSUED        /* mutant: the unanswered command is not sent again */
#else
             rsp!mt, cur, REISSUED    /* MCC-5-3: no Update yet, so the command again */
#endif
          fi
       fi;
       mt = 0; mk = 0; mc = 0; ms = 0
     }
  od
}

active proctype Net() {
end_net:
  do
  :: atomic { losses > 0 && nempty(req) -> losses--; pick_req(); req?mt, mk, mc, ms; mt = 0; mk = 0; mc = 0; ms = 0 }
  :: atomic { losses > 0 && nempty(rsp) -> losses--; pick_rsp(); rsp?mt, mc, mk; mt = 0; mc = 0; mk = 0 }
  :: atomic { dups > 0 && nempty(req) && nfull(req) -> dups--; pick_req(); req?mt, mk, mc, ms; req!mt, mk, mc, ms; req!mt, mk, mc, ms }
  :: atomic { dups > 0 && nempty(rsp) && nfull(rsp) -> dups--; pick_rsp(); rsp?mt, mc, mk; rsp!mt, mc, mk; rsp!mt, mc, mk }
  od
}

/* Under fair scheduling every issued command reaches its final status at the MEF. */
ltl TRG_3_resolved { <> (cur > NCMD) }
