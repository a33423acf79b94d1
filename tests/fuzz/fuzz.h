/* Shared by the fuzz targets and the replay driver: the libFuzzer entry
 * point and exact-size copies of the input, so that AddressSanitizer
 * catches one byte read past what a parser was given (libFuzzer's own
 * buffer is exact too, but a target that hands out a part of it, or a C
 * string, must copy). Header-only. */
#ifndef NETJOIN_FUZZ_H
#define NETJOIN_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* len bytes in a heap block of exactly len bytes (free it). */
static inline char *fuzz_dup(const void *p, size_t len)
{
	char *q = malloc(len);

	if (!q && len)
		abort();
	if (len)
		memcpy(q, p, len);
	return q;
}

/* The same as a C string: len bytes and a NUL (free it). Parsers of C
 * strings see the bytes up to the first NUL. */
static inline char *fuzz_cstr(const void *p, size_t len)
{
	char *q = malloc(len + 1);

	if (!q)
		abort();
	memcpy(q, p, len);
	q[len] = '\0';
	return q;
}

/* A broken promise of an API (not a crash by itself): report and abort,
 * which libFuzzer and the replay driver count as a failure. */
#define FUZZ_CHECK(cond)                                                   \
	do {                                                               \
		if (!(cond)) {                                             \
			fprintf(stderr, "%s:%d: fuzz check failed: %s\n",  \
				__FILE__, __LINE__, #cond);                \
			abort();                                           \
		}                                                          \
	} while (0)

/* A sink for writers whose output is not checked. */
static inline FILE *fuzz_devnull(void)
{
	static FILE *f;

	if (!f && !(f = fopen("/dev/null", "w")))
		abort();
	return f;
}

#endif
