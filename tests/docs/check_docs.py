"""Checks the Markdown documentation against the files and the binary.

Usage: check_docs.py <source dir>

1. Every relative link in the tracked Markdown files (README.md, docs/,
   ARCHITECTURE.md, CONTRIBUTING.md, each folder's README.md) points at a
   file that exists and, with an #anchor into a Markdown file, at one of its
   headings (GitHub's heading ids).
2. Every seglab command line shown in them parses: its verb exists and each
   of its options is one the verb (or, for `runs`, the action) takes. The
   verbs and options are read from docs/cli.md, which the test
   generated_docs_cli keeps equal to the binary's own --help. A command
   whose shown output is an error (the next line starts with "error:") is a
   bad-input example and is not checked.

Prints each problem as file:line and exits 1 when there is any.
"""
import os
import re
import subprocess
import sys

ROOT = sys.argv[1]
FENCE = re.compile(r'^\s*(```|~~~)')
LINK = re.compile(r'(?<!!)\[[^\]]*\]\(([^)\s]+)\)|!\[[^\]]*\]\(([^)\s]+)\)')
INLINE_CODE = re.compile(r'`[^`]*`')
SEGLAB = re.compile(r'^(?:\$\s+)?(?:\S*/)?seglab\s+(.*)$')


def markdown_files():
    out = subprocess.run(['git', 'ls-files', '*.md'], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return [f for f in out.split() if 'node_modules' not in f]


def slug(heading):
    """GitHub's heading id: lower case, punctuation dropped, spaces to hyphens."""
    text = INLINE_CODE.sub(lambda m: m.group(0)[1:-1], heading.strip()).lower()
    text = re.sub(r'\[([^\]]*)\]\([^)]*\)', r'\1', text)
    text = ''.join(c for c in text if c.isalnum() or c in ' -_')
    return text.replace(' ', '-')


def anchors(path, cache={}):
    if path not in cache:
        ids, seen, fenced = set(), {}, False
        with open(path, encoding='utf-8') as f:
            for line in f:
                if FENCE.match(line):
                    fenced = not fenced
                    continue
                m = re.match(r'^(#{1,6})\s+(.*?)\s*#*\s*$', line)
                if m and not fenced:
                    base = slug(m.group(2))
                    n = seen.get(base, 0)
                    seen[base] = n + 1
                    ids.add(base if n == 0 else f'{base}-{n}')
        cache[path] = ids
    return cache[path]


def check_links(name, lines, problems):
    fenced = False
    for number, line in enumerate(lines, 1):
        if FENCE.match(line):
            fenced = not fenced
            continue
        if fenced:
            continue
        for m in LINK.finditer(INLINE_CODE.sub('', line)):
            target = m.group(1) or m.group(2)
            if re.match(r'^[a-z]+:', target):
                continue
            path, _, anchor = target.partition('#')
            resolved = os.path.normpath(os.path.join(ROOT, os.path.dirname(name), path)) if path else os.path.join(ROOT, name)
            if not os.path.exists(resolved):
                problems.append(f'{name}:{number}: link to a missing file: {target}')
            elif anchor and resolved.endswith('.md') and anchor not in anchors(resolved):
                problems.append(f'{name}:{number}: link to a missing heading: {target}')


def cli_reference():
    """Verb (or 'runs <action>') -> the options its help lists."""
    options, current = {}, None
    with open(os.path.join(ROOT, 'docs', 'cli.md'), encoding='utf-8') as f:
        for line in f:
            m = re.match(r'^#{2,3} seglab (\S+(?: \S+)?)\s*$', line)
            if m:
                current = m.group(1)
                options[current] = {'--help', '-h'}
            elif current:
                options[current].update(re.findall(r'(?<![\w-])(--[a-z0-9][a-z0-9-]*)', line))
                options[current].update(re.findall(r'(?<![\w-])(-[a-zA-Z])\s+\[\s+--', line))
    return options


def commands_in(lines):
    """(line number, text after `seglab`) of each command line shown."""
    found, fenced, shell = [], False, False
    for number, line in enumerate(lines, 1):
        m = FENCE.match(line)
        if m:
            fenced = not fenced
            shell = fenced and re.match(r'^\s*(```|~~~)\s*(sh|bash|shell|console)\b', line) is not None
            continue
        if fenced:
            text = line.strip()
            following = lines[number].strip() if number < len(lines) else ''
            if (shell or text.startswith('$ ')) and not following.startswith('error:'):
                for part in re.split(r'\s*(?:&&|\|\||;|\|(?=\s))\s*', text.lstrip('$ ')):
                    m = SEGLAB.match(part.strip())
                    if m:
                        found.append((number, m.group(1)))
        else:
            for code in INLINE_CODE.findall(line):
                m = SEGLAB.match(code.strip('`').strip())
                if m:
                    found.append((number, m.group(1)))
    return found


checked = [0]


def check_commands(name, lines, reference, problems):
    verbs = {key for key in reference if ' ' not in key}
    for number, rest in commands_in(lines):
        checked[0] += 1
        rest = re.split(r'\s+#\s', rest)[0]  # a shell comment
        rest = re.split(r'\s+[12]?>', rest)[0]  # a redirection
        words = rest.split()
        if not words or words[0] in ('--help', '-h', '--version') or words[0].startswith('<'):
            continue
        verb = words[0]
        if verb not in verbs:
            problems.append(f'{name}:{number}: `seglab {rest}`: no verb {verb!r}')
            continue
        key = verb
        if len(words) > 1 and f'{verb} {words[1]}' in reference:
            key = f'{verb} {words[1]}'
        for word in words[1:]:
            option = word.split('=', 1)[0]
            if not re.match(r'^--?[a-zA-Z]', option) or option in ('-', '--'):
                continue
            if option not in reference[key]:
                problems.append(f'{name}:{number}: `seglab {rest}`: {key} takes no option {option}')


def main():
    reference = cli_reference()
    problems = []
    for name in markdown_files():
        with open(os.path.join(ROOT, name), encoding='utf-8') as f:
            lines = f.read().splitlines()
        check_links(name, lines, problems)
        if name != 'docs/cli.md':
            check_commands(name, lines, reference, problems)
    for p in problems:
        print(p)
    print(f'{len(problems)} problem(s) in the documentation ({checked[0]} command lines checked)')
    sys.exit(1 if problems else 0)


main()
