/* test_issue.c - the issue draft lays a finding (plain text and the names
 * it quotes) into the template: the names as code, the rest escaped, a
 * control byte as '?'. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "flamegraph/report/issue.h"
#include "check.h"

static char *md(const struct doc *d)
{
	struct tp_error err;
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);

	CHECK_EQ_INT(doc_write_md(d, fp, &err), 0);
	fclose(fp);
	return text;
}

/* Append s to field k, quoted or not. */
static void text(struct finding *f, enum finding_field k, const char *s, int quoted)
{
	char *dst = (char *)finding_text(f, k);
	size_t l = strlen(dst);

	strcpy(dst + l, s);
	if (quoted) {
		f->names[f->nnames].field = k;
		f->names[f->nnames].start = (unsigned short)l;
		f->names[f->nnames++].len = (unsigned short)strlen(s);
	}
}

static void test_finding_names(void)
{
	struct evidence *ev = calloc(1, sizeof(*ev));
	struct report_files rf;
	struct finding f[2];
	struct doc *d = doc_new();
	char *title = NULL, *s;

	ev->requested_seconds = ev->actual_seconds = NAN;
	workload_init(&ev->wl.w);
	series_init(&ev->series);
	memset(&rf, 0, sizeof(rf));
	memset(f, 0, sizeof(f));
	snprintf(f[0].rule, sizeof(f[0].rule), "hot-function");
	text(&f[0], FINDING_TITLE, "TiDB a:1: ", 0);
	text(&f[0], FINDING_TITLE, "x|y`z", 1);
	text(&f[0], FINDING_TITLE, " takes *55%*", 0);
	text(&f[0], FINDING_EVIDENCE, "Path: ", 0);
	text(&f[0], FINDING_EVIDENCE, "a > b", 1);
	text(&f[0], FINDING_EVIDENCE, " end\x01.", 0);
	text(&f[0], FINDING_SUGGESTION, "Make ", 0);
	text(&f[0], FINDING_SUGGESTION, "x", 1);
	text(&f[0], FINDING_SUGGESTION, " cheaper.", 0);
	f[1].kind = RULE_NOTE;
	snprintf(f[1].rule, sizeof(f[1].rule), "no-pmu");
	text(&f[1], FINDING_TITLE, "Host h", 0);
	text(&f[1], FINDING_EVIDENCE, "lacks ", 0);
	text(&f[1], FINDING_EVIDENCE, "arch_perfmon", 1);
	CHECK_EQ_INT(issue_build(ev, f, 2, &rf, d, &title), 0);
	CHECK_EQ_STR(title, "TiDB a:1: x|y`z takes *55%*");
	s = md(d);
	CHECK(strstr(s, "# TiDB a:1: ``x|y`z`` takes \\*55%\\*\n") != NULL);
	CHECK(strstr(s, "### 1. TiDB a:1: ``x|y`z`` takes \\*55%\\*\n") != NULL);
	CHECK(strstr(s, "Evidence (rule `hot-function`): Path: `a > b` end?.\n") != NULL);
	CHECK(strstr(s, "Suggestion: Make `x` cheaper.") != NULL);
	CHECK(strstr(s, "- Host h (rule `no-pmu`): lacks `arch_perfmon` ") != NULL);
	free(s);
	free(title);
	doc_free(d);
	evidence_free(ev);
	free(ev);
}

int main(void)
{
	RUN(test_finding_names);
	return CHECK_DONE();
}
