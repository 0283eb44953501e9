#!/usr/bin/env python3
"""site-catalog.py <dir>: the function definitions of the C files under
<dir>, one line each, "<name> <arguments> <flags>", for kprobe_delay's
sites (scripts/site-catalog.sh). Flags are "-", or what rules a function
out: a struct or union passed ("arg-byval") or returned ("ret-byval") by
value, a variadic list, or a list this does not understand ("unparsed").
The trampoline passes six argument registers and one result register
through, nothing on the stack. "(void)" counts as one argument.

Kernel style makes a definition easy to find: its head starts in column
0, and its body's "{" stands alone in column 0 on the next line.
"""
import os
import re
import sys

BYVAL = re.compile(r'^(const\s+)?((struct|union)\b|(uuid_t|guid_t)\b)')


def byval(t):
    t = t.strip()
    return '*' not in t and BYVAL.match(t) is not None


def split_top(s):
    """Split s at the commas outside parentheses."""
    parts, depth, cur = [], 0, ''
    for ch in s:
        if ch == '(':
            depth += 1
        elif ch == ')':
            depth -= 1
        if ch == ',' and depth == 0:
            parts.append(cur)
            cur = ''
        else:
            cur += ch
    parts.append(cur)
    return [p.strip() for p in parts if p.strip()]


def definitions(path):
    with open(path, errors='replace') as f:
        lines = f.read().split('\n')
    for i, line in enumerate(lines):
        if line.rstrip() != '{' or i == 0:
            continue
        # The head: back to the line in column 0 that starts it
        j = i - 1
        while j > 0 and (lines[j][:1].isspace() or lines[j][:1] == ''):
            j -= 1
        # "static struct x *" on a line of its own, the name on the next
        prev = lines[j - 1].rstrip() if j > 0 else ''
        if re.match(r'^[A-Za-z_]\w*\s*\(', lines[j]) and prev and \
           not prev[:1].isspace() and prev[:1] != '#' and \
           not prev.endswith((';', '}', '*/', ')', ',')):
            j -= 1
        head = ' '.join(l.strip() for l in lines[j:i])
        head = re.sub(r'/\*.*?\*/', ' ', head)
        m = re.match(r'^(.*?)\b([A-Za-z_]\w*)\s*\((.*)\)\s*$', head)
        if not m or re.match(r'^(struct|union|enum)\b[^(]*$', head) or '=' in m.group(1):
            continue
        ret, name, params = m.group(1), m.group(2), m.group(3)
        if name in ('if', 'for', 'while', 'switch') or not ret.strip():
            continue
        yield name, ret, params


def main():
    out = []
    for root, _, files in os.walk(sys.argv[1]):
        for fn in files:
            if not fn.endswith('.c'):
                continue
            for name, ret, params in definitions(os.path.join(root, fn)):
                args = split_top(params)
                flags = []
                if byval(re.sub(r'\b(static|inline|__\w+|noinline)\b', '', ret)):
                    flags.append('ret-byval')
                if any('...' in a for a in args):
                    flags.append('variadic')
                if any('(' in a and '(*' not in a for a in args):
                    flags.append('unparsed')
                if any(byval(re.sub(r'\b\w+\s*(\[[^]]*\])?\s*$', '', a)) for a in args):
                    flags.append('arg-byval')
                out.append('%s %d %s' % (name, max(len(args), 1), ','.join(flags) or '-'))
    print('\n'.join(sorted(set(out))))


if __name__ == '__main__':
    main()
