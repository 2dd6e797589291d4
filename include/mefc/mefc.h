/* The public interface of the mefc core in one include. */
#ifndef MEFC_MEFC_H
#define MEFC_MEFC_H
#include "mefc/limits.h"
#include "mefc/status.h"
#include "mefc/json.h"
#include "mefc/checks.h"
#include "mefc/command.h"
#include "mefc/engine.h"
#endif
