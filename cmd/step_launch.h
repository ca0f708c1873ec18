/* step_launch.h: a heavy phase of `wbgen step` run on a cluster node through a launcher (Slurm's
 * srun), docs/cluster.md. With WBGEN_LAUNCHER=srun (exported by wbgen.mk), a phase that runs Python
 * (build-system, discover, backend, build, deps) is not run here: wbgen-step runs
 * `srun -n1 -N1 --job-name=wbgen:PHASE:ID [sizes] $WBGEN_SRUN_FLAGS -- wbgen-step step PHASE ID DEP...`
 * with WBGEN_LAUNCHED=1, and the launched wbgen-step does the phase's whole work on the node
 * (stamps, trace, failures.json: OUTDIR is on a shared file system). The launched phase writes its
 * outcome to logs/ID/PHASE.log.launched (synced, after its target); a launch whose srun fails
 * without that outcome (never started, cancelled, node lost, srun killed) is failed here in the
 * launcher's name, with srun's last error (its standard error is kept in PHASE.log.srun while it
 * runs, then shown), and the job it leaves is cancelled. */
#ifndef WBGEN_STEP_LAUNCH_H
#define WBGEN_STEP_LAUNCH_H

#include <jansson.h>

/* What step_launch needs of the phase (all borrowed). */
struct step_launch {
	const char *phase, *id, *name, *version;
	const json_t *pkg;    /* work/ID/pkg.json: the job's size (cpu_cores_per_job, ...) */
	const char *target;   /* the phase's target, or NULL */
	const char *log;      /* logs/ID/PHASE.log */
	char **argv;          /* cmd_step's arguments (argv[0], PHASE, ID, DEP...), NULL-terminated */
};

/* Non-zero when phase goes through the launcher: WBGEN_LAUNCHER is srun, the phase is a heavy
 * one and this process was not launched already (WBGEN_LAUNCHED). Dies on an unknown launcher. */
int step_launch_wanted(const char *phase);
/* Run the phase through srun and wait for it (SIGINT and SIGTERM here are passed on to srun as
 * one SIGTERM: it cancels its step). The launched phase's exit status; when srun failed without
 * the phase's outcome, the failure is recorded in failures.json ("launcher": why), the target
 * removed, and EXIT_FAILURE_USER returned. */
int step_launch(const struct step_launch *l);
/* With a launcher (WBGEN_LAUNCHER), before a make in OUTDIR (the current directory): die when its
 * file system cannot be shared by the nodes, warn when it is a local one (sharedfs.h), and cancel
 * the Slurm jobs an earlier make here left behind (named wbgen:*, working directory OUTDIR). */
void step_launch_prepare(void);
/* In a launched phase, first thing on its node: die when the current directory is not OUTDIR
 * (WBGEN_LAUNCH_DIR, where the launching side runs: a node that does not mount it at the same
 * path starts the task elsewhere). Nothing outside a launched phase. */
void step_launch_arrive(void);
/* In a launched phase, once its package is known: die when the target interpreter python is not
 * on this node, and record the Slurm job and step it runs as in LOG.job, which the launching side
 * cancels if the launch fails. */
void step_launch_begin(const char *log, const char *python);
/* In a launched phase (WBGEN_LAUNCHED): record its outcome for the launching side, after making
 * its target durable. Nothing outside a launched phase. */
void step_launch_done(const char *log, const char *target, int status);

#endif
