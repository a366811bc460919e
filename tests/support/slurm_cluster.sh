#!/usr/bin/env bash
# Starts and stops a throw-away single-node Slurm cluster (munged, slurmctld,
# slurmd) from Debian's slurm-wlm and munge packages, as root, with every file
# in one folder under /tmp. Follows ../shared/notes/slurm-postgres-local.md:
# munged runs as the munge user on a private socket (Debian's key belongs to
# munge), clients need SLURM_CONF exported, RealMemory is what slurmd detects,
# and no cgroup plugin is used.
#
#   slurm_cluster.sh start <dir> <slurmctld port> <slurmd port>   prints SLURM_CONF=<dir>/slurm.conf
#   slurm_cluster.sh stop <dir>                                   cancels all jobs, stops the daemons by pid
#
# <dir> must be a new folder directly under /tmp (munged refuses folders owned
# by other users above its files).
set -euo pipefail

die() { echo "slurm_cluster.sh: $*" >&2; exit 1; }

# A daemon that has exited but not been reaped yet (its parent is PID 1) still
# passes `kill -0`; only a state other than Z means it runs.
alive() { local s; s=$(ps -o stat= -p "$1" 2>/dev/null || true); [ -n "$s" ] && [ "${s:0:1}" != Z ]; }

stop_pid() {
  local pid=$1
  alive "$pid" || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 100); do alive "$pid" || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}

start() {
  local W=$1 ctld_port=$2 slurmd_port=$3
  for tool in munged slurmctld slurmd sbatch sinfo setpriv; do
    command -v "$tool" >/dev/null || die "$tool is missing: run scripts/setup.sh --tests (installs slurm-wlm and munge)"
  done
  [ "$(id -u)" = 0 ] || die "must run as root (slurmd starts jobs as their user)"
  mkdir -p "$W"; chmod 755 "$W"; mkdir -p "$W"/{m,state,spool,log}
  [ -s /etc/munge/munge.key ] || mungekey --create --keyfile=/etc/munge/munge.key
  chown munge:munge /etc/munge/munge.key "$W/m"; chmod 600 /etc/munge/munge.key
  setpriv --reuid=munge --regid=munge --init-groups -- munged --socket="$W/m/sock" \
    --pid-file="$W/m/pid" --log-file="$W/m/log" --seed-file="$W/m/seed" || die "munged did not start: $(cat "$W/m/log" 2>/dev/null)"

  local node mem
  node=$(hostname -s)
  mem=$(free -m | awk '/^Mem:/{print $2}')
  local detected
  detected=$(slurmd -C 2>/dev/null | sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p' | head -1)
  [ -n "$detected" ] && [ "$detected" -lt "$mem" ] && mem=$detected
  local cpus
  cpus=$(nproc)
  cat > "$W/slurm.conf" <<EOF
ClusterName=local
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$W/m/sock
StateSaveLocation=$W/state
SlurmdSpoolDir=$W/spool
SlurmctldPidFile=$W/ctld.pid
SlurmdPidFile=$W/d.pid
SlurmctldLogFile=$W/log/ctld.log
SlurmdLogFile=$W/log/d.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
MailProg=/bin/true
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MinJobAge=30
KillWait=5
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus Sockets=1 CoresPerSocket=$cpus ThreadsPerCore=1 RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
  export SLURM_CONF=$W/slurm.conf
  # Foreground daemons, detached from the caller's output so a caller reading
  # this script's stdout is not held open by them.
  setsid slurmctld -D -c -f "$SLURM_CONF" >"$W/log/ctld.out" 2>&1 < /dev/null &
  echo $! > "$W/ctld.daemon"
  setsid slurmd -D -f "$SLURM_CONF" >"$W/log/d.out" 2>&1 < /dev/null &
  echo $! > "$W/d.daemon"
  for _ in $(seq 300); do
    [ "$(sinfo -h -n "$node" -o %T 2>/dev/null)" = idle ] && { echo "SLURM_CONF=$SLURM_CONF"; return 0; }
    alive "$(cat "$W/ctld.daemon")" || die "slurmctld exited: $(tail -5 "$W/log/ctld.log" "$W/log/ctld.out" 2>/dev/null)"
    alive "$(cat "$W/d.daemon")" || die "slurmd exited: $(tail -5 "$W/log/d.log" "$W/log/d.out" 2>/dev/null)"
    sleep 0.1
  done
  die "the node did not become idle in 30 s: $(sinfo -h -N -o '%N %T %E' 2>&1)"
}

stop() {
  local W=$1
  export SLURM_CONF=$W/slurm.conf
  if [ -f "$W/ctld.daemon" ] && alive "$(cat "$W/ctld.daemon")"; then
    scancel --full --quiet --user=root 2>/dev/null || true
    for _ in $(seq 100); do [ -z "$(squeue -h -o %i 2>/dev/null)" ] && break; sleep 0.1; done
  fi
  for f in d.daemon ctld.daemon m/pid; do
    [ -f "$W/$f" ] && stop_pid "$(cat "$W/$f")"
  done
  return 0
}

case "${1:-}" in
  start) [ $# = 4 ] || die "usage: start <dir> <slurmctld port> <slurmd port>"; start "$2" "$3" "$4" ;;
  stop) [ $# = 2 ] || die "usage: stop <dir>"; stop "$2" ;;
  *) die "usage: slurm_cluster.sh start <dir> <ctld port> <slurmd port> | stop <dir>" ;;
esac
