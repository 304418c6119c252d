/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The syslet command: one file per subcommand. */
#ifndef SYSLET_CLI_H
#define SYSLET_CLI_H

int cmd_run(int argc, char **argv);
int cmd_calls(int argc, char **argv);

#endif
