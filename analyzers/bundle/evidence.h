/* evidence.h - what a capture bundle shows, read offline for the report.
 *
 * evidence_load() reads a bundle directory (docs/capture-bundle.md):
 * manifest.json (the window, the command, each target's status and the
 * reason it failed), topology.json, host.json, workload/ (the stress
 * tool's command and log, parsed by workload.h), io.jsonl and
 * threads.jsonl (series.h; at the top or under local/), and one instance
 * per target directory (instance.h: profiles decoded, top functions,
 * hottest path, thread pools, goroutines, mutex contention) plus local/
 * (our own sampler's profile.pb.gz). Whatever is missing or cannot be
 * decoded is recorded as a note with its reason, never guessed: a bundle
 * whose every target failed still loads, and says so.
 *
 * JSON is parsed with jansson. Everything is owned by the evidence and
 * freed by evidence_free().
 */
#ifndef TIPROF_EVIDENCE_H
#define TIPROF_EVIDENCE_H

#include <stddef.h>
#include <stdint.h>
#include "analyzers/base/error.h"
#include "analyzers/bundle/instance.h"
#include "analyzers/metrics/series.h"
#include "analyzers/bundle/workload.h"

#define EV_MAX_NOTES 32
#define EV_MAX_HOSTS 64
#define EV_MAX_NODES 1024
#define EV_MAX_INSTANCES 512
#define EV_JSON_MAX ((size_t)64 << 20)

/* A node of topology.json. */
struct ev_node {
	char component[16], host[256], version[96], status[32], labels[256];
	int port, status_port, leader;
	int64_t capacity, regions, leaders;	/* -1 unknown */
};

/* A host of host.json, as display strings ("" when unknown). */
struct ev_host {
	char name[256];			/* hostname, or the source */
	char source[96];
	char cpu[384];			/* "Intel ..., 2 sockets, 4 cores, 8 threads, 2200 MHz" */
	char flags[256];		/* "AVX2 yes, arch_perfmon yes" */
	char memory[160];		/* "251.6GiB, swap 8GiB, 2 NUMA nodes, THP never" */
	char disks[1024];		/* "sda ST4000NM (ATA) 3.638TiB HDD bfq; ..." */
	char dirs[1024];		/* "/data1 on /dev/nvme0n1p1 (ext4, nvme0n1); ..." */
	char kernel[160], distro[128], nics[512], virt[160];
	int threads;			/* 0 unknown */
	int has_avx2, has_pmu;		/* 1, 0, -1 unknown */
	int rotational_data;		/* a data directory is on a spinning disk: 1, 0, -1 */
};

struct ev_workload {
	int present;			/* workload/ has anything */
	int parsed;			/* a summary or interim lines were found */
	char command[4096];		/* workload/command.txt, "" when none */
	char log[256];			/* the log's name under workload/ */
	char error[300];		/* why nothing was parsed */
	int exit_status;		/* -1 unknown */
	struct workload w;
};

struct evidence {
	char bundle[4096];
	/* manifest.json */
	int has_manifest;
	char state[32], started[40], ended[40];
	double requested_seconds, actual_seconds;	/* NAN unknown */
	long frequency;
	char command[2048];		/* the capture command, joined */
	size_t targets, ok, failed, truncated;
	/* topology.json */
	char cluster_name[128], cluster_version[96];
	struct ev_node *nodes;
	size_t nnodes;
	/* host.json */
	struct ev_host *hosts;
	size_t nhosts;
	/* targets and local sampling */
	struct instance *inst;
	size_t ninst;
	struct ev_workload wl;
	struct series series;
	char series_files[2][64];	/* which of io.jsonl / threads.jsonl were found */
	/* problems reading the bundle, in order */
	char notes[EV_MAX_NOTES][320];
	int nnotes;
};

/* Read the bundle directory dir into ev. 0, or a negative errno when dir
 * is not a readable directory or holds nothing of a bundle (no
 * manifest.json, no target directory, no local/ and no workload/):
 * -ENOENT / -EINVAL with err. */
int evidence_load(const char *dir, struct evidence *ev, struct tp_error *err);

void evidence_free(struct evidence *ev);

/* The instance for a topology node (component and host:status_port), or
 * NULL. */
const struct instance *evidence_instance(const struct evidence *ev, const char *component,
					 const char *address);

#endif
