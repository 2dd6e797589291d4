/* Enumerations of TS-0003 clause 12.3.2 used by the MEF Client Command
 * procedures: status codes, command classes, and the argument enumerations. */
#ifndef MEFC_STATUS_H
#define MEFC_STATUS_H

/* sec:cmdStatusCode, Table 12.3.2.4-1 (305 named per ruling I-7). */
enum mefc_status {
  MEFC_ST_ISSUED = 10,
  MEFC_ST_REISSUED = 11,
  MEFC_ST_OK = 20,
  MEFC_ST_REPEATED_CMD_ID = 40,
  MEFC_ST_CLASS_NOT_SUPPORTED = 41,
  MEFC_ST_BAD_ARGUMENTS = 42,
  MEFC_ST_UNACCEPTABLE_ARGUMENTS = 43,
  MEFC_ST_CERT_PROV_SERVER_ERROR = 100,
  MEFC_ST_CERT_PROV_CLIENT_ERROR = 101,
  MEFC_ST_DEV_CFG_SERVER_ERROR = 201,
  MEFC_ST_DEV_CFG_CLIENT_ERROR = 202,
  MEFC_ST_MO_NODE_NOT_FOUND = 300,
  MEFC_ST_MO_NODE_TYPE_CONFLICT = 301,
  MEFC_ST_MO_NODE_BAD_ARGS = 302,
  MEFC_ST_MO_NODE_UNACCEPTABLE_ARGS = 303,
  MEFC_ST_MO_NODE_INCONSISTENT_CONFIG = 304,
  MEFC_ST_MO_NODE_PROCESSING_FAILED = 305
};

/* sec:cmdClassID, Table 12.3.2.3-1. */
enum mefc_class {
  MEFC_CLASS_NO_MORE_COMMANDS = 0,
  MEFC_CLASS_CERT_PROV = 1,
  MEFC_CLASS_DEV_CFG = 2,
  MEFC_CLASS_MO_NODE = 3
};

/* sec:certProvProtocolID, Table 12.3.2.5-1. */
enum mefc_cert_prov_protocol { MEFC_CPP_EST = 1, MEFC_CPP_SCEP = 2 };

/* sec:certSubjectType, Table 12.3.2.6-1. */
enum mefc_subject_type { MEFC_SUBJ_NODE = 1, MEFC_SUBJ_CSE = 2, MEFC_SUBJ_AE = 3 };

/* sec:devMgmtID, Table 12.3.2.2-1. */
enum mefc_dev_mgmt {
  MEFC_DM_OMA_DM13 = 1, MEFC_DM_OMA_DM20 = 2, MEFC_DM_LWM2M = 3, MEFC_DM_TR069 = 4
};

/* sec:objectTypeID, Table 12.3.2.7-1. */
enum mefc_object_type {
  MEFC_OTYP_AUTH_PROFILE = 1, MEFC_OTYP_TRUST_ANCHOR_CRED = 2, MEFC_OTYP_MAF_CLIENT_REG_CFG = 3
};

/* TS-0004 mgmtDefinition values of the MO nodes the core reads. */
enum mefc_mgd {
  MEFC_MGD_REGISTRATION = 1020,
  MEFC_MGD_DATA_COLLECTION = 1021,
  MEFC_MGD_AUTH_PROFILE = 1022,
  MEFC_MGD_TRUST_ANCHOR_CRED = 1024,
  MEFC_MGD_MAF_CLIENT_REG_CFG = 1025,
  MEFC_MGD_MEF_CLIENT_REG_CFG = 1026
};

/* The role of the entity hosting the MEF Client (ruling I-3). */
enum mefc_role { MEFC_ROLE_NODE = 1, MEFC_ROLE_CSE = 2, MEFC_ROLE_AE = 3 };

/* Procedures the core asks the shell to execute. */
enum mefc_procedure {
  MEFC_PROC_NONE = 0,
  MEFC_PROC_EST_ENROLL = 1,
  MEFC_PROC_SCEP_ENROLL = 2,
  MEFC_PROC_DEV_CFG = 3,
  MEFC_PROC_TRUST_ANCHOR_FETCH = 4,
  MEFC_PROC_MEF_KEY_REG = 5,
  MEFC_PROC_MAF_KEY_REG = 6,
  MEFC_PROC_MAF_CLIENT_REG = 7
};

/* How an executed procedure ended (8.3.9.7 step 6, 8.3.9.8 step 6). */
enum mefc_outcome {
  MEFC_OUTCOME_OK = 0,
  MEFC_OUTCOME_SERVER_ERROR = 1,
  MEFC_OUTCOME_CLIENT_ERROR = 2
};

#endif
