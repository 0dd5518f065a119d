#!/usr/bin/env python3
"""Hostile-input fuzz test of the arcade binary (issue 21): from a fixed seed, writes variant files, level files,
agent presets, experiment configs, damaged run folders and option sets with extreme, negative, huge, non-finite and
malformed values into a scratch copy of the project, runs the real binary on each (list, rollout, train a few steps,
render, solve, transfer), and fails if any run ends by a signal, prints "Fatal error" or exceeds the time limit.
An error message and a non-zero exit are the expected outcome for most cases. Python 3 standard library only.

usage: .ci/fuzz.py BINARY [--cases N] [--seed S] [--jobs J] [--timeout SECONDS]
"""
import argparse, concurrent.futures, os, random, shutil, subprocess, sys, tempfile, threading, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Values chosen to hit overflow, allocation, non-finite and type errors; a few ordinary ones keep runs going.
HOSTILE = ["-9223372036854775808", "-9223372036854775807", "9223372036854775807", "9223372036854775808",
           "18446744073709551616", "1000000000000", "1000000000000000", "4294967296", "2147483648", "-2147483649",
           "1e40", "-1e40", "1e308", ".inf", "-.inf", ".nan", "-1", "0", "-0", "1", "2", "3", "0.5", "-0.5", "1.5",
           "null", "~", "''", "'x'", "[]", "{}", "[1, 2]", "[-1]", "[9223372036854775807]", "[1000000000]", "true",
           "yes", "0x7fffffffffffffff", "1e3", "'\u00e9\u4e2d'", "[[1, 2, 3]]", "[[9223372036854775807, 3, 1]]"]
ORDINARY = ["1", "2", "4", "8", "16", "0.1", "0.9", "100", "true", "false"]
INT_LINES = ["9223372036854775807", "-9223372036854775807", "99999999999999999999", "1000000", "-1", "0", "x", "1e3",
             "45", "120", "3"]


def value(rng):
    return rng.choice(HOSTILE) if rng.random() < 0.8 else rng.choice(ORDINARY)


def yaml_keys(text):
    return [line.split(":")[0] for line in text.splitlines() if line and line[0].isalpha() and ":" in line]


# Valid values of the enumerated keys, so that ordinary mutations reach the games' code, not just the parser.
ENUMS = {
    "theme": ["original", "maskedSemantics", "maskedObjectIdentity", "maskedAffordances", "maskedSimilarity",
              "reversedSemantics", "allMasked"],
    "view": ["normal", "rotated"], "rectRounding": ["halfAwayFromZero", "truncate"], "bricks": ["rows", "none", "target"],
    "middleWall": ["none", "left", "middle", "right", "random"], "observation": ["grid", "pixels"],
    "levels": ["[map]", "[map, map]", "[nope]", "['../x']"],
}


def nearby(rng, old, key=""):
    """An ordinary neighbour of the value `old` of `key` (a number moved a little, a list element changed, another
    valid name), or None."""
    if key in ENUMS: return rng.choice(ENUMS[key])
    old = old.split("#")[0].strip()
    try:
        n = int(old)
        return str(rng.choice([n + 1, n - 1, n * 2, n // 2, n * 4, 0, 1, n + 10, 89]))
    except ValueError:
        pass
    try:
        x = float(old)
        return str(rng.choice([x * 2, x / 2, 0.0, 1.0, -x, x + 0.5]))
    except ValueError:
        pass
    if old.startswith("[") and old.endswith("]") and old != "[]":
        items = [i.strip() for i in old[1:-1].split(",")]
        i = rng.randrange(len(items))
        items[i] = nearby(rng, items[i]) or items[i]
        return "[" + ", ".join(items) + "]" if rng.random() < 0.7 else "[" + ", ".join(items[:-1]) + "]"
    return None


def mutate_yaml(rng, text, keys):
    """`text` with one to three keys of `keys` set to hostile values or ordinary neighbours of their values (added
    when missing), sometimes deleted."""
    lines = text.splitlines()
    for _ in range(rng.randint(1, 3)):
        key = rng.choice(keys)
        old = next((l.split(":", 1)[1] for l in lines if l.startswith(key + ":")), "")
        lines = [l for l in lines if not l.startswith(key + ":")]
        if rng.random() < 0.92:
            near = nearby(rng, old, key) if rng.random() < 0.5 else None
            lines.append(f"{key}: {near or value(rng)}")
    out = "\n".join(lines) + "\n"
    return damage(rng, out)


def damage(rng, text):
    roll = rng.random()
    if roll < 0.04: return "\ufeff" + text
    if roll < 0.08: return text.replace("\n", "\r\n")
    if roll < 0.10: return text[: rng.randint(0, len(text))]
    if roll < 0.11: return text + "\n" + "".join(chr(rng.randint(1, 0x2FF)) for _ in range(40))
    if roll < 0.12: return "key: &a [*a]\n" if rng.random() < 0.5 else "- a\n- b\n"
    return text


def level_text(rng):
    rows, cols = rng.choice([0, 1, 2, 3, 5, 8, 16, 16, 30]), rng.choice([0, 1, 2, 3, 5, 8, 16, 16, 30])
    alphabet = ".........#####||HhEFabcd" + ("Z?\t " if rng.random() < 0.2 else "")
    grid = ["".join(rng.choice(alphabet) for _ in range(cols)) for _ in range(rows)]
    if grid and cols and rng.random() < 0.9:
        r, c = rng.randrange(rows), rng.randrange(cols)
        grid[r] = grid[r][:c] + "S" + grid[r][c + 1:]
    if grid and cols and rng.random() < 0.9:
        r, c = rng.randrange(rows), rng.randrange(cols)
        grid[r] = grid[r][:c] + "P" + grid[r][c + 1:]
    meta = []
    if rng.random() < 0.3: meta.append("; player_start_px: " + " ".join(rng.choice(INT_LINES) for _ in range(rng.choice([1, 2, 2, 3]))))
    if rng.random() < 0.3: meta.append("; princess_px: " + " ".join(rng.choice(INT_LINES) for _ in range(rng.choice([2, 4, 4]))))
    if rng.random() < 0.1 and grid: grid[-1] = grid[-1] + "."  # ragged
    text = "\n".join(meta + grid) + "\n"
    return damage(rng, text)


class Fuzz:
    def __init__(self, binary, scratch, timeout):
        self.binary, self.scratch, self.timeout = binary, scratch, timeout
        self.runs, self.failures, self.lock = 0, [], threading.Lock()
        self.outcomes = {}  # (case kind, "ok" or "refused") -> runs
        self.seconds = {}  # case kind -> seconds of its runs

    def run(self, case, root, kind, args):
        started = time.monotonic()
        try:
            p = subprocess.run([self.binary] + args + ["--root", root], cwd=root, capture_output=True, text=True,
                               errors="replace", timeout=self.timeout)
            problem = None
            if p.returncode < 0: problem = f"ended by signal {-p.returncode}"
            elif "Fatal error" in p.stdout + p.stderr: problem = "printed Fatal error"
            detail = (p.stderr.strip().splitlines() or [""])[-1][:300]
        except subprocess.TimeoutExpired:
            problem, detail, p = f"exceeded {self.timeout} s", "", None
        with self.lock:
            self.runs += 1
            outcome = (kind, "failed" if problem else "ok" if p.returncode == 0 else "refused")
            self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1
            self.seconds[kind] = self.seconds.get(kind, 0) + time.monotonic() - started
            if problem:
                self.failures.append(f"case {case}: arcade {' '.join(args)}: {problem} ({time.monotonic() - started:.1f} s) {detail}")

    def project(self, case):
        root = os.path.join(self.scratch, f"case{case}")
        os.makedirs(root)
        for folder in ["envs", "agents", "configs"]:
            shutil.copytree(os.path.join(ROOT, folder), os.path.join(root, folder))
        return root

    def case(self, case, seed):
        rng = random.Random(seed * 1_000_003 + case)
        root = self.project(case)
        write = lambda path, text: open(os.path.join(root, path), "w", encoding="utf-8", newline="").write(text)
        kind = rng.choices(["breakout", "priors", "level", "preset", "config", "options", "run"], [30, 10, 15, 20, 8, 12, 5])[0]
        if kind == "breakout":
            base = open(os.path.join(ROOT, "envs/breakout", rng.choice(sorted(os.listdir(os.path.join(ROOT, "envs/breakout")))))).read()
            write("envs/breakout/fuzz.yaml", mutate_yaml(rng, base.replace("family: breakout", "family: breakout"), yaml_keys(base)))
            self.run(case, root, kind, ["rollout", "--env", "breakout/fuzz", "--episodes", "1", "--max-steps", "40"])
            self.run(case, root, kind, ["render", "--env", "breakout/fuzz", "--steps", "5", "--out", "f.png"])
            if case % 5 == 0: self.run(case, root, kind, ["list"])
        elif kind in ("priors", "level"):
            base = open(os.path.join(ROOT, "envs/priors/original.yaml")).read().replace("maxEpisodeSteps: 2001", "maxEpisodeSteps: 300")
            if kind == "level":
                write("envs/priors/levels/fuzz.txt", level_text(rng))
                write("envs/priors/fuzz.yaml", base.replace("levels: [map]", "levels: [fuzz]"))
            else:
                write("envs/priors/fuzz.yaml", mutate_yaml(rng, base, yaml_keys(base)))
            self.run(case, root, kind, ["rollout", "--env", "priors/fuzz", "--episodes", "1", "--max-steps", "40"])
            self.run(case, root, kind, ["render", "--env", "priors/fuzz", "--steps", "5", "--out", "f.png"])
            if kind == "priors" or rng.random() < 0.5:  # the solver's search is the slow part
                self.run(case, root, kind, ["solve", "--env", "priors/fuzz"])
        elif kind == "preset":
            name = rng.choice(["dqn-tiny", "dqn-tiny", "schema", "tracker", "random", "dqn-pixels"])
            base = open(os.path.join(ROOT, "agents", name + ".yaml")).read()
            keys = {"dqn-tiny": "dqn", "dqn-pixels": "dqn"}.get(name, name)
            pool = yaml_keys(base) + PRESET_KEYS[keys]
            write("agents/fuzz.yaml", mutate_yaml(rng, base, pool))
            if keys in ("dqn", "schema"):
                self.run(case, root, kind, ["train", "--agent", "fuzz", "--env", "breakout/small", "--steps", "60",
                                      "--checkpoint-every", "30", "--threads", "1", "--out", "runs/fuzz", "--quiet"])
            else:
                self.run(case, root, kind, ["rollout", "--agent", "fuzz", "--env", "breakout/small", "--episodes", "1", "--max-steps", "40"])
        elif kind == "config":
            base = ("name: fuzz\nsummary: fuzz\ntrainOn: breakout/small\nevaluateOn: [breakout/small]\nagents: [random]\n"
                    "seeds: [0]\nepisodesPerSeed: 1\nmaxEpisodeSteps: 30\n")
            keys = yaml_keys(base) + ["trainingSeeds", "useShippedModels"]
            text = mutate_yaml(rng, base, [k for k in keys if k != "episodesPerSeed" or rng.random() < 0.5])
            write("configs/fuzz.yaml", text)
            self.run(case, root, kind, ["transfer", "configs/fuzz.yaml", "--quiet", "--threads", "1", "--out", rng.choice(OUTS)])
        elif kind == "options":
            command = rng.choice(OPTION_COMMANDS)
            args = list(command)
            for _ in range(rng.randint(1, 2)):
                option = rng.choice(["--episodes", "--max-steps", "--steps", "--seed", "--scale", "--threads", "--checkpoint-every"])
                if option in args: continue
                args += [option, rng.choice(["-1", "0", "-9223372036854775808", "9223372036854775807", "1e3", "", "x", "99999999999"])]
            if "--out" in args and rng.random() < 0.5:
                args[args.index("--out") + 1] = rng.choice(OUTS)
            self.run(case, root, kind, args)
        else:
            self.damaged_run(case, root, rng)

    def damaged_run(self, case, root, rng, kind="run"):
        run = os.path.join(root, "runs", "r")
        shutil.copytree(self.tiny_run, run)
        target = rng.choice(["run.json", "run.json", "checkpoint.bin", "weights.bin", "curve.csv"])
        path = os.path.join(run, target)
        data = bytearray(open(path, "rb").read())
        if target == "run.json":
            text = data.decode()
            key = rng.choice(["batchSize", "learningRate", "bufferSize", "trainedSteps", "targetSteps", "actionCount",
                              "frameStack", "hiddenUnits", "inputsPerFrame", "frameShape", "seed", "kind"])
            import re
            text = re.sub(rf'("{key}" : )([^,\n]*)', lambda m: m.group(1) + rng.choice(JSON_VALUES), text, count=1)
            data = bytearray(damage(rng, text).encode())
        elif data:
            for _ in range(rng.randint(1, 4)):
                i = rng.randrange(len(data))
                data[i] = rng.randrange(256)
            if rng.random() < 0.3: data = data[: rng.randrange(len(data))]
        open(path, "wb").write(bytes(data))
        self.run(case, root, kind, ["train", "--resume", "runs/r", "--steps", "80", "--threads", "1", "--quiet"])
        self.run(case, root, kind, ["rollout", "--agent", "runs/r", "--env", "breakout/small", "--episodes", "1", "--max-steps", "30"])


PRESET_KEYS = {
    "dqn": ["learningRate", "adamEpsilon", "gamma", "bufferSize", "batchSize", "learningStarts", "trainFrequency",
            "targetNetworkFrequency", "initialEpsilon", "finalEpsilon", "explorationSteps", "nStep", "actionRepeat",
            "munchausenScale", "munchausenTemperature", "frameStack", "stackStride", "convolutions", "hiddenUnits",
            "gridPool", "pixelSize", "maxGradientNorm", "huberDelta", "priorityExponent", "importanceSamplingExponent",
            "evaluationEpsilon", "trainingSteps", "inputPlanes", "prioritizedReplay", "dueling"],
    "schema": ["windowRadius", "kindSlots", "maxSpeed", "partLevelsX", "partLevelsY", "partMaxExtent", "noiseTolerance",
               "minimumSupport", "minimumPrecision", "likelyPrecision", "maxSchemasPerTarget", "absorptionCandidates",
               "warmupSteps", "learningInterval", "explorationEpsilon", "learningThreads", "horizon", "discount",
               "negativeRewardPenalty", "uncertaintyPenalty", "catchMargin", "maxCandidates", "replanHysteresis"],
    "tracker": ["deadZone", "predictLanding", "varyAim"],
    "random": ["summary"],
}
JSON_VALUES = ["0", "-1", "1e308", "-1e308", "9223372036854775807", "-9223372036854775808", "18446744073709551616",
               "null", "\"x\"", "[]", "[536870912, 536870912, 536870912]", "1000000000000", "0.5"]
OUTS = ["out", "envs/breakout/standard.yaml", "x" * 300, "/proc/arcade-fuzz", "a/" + "b" * 255 + "/c", "", "."]
OPTION_COMMANDS = [
    ["rollout", "--env", "breakout/small", "--episodes", "1", "--max-steps", "20"],
    ["render", "--env", "priors/original", "--out", "o.png"],
    ["train", "--agent", "dqn-tiny", "--env", "breakout/small", "--steps", "40", "--out", "runs/o", "--quiet"],
    ["record", "--env", "breakout/small", "--max-steps", "20", "--out", "o.gif"],
    ["solve", "--env", "priors/original", "--out", "plan.txt"],
    ["rollout", "--env", "breakout/nope", "--agent", "nobody"],
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binary")
    parser.add_argument("--cases", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=21)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=60)
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    scratch = tempfile.mkdtemp(prefix="arcade-fuzz-")
    started = time.monotonic()
    try:
        fuzz = Fuzz(binary, scratch, args.timeout)
        # One real tiny run folder, damaged copies of which the "run" cases resume and play.
        base = fuzz.project("base")
        subprocess.run([binary, "train", "--agent", "dqn-tiny", "--env", "breakout/small", "--steps", "300", "--checkpoint-every",
                        "100", "--out", "runs/r", "--quiet", "--threads", "1", "--root", base], check=True, cwd=base)
        fuzz.tiny_run = os.path.join(base, "runs", "r")

        def one(case):
            fuzz.case(case, args.seed)
            shutil.rmtree(os.path.join(scratch, f"case{case}"), ignore_errors=True)

        with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
            for future in [pool.submit(one, c) for c in range(args.cases)]:
                future.result()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    seconds = time.monotonic() - started
    print(f"fuzz: seed {args.seed}, {args.cases} cases, {fuzz.runs} runs, {len(fuzz.failures)} failures, {seconds:.0f} s")
    print("outcomes (case kind: runs that succeeded / were refused with a message / failed):")
    for kind in sorted({k for k, _ in fuzz.outcomes}):
        counts = [fuzz.outcomes.get((kind, o), 0) for o in ("ok", "refused", "failed")]
        print(f"  {kind}: {counts[0]} / {counts[1]} / {counts[2]} ({fuzz.seconds.get(kind, 0):.0f} s)")
    for failure in fuzz.failures[:50]:
        print(failure)
    sys.exit(1 if fuzz.failures else 0)


if __name__ == "__main__":
    main()
