#!/usr/bin/env python3
"""seglab on CUDA side by side with PyTorch eager, in one run on one GPU.

  bench/gpu/run_gpu_bench.py [--seglab build/bench/bench_gpu] [--models unet,unet_resnet34]
                             [--sizes 256,512] [--steps 15] [--warmup 4] [--out results.txt]

Per model and size it runs, each in its own process: seglab (bench_gpu) in
fp32, fp16 and bf16; PyTorch eager (pytorch_eager.py) in its default (fp32,
NCHW) and with channels-last + autocast in fp16 (GradScaler) and bf16. Training
is at batch 16, inference at batch 32. nvidia-smi samples the GPU every 100 ms:
the table gives the mean GPU utilisation over each timed window and the GPU
memory in use at its peak (above what was in use before the process started).
Ratios: seglab over PyTorch's default, and over PyTorch with channels-last +
AMP at the same precision.
"""
import argparse
import os
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))


class GpuSampler:
    """nvidia-smi's stream of (utilisation %, memory used MiB), stamped on arrival."""

    def __init__(self):
        self.samples = []
        self.proc = subprocess.Popen(
            ["nvidia-smi", "--query-gpu=utilization.gpu,memory.used", "--format=csv,noheader,nounits", "-lms", "100"],
            stdout=subprocess.PIPE, text=True)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            try:
                util, mem = (float(v) for v in line.split(","))
            except ValueError:
                continue
            self.samples.append((time.time() * 1000, util, mem))

    def window(self, start_ms, end_ms):
        return [(u, m) for t, u, m in self.samples if start_ms <= t <= end_ms]

    def memory_now(self):
        time.sleep(0.3)
        return self.samples[-1][2] if self.samples else 0.0

    def stop(self):
        self.proc.terminate()


def run_case(sampler, command):
    baseline = sampler.memory_now()
    out = subprocess.run(command, capture_output=True, text=True)
    if out.returncode != 0:
        return {"error": (out.stderr or out.stdout).strip().splitlines()[-1:] or ["exit %d" % out.returncode]}, out.stdout
    rows = {}
    for line in out.stdout.splitlines():
        f = line.split()
        if f and f[0] == "mode":
            kv = dict(zip(f[2::2], f[3::2]))
            window = sampler.window(int(kv["start"]), int(kv["end"]))
            rows[f[1]] = {
                "ips": float(kv["images_per_second"]),
                "util": sum(u for u, _ in window) / len(window) if window else float("nan"),
                "mem": max((m for _, m in window), default=float("nan")) - baseline,
                "samples": len(window),
            }
    return rows, out.stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seglab", default="build/bench/bench_gpu")
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument("--models", default="unet,unet_resnet34")
    ap.add_argument("--sizes", default="256,512")
    ap.add_argument("--steps", default="15")
    ap.add_argument("--warmup", default="4")
    ap.add_argument("--out", default="")
    a = ap.parse_args()
    gpu = subprocess.run(["nvidia-smi", "--query-gpu=name,driver_version,memory.total", "--format=csv,noheader"],
                         capture_output=True, text=True).stdout.strip()
    lines = [f"GPU: {gpu}", f"training batch 16, inference batch 32, {a.steps} timed steps after {a.warmup} warm-up",
             ""]
    header = f"{'model':<14} {'size':>4} {'mode':<6} {'variant':<24} {'img/s':>9} {'vs PT def':>9} {'vs PT AMP':>9} {'GPU %':>6} {'mem MiB':>8}"
    lines.append(header)
    print("\n".join(lines), flush=True)
    table = open(a.out, "w") if a.out else None  # written as it goes: a run cut short keeps its rows
    if table:
        table.write("\n".join(lines) + "\n")
    sampler = GpuSampler()
    common = ["--steps", a.steps, "--warmup", a.warmup]
    logs = []
    try:
        for model in a.models.split(","):
            for size in a.sizes.split(","):
                variants = [("seglab fp32", [a.seglab, "--precision", "fp32"]),
                            ("seglab fp16", [a.seglab, "--precision", "fp16"]),
                            ("seglab bf16", [a.seglab, "--precision", "bf16"]),
                            ("PyTorch fp32 NCHW", [a.python, os.path.join(HERE, "pytorch_eager.py"), "--precision", "fp32", "--layout", "nchw"]),
                            ("PyTorch fp16 AMP NHWC", [a.python, os.path.join(HERE, "pytorch_eager.py"), "--precision", "fp16", "--layout", "nhwc"]),
                            ("PyTorch bf16 AMP NHWC", [a.python, os.path.join(HERE, "pytorch_eager.py"), "--precision", "bf16", "--layout", "nhwc"])]
                results = {}
                for name, cmd in variants:
                    rows, stdout = run_case(sampler, cmd + ["--model", model, "--size", size] + common)
                    results[name] = rows
                    logs.append(f"== {model} {size} {name}\n{stdout}")
                for mode in ("train", "infer"):
                    base = results["PyTorch fp32 NCHW"].get(mode)
                    for name, _ in variants:
                        r = results[name]
                        if "error" in r:
                            line = f"{model:<14} {size:>4} {mode:<6} {name:<24} failed: {' '.join(r['error'])}"
                        elif mode not in r:
                            continue
                        else:
                            m = r[mode]
                            prec = name.split()[1]
                            amp = results.get(f"PyTorch {prec} AMP NHWC", {}).get(mode) if prec != "fp32" else None
                            vs_def = f"{m['ips'] / base['ips']:.2f}x" if base and name.startswith("seglab") else ""
                            vs_amp = f"{m['ips'] / amp['ips']:.2f}x" if amp and name.startswith("seglab") else ""
                            line = (f"{model:<14} {size:>4} {mode:<6} {name:<24} {m['ips']:9.1f} {vs_def:>9} {vs_amp:>9} "
                                    f"{m['util']:6.0f} {m['mem']:8.0f}")
                        lines.append(line)
                        print(line, flush=True)
                        if table:
                            table.write(line + "\n")
                            table.flush()
    finally:
        sampler.stop()
    if table:
        table.write("\n" + "\n".join(logs))
        table.close()


if __name__ == "__main__":
    main()
