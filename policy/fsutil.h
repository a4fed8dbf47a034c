/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OCG_FSUTIL_H
#define OCG_FSUTIL_H
#endif
