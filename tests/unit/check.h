/* check.h - the unit-test harness: a test is a function, CHECK records a
 * failure with its line (on stderr, which tests/run.sh shows for a failing
 * program), RUN prints "PASS name" or "FAIL name" (the vocabulary of the
 * shell tests' tests/lib.sh, the lines tests/run.sh counts) and main
 * returns non-zero if any test failed. A unit test never skips: what it
 * reads is in the repository or the corpus. */
#ifndef TIPROF_CHECK_H
#define TIPROF_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_failed_;	/* failures in the current test */
static int check_total_failed_;

#define CHECK(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "  %s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
		check_failed_++; \
	} } while (0)

#define CHECK_EQ_INT(a, b) do { \
	long long a_ = (long long)(a), b_ = (long long)(b); \
	if (a_ != b_) { \
		fprintf(stderr, "  %s:%d: %s == %lld, expected %lld\n", __FILE__, __LINE__, #a, a_, b_); \
		check_failed_++; \
	} } while (0)

#define CHECK_EQ_STR(a, b) do { \
	const char *a_ = (a), *b_ = (b); \
	if (!a_ || !b_ || strcmp(a_, b_) != 0) { \
		fprintf(stderr, "  %s:%d: %s == \"%s\", expected \"%s\"\n", __FILE__, __LINE__, #a, \
			a_ ? a_ : "(null)", b_ ? b_ : "(null)"); \
		check_failed_++; \
	} } while (0)

#define RUN(fn) do { \
	check_failed_ = 0; \
	fn(); \
	printf("%s %s\n", check_failed_ ? "FAIL" : "PASS", #fn); \
	fflush(stdout); \
	if (check_failed_) check_total_failed_++; \
	} while (0)

#define CHECK_DONE() (check_total_failed_ ? 1 : 0)

#endif
