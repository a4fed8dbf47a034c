/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Telling the user why: the denial / error channel.
 *
 * Owns: the one line on stderr, and the one line appended to the engine's --log file in runc's
 * log format (json: {"level":"error","msg":...,"time":...}; text: logrus' time="..." level=error
 * msg="...", the message quoted as Go's %q quotes it).  containerd and Docker show the last error
 * line of that file to the user ("docker: Error response from daemon: ... ocigate: ...").
 * Must not: write to stdout (it belongs to the runtime: engines parse `state`, `ps`, `features`),
 * or write anything but errors into --log (it lives on tmpfs and grows on every runtime call;
 * NVIDIA/nvidia-container-toolkit#511, containerd/containerd#8972).  */
#ifndef OCG_REPORT_H
#define OCG_REPORT_H

/* Report one message at error level.  `log_path`/`log_format` come from runc's --log and
 * --log-format (either may be NULL).  A failure to write the log file is not fatal: the stderr
 * line is always written first.  Newlines in msg are flattened to keep it one line.  */
void report_error (const char *log_path, const char *log_format, const char *msg);

/* The current time as runc 1.1.5's logrus writes it, and as the audit record keeps it: RFC 3339
 * to the second in local time, "Z" for UTC and "+hh:mm" otherwise (report.c says why).  */
void report_timestamp (char *buf, unsigned long size);

#endif
