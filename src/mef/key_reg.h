/* The MEF side of MEF Key Registration (TS-0003 8.3.5.2.7 steps 5-10) in
 * profile v1 (spec/binding.md 6.4, ruling I-40), independent of the
 * transport: the CREATE content and the TLS exporter output of the session it
 * came on in, a Response Status Code and a <symmKeyReg> representation out. */
#ifndef MEFD_KEY_REG_H
#define MEFD_KEY_REG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "procedures.h"
#include "registry.h"

/* profile v1 resource type of <symmKeyReg> (the CREATE's ty=). */
#define MEFD_TY_SYMM_KEY_REG 10022
/* 10.3.1: label and length of the export; the key is the 32 least
 * significant bytes, the 16 most significant give the RelativeKeyID. */
#define MEFD_KR_LABEL "EXPORTER-oneM2M-Bootstrap"
#define MEFD_KR_EXPORT_LEN 48u

struct mefd_key_regs {
  const char *dir;   /* --key-dir, or NULL: keys are then held in memory only */
  char **rkids;      /* RelativeKeyIDs handed out so far */
  uint8_t (*keys)[32];
  size_t n;
};

/* What differs between MEF (8.3.5.2.7) and MAF (8.8.2.7) Key Registration. */
struct mefd_kr_rules {
  const char *what;   /* log prefix */
  long suid_lo, suid_hi; /* the SUIDs this server registers keys for */
  const char *label;  /* exporter label of the key (for the log) */
  const char *fqdn;   /* fq must be this (case-insensitive), or NULL: any host name */
  const char *fault;  /* the campaign's key_reg_fault, or NULL */
  /* Authorisation: NULL to allow, else why the request is refused (4103). */
  const char *(*precond)(void *arg, const char *client_id, const json_t *mkr);
  void *arg;
};

/* Key Registration of the <symmKeyReg> CREATE content body from client_id
 * (the authenticated identity) under rules r; exported as below. */
void mefd_key_register(struct mefd_key_regs *kr, const struct mefd_kr_rules *r,
                       const char *client_id, const void *body, size_t len,
                       const uint8_t *exported, struct mefd_reply *reply);

/* Helpers the MAF's procedures share: a reply with o (consumed) as body; a
 * "YYYYMMDDTHHMMSS" later than now; an array of non-empty strings; the
 * campaign's key_reg_fault ("omit:NAME", "alter:NAME") applied to o. */
void mefd_kr_reply(struct mefd_reply *reply, int rsc, json_t *o);
bool mefd_kr_future(const char *s);
bool mefd_kr_strings(const json_t *a, bool non_empty);
void mefd_kr_fault(json_t *o, const char *fault);

/* The CREATE content: body parsed into *root (the caller frees it), and its
 * one member root_name, or NULL when it is not {"root_name":{...}}. */
json_t *mefd_kr_content(const void *body, size_t len, const char *root_name, json_t **root);

/* What every registration request here carries (fq, a host name, equal to
 * fqdn when given; et in the future; lbl strings; adfq): NULL when o has
 * them, else why not. */
const char *mefd_kr_check(const json_t *o, const char *fqdn);

/* MEF Key Registration from client_id (the authenticated identity). exported
 * is the 48-byte export of the request's (D)TLS session, or NULL when it could
 * not be taken (then the request fails with 5000). */
void mefd_proc_key_register(struct mefd_key_regs *kr, struct mefd_registry *reg,
                            const char *client_id, const void *body, size_t len,
                            const uint8_t *exported, struct mefd_reply *reply);

void mefd_key_regs_free(struct mefd_key_regs *kr);

#endif
