#!/usr/bin/python3
"""Packs what a GPU machine needs to link seglab's CUDA build, for the device
tool (../.library/device): the GPU machine has PyTorch 2.x with CUDA (its
LibTorch) and a compiler, but none of seglab's Debian libraries.

  scripts/device/bundle.py [--build build] [--out .device] TARGET...

Run here after `cmake --build build`. For each TARGET (seglab, cuda_tests,
bench_gpu) it reads the link step from build/build.ninja and puts in OUT:
  - the object files and static libraries it links, compiled here, except the
    LibTorch backend (its five sources are compiled there, against that
    machine's LibTorch: scripts/device/link_on_device.sh);
  - every Debian shared library they need, with its own needs, by SONAME (not
    glibc, libstdc++, libgcc_s or libgomp, which that machine has newer, and
    not Debian's LibTorch, which the CUDA one replaces);
  - link.txt: per target, "output|flags|objects|libraries", the libraries
    rewritten to the bundle (@BUNDLE@).
Everything goes into OUT/bundle.tar.xz; OUT is ignored by git and carried.
"""
import argparse
import os
import re
import shlex
import shutil
import subprocess
import sys

SYSTEM = {"libc.so.6", "libm.so.6", "libdl.so.2", "libpthread.so.0", "librt.so.1", "ld-linux-x86-64.so.2",
          "libstdc++.so.6", "libgcc_s.so.1", "libgomp.so.1", "libutil.so.1", "libresolv.so.2"}
STUB = re.compile(r"lib(gdal|gdcm)")
TORCH = re.compile(r"lib(torch|c10|caffe2|protobuf|glog|gflags|shm)[^/]*\.so")
LIB_DIRS = ["/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu/hdf5/serial", "/lib",
            "/usr/lib"]


def readelf(path, tag):
    out = subprocess.run(["readelf", "-d", path], capture_output=True, text=True).stdout
    return re.findall(r"\(" + tag + r"\).*\[(.*)\]", out)


def soname(path):
    names = readelf(os.path.realpath(path), "SONAME")
    return names[0] if names else os.path.basename(path)


def find_library(name):
    for d in LIB_DIRS:
        p = os.path.join(d, name)
        if os.path.exists(p):
            return p
    sys.exit(f"bundle.py: shared library {name} is needed but not found here")


def dynamic_symbols(path, defined):
    """name -> (nm type, size) of the dynamic symbols defined (or needed) by path."""
    flag = "--defined-only" if defined else "--undefined-only"
    out = subprocess.run(["nm", "-D", "-S", flag, path], capture_output=True, text=True).stdout
    symbols = {}
    for line in out.splitlines():
        f = line.split()
        if len(f) >= 2 and f[-2] in "U":
            symbols[f[-1].split("@")[0]] = ("U", 0)
        elif len(f) == 4:
            symbols[f[3].split("@")[0]] = (f[2], int(f[1], 16))
        elif len(f) == 3:
            symbols[f[2].split("@")[0]] = (f[1], 0)
    return symbols


def write_stub(name, real, undefined, lib_dir):
    """A library with `real`'s SONAME that defines what the bundle takes from
    it: functions abort with a message, data are zeroed of the same size."""
    lines = ["#include <stdio.h>", "#include <stdlib.h>",
             f'static void stub(void) {{ fputs("seglab device bundle: {name} is not bundled\\n", stderr); abort(); }}']
    for i, (symbol, (kind, size)) in enumerate(sorted(dynamic_symbols(real, defined=True).items())):
        if symbol not in undefined:
            continue
        if kind in "TtWiI":
            lines.append(f'void f{i}(void) __asm__("{symbol}"); void f{i}(void) {{ stub(); }}')
        else:
            lines.append(f'char d{i}[{max(size, 8)}] __asm__("{symbol}") __attribute__((aligned(16)));')
    source = os.path.join(lib_dir, name + ".c")
    with open(source, "w") as f:
        f.write("\n".join(lines) + "\n")
    subprocess.run(["gcc", "-shared", "-fPIC", "-O1", "-Wl,-soname," + name, "-o", os.path.join(lib_dir, name), source],
                   check=True)
    os.remove(source)


def link_steps(build):
    """target file -> (objects, LINK_FLAGS, LINK_LIBRARIES) from build.ninja."""
    steps, current = {}, None
    for line in open(os.path.join(build, "build.ninja")):
        # gtest_discover_tests adds a second output: "build tests/x tests/x[1]_tests.cmake | ...: LINKER ..."
        m = re.match(r"build (\S+)[^:]*: CXX_EXECUTABLE_LINKER__\S+ (.*)", line)
        if m:
            explicit = m.group(2).split(" | ")[0].split(" || ")[0]
            current = steps.setdefault(m.group(1), {"objects": explicit.split(), "LINK_FLAGS": "", "LINK_LIBRARIES": ""})
            continue
        if current is not None:
            m = re.match(r"  (\w+) = (.*)", line)
            if m:
                current[m.group(1)] = m.group(2)
            elif not line.strip():
                current = None
    return steps


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--out", default=".device")
    ap.add_argument("targets", nargs="+")
    a = ap.parse_args()
    steps = link_steps(a.build)
    stage = os.path.join(a.out, "stage")
    shutil.rmtree(stage, ignore_errors=True)
    os.makedirs(os.path.join(stage, "lib"))
    os.makedirs(os.path.join(stage, "static"))
    shared, files, link = {}, set(), []
    for target in a.targets:
        name = next((t for t in steps if t == target or t.endswith("/" + target)), None)
        if name is None:
            sys.exit(f"bundle.py: no link step for {target} in {a.build}/build.ninja")
        step = steps[name]
        words = []
        for w in shlex.split(step["LINK_LIBRARIES"]):
            if w.startswith("-Wl,-rpath,") or w in ("-Wl,--no-as-needed", "-Wl,--as-needed"):
                continue
            if w.startswith("-Wl,--no-as-needed,"):
                continue  # Debian LibTorch's forced links
            if TORCH.search(w):
                continue
            if w.endswith("libseglab_backend_libtorch.a"):
                words.append(w)  # compiled on the GPU machine
                continue
            if w.endswith("/libgomp.so"):
                words.append("-fopenmp")
            elif w.startswith("/") and w.endswith(".a"):
                if os.path.basename(w) in ("libpthread.a", "libdl.a"):
                    continue  # empty stubs in glibc 2.34+
                shutil.copy(w, os.path.join(stage, "static", os.path.basename(w)))
                words.append("@BUNDLE@/static/" + os.path.basename(w))
            elif w.startswith("/"):
                s = soname(w)
                if s in SYSTEM:
                    words.append("-l" + s.split(".so")[0][3:])
                    continue
                shared[s] = os.path.realpath(w)
                words.append("@BUNDLE@/lib/" + s)
            elif w.endswith(".a"):
                files.add(w)
                words.append(w)
            else:
                words.append(w)
        files.update(step["objects"])
        link.append(f"{name}|{step['LINK_FLAGS']}|{' '.join(step['objects'])}|{' '.join(words)}")
    # What those libraries need, by SONAME, recursively; GDAL and GDCM (OpenCV's
    # geospatial and DICOM readers, with some hundred MiB of their own needs)
    # become stubs.
    todo, stubs = list(shared.values()), {}
    while todo:
        for need in readelf(todo.pop(), "NEEDED"):
            if need in shared or need in stubs or need in SYSTEM or TORCH.search(need):
                continue
            if STUB.match(need):
                stubs[need] = os.path.realpath(find_library(need))
                continue
            shared[need] = os.path.realpath(find_library(need))
            todo.append(shared[need])
    for s, path in shared.items():
        shutil.copy(path, os.path.join(stage, "lib", s))
    undefined = set()
    for path in shared.values():
        undefined.update(dynamic_symbols(path, defined=False))
    for s, path in stubs.items():
        write_stub(s, path, undefined, os.path.join(stage, "lib"))
    with open(os.path.join(stage, "link.txt"), "w") as f:
        f.write("\n".join(link) + "\n")
    tar_path = os.path.join(a.out, "bundle.tar.xz")
    build_files = os.path.join(a.out, "build")
    shutil.rmtree(build_files, ignore_errors=True)
    for f in files:
        os.makedirs(os.path.dirname(os.path.join(build_files, f)), exist_ok=True)
        shutil.copy(os.path.join(a.build, f), os.path.join(build_files, f))
    os.rename(stage, os.path.join(a.out, "bundle"))
    subprocess.run(["tar", "-I", "xz -T0 -6", "-cf", os.path.abspath(tar_path), "bundle", "build"], cwd=a.out,
                   check=True)
    shutil.rmtree(build_files)
    shutil.rmtree(os.path.join(a.out, "bundle"))
    total = sum(os.path.getsize(p) for p in shared.values())
    print(f"bundle.py: {len(a.targets)} targets, {len(files)} objects and libraries, {len(shared)} shared libraries "
          f"({total / 2**20:.0f} MiB), {len(stubs)} stubs; {tar_path}: {os.path.getsize(tar_path) / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
