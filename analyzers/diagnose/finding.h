/* finding.h - what a rule of the report found, as plain data.
 *
 * The text (title, evidence, suggestion) is plain text, composed by
 * rules.c: no markup, no control bytes (a control byte of a name from the
 * input is written '?'). The names it quotes (frames, pools, settings,
 * commands) are listed in names[] as byte ranges of their field, so that
 * each renderer shows them as code in its own way and escapes the rest.
 */
#ifndef TIPROF_FINDING_H
#define TIPROF_FINDING_H

enum rule_kind {
	RULE_HINT = 0,		/* a suggested optimisation */
	RULE_NOTE,		/* context that qualifies the data */
};

enum finding_field {
	FINDING_TITLE = 0,
	FINDING_EVIDENCE,
	FINDING_SUGGESTION,
};

/* A quoted name: bytes [start, start + len) of the text of field. */
struct finding_name {
	enum finding_field field;
	unsigned short start, len;
};

#define FINDING_MAX_NAMES 64

struct finding {
	char rule[24];		/* "gc-pressure", ... */
	enum rule_kind kind;
	char component[16];	/* "tidb", "tikv", "", ... */
	char where[320];	/* instance address, device, host, or "" */
	double score;		/* >= 1: how far past the threshold */
	char title[300];	/* one line */
	char evidence[1600];	/* numbers and frames */
	char suggestion[1200];
	struct finding_name names[FINDING_MAX_NAMES];	/* ascending within a field */
	int nnames;
};

static inline const char *finding_text(const struct finding *f, enum finding_field k)
{
	return k == FINDING_TITLE ? f->title : k == FINDING_EVIDENCE ? f->evidence : f->suggestion;
}

#endif
