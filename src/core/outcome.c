/* The status reported after a procedure ran (8.3.9.7 step 6, 8.3.9.8 step 6,
 * 8.3.9.9.4-.8), and the class failure status that ends a command found
 * started but never finished (ruling I-2). */
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "mefc/command.h"
#include "mefc/acsl.h"

/* An outcome other than OK and SERVER_ERROR counts as a client-side error:
 * the client cannot claim the server failed when it does not know. */
/*@ assigns \nothing;
    ensures \result == outcome_status(procedure, outcome);
    ensures mefc_client_status(\result);
    behavior MCC_7_6_OK:
      assumes (procedure == MEFC_PROC_EST_ENROLL || procedure == MEFC_PROC_SCEP_ENROLL) &&
              outcome == MEFC_OUTCOME_OK;
      ensures \result == MEFC_ST_OK;
    behavior MCC_7_6_SRV:
      assumes (procedure == MEFC_PROC_EST_ENROLL || procedure == MEFC_PROC_SCEP_ENROLL) &&
              outcome == MEFC_OUTCOME_SERVER_ERROR;
      ensures \result == MEFC_ST_CERT_PROV_SERVER_ERROR;
    behavior MCC_7_6_CLI:
      assumes (procedure == MEFC_PROC_EST_ENROLL || procedure == MEFC_PROC_SCEP_ENROLL) &&
              outcome != MEFC_OUTCOME_OK && outcome != MEFC_OUTCOME_SERVER_ERROR;
      ensures \result == MEFC_ST_CERT_PROV_CLIENT_ERROR;
    behavior MCC_8_6_OK:
      assumes procedure == MEFC_PROC_DEV_CFG && outcome == MEFC_OUTCOME_OK;
      ensures \result == MEFC_ST_OK;
    behavior MCC_8_6_SRV:
      assumes procedure == MEFC_PROC_DEV_CFG && outcome == MEFC_OUTCOME_SERVER_ERROR;
      ensures \result == MEFC_ST_DEV_CFG_SERVER_ERROR;
    behavior MCC_8_6_CLI:
      assumes procedure == MEFC_PROC_DEV_CFG &&
              outcome != MEFC_OUTCOME_OK && outcome != MEFC_OUTCOME_SERVER_ERROR;
      ensures \result == MEFC_ST_DEV_CFG_CLIENT_ERROR;
    behavior MCC_9_7_2:
      assumes procedure == MEFC_PROC_TRUST_ANCHOR_FETCH;
      ensures outcome == MEFC_OUTCOME_OK ==> \result == MEFC_ST_OK;
      ensures outcome != MEFC_OUTCOME_OK ==> \result == MEFC_ST_MO_NODE_PROCESSING_FAILED;
    behavior MCC_9_4:
      assumes procedure == MEFC_PROC_MEF_KEY_REG;
      ensures outcome == MEFC_OUTCOME_OK ==> \result == MEFC_ST_OK;
      ensures outcome != MEFC_OUTCOME_OK ==> \result == MEFC_ST_MO_NODE_PROCESSING_FAILED;
    behavior MCC_9_5:
      assumes procedure == MEFC_PROC_MAF_KEY_REG;
      ensures outcome == MEFC_OUTCOME_OK ==> \result == MEFC_ST_OK;
      ensures outcome != MEFC_OUTCOME_OK ==> \result == MEFC_ST_MO_NODE_PROCESSING_FAILED;
    behavior MCC_9_8:
      assumes procedure == MEFC_PROC_MAF_CLIENT_REG;
      ensures outcome == MEFC_OUTCOME_OK ==> \result == MEFC_ST_OK;
      ensures outcome != MEFC_OUTCOME_OK ==> \result == MEFC_ST_MO_NODE_PROCESSING_FAILED;
    behavior no_procedure:
      assumes procedure == MEFC_PROC_NONE || procedure > MEFC_PROC_MAF_CLIENT_REG;
      ensures \result == MEFC_ST_BAD_ARGUMENTS;
    complete behaviors;
    disjoint behaviors;
*/
uint32_t mefc_outcome_status(uint32_t procedure, uint32_t outcome) {
  uint32_t r = MEFC_ST_BAD_ARGUMENTS;
  if (procedure == MEFC_PROC_EST_ENROLL || procedure == MEFC_PROC_SCEP_ENROLL) {
    r = (outcome == MEFC_OUTCOME_OK)
            ? MEFC_ST_OK
            : ((outcome == MEFC_OUTCOME_SERVER_ERROR) ? MEFC_ST_CERT_PROV_SERVER_ERROR
                                                      : MEFC_ST_CERT_PROV_CLIENT_ERROR);
  } else if (procedure == MEFC_PROC_DEV_CFG) {
    r = (outcome == MEFC_OUTCOME_OK)
            ? MEFC_ST_OK
            : ((outcome == MEFC_OUTCOME_SERVER_ERROR) ? MEFC_ST_DEV_CFG_SERVER_ERROR
                                                      : MEFC_ST_DEV_CFG_CLIENT_ERROR);
  } else if (procedure >= MEFC_PROC_TRUST_ANCHOR_FETCH && procedure <= MEFC_PROC_MAF_CLIENT_REG) {
    r = (outcome == MEFC_OUTCOME_OK) ? MEFC_ST_OK : MEFC_ST_MO_NODE_PROCESSING_FAILED;
  }
  return r;
}

/* Ruling I-2: a command found STARTED is reported with its class's
 * client-side failure; NO_MORE_COMMANDS never executes, so 42 stands for
 * any other class value. */
/*@ assigns \nothing;
    ensures \result == outcome_class_failure(class_id);
    ensures mefc_client_status(\result);
    behavior I_2:
      assumes MEFC_CLASS_CERT_PROV <= class_id <= MEFC_CLASS_MO_NODE;
      ensures class_id == MEFC_CLASS_CERT_PROV ==> \result == MEFC_ST_CERT_PROV_CLIENT_ERROR;
      ensures class_id == MEFC_CLASS_DEV_CFG ==> \result == MEFC_ST_DEV_CFG_CLIENT_ERROR;
      ensures class_id == MEFC_CLASS_MO_NODE ==> \result == MEFC_ST_MO_NODE_PROCESSING_FAILED;
    behavior no_execution:
      assumes class_id < MEFC_CLASS_CERT_PROV || class_id > MEFC_CLASS_MO_NODE;
      ensures \result == MEFC_ST_BAD_ARGUMENTS;
    complete behaviors;
    disjoint behaviors;
*/
uint32_t mefc_class_failure_status(uint32_t class_id) {
  uint32_t r = MEFC_ST_BAD_ARGUMENTS;
  if (class_id == MEFC_CLASS_CERT_PROV) {
    r = MEFC_ST_CERT_PROV_CLIENT_ERROR;
  } else if (class_id == MEFC_CLASS_DEV_CFG) {
    r = MEFC_ST_DEV_CFG_CLIENT_ERROR;
  } else if (class_id == MEFC_CLASS_MO_NODE) {
    r = MEFC_ST_MO_NODE_PROCESSING_FAILED;
  }
  return r;
}
