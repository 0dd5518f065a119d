#!/usr/bin/env bash
# CI for `arcade sweep --slurm` on a real one-node Slurm cluster: a 4-shard sweep of a tiny config (two DQN training
# runs as their own array, then 4 evaluation shards, then the merge) must write the report one unsharded
# `arcade transfer` writes, byte for byte apart from the timing line; a shard lost (its task killed before it wrote
# its result) makes the merge name it, and rerunning the sweep runs just that shard. A 3-shard sweep of a tiny
# prior study (no training array) must likewise give the unsharded `arcade study priors` report, timings aside.
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

# A prior study through the same scheduler: 3 shards of 4 cells, merged = unsharded apart from timings.
cat > "$root/configs/ci-study.yaml" <<'YAML'
name: ci-study
variants: [priors/original, priors/all-masked]
agents: [schema-explore]
seeds: [0, 1]
actionBudget: 3000
YAML
"$arcade" sweep configs/ci-study.yaml --root "$root" --slurm --array 3 --cpus 1 --time 10 --out "$root/study-sweep" \
  --report "$root/study-merged" --submit | tee "$root/study.out"
! grep -q '^train ' "$root/study.out"
slurm_wait "$(awk '$1 == "merge" { print $2 }' "$root/study.out")" 600
test -s "$root/study-merged/report.md" || { echo "no merged study report"; tail -n 20 "$root"/study-sweep/logs/*.log; exit 1; }
"$arcade" study priors configs/ci-study.yaml --root "$root" --out "$root/study-unsharded" --quiet > /dev/null
python3 - "$root/study-unsharded" "$root/study-merged" <<'PY'
import json, re, sys
def timeless(folder):
    data = json.load(open(f"{folder}/results.json"))
    for key in ("generatedAt", "cellSeconds"): data.pop(key)
    for cell in data["cells"]: cell.pop("seconds")
    lines = [l for l in open(f"{folder}/report.md") if "generated" not in l]
    lines = [re.sub(r"\| [0-9.]+ \|$", "| |", l) if l.count("|") == 7 else l for l in lines]  # the seconds column
    return data, lines, open(f"{folder}/results.csv").read(), open(f"{folder}/chart.svg").read()
a, b = timeless(sys.argv[1]), timeless(sys.argv[2])
for name, x, y in zip(["results.json", "report.md", "results.csv", "chart.svg"], a, b):
    if x != y: sys.exit(f"study: merged {name} differs from the unsharded one")
PY
echo "merged study report = unsharded study report (timings aside)"
