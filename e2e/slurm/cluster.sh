# cluster.sh: a one-node Slurm cluster of the test's own, sourced by e2e/slurm.sh (docs/cluster.md).
#
# slurm_start installs Debian's slurmctld, slurmd, slurm-client and munge when they are missing
# (apt-get, as root), writes a one-node slurm.conf in a short temporary directory (Slurm's and
# munge's sockets live there, and a socket's path has a length limit) with free ports, its own munge
# key and socket and a job-completion file (jobcomp/filetxt: every job is recorded, SLURM_JOBCOMP),
# starts munged, slurmctld and slurmd in the foreground in the background (logs in the directory)
# and waits, bounded, for the node to be idle. It exports SLURM_CONF so that srun, sinfo and the
# like find that cluster. Where Slurm cannot start it says why on stderr and returns non-zero (the
# caller skips). slurm_stop stops the daemons it started, by PID, and removes the directory.
# slurm_stop also kills the cluster's slurmstepd processes (with their tasks), which outlive their
# slurmd. slurm_wait_exit waits, bounded, for a process to end. slurm_node_lose kills the node as a power
# loss would (slurmd and this cluster's slurmstepd processes with their tasks, SIGKILL), and
# slurm_node_back starts its slurmd again and waits until the node is back in service.

SLURM_DIR=
SLURM_PIDS=
SLURMD_PID=

slurm_fail() {
	echo "slurm: $*" >&2
	if test -n "$SLURM_DIR"; then
		for f in "$SLURM_DIR"/*.log; do
			test -s "$f" || continue
			echo "--- $f (last lines)" >&2
			tail -n 15 "$f" >&2
		done
	fi
	return 1
}

slurm_install() {
	if command -v slurmctld >/dev/null 2>&1 && command -v slurmd >/dev/null 2>&1 &&
	   command -v srun >/dev/null 2>&1 && command -v munged >/dev/null 2>&1; then
		return 0
	fi
	test "$(id -u)" = 0 || { slurm_fail "Slurm is not installed and we are not root to install it"; return 1; }
	command -v apt-get >/dev/null 2>&1 || { slurm_fail "Slurm is not installed and there is no apt-get"; return 1; }
	echo "slurm: installing slurmctld slurmd slurm-client munge" >&2
	# with the package lists as they are, else once more after an update (a fresh machine's are stale)
	{ DEBIAN_FRONTEND=noninteractive apt-get install -y -q slurmctld slurmd slurm-client munge ||
		{ apt-get update -qq &&
			DEBIAN_FRONTEND=noninteractive apt-get install -y -q slurmctld slurmd slurm-client munge; }; } \
		>"${TMPDIR:-/tmp}/wbgen-slurm-apt.log" 2>&1 ||
	{ tail -n 5 "${TMPDIR:-/tmp}/wbgen-slurm-apt.log" >&2; slurm_fail "apt-get install failed"; return 1; }
}

# A TCP port of 127.0.0.1 that nothing listens on (the kernel's choice).
slurm_free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

slurm_start() {
	slurm_install || return 1
	test "$(id -u)" = 0 || { slurm_fail "slurmd runs jobs as their user: it needs root here"; return 1; }
	SLURM_DIR=$(mktemp -d /tmp/wbs.XXXX) || return 1
	d=$SLURM_DIR
	mkdir "$d/spool" "$d/state" || return 1
	chmod 700 "$d"
	# munge: a key and a socket of our own (the system's munged, if any, is left alone)
	dd if=/dev/urandom of="$d/munge.key" bs=1024 count=1 2>/dev/null || return 1
	chmod 400 "$d/munge.key"
	munged -F --force --socket="$d/munge.sock" --key-file="$d/munge.key" \
		--pid-file="$d/munged.pid" --seed-file="$d/munged.seed" --log-file="$d/munged.log" \
		>"$d/munged.out" 2>&1 &
	SLURM_PIDS="$!"
	i=0
	until test -S "$d/munge.sock"; do
		i=$((i + 1))
		test $i -le 100 || { slurm_fail "munged did not start"; return 1; }
		kill -0 "$!" 2>/dev/null || { slurm_fail "munged exited"; return 1; }
		sleep 0.1
	done
	ctl_port=$(slurm_free_port) && slurmd_port=$(slurm_free_port) || return 1
	test "$ctl_port" != "$slurmd_port" || slurmd_port=$(slurm_free_port)
	host=$(hostname -s)
	# at least 8 CPUs (more than the machine may have: config_overrides), so that the jobs of a
	# make -j8 never wait for one another (a pending srun waits seconds for the next scheduling);
	cpus=$(nproc)
	test "$cpus" -ge 8 || cpus=8
	# and 16 GB at least: the jobs ask for 1 GB each (job settings); nothing enforces it here
	mem=$(awk '/^MemTotal:/ { m = int($2 / 1024); print m < 16384 ? 16384 : m }' /proc/meminfo)
	cat >"$d/slurm.conf" <<CONF
ClusterName=wbgen
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctl_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$d/munge.sock
StateSaveLocation=$d/state
SlurmdSpoolDir=$d/spool
SlurmctldPidFile=$d/slurmctld.pid
SlurmdPidFile=$d/slurmd.pid
SlurmctldLogFile=$d/slurmctld.log
SlurmdLogFile=$d/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/pgid
TaskPlugin=task/none
SwitchType=switch/none
MpiDefault=none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
ReturnToService=2
SlurmdParameters=config_overrides
JobCompType=jobcomp/filetxt
JobCompLoc=$d/jobcomp.txt
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
DefMemPerCPU=256
MinJobAge=5
KillWait=5
SlurmctldTimeout=30
SlurmdTimeout=10
InactiveLimit=0
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=wbgen Nodes=$host Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO
CONF
	SLURM_CONF=$d/slurm.conf
	export SLURM_CONF
	SLURM_JOBCOMP=$d/jobcomp.txt
	slurmctld -D -i -f "$SLURM_CONF" >"$d/slurmctld.out" 2>&1 &
	SLURM_PIDS="$SLURM_PIDS $!"
	slurm_slurmd || return 1
}

# slurmd started (again), and the node idle (at most 30 s)
slurm_slurmd() {
	slurmd -D -f "$SLURM_CONF" -N "$(hostname -s)" >>"$SLURM_DIR/slurmd.out" 2>&1 &
	SLURMD_PID=$!
	SLURM_PIDS="$SLURM_PIDS $!"
	_i=0
	until sinfo -h -o %t 2>/dev/null | grep -qx idle; do
		_i=$((_i + 1))
		test $_i -le 150 || { slurm_fail "the node is not idle after 30 s: $(sinfo -h -o '%t %E' 2>&1)"; return 1; }
		for p in $SLURM_PIDS; do
			kill -0 "$p" 2>/dev/null || { slurm_fail "a daemon exited (pid $p)"; return 1; }
		done
		sleep 0.2
	done
}

# SIGKILL to this cluster's slurmstepd processes and their tasks: a slurmstepd writes to our
# slurmd.log (another cluster may run on this machine); one whose slurmd is gone would stay
slurm_kill_steps() {
	test -n "$SLURM_DIR" || return 0
	for p in $(pgrep -x slurmstepd); do
		ls -l "/proc/$p/fd" 2>/dev/null | grep -q "$SLURM_DIR/" || continue
		for c in $(pgrep -P "$p"); do
			kill -KILL -- "-$c" 2>/dev/null || kill -KILL "$c" 2>/dev/null || :
		done
		kill -KILL "$p" 2>/dev/null || :
	done
}

slurm_node_lose() {
	slurm_kill_steps
	kill -KILL "$SLURMD_PID" 2>/dev/null || :
	wait "$SLURMD_PID" 2>/dev/null || :
	_pids=
	for p in $SLURM_PIDS; do
		test "$p" = "$SLURMD_PID" || _pids="$_pids $p"
	done
	SLURM_PIDS=$_pids
}

slurm_node_back() {
	slurm_slurmd
}

# slurm_wait_exit PID TENTHS: wait until process PID is gone, at most TENTHS tenths of a second;
# false when it is still there.
slurm_wait_exit() {
	_i=0
	while kill -0 "$1" 2>/dev/null; do
		_i=$((_i + 1))
		test $_i -le "$2" || return 1
		sleep 0.1
	done
}

slurm_stop() {
	slurm_kill_steps
	for p in $SLURM_PIDS; do
		kill -TERM "$p" 2>/dev/null || :
	done
	for p in $SLURM_PIDS; do
		slurm_wait_exit "$p" 100 || kill -KILL "$p" 2>/dev/null || :
		wait "$p" 2>/dev/null || :
	done
	SLURM_PIDS=
	if test -n "$SLURM_DIR"; then
		rm -rf "$SLURM_DIR"
		SLURM_DIR=
	fi
}
