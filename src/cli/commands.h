/* The sub-commands of the mefc program. Adding one is a new file defining
 * `int NAME(int argc, char **argv)` plus one row in MEFC_COMMANDS below. */
#ifndef MEFC_CLI_COMMANDS_H
#define MEFC_CLI_COMMANDS_H

/* X(name, function, usage, summary): argv[0] of the function is the name. */
#define MEFC_COMMANDS(X)                                                                  \
  X("vector", mefc_cmd_vector, "FILE...", "run test vector files through the core's decision") \
  X("run", mefc_cmd_run, "--config FILE", "enrol with the MEF and process its commands")      \
  X("status", mefc_cmd_status, "--config FILE", "show registration, last command, key store")

#define MEFC_COMMAND_PROTOTYPE(name, fn, usage, summary) int fn(int argc, char **argv);
MEFC_COMMANDS(MEFC_COMMAND_PROTOTYPE)
#undef MEFC_COMMAND_PROTOTYPE

#endif
