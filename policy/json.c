/* SPDX-License-Identifier: GPL-2.0-or-later */
/* PLACEHOLDER: replaced by its module.  */
#include <config.h>
typedef int ocg_placeholder_t;
