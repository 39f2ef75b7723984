#include "analyzers/base/outfile.h"
#include "check.h"
#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[] = "/tmp/tiprof-outfile-XXXXXX";

static int count_entries(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static char *slurp(const char *path)
{
	static char data[256];
	FILE *fp = fopen(path, "r");
	size_t n;

	if (!fp)
		return NULL;
	n = fread(data, 1, sizeof(data) - 1, fp);
	data[n] = '\0';
	fclose(fp);
	return data;
}

static void commit_replaces(void)
{
	char path[256];
	struct outfile *of;
	struct tp_error err;

	snprintf(path, sizeof(path), "%s/out.txt", dir);
	CHECK(outfile_open(&of, path, &err) == 0);
	fputs("first", outfile_stream(of));
	/* nothing visible before the commit */
	CHECK(access(path, F_OK) != 0);
	CHECK(outfile_commit(of, &err) == 0);
	CHECK_EQ_STR(slurp(path), "first");
	CHECK(outfile_open(&of, path, &err) == 0);
	fputs("second", outfile_stream(of));
	CHECK_EQ_STR(slurp(path), "first");
	CHECK(outfile_commit(of, &err) == 0);
	CHECK_EQ_STR(slurp(path), "second");
	CHECK_EQ_INT(count_entries(), 1);
}

static void abort_leaves_nothing(void)
{
	char path[256];
	struct outfile *of;
	struct tp_error err;

	snprintf(path, sizeof(path), "%s/out.txt", dir);
	CHECK(outfile_open(&of, path, &err) == 0);
	fputs("partial", outfile_stream(of));
	outfile_abort(of);
	CHECK_EQ_STR(slurp(path), "second");
	CHECK_EQ_INT(count_entries(), 1);
	snprintf(path, sizeof(path), "%s/new.txt", dir);
	CHECK(outfile_open(&of, path, &err) == 0);
	outfile_abort(of);
	CHECK(access(path, F_OK) != 0);
	CHECK_EQ_INT(count_entries(), 1);
	outfile_abort(NULL);
}

static void errors_name_the_path(void)
{
	struct outfile *of;
	struct tp_error err;

	tp_error_init(&err);
	CHECK(outfile_open(&of, "/nonexistent-dir/x.svg", &err) < 0);
	CHECK_EQ_STR(err.file, "/nonexistent-dir/x.svg");
	CHECK(outfile_open(&of, dir, &err) == -EISDIR);
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	RUN(commit_replaces);
	RUN(abort_leaves_nothing);
	RUN(errors_name_the_path);
	{
		char cmd[300];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		if (system(cmd) != 0)
			return 1;
	}
	return CHECK_DONE();
}
