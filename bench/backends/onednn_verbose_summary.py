#!/usr/bin/python3
"""Where a oneDNN step's time goes, from ONEDNN_VERBOSE=1 output.

  ONEDNN_VERBOSE=1 build/bench/bench_backends --backends onednn --models unet \\
      --precisions fp32 --modes train --repeats 1 --size 128 | bench/backends/onednn_verbose_summary.py

Sums the execution times oneDNN reports per primitive kind and direction
(forward, backward data, backward weights) over the last timed step: the
bench prints "step <seconds>" after every step, and the primitives run between
the last two such lines are that step's. What the primitives do not account
for is time spent outside oneDNN (loss, optimizer, batch-norm running
statistics, the mul backward loops, copies in and out).
"""
import collections
import re
import sys


def main():
    steps = [[]]
    step_seconds = []
    for line in sys.stdin:
        line = line.strip()
        match = re.match(r"step ([0-9.]+)", line)
        if match:
            step_seconds.append(float(match.group(1)))
            steps.append([])
            continue
        if not line.startswith(("onednn_verbose,exec", "dnnl_verbose,exec")):
            continue
        fields = line.split(",")
        # onednn_verbose,exec,cpu,<kind>,<impl>,<prop>,<mds>,<attrs>,<alg>,<shapes>,<ms>
        kind, impl, prop, ms = fields[3], fields[4], fields[5], float(fields[-1])
        steps[-1].append((kind, impl, prop, ms))
    if not step_seconds:
        sys.exit("no 'step <seconds>' lines: run the bench with --backends onednn")
    last = steps[-2]  # the primitives of the last timed step
    total_ms = step_seconds[-1] * 1000.0
    by_kind = collections.defaultdict(lambda: [0.0, 0])
    for kind, impl, prop, ms in last:
        key = kind + " " + prop.replace("forward_training", "fwd").replace("forward_inference", "fwd")
        if kind == "reorder":
            key = "reorder"
        by_kind[key][0] += ms
        by_kind[key][1] += 1
    primitives_ms = sum(ms for ms, _ in by_kind.values())
    print(f"step {total_ms:.0f} ms; {len(last)} primitive executions, {primitives_ms:.0f} ms in oneDNN")
    print(f"{'primitive':40s} {'calls':>6s} {'ms':>9s} {'share':>7s}")
    for key, (ms, calls) in sorted(by_kind.items(), key=lambda kv: -kv[1][0]):
        print(f"{key:40s} {calls:6d} {ms:9.1f} {100 * ms / total_ms:6.1f}%")
    rest = total_ms - primitives_ms
    print(f"{'outside oneDNN (loss, optimizer, ...)':40s} {'':6s} {rest:9.1f} {100 * rest / total_ms:6.1f}%")


if __name__ == "__main__":
    main()
