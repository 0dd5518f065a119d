#!/usr/bin/env bash
# CI for `arcade sweep --slurm` on a real one-node Slurm cluster: a 4-shard sweep of a tiny config (two DQN training
# runs as their own array, then 4 evaluation shards, then the merge) must write the report one unsharded
# `arcade transfer` writes, byte for byte apart from the timing line; a shard lost (its task killed before it wrote
# its result) makes the merge name it, and rerunning the sweep runs just that shard.
# Usage: .ci/sweep.sh path/to/arcade (run as root; installs Slurm and munge with apt-get when missing).
set -euo pipefail
arcade=$(realpath "$1")
cd "$(dirname "$0")/.."
source .ci/slurm-cluster.sh
root=$(mktemp -d /tmp/arcade-sweep.XXXXXX)
trap 'slurm_down; rm -rf "$root"' EXIT
slurm_up
sinfo

# A scratch project: the repository's variants and presets, a DQN preset that trains in seconds, a tiny config.
cp -r envs agents "$root/"
mkdir -p "$root/configs"
sed 's/^trainingSteps: .*/trainingSteps: 600/' agents/dqn-tiny.yaml > "$root/agents/ci-dqn.yaml"
cat > "$root/configs/ci-sweep.yaml" <<'YAML'
name: ci-sweep
summary: "CI: a sharded Slurm sweep must give the unsharded report."
trainOn: breakout/small
evaluateOn: [breakout/small, breakout/standard, breakout/juggling]
agents: [random, tracker, ci-dqn]
seeds: [0, 1]
episodesPerSeed: 2
maxEpisodeSteps: 200
trainingSeeds: [0, 1]
useShippedModels: false
YAML

same_report() {  # the two report folders agree on everything but the timing line and fields
  diff <(grep -v '^- Generated' "$1/report.md") <(grep -v '^- Generated' "$2/report.md")
  diff <(grep -v '"generatedAt"\|"wallSeconds"' "$1/results.json") <(grep -v '"generatedAt"\|"wallSeconds"' "$2/results.json")
  cmp "$1/results.csv" "$2/results.csv"
  cmp "$1/chart.svg" "$2/chart.svg"
}
sweep() {
  "$arcade" sweep configs/ci-sweep.yaml --root "$root" --slurm --array 4 --cpus 1 --time 10 --out "$root/sweep" \
    --report "$root/merged" --submit | tee "$root/submit.out"
  slurm_wait "$(awk '$1 == "merge" { print $2 }' "$root/submit.out")" 600
  test -s "$root/merged/report.md" || { echo "no merged report"; tail -n 20 "$root"/sweep/logs/*.log; exit 1; }
}

start=$(date +%s)
sweep
grep -q '^train ' "$root/submit.out"
test "$(ls "$root/sweep/shards" | wc -l)" -eq 4
echo "sweep (2 training runs, 4 shards, merge) in $(( $(date +%s) - start )) s"
"$arcade" transfer configs/ci-sweep.yaml --root "$root" --out "$root/unsharded" --quiet > /dev/null
same_report "$root/unsharded" "$root/merged"
echo "merged report = unsharded report"

# Shard 2 lost: the merge must name it and its log; the rerun trains nothing and evaluates only shard 2.
rm "$root/sweep/shards/shard-2-of-4.json" "$root/merged/report.md"
if "$arcade" report merge "$root/sweep/shards" --out "$root/merged" 2> "$root/merge.err"; then echo "merged without shard 2"; exit 1; fi
grep -q "shard 2/4 (log: $root/sweep/logs/evaluate-2.log)" "$root/merge.err"
sweep
grep -q '^#SBATCH --array=2$' "$root/sweep/evaluate.sbatch"
! grep -q '^train ' "$root/submit.out"
same_report "$root/unsharded" "$root/merged"
echo "rerun after a lost shard: only shard 2 ran, report unchanged"
