/* array.h - growing a malloc'd array by doubling.
 *
 * The tables of the model and of the decoders keep (pointer, capacity)
 * pairs; this is the one function that grows them.
 */
#ifndef TIPROF_ARRAY_H
#define TIPROF_ARRAY_H

#include <stddef.h>

/* Make *arr (of *cap elements of elem bytes) hold at least need elements,
 * doubling from 64. 0, or -ENOMEM (size overflow or allocation failure;
 * *arr and *cap are then unchanged). */
int array_grow(void **arr, size_t *cap, size_t need, size_t elem);

#endif
