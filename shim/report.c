/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <config.h>
typedef int ocg_placeholder_t;
