/* Baseline (a): the command fields extracted with cJSON, the way most C code
 * reads JSON (parse to a tree on the heap, look members up, free the tree). */
#include <string.h>
#include <cjson/cJSON.h>
#include "bench.h"

static int get_int(const cJSON *o, const char *name, int64_t *v)
{
  const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, name);
  if (!cJSON_IsNumber(x))
    return -1;
  *v = (int64_t)x->valuedouble;
  return 0;
}

static int get_str(const cJSON *o, const char *name, uint8_t *out, size_t cap, size_t *n)
{
  const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, name);
  if (!cJSON_IsString(x))
    return -1;
  size_t l = strlen(x->valuestring);
  if (l > cap)
    return -1;
  memcpy(out, x->valuestring, l);
  *n = l;
  return 0;
}

static int class_args(const cJSON *cma, struct bench_fields *f)
{
  const cJSON *a;
  switch (f->ccid) {
  case MEFC_CLASS_NO_MORE_COMMANDS:
    a = cJSON_GetObjectItemCaseSensitive(cma, "nmca");
    return get_str(a, "rdu", f->str[0], sizeof f->str[0], &f->str_len[0]);
  case MEFC_CLASS_CERT_PROV:
    a = cJSON_GetObjectItemCaseSensitive(cma, "cpca");
    return get_int(a, "cppi", &f->num[0]) | get_int(a, "cst", &f->num[1]) |
           get_str(a, "uri", f->str[0], sizeof f->str[0], &f->str_len[0]) |
           get_str(a, "csi", f->str[1], sizeof f->str[0], &f->str_len[1]);
  case MEFC_CLASS_DEV_CFG:
    a = cJSON_GetObjectItemCaseSensitive(cma, "dcca");
    return get_str(a, "dcu", f->str[0], sizeof f->str[0], &f->str_len[0]);
  case MEFC_CLASS_MO_NODE: {
    a = cJSON_GetObjectItemCaseSensitive(cma, "nnca");
    int rc = get_str(a, "ajop", f->str[0], sizeof f->str[0], &f->str_len[0]) |
             get_int(a, "otyp", &f->num[0]);
    const cJSON *otsa = cJSON_GetObjectItemCaseSensitive(a, "otsa");
    if (otsa != NULL)
      rc |= get_int(otsa, "suid", &f->num[1]);
    return rc;
  }
  default:
    return -1;
  }
}

int bench_cjson(const uint8_t *buf, size_t len, struct bench_fields *f)
{
  cJSON *root = cJSON_ParseWithLength((const char *)buf, len);
  int rc = -1;
  if (root == NULL)
    return -1;
  const cJSON *mcc = cJSON_GetObjectItemCaseSensitive(root, "sec:mcc");
  if (mcc == NULL)
    mcc = cJSON_GetObjectItemCaseSensitive(root, "m2m:mcc");
  const cJSON *mccd = cJSON_GetObjectItemCaseSensitive(mcc, "mccd");
  if (get_str(mcc, "mcci", f->id, MEFC_CMD_ID_MAX, &f->id_len) == 0 &&
      get_int(mcc, "mccs", &f->mccs) == 0 && get_int(mccd, "ccid", &f->ccid) == 0) {
    const cJSON *cma = cJSON_GetObjectItemCaseSensitive(mccd, "cma");
    rc = class_args(cma, f);
    f->has_tgi = get_str(mccd, "tgi", f->tgi, MEFC_ID_MAX, &f->tgi_len) == 0;
  }
  cJSON_Delete(root);
  return rc;
}
