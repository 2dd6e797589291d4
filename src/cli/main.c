/* mefc: the MEF Client program. Dispatches to a sub-command from the table
 * in commands.h; handles --help and --version itself. */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"

#ifndef MEFC_VERSION
#define MEFC_VERSION "0.1.0"
#endif

struct command {
  const char *name;
  int (*run)(int argc, char **argv);
  const char *usage;
  const char *summary;
};

#define MEFC_COMMAND_ROW(name, fn, usage, summary) {name, fn, usage, summary},
static const struct command commands[] = {MEFC_COMMANDS(MEFC_COMMAND_ROW)};
#undef MEFC_COMMAND_ROW

static void usage(FILE *f)
{
  fprintf(f, "usage: mefc COMMAND [ARG...]\n       mefc --help | --version\n\ncommands:\n");
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    fprintf(f, "  %-8s %-10s %s\n", commands[i].name, commands[i].usage, commands[i].summary);
}

int main(int argc, char **argv)
{
  if (argc < 2) {
    usage(stderr);
    return 2;
  }
  if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
    usage(stdout);
    return 0;
  }
  if (strcmp(argv[1], "--version") == 0) {
    printf("mefc %s\n", MEFC_VERSION);
    return 0;
  }
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
    if (strcmp(argv[1], commands[i].name) == 0)
      return commands[i].run(argc - 1, argv + 1);
  }
  fprintf(stderr, "mefc: unknown command \"%s\" (see mefc --help)\n", argv[1]);
  return 2;
}
