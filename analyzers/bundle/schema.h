/* schema.h - the vocabulary of a capture bundle (docs/capture-bundle.md).
 *
 * Every file and directory name of a bundle and every JSON key its
 * documents use, named once for both sides: the writer (collectors/capture,
 * collectors/host, collectors/proc/iosampler, the JSON lines of
 * analyzers/metrics/iostat and taskrate, cluster_write_json for
 * topology.json) and the reader (analyzers/bundle, analyzers/metrics/series).
 *
 * Pure data: string literals only, so that they join with other literals
 * at compile time (BUNDLE_LOCAL "/" BUNDLE_IO_SERIES is "local/io.jsonl",
 * BUNDLE_DEBUG_ZIP BUNDLE_PARTIAL is "debug.zip.partial"). Changing a value
 * changes the bundle format: the bundle's format_version goes up with it.
 *
 * Prefixes: BUNDLE_ names in the directory tree, MANIFEST_ manifest.json,
 * HOSTS_ and HOST_ host.json, TOPOLOGY_ topology.json, SERIES_ the lines of
 * io.jsonl and threads.jsonl.
 */
#ifndef TIPROF_BUNDLE_SCHEMA_H
#define TIPROF_BUNDLE_SCHEMA_H

/* ---- the directory tree ---- */

#define BUNDLE_MANIFEST		"manifest.json"
#define BUNDLE_TOPOLOGY		"topology.json"
#define BUNDLE_HOSTS		"host.json"

/* A target directory: <component>-<host>-<status port>, the host made
 * safe as a path component (bundle_safe_name()). */
#define BUNDLE_TARGET_DIR	"%s-%s-%d"
#define BUNDLE_TARGET_SEP	"-"
/* Components with a target directory, and the one of local/ (reader). */
#define BUNDLE_ROLE_TIDB	"tidb"
#define BUNDLE_ROLE_TIKV	"tikv"
#define BUNDLE_ROLE_TIFLASH	"tiflash"
#define BUNDLE_ROLE_PD		"pd"
#define BUNDLE_ROLE_LOCAL	"local"

/* The files of a target directory. */
#define BUNDLE_DEBUG_ZIP	"debug.zip"		/* TiDB, PD */
#define BUNDLE_PROFILE_PB	"profile.pb"		/* TiKV, TiFlash */
#define BUNDLE_METRICS		"metrics.txt"		/* TiKV: window opened */
#define BUNDLE_METRICS_END	"metrics-end.txt"	/* TiKV: window closed */
#define BUNDLE_STATUS		"status.json"		/* TiDB, PD */
#define BUNDLE_CONFIG		"config.json"		/* all */
/* Suffixes of a file kept although not good. */
#define BUNDLE_INVALID		".invalid"		/* arrived, failed its check */
#define BUNDLE_PARTIAL		".partial"		/* transfer cut short */

/* local/: what ran on the capturing host. */
#define BUNDLE_LOCAL		"local"
#define BUNDLE_LOCAL_PROFILE	"profile.pb.gz"		/* tiprof record's profile */
#define BUNDLE_RECORD_LOG	"record.log"		/* its messages */
#define BUNDLE_IO_SERIES	"io.jsonl"
#define BUNDLE_THREAD_SERIES	"threads.jsonl"
/* The capturing host, as the "host" of a series line and the "source" of
 * a host.json host. */
#define BUNDLE_HOST_LOCAL	"local"

/* workload/ (scripts/stress-capture.sh): the start of each file's name. */
#define BUNDLE_WORKLOAD		"workload"
#define BUNDLE_WORKLOAD_COMMAND	"command"		/* command.txt */
#define BUNDLE_WORKLOAD_OUTPUT	"output"		/* output.log */
#define BUNDLE_WORKLOAD_EXIT	"exit_status"		/* exit_status.txt */

/* ---- manifest.json ---- */

#define MANIFEST_FORMAT			"format"
#define MANIFEST_FORMAT_VERSION		"format_version"
#define MANIFEST_TOOL			"tool"
#define MANIFEST_TOOL_VERSION		"tool_version"
#define MANIFEST_COMMAND		"command"
#define MANIFEST_STATE			"state"
#define MANIFEST_STARTED		"started"
#define MANIFEST_ENDED			"ended"
#define MANIFEST_ACTUAL_SECONDS		"actual_seconds"
#define MANIFEST_REQUESTED_SECONDS	"requested_seconds"
#define MANIFEST_GRACE_SECONDS		"grace_seconds"
#define MANIFEST_FREQUENCY_HZ		"frequency_hz"
#define MANIFEST_TLS			"tls"
#define MANIFEST_INTERRUPTED		"interrupted"
#define MANIFEST_TOPOLOGY		"topology"	/* its value: BUNDLE_TOPOLOGY */
#define MANIFEST_SUMMARY		"summary"
#define MANIFEST_TARGETS		"targets"
#define MANIFEST_HOOKS			"hooks"

/* values */
#define MANIFEST_FORMAT_NAME		"tiprof-capture-bundle"
#define MANIFEST_FORMAT_NUMBER		1
#define MANIFEST_TOOL_NAME		"tiprof"
#define MANIFEST_OMITTED		"(omitted)"	/* a TLS path in "command" */

/* "state" */
#define MANIFEST_STATE_RUNNING		"running"
#define MANIFEST_STATE_COMPLETE		"complete"
#define MANIFEST_STATE_PARTIAL		"partial"
#define MANIFEST_STATE_INTERRUPTED	"interrupted"
#define MANIFEST_STATE_ABORTED		"aborted"

/* "summary" */
#define MANIFEST_SUMMARY_TARGETS	"targets"
#define MANIFEST_SUMMARY_OK		"ok"
#define MANIFEST_SUMMARY_FAILED		"failed"
#define MANIFEST_SUMMARY_TRUNCATED	"truncated"

/* a target of "targets" */
#define MANIFEST_TARGET_COMPONENT	"component"
#define MANIFEST_TARGET_ADDRESS		"address"
#define MANIFEST_TARGET_DIR		"dir"
#define MANIFEST_TARGET_STATUS		"status"
#define MANIFEST_TARGET_REASON		"reason"
#define MANIFEST_TARGET_FILES		"files"

/* a file (transfer) of a target's "files" */
#define MANIFEST_FILE_NAME		"name"
#define MANIFEST_FILE_WHAT		"what"
#define MANIFEST_FILE_URL_PATH		"url_path"
#define MANIFEST_FILE_SECONDS		"seconds"
#define MANIFEST_FILE_STATUS		"status"
#define MANIFEST_FILE_REASON		"reason"
#define MANIFEST_FILE_FILE		"file"
#define MANIFEST_FILE_BYTES		"bytes"
#define MANIFEST_FILE_HTTP_STATUS	"http_status"
#define MANIFEST_FILE_ATTEMPTS		"attempts"
#define MANIFEST_FILE_BUSY_ANSWERS	"busy_answers"
#define MANIFEST_FILE_STARTED_S		"started_s"
#define MANIFEST_FILE_ENDED_S		"ended_s"
#define MANIFEST_FILE_DETAIL		"detail"

/* the "status" of a target or a file */
#define MANIFEST_STATUS_OK		"ok"
#define MANIFEST_STATUS_FAILED		"failed"
#define MANIFEST_STATUS_TRUNCATED	"truncated"
#define MANIFEST_STATUS_PENDING		"pending"

/* "hooks": {"io": {...}, "record": {...}} */
#define MANIFEST_HOOK_IO		"io"
#define MANIFEST_IO_INTERVALS		"intervals"
#define MANIFEST_IO_FAILED_INTERVALS	"intervals_with_failed_sources"
#define MANIFEST_IO_IO			"io"		/* local/io.jsonl */
#define MANIFEST_IO_THREADS		"threads"	/* local/threads.jsonl */
#define MANIFEST_IO_NOTES		"notes"
#define MANIFEST_IO_LAST_ERROR		"last_error"

#define MANIFEST_HOOK_RECORD		"record"
#define MANIFEST_RECORD_PIDS		"pids"
#define MANIFEST_RECORD_PROFILE		"profile"	/* local/profile.pb.gz */
#define MANIFEST_RECORD_LOG		"log"		/* local/record.log */
#define MANIFEST_RECORD_STATUS		"status"	/* or MANIFEST_STATUS_* */
#define MANIFEST_RECORD_REASON		"reason"
#define MANIFEST_RECORD_NOT_STARTED	"not started"
#define MANIFEST_RECORD_RUNNING		"running"

/* ---- host.json: {"format", "format_version", "hosts": [HOST...]} ---- */

#define HOSTS_FORMAT			"format"
#define HOSTS_FORMAT_VERSION		"format_version"
#define HOSTS_HOSTS			"hosts"
#define HOSTS_FORMAT_NAME		"tiprof-hosts"
#define HOSTS_FORMAT_NUMBER		1

/* a host (also `tiprof hostinfo --json`) */
#define HOST_SOURCE			"source"	/* BUNDLE_HOST_LOCAL or HOST:PORT */
#define HOST_HOSTNAME			"hostname"
#define HOST_KERNEL			"kernel"
#define HOST_KERNEL_VERSION		"kernel_version"
#define HOST_ARCH			"arch"
#define HOST_DISTRO			"distro"
#define HOST_CPU			"cpu"
#define HOST_MEMORY			"memory"
#define HOST_VIRTUALIZATION		"virtualization"
#define HOST_CONTAINER			"container"
#define HOST_DMI_VENDOR			"dmi_vendor"
#define HOST_DMI_PRODUCT		"dmi_product"
#define HOST_DISKS			"disks"
#define HOST_DATA_DIRS			"data_dirs"
#define HOST_NICS			"nics"

/* "cpu" */
#define HOST_CPU_MODEL			"model"
#define HOST_CPU_SOCKETS		"sockets"
#define HOST_CPU_CORES			"cores"
#define HOST_CPU_THREADS		"threads"
#define HOST_CPU_MHZ			"mhz"
#define HOST_CPU_MHZ_MAX		"mhz_max"
#define HOST_CPU_GOVERNOR		"governor"
#define HOST_CPU_AVX2			"avx2"
#define HOST_CPU_ARCH_PERFMON		"arch_perfmon"
#define HOST_CPU_FLAGS			"flags"

/* "memory" */
#define HOST_MEM_TOTAL			"total_bytes"
#define HOST_MEM_AVAILABLE		"available_bytes"
#define HOST_MEM_SWAP			"swap_bytes"
#define HOST_MEM_NUMA_NODES		"numa_nodes"
#define HOST_MEM_THP			"transparent_hugepage"
#define HOST_MEM_SWAPPINESS		"swappiness"

/* a disk of "disks" */
#define HOST_DISK_NAME			"name"
#define HOST_DISK_MODEL			"model"
#define HOST_DISK_VENDOR		"vendor"
#define HOST_DISK_SIZE			"size_bytes"
#define HOST_DISK_ROTATIONAL		"rotational"
#define HOST_DISK_SCHEDULER		"scheduler"

/* a directory of "data_dirs" */
#define HOST_DIR_PATH			"path"
#define HOST_DIR_MOUNT			"mount"
#define HOST_DIR_FSTYPE			"fstype"
#define HOST_DIR_SOURCE			"source"
#define HOST_DIR_OPTIONS		"options"
#define HOST_DIR_DISK			"disk"		/* a "name" of "disks" */
#define HOST_DIR_NOTE			"note"

/* a NIC of "nics" */
#define HOST_NIC_NAME			"name"
#define HOST_NIC_SPEED			"speed_mbps"
#define HOST_NIC_OPERSTATE		"operstate"
#define HOST_NIC_MTU			"mtu"
#define HOST_NIC_DRIVER			"driver"
#define HOST_NIC_VIRTUAL		"virtual"

/* ---- topology.json (also `tiprof topology --json`) ---- */

#define TOPOLOGY_NAME			"name"
#define TOPOLOGY_VERSION		"version"
#define TOPOLOGY_NODES			"nodes"

/* a node of "nodes" */
#define TOPOLOGY_NODE_COMPONENT		"component"
#define TOPOLOGY_NODE_HOST		"host"
#define TOPOLOGY_NODE_PORT		"port"
#define TOPOLOGY_NODE_STATUS_PORT	"status_port"
#define TOPOLOGY_NODE_NAME		"name"
#define TOPOLOGY_NODE_VERSION		"version"
#define TOPOLOGY_NODE_GIT_HASH		"git_hash"
#define TOPOLOGY_NODE_STATUS		"status"
#define TOPOLOGY_NODE_DEPLOY_DIR	"deploy_dir"
#define TOPOLOGY_NODE_LEADER		"leader"
#define TOPOLOGY_NODE_LABELS		"labels"
#define TOPOLOGY_NODE_CAPACITY		"capacity_bytes"
#define TOPOLOGY_NODE_AVAILABLE		"available_bytes"
#define TOPOLOGY_NODE_REGIONS		"region_count"
#define TOPOLOGY_NODE_LEADERS		"leader_count"
#define TOPOLOGY_NODE_SOURCE		"source"

/* ---- io.jsonl and threads.jsonl: one JSON object a line ----
 * The keys the report reads; the lines are those of `tiprof iostat -x
 * --json`, `tiprof iotop --json` and `tiprof threads --json`, which write
 * more. */

#define SERIES_TYPE			"type"
#define SERIES_HOST			"host"		/* BUNDLE_HOST_LOCAL or HOST:PORT */
#define SERIES_TIME			"time"		/* s since the epoch */

/* "type" */
#define SERIES_TYPE_IOSTAT		"iostat"	/* io.jsonl */
#define SERIES_TYPE_IOTOP		"iotop"		/* io.jsonl */
#define SERIES_TYPE_THREADS		"threads"	/* threads.jsonl */
#define SERIES_TYPE_ERROR		"error"		/* either */

/* iostat: {"since_boot", "disk": [{"disk_device", fields...}]} */
#define SERIES_SINCE_BOOT		"since_boot"
#define SERIES_DISKS			"disk"
#define SERIES_DISK_DEVICE		"disk_device"
#define SERIES_DISK_UTIL		"util"
#define SERIES_DISK_R_AWAIT		"r_await"
#define SERIES_DISK_W_AWAIT		"w_await"
#define SERIES_DISK_AQU_SZ		"aqu-sz"
#define SERIES_DISK_RKBS		"rkB/s"
#define SERIES_DISK_WKBS		"wkB/s"
#define SERIES_DISK_RS			"r/s"
#define SERIES_DISK_WS			"w/s"

/* iotop and threads: {"pid", "tasks": [{"pid", "comm", ...}], "pools": [...]} */
#define SERIES_PID			"pid"
#define SERIES_TASKS			"tasks"
#define SERIES_TASK_PID			"pid"
#define SERIES_TASK_COMM		"comm"
#define SERIES_TASK_READ_BPS		"read_Bps"
#define SERIES_TASK_WRITE_BPS		"write_Bps"
#define SERIES_POOLS			"pools"
#define SERIES_POOL_NAME		"pool"
#define SERIES_POOL_THREADS		"threads"
#define SERIES_POOL_CPU			"cpu"		/* % of one CPU */
#define SERIES_POOL_READ_BPS		"read_Bps"
#define SERIES_POOL_WRITE_BPS		"write_Bps"

/* error: {"source": the type that failed, "host", "time", "message"} */
#define SERIES_ERROR_SOURCE		"source"
#define SERIES_ERROR_MESSAGE		"message"

#endif
