/* Text from outside (interface names, process titles, runtime state,
 * argv) on its way to a person: control bytes (below 0x20, and 0x7f) are
 * written as \xNN, so that no name can break a line or drive a terminal.
 * The one policy for every text writer and every message. */
#ifndef NETJOIN_ESC_H
#define NETJOIN_ESC_H

#include <stddef.h>
#include <stdio.h>

/* s[0..n) to f, control bytes escaped except those in keep ("" for none).
 * Returns 0, or EOF on a write error. */
int esc_write(FILE *f, const char *s, size_t n, const char *keep);

/* NUL-terminated s to f, every control byte escaped. */
int esc_fputs(FILE *f, const char *s);

/* s into out (sz bytes, always terminated, cut whole escapes only),
 * every control byte escaped. Returns out. Pure. */
char *esc_str(char *out, size_t sz, const char *s);

/* A stream that writes through to f, with every control byte but newline
 * and tab escaped: what a text writer writes to it reaches a terminal
 * only as text. fclose() flushes it into f and leaves f open; NULL when
 * it cannot be made. */
FILE *esc_stream(FILE *f);

#endif
