/* Replay inputs through a fuzz target without libFuzzer: linked with one
 * tests/fuzz/fuzz_<target>.c, it runs LLVMFuzzerTestOneInput once on each
 * file named on the command line, each in a child process (so one crash
 * does not hide the files after it) with a time limit, and prints
 *   replay <name>: N passed, N failed
 * (not "<name>: ...", which summary scrapers would take for a suite's
 * closing line)
 * A file passes when its child exits 0: no crash, no failed check, no
 * sanitizer report (with SANITIZE=1), within REPLAY_TIMEOUT seconds
 * (default 30). Exit status: 0 only if every file passed.
 *   build/fuzz-replay/<target> FILE...
 * A directory argument is skipped with a note; no files at all is fine. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "fuzz.h"

/* The whole file in a block of exactly its size (NULL on error). */
static uint8_t *slurp(const char *path, size_t *len)
{
	size_t cap = 4096, n = 0, got;
	uint8_t *buf = malloc(cap), *nb;
	FILE *f = fopen(path, "rb");

	if (!f || !buf)
		goto fail;
	while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			nb = realloc(buf, cap *= 2);
			if (!nb)
				goto fail;
			buf = nb;
		}
	}
	if (ferror(f))
		goto fail;
	fclose(f);
	/* shrink to the exact size: a read past the end must be caught */
	nb = malloc(n ? n : 1);
	if (!nb) {
		free(buf);
		return NULL;
	}
	memcpy(nb, buf, n);
	free(buf);
	*len = n;
	return nb;
fail:
	if (f)
		fclose(f);
	free(buf);
	return NULL;
}

static int run_one(const char *path, unsigned int timeout)
{
	uint8_t *data;
	size_t len = 0;

	alarm(timeout);
	data = slurp(path, &len);
	if (!data) {
		fprintf(stderr, "replay: %s: cannot read: %s\n", path,
			strerror(errno));
		return 2;
	}
	LLVMFuzzerTestOneInput(data, len);
	free(data);
	return 0;
}

static const char *base(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

int main(int argc, char **argv)
{
	const char *t = getenv("REPLAY_TIMEOUT");
	unsigned int timeout = t && atoi(t) > 0 ? (unsigned int)atoi(t) : 30;
	int i, st, passed = 0, failed = 0;
	struct stat sb;
	pid_t pid;

	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &sb) == 0 && S_ISDIR(sb.st_mode)) {
			fprintf(stderr, "replay: %s: a directory, skipped\n",
				argv[i]);
			continue;
		}
		fflush(NULL);
		pid = fork();
		if (pid < 0) {
			perror("replay: fork");
			return 2;
		}
		if (pid == 0)
			exit(run_one(argv[i], timeout));
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
		if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
			passed++;
			continue;
		}
		failed++;
		if (WIFSIGNALED(st))
			fprintf(stderr, "replay: %s: FAILED (signal %d%s)\n",
				argv[i], WTERMSIG(st),
				WTERMSIG(st) == SIGALRM ? ", timed out" : "");
		else
			fprintf(stderr, "replay: %s: FAILED (exit %d)\n",
				argv[i], WEXITSTATUS(st));
	}
	printf("replay %s: %d passed, %d failed\n", base(argv[0]), passed,
	       failed);
	return failed ? 1 : 0;
}
