// The functions of a tree that tests/kmod/kprobe_delay can delay, for the
// chaos's exploration (tests/lib/explore.sh, scripts/site-catalog.sh):
// one line per function definition, "<name> <arguments> <flags>", where
// flags is "-" or what rules the function out: a struct or union passed
// or returned by value ("arg-byval", "ret-byval"), or a variadic list.
// The trampoline passes six argument registers and one result register
// through, nothing on the stack. "(void)" counts as one argument.
@r@
identifier f;
type T;
parameter list[n] ps;
@@
T f(ps) { ... }

@script:python@
f << r.f;
T << r.T;
ps << r.ps;
n << r.n;
@@
import re
# By value: a struct, a union, or a typedef of one that drivers/cxl passes
def byval(t):
    t = t.strip()
    if '*' in t:
        return False
    return re.match(r'^(const\s+)?((struct|union)\b|(uuid_t|guid_t)\b)', t) is not None
args = [a for a in str(ps).split(',') if a.strip()]
flags = []
if byval(str(T)):
    flags.append('ret-byval')
if any('...' in a for a in args):
    flags.append('variadic')
if any(byval(re.sub(r'\b\w+\s*(\[[^]]*\])?\s*$', '', a)) for a in args):
    flags.append('arg-byval')
print("%s %d %s" % (f, int(n), ','.join(flags) or '-'))
