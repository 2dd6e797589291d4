/* mefd's settings: from a JSON configuration file (--config) and from
 * command-line flags, which override the file. */
#ifndef MEFD_OPTIONS_H
#define MEFD_OPTIONS_H

#include <stdbool.h>

/* EST client authentication required for /simpleenroll. */
enum mefd_est_auth { MEFD_EST_AUTH_TLS = 0, MEFD_EST_AUTH_NONE = 1 };

struct mefd_opts {
  char *bind;        /* address to bind, 127.0.0.1 by default */
  int coap_port;     /* plain CoAP (no security), 0 = off (default) */
  int coaps_port;    /* CoAP over DTLS, 0 = off; 5684 by default */
  int https_port;    /* EST and trust anchors over HTTPS, 0 = off (default) */
  char *psk_file;    /* "identity,key" lines */
  char *cert;        /* the MEF's certificate (PEM): DTLS PKI and HTTPS */
  char *key;         /* its private key (PEM) */
  char *ca;          /* CA certificate(s) (PEM): verify clients; first one issues */
  char *ca_key;      /* private key of the first certificate of ca: enables EST */
  char *ta_dir;      /* directory of NAME.pem files served at /ta/NAME.{pem,der} */
  char *key_dir;     /* MEF Key Registration: registered keys written here, or NULL */
  int maf_https_port; /* the MAF role's HTTPS listener, 0 = off (default) */
  int maf_coaps_port; /* the MAF role's CoAPS (DTLS) listener, 0 = off (default) */
  char *maf_fqdn;    /* the MAF's FQDN (MAF-FQDN of requests and key identifiers) */
  char *maf_cert;    /* the MAF's certificate (PEM), naming maf_fqdn */
  char *maf_key;     /* its private key (PEM) */
  char *maf_psk_file; /* pre-provisioned Km per KmID: lines "KmID,MAF-Client-ID,key" */
  char *campaign;    /* campaign file (JSON), required */
  char *results;     /* results file (JSON lines), required */
  long max_seconds;  /* stop by itself after this long; 0 = never. 600 by default */
  long registration_seconds; /* cap of a granted expirationTime (now + N); 0 = no cap */
  int est_auth;      /* enum mefd_est_auth */
  bool verbose;      /* libcoap's own log at debug level */
  bool resume;       /* rebuild registrations and positions from the results file */
};

/* Fill *o from argv (argv[0] is the program). Returns 0 to run, 1 when help or
 * the version was printed, -1 after printing an error to stderr. */
int mefd_opts_parse(struct mefd_opts *o, int argc, char **argv);

void mefd_opts_free(struct mefd_opts *o);

#endif
