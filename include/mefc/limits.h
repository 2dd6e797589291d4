/* Fixed capacities of the mefc core, each with the reason for its value.
 * Every capacity is checked where input crosses it; exceeding one is an
 * error reported to the caller, never a truncation. */
#ifndef MEFC_LIMITS_H
#define MEFC_LIMITS_H

/* Largest <mefClientCmd> representation accepted: a full MO_NODE command with
 * universal attributes is under 600 bytes; 4 KiB leaves room for long IDs and
 * URIs and still fits one CoAP block-wise transfer of four 1 KiB blocks. */
#define MEFC_PAYLOAD_MAX 4096u

/* JSON tokens per document: the largest command (MO_NODE with otsa and eight
 * universal attributes, lbl with four labels) uses 41 tokens. */
#define MEFC_JSON_TOKENS_MAX 96u

/* Nesting depth: root > sec:mcc > mccd > cma > nnca > otsa is 6 containers;
 * 8 allows one extra level inside an ignored member. */
#define MEFC_JSON_DEPTH_MAX 8u

/* cmdID: TS-0032 leaves it a string; 64 bytes holds a UUID with a prefix. */
#define MEFC_CMD_ID_MAX 64u

/* Identifiers (targetID, certSubjectID, acts-for IDs): an Absolute-AE-ID is an
 * FQDN-based SP-ID plus CSE-ID plus AE-ID-Stem; 128 bytes covers common ones. */
#define MEFC_ID_MAX 128u

/* URIs in command arguments and MO nodes: scheme + FQDN (253) + port + path. */
#define MEFC_URI_MAX 384u

/* FQDN per RFC 1035: 253 characters, plus one optional trailing dot. */
#define MEFC_FQDN_MAX 254u

/* objectPath of an MO node in the client's tree. */
#define MEFC_PATH_MAX 128u

/* Entities a Node-resident client acts for: one CSE plus up to seven AEs. */
#define MEFC_ACTS_FOR_MAX 8u

/* MO nodes held: two registrations, each with a profile, MEF/MAF reg cfgs
 * and trust anchors, fit in 16. */
#define MEFC_MO_NODES_MAX 16u

/* Cipher suites listed in one TLSCiphersuites attribute. */
#define MEFC_TLCS_MAX 8u

/* Symmetric key identifiers (sec:relKeyID) and how many are held locally. */
#define MEFC_KEY_ID_MAX 64u
#define MEFC_KEYS_MAX 8u

/* Own certificates (with private key) and CA certificates held locally. */
#define MEFC_CERTS_MAX 8u

/* SHA-256 fingerprint length in bytes. */
#define MEFC_FP_LEN 32u

/* Actions one engine step can emit: PERSIST, PERSIST, CANCEL_TIMER, SEND. */
#define MEFC_ACTIONS_MAX 4u

/* Backoff for unparseable responses and transport failures (ruling I-10). */
#define MEFC_BACKOFF_INITIAL_MS 1000u
#define MEFC_BACKOFF_MAX_MS 60000u

/* Largest Update request body: {"sec:mcc":{"mcci":"<id>","mccs":NNN}} with
 * every cmdID byte escaped as \u00XX (6 bytes each): 31 bytes of structure,
 * three status digits (client statuses are 20..305) and the escaped ID. */
#define MEFC_UPDATE_MAX (34u + 6u * MEFC_CMD_ID_MAX)

#define MEFC_NONE 0xFFFFFFFFu

#endif
