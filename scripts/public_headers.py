#!/usr/bin/env python3
"""Which headers of a source folder are public: included from another folder.

Usage: scripts/public_headers.py core datasets engine/sweep ...
Folders are paths from the repository root. For each folder (its own files only, not its
subfolders) prints the headers included by a file in another folder (with
those folders), the headers only tests include, and the rest (internal; a
header reached only through a public one is marked "via"). The folder
READMEs list what this prints.
"""
import collections
import os
import re
import subprocess
import sys


def main(folders):
    os.chdir(subprocess.check_output(["git", "rev-parse", "--show-toplevel"], text=True).strip())
    files = subprocess.check_output(["git", "ls-files", "*.cpp", "*.h"], text=True).split()
    headers = [f for f in files if f.endswith(".h")]
    included_by = collections.defaultdict(set)
    includes = collections.defaultdict(set)
    for f in files:
        with open(f, encoding="utf-8", errors="replace") as text:
            for line in text:
                m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
                if m:
                    included_by[m.group(1)].add(f)
                    includes[f].add(m.group(1))
    for folder in folders:
        public, tests_only, internal = [], [], []
        for h in sorted(h for h in headers if os.path.dirname(h) == folder):
            outside = [f for f in included_by[h] if os.path.dirname(f) != folder]
            users = sorted({os.path.dirname(f) for f in outside if not f.startswith("tests/")})
            if users:
                public.append((h, users))
            elif outside:
                tests_only.append(h)
            else:
                internal.append(h)
        print(f"== {folder}")
        for h, users in public:
            print(f"  public  {os.path.basename(h)}: {', '.join(users)}")
        for h in tests_only:
            print(f"  tests   {os.path.basename(h)}")
        for h in internal:
            via = sorted(os.path.basename(p) for p, _ in public if h in includes[p])
            print(f"  internal {os.path.basename(h)}" + (f" (via {', '.join(via)})" if via else ""))


if __name__ == "__main__":
    main(sys.argv[1:])
