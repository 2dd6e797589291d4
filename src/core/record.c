/* Validity of the durable record: the C twin of the ACSL predicate
 * mefc_record_ok. The shell calls it on a record read back from storage
 * before starting the engine from it. */
#include "mefc/engine.h"
#include "mefc/acsl.h"

/*@
  assigns \nothing;
  ensures \result <==> mefc_client_status(s);
*/
static bool client_status(uint32_t s)
{
  bool ok;
  switch (s) {
  case MEFC_ST_OK:
  case MEFC_ST_REPEATED_CMD_ID:
  case MEFC_ST_CLASS_NOT_SUPPORTED:
  case MEFC_ST_BAD_ARGUMENTS:
  case MEFC_ST_UNACCEPTABLE_ARGUMENTS:
  case MEFC_ST_CERT_PROV_SERVER_ERROR:
  case MEFC_ST_CERT_PROV_CLIENT_ERROR:
  case MEFC_ST_DEV_CFG_SERVER_ERROR:
  case MEFC_ST_DEV_CFG_CLIENT_ERROR:
  case MEFC_ST_MO_NODE_NOT_FOUND:
  case MEFC_ST_MO_NODE_TYPE_CONFLICT:
  case MEFC_ST_MO_NODE_BAD_ARGS:
  case MEFC_ST_MO_NODE_UNACCEPTABLE_ARGS:
  case MEFC_ST_MO_NODE_INCONSISTENT_CONFIG:
  case MEFC_ST_MO_NODE_PROCESSING_FAILED:
    ok = true;
    break;
  default:
    /* 10 and 11 are the MEF's codes; a client never stores or sends them. */
    ok = false;
    break;
  }
  return ok;
}

/*@
  requires \valid_read(rec);
  assigns \nothing;
  ensures \result <==> mefc_record_ok(rec);
*/
bool mefc_record_valid(const mefc_record *rec)
{
  bool ok;
  bool id_ok = rec->id.len >= 1u && rec->id.len <= MEFC_CMD_ID_MAX;
  switch (rec->phase) {
  case MEFC_PHASE_NONE:
    ok = true;
    break;
  case MEFC_PHASE_STARTED:
    /* A STARTED record must name its class: I-2 reports that class's failure. */
    ok = id_ok && rec->class_id >= 1u && rec->class_id <= 3u;
    break;
  case MEFC_PHASE_DONE:
  case MEFC_PHASE_REPORTED:
    ok = id_ok && client_status(rec->status);
    break;
  default:
    ok = false;
    break;
  }
  return ok;
}
