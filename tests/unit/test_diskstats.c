/* test_diskstats.c - /proc/diskstats and /proc/uptime parsing. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "collectors/proc/diskstats.h"

static const char *top(void)
{
	const char *t = getenv("TOP");

	return t && *t ? t : ".";
}

static int parse(const char *text, struct iostat_snapshot *s, struct tp_error *err)
{
	iostat_snapshot_reset(s);
	tp_error_init(err);
	return diskstats_parse(text, strlen(text), "diskstats", s, err);
}

static void test_fields(void)
{
	struct iostat_snapshot s;
	struct tp_error err;

	iostat_snapshot_init(&s);
	CHECK_EQ_INT(parse(" 254 0 vda 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17\n"
			   "   8 1 sda1 900 16000 1800 32000\n"
			   "8 16 sdb 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15\n"
			   "\n   \n"
			   "8 32 sdc 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19", &s, &err), 0);
	CHECK_EQ_INT(s.n, 4);
	CHECK_EQ_STR(s.dev[0].name, "vda");
	CHECK_EQ_INT(s.dev[0].major, 254);
	CHECK_EQ_INT(s.dev[0].v[IOSTAT_RD_IOS], 1);
	CHECK_EQ_INT(s.dev[0].v[IOSTAT_TOT_TICKS], 10);
	CHECK_EQ_INT(s.dev[0].v[IOSTAT_FL_TICKS], 17);
	/* 4-counter partition line */
	CHECK_EQ_INT(s.dev[1].v[IOSTAT_RD_IOS], 900);
	CHECK_EQ_INT(s.dev[1].v[IOSTAT_RD_SECTORS], 16000);
	CHECK_EQ_INT(s.dev[1].v[IOSTAT_WR_IOS], 1800);
	CHECK_EQ_INT(s.dev[1].v[IOSTAT_WR_SECTORS], 32000);
	CHECK_EQ_INT(s.dev[1].v[IOSTAT_RD_MERGES], 0);
	/* 15 counters: no flush fields */
	CHECK_EQ_INT(s.dev[2].v[IOSTAT_DC_TICKS], 15);
	CHECK_EQ_INT(s.dev[2].v[IOSTAT_FL_IOS], 0);
	/* more than 17: the extra ones are ignored */
	CHECK_EQ_INT(s.dev[3].v[IOSTAT_FL_TICKS], 17);
	iostat_snapshot_free(&s);
}

static void test_malformed(void)
{
	static const struct { const char *text; int line; } bad[] = {
		{ "8 0 sda 1 2 3\n", 1 },
		{ "8 0 sda 1 2 3 4 5 6 7 8 9 10\n", 1 },
		{ "8 0 sda 1 2 3 4 5 6 7 8 9 10 x1\n", 1 },
		{ "8 0 sda 1 2 3 4 5 6 7 8 9 10 -1\n", 1 },
		{ "8 0 sda 1 2 3 4 5 6 7 8 9 10 18446744073709551616\n", 1 },
		{ "\n8\n", 2 },
		{ "x 0 sda 1 2 3 4\n", 1 },
		{ "8 0\n", 1 },
		{ "8 0 0123456789012345678901234567890123456789012345678901234567890123456789 1 2 3 4\n", 1 },
		{ "8 4294967296 sda 1 2 3 4\n", 1 },
	};
	struct iostat_snapshot s;
	struct tp_error err;
	size_t i;

	iostat_snapshot_init(&s);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_EQ_INT(parse(bad[i].text, &s, &err), -EBADMSG);
		CHECK_EQ_INT(err.line, bad[i].line);
		CHECK(strchr(err.msg, '\n') == NULL);
	}
	/* the biggest counter is fine */
	CHECK_EQ_INT(parse("8 0 sda 18446744073709551615 2 3 4\n", &s, &err), 0);
	CHECK(s.dev[0].v[IOSTAT_RD_IOS] == UINT64_MAX);
	iostat_snapshot_free(&s);
}

static void test_uptime(void)
{
	struct tp_error err;
	uint64_t cs = 0;

	CHECK_EQ_INT(diskstats_parse_uptime("642.28 452.51\n", 14, "u", &cs, &err), 0);
	CHECK_EQ_INT(cs, 64228);
	CHECK_EQ_INT(diskstats_parse_uptime("642.2", 5, "u", &cs, &err), 0);
	CHECK_EQ_INT(cs, 64220);
	CHECK_EQ_INT(diskstats_parse_uptime("7", 1, "u", &cs, &err), 0);
	CHECK_EQ_INT(cs, 700);
	CHECK_EQ_INT(diskstats_parse_uptime("1.234", 5, "u", &cs, &err), 0);
	CHECK_EQ_INT(cs, 123);
	CHECK_EQ_INT(diskstats_parse_uptime("", 0, "u", &cs, &err), -EBADMSG);
	CHECK_EQ_INT(diskstats_parse_uptime("x.5", 3, "u", &cs, &err), -EBADMSG);
	CHECK_EQ_INT(diskstats_parse_uptime("5.", 2, "u", &cs, &err), -EBADMSG);
	CHECK_EQ_INT(diskstats_parse_uptime("5.5x", 4, "u", &cs, &err), -EBADMSG);
	CHECK_EQ_INT(diskstats_parse_uptime("999999999999999999999.00", 24, "u", &cs, &err),
		     -EBADMSG);
}

static void test_read_root(void)
{
	struct iostat_snapshot s;
	struct tp_error err;
	char root[4096];

	iostat_snapshot_init(&s);
	tp_error_init(&err);
	snprintf(root, sizeof(root), "%s/tests/fixtures/proc/t0", top());
	CHECK_EQ_INT(diskstats_read(root, &s, &err), 0);
	CHECK_EQ_INT(s.uptime_cs, 10000);
	CHECK_EQ_INT(s.n, 7);
	CHECK_EQ_STR(s.dev[6].name, "loop0");
	CHECK_EQ_INT(s.dev[5].v[IOSTAT_RD_TICKS], 4294967290ULL);
	/* the running system */
	CHECK_EQ_INT(diskstats_read(NULL, &s, &err), 0);
	CHECK(s.uptime_cs > 0);
	/* a missing root */
	CHECK_EQ_INT(diskstats_read("/nonexistent-root", &s, &err), -ENOENT);
	CHECK(strstr(err.file, "/nonexistent-root/proc") != NULL);
	iostat_snapshot_free(&s);
}

static void test_corpus(void)
{
	static const char *const names[] = {
		"diskstats_before_direct_dsync.txt", "diskstats_after_direct_dsync.txt",
		"diskstats_before_delayacct_on.txt", "diskstats_after_delayacct_on.txt",
	};
	const char *corpus = getenv("CORPUS");
	struct iostat_snapshot s;
	struct tp_error err;
	char path[4096], text[8192];
	size_t i, n;
	FILE *f;

	iostat_snapshot_init(&s);
	for (i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "%s/io/%s",
			 corpus && *corpus ? corpus : "../shared/corpus", names[i]);
		f = fopen(path, "r");
		CHECK(f != NULL);
		if (!f)
			continue;
		n = fread(text, 1, sizeof(text), f);
		fclose(f);
		iostat_snapshot_reset(&s);
		CHECK_EQ_INT(diskstats_parse(text, n, path, &s, &err), 0);
		CHECK_EQ_INT(s.n, 10);
		CHECK_EQ_STR(s.dev[8].name, "vda");
		CHECK_EQ_INT(s.dev[8].v[IOSTAT_RD_IOS], 29130);
	}
	iostat_snapshot_free(&s);
}

int main(void)
{
	RUN(test_fields);
	RUN(test_malformed);
	RUN(test_uptime);
	RUN(test_read_root);
	RUN(test_corpus);
	return CHECK_DONE();
}
