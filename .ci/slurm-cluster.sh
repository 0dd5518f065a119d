#!/usr/bin/env bash
# A throwaway one-node Slurm cluster on this machine, for CI: `source` this file, then `slurm_up` and `slurm_down`.
# Needs root, not systemd: munged, slurmctld and slurmd run in the foreground under a scratch folder, with
# Debian's packages (installed here when missing). SLURM_CONF is exported so every client finds the cluster.
slurm_up() {
  if ! command -v slurmctld > /dev/null || ! command -v slurmd > /dev/null || ! command -v sbatch > /dev/null \
     || ! command -v munged > /dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurmctld slurmd slurm-client munge > /dev/null
  fi
  SLURM_DIR=$(mktemp -d /tmp/arcade-slurm.XXXXXX)
  mkdir -p "$SLURM_DIR"/{munge,ctld,spool,log}
  chmod 755 "$SLURM_DIR" "$SLURM_DIR/munge"   # munged refuses a socket folder others cannot enter
  export SLURM_CONF=$SLURM_DIR/slurm.conf
  local socket=$SLURM_DIR/munge/socket
  head -c 1024 /dev/urandom > "$SLURM_DIR/munge/key" && chmod 400 "$SLURM_DIR/munge/key"
  munged -F --socket="$socket" --key-file="$SLURM_DIR/munge/key" --pid-file="$SLURM_DIR/munge/pid" \
    --seed-file="$SLURM_DIR/munge/seed" --log-file="$SLURM_DIR/log/munged.log" > /dev/null 2>&1 &
  SLURM_PIDS=($!)
  local i
  for i in $(seq 50); do munge -n -S "$socket" 2> /dev/null | unmunge -S "$socket" > /dev/null 2>&1 && break; sleep 0.2; done
  # slurmd -C describes this machine's CPUs; the node is called localhost whatever the host name is.
  local hardware memory
  hardware=$(slurmd -C | head -1 | sed -e 's/^NodeName=[^ ]*//' -e 's/RealMemory=[0-9]*//')
  memory=$(( $(slurmd -C | head -1 | sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p') * 9 / 10 ))
  : > "$SLURM_DIR/plugstack.conf"
  cat > "$SLURM_CONF" <<CONF
ClusterName=arcade-ci
SlurmctldHost=localhost
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$socket
StateSaveLocation=$SLURM_DIR/ctld
SlurmdSpoolDir=$SLURM_DIR/spool
SlurmctldPidFile=$SLURM_DIR/slurmctld.pid
SlurmdPidFile=$SLURM_DIR/slurmd.pid
SlurmctldLogFile=$SLURM_DIR/log/slurmctld.log
SlurmdLogFile=$SLURM_DIR/log/slurmd.log
PlugStackConfig=$SLURM_DIR/plugstack.conf
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
ReturnToService=2
MailProg=/bin/true
NodeName=localhost $hardware RealMemory=$memory State=UNKNOWN
PartitionName=ci Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
  slurmctld -D -c > "$SLURM_DIR/log/slurmctld.out" 2>&1 &
  SLURM_PIDS+=($!)
  for i in $(seq 50); do scontrol ping 2> /dev/null | grep -q 'is UP' && break; sleep 0.2; done
  slurmd -D -N localhost > "$SLURM_DIR/log/slurmd.out" 2>&1 &
  SLURM_PIDS+=($!)
  for i in $(seq 100); do [ "$(sinfo -h -n localhost -o %T 2> /dev/null)" = idle ] && return 0; sleep 0.2; done
  echo "the Slurm node did not come up:"; tail -20 "$SLURM_DIR"/log/*.log
  return 1
}

# Waits until job $1 (every task of an array) has left the queue, at most $2 seconds.
slurm_wait() {
  local i
  for i in $(seq "$2"); do [ -z "$(squeue -h -j "$1" 2> /dev/null)" ] && return 0; sleep 1; done
  echo "job $1 still queued after $2 s:"; squeue; return 1
}

slurm_down() {
  scontrol shutdown > /dev/null 2>&1 || true
  local pid i
  # munged is first in the list and goes last: the daemons need it to shut down.
  for pid in "${SLURM_PIDS[@]:1}" "${SLURM_PIDS[0]}"; do
    [ "$pid" = "${SLURM_PIDS[0]}" ] && kill "$pid" 2> /dev/null
    for i in $(seq 20); do kill -0 "$pid" 2> /dev/null || break; sleep 0.25; done
    kill -9 "$pid" 2> /dev/null || true
  done
  wait 2> /dev/null || true
  rm -rf "$SLURM_DIR"
}
