// SPDX-License-Identifier: GPL-2.0-only
/*
 * kprobe_delay: widen race windows for the CXL tests.
 *
 * For each function named in @sites, sleep @delay_us microseconds in the
 * calling task, on one call in @every: before the function runs, or, for
 * "<symbol>%return", after it has returned and before its caller sees the
 * result. A site may name a module ("<module>:<symbol>") and a wait of its
 * own ("<site>:<us>"), used instead of @delay_us while that is not 0. No
 * site waits more than @max_wait_ms in all, so that a site on a function
 * called in a loop cannot stall a run for good. A site on the entry of a function that its caller reaches right
 * after dropping a lock, or on the return of a lookup whose result the
 * caller uses before taking the next one, stretches that gap so that a
 * concurrent teardown lands in it.
 *
 * The wait is a sleep, in the caller's own context, so that the racing
 * task gets every CPU it needs (an RCU grace period, a TLB shootdown)
 * while the delayed one holds whatever locks it holds. It works as a live
 * patch does: an ftrace-based kprobe on the function's entry points the
 * task at a trampoline, which sleeps and calls the function's body past
 * its ftrace call, passing its six argument registers through. So a site
 * must be a traceable function of at most six integer or pointer
 * arguments, and no struct passed or returned by value. Where the caller
 * may not sleep, the trampoline spins instead, for 10 ms at most.
 *
 * A KASAN report (the error_report_end tracepoint) is followed by lines
 * that name the sites with a task waiting in them, and those the
 * reporting task waited in last, so that a report found by chance names
 * the windows it came through.
 *
 * /sys/kernel/debug/kprobe_delay/hits: "<site> <calls> <delayed>" for each
 * site, or "<site> absent" for one that could not be probed: an inlined or
 * untraceable function, a symbol of a module not loaded when this one
 * was. Writing to it zeroes the counts.
 *
 * Test-only: part of the test harness, never of a kernel.
 */
#include <linux/atomic.h>
#include <linux/ctype.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/ftrace.h>
#include <linux/kprobes.h>
#include <linux/kstrtox.h>
#include <linux/module.h>
#include <linux/jiffies.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <trace/events/error_report.h>

#define MAX_SITES 64
/* The longest wait where the caller may not sleep */
#define MAX_SPIN_US 10000

/* An array, not one string: a string parameter holds 1024 bytes at most */
static char *sites[MAX_SITES];
static unsigned int nr_site_args;
module_param_array(sites, charp, &nr_site_args, 0444);
MODULE_PARM_DESC(sites, "comma-separated [<module>:]<symbol>[%return][:<us>]");

static unsigned int delay_us = 2000;
module_param(delay_us, uint, 0644);
MODULE_PARM_DESC(delay_us, "wait per delayed call, 0 counts only");

static unsigned int every = 1;
module_param(every, uint, 0644);
MODULE_PARM_DESC(every, "delay one call in this many");

static unsigned long max_wait_ms = ULONG_MAX / USEC_PER_MSEC;
module_param(max_wait_ms, ulong, 0644);
MODULE_PARM_DESC(max_wait_ms, "the most that one site waits in all");

typedef unsigned long (*site_fn)(unsigned long, unsigned long, unsigned long,
				 unsigned long, unsigned long, unsigned long);

struct delay_site {
	char name[KSYM_NAME_LEN];
	bool ret, registered;
	unsigned int us;	/* its own wait, 0: @delay_us */
	site_fn body;
	atomic_long_t calls, delayed, waited_us;
	atomic_t waiting;
	/* The task that last waited here, and when it woke */
	pid_t last_pid;
	unsigned long last_end;
	struct kprobe kp;
};

static struct delay_site site_tab[MAX_SITES];
static int nr_sites;
/* Tasks sent to a trampoline and not yet back in their caller */
static atomic_t in_flight = ATOMIC_INIT(0);
static struct dentry *dir;

static void site_wait(struct delay_site *s)
{
	unsigned int n = READ_ONCE(every), us = READ_ONCE(delay_us);
	long call = atomic_long_inc_return(&s->calls);

	if (!us || (n > 1 && call % n))
		return;
	if (s->us)
		us = s->us;
	if (!preemptible())
		us = min(us, MAX_SPIN_US);
	if (atomic_long_add_return(us, &s->waited_us) >
	    READ_ONCE(max_wait_ms) * USEC_PER_MSEC) {
		atomic_long_sub(us, &s->waited_us);
		return;
	}
	atomic_long_inc(&s->delayed);
	atomic_inc(&s->waiting);
	if (preemptible()) {
		fsleep(us);
	} else {
		while (us) {
			unsigned int d = min(us, 1000U);

			udelay(d);
			us -= d;
		}
	}
	WRITE_ONCE(s->last_pid, current->pid);
	WRITE_ONCE(s->last_end, jiffies);
	atomic_dec(&s->waiting);
}

static unsigned long site_call(int i, unsigned long a, unsigned long b,
			       unsigned long c, unsigned long d,
			       unsigned long e, unsigned long f)
{
	struct delay_site *s = &site_tab[i];
	unsigned long rc;

	if (!s->ret)
		site_wait(s);
	rc = s->body(a, b, c, d, e, f);
	if (s->ret)
		site_wait(s);
	atomic_dec(&in_flight);
	return rc;
}

/*
 * One trampoline a site: the kprobe sends the task to site_tramp[i].
 * TRAMP8(h) defines the eight of site_tab[8 * (h - 1)] on, as tramp<h>0
 * to tramp<h>7.
 */
#define TRAMP(name, i)							\
static noinline unsigned long tramp##name(unsigned long a, unsigned long b, \
					  unsigned long c, unsigned long d, \
					  unsigned long e, unsigned long f) \
{									\
	return site_call(i, a, b, c, d, e, f);				\
}
#define TRAMP8(h)							\
	TRAMP(h##0, 8 * (h - 1)) TRAMP(h##1, 8 * (h - 1) + 1)		\
	TRAMP(h##2, 8 * (h - 1) + 2) TRAMP(h##3, 8 * (h - 1) + 3)	\
	TRAMP(h##4, 8 * (h - 1) + 4) TRAMP(h##5, 8 * (h - 1) + 5)	\
	TRAMP(h##6, 8 * (h - 1) + 6) TRAMP(h##7, 8 * (h - 1) + 7)
TRAMP8(1) TRAMP8(2) TRAMP8(3) TRAMP8(4) TRAMP8(5) TRAMP8(6) TRAMP8(7) TRAMP8(8)

#define T8(h) tramp##h##0, tramp##h##1, tramp##h##2, tramp##h##3,	\
	tramp##h##4, tramp##h##5, tramp##h##6, tramp##h##7
static const site_fn site_tramp[MAX_SITES] = {
	T8(1), T8(2), T8(3), T8(4), T8(5), T8(6), T8(7), T8(8),
};

static int entry_handler(struct kprobe *kp, struct pt_regs *regs)
{
	struct delay_site *s = container_of(kp, struct delay_site, kp);

	/* Go on in the trampoline, as if the caller had called it */
	atomic_inc(&in_flight);
	instruction_pointer_set(regs, (unsigned long)site_tramp[s - site_tab]);
	return 1;
}

/*
 * Never called: entry_handler() returns 1. A kprobe with a post handler is
 * armed with ftrace's IPMODIFY ops, which the redirection needs.
 */
static void post_handler(struct kprobe *kp, struct pt_regs *regs,
			 unsigned long flags)
{
}

static int site_register(struct delay_site *s)
{
	int rc;

	s->kp.symbol_name = s->name;
	s->kp.pre_handler = entry_handler;
	s->kp.post_handler = post_handler;
	rc = register_kprobe(&s->kp);
	if (rc)
		return rc;
	/* Without ftrace the probe sits on the body's first instruction */
	if (!kprobe_ftrace(&s->kp)) {
		unregister_kprobe(&s->kp);
		return -EOPNOTSUPP;
	}
	s->body = (site_fn)((unsigned long)s->kp.addr + MCOUNT_INSN_SIZE);
	return 0;
}

static int hits_show(struct seq_file *m, void *v)
{
	int i;

	for (i = 0; i < nr_sites; i++) {
		struct delay_site *s = &site_tab[i];

		seq_printf(m, "%s%s", s->name, s->ret ? "%return" : "");
		if (s->us)
			seq_printf(m, ":%u", s->us);
		if (!s->registered)
			seq_puts(m, " absent\n");
		else
			seq_printf(m, " %ld %ld\n", atomic_long_read(&s->calls),
				   atomic_long_read(&s->delayed));
	}
	return 0;
}

static int hits_open(struct inode *inode, struct file *file)
{
	return single_open(file, hits_show, NULL);
}

static ssize_t hits_write(struct file *file, const char __user *buf,
			  size_t len, loff_t *ppos)
{
	int i;

	for (i = 0; i < nr_sites; i++) {
		atomic_long_set(&site_tab[i].calls, 0);
		atomic_long_set(&site_tab[i].delayed, 0);
		atomic_long_set(&site_tab[i].waited_us, 0);
	}
	return len;
}

static const struct file_operations hits_fops = {
	.owner = THIS_MODULE,
	.open = hits_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
	.write = hits_write,
};

static int parse_sites(void)
{
	char tok[KSYM_NAME_LEN + MODULE_NAME_LEN + 24], *pct, *colon;
	unsigned int i;

	for (i = 0; i < nr_site_args; i++) {
		struct delay_site *s = &site_tab[nr_sites];

		if (!*sites[i])
			continue;
		if (strscpy(tok, sites[i]) < 0)
			return -EINVAL;
		/* [<module>:]<symbol>[%return][:<us>] */
		colon = strrchr(tok, ':');
		if (colon && isdigit(colon[1])) {
			if (kstrtouint(colon + 1, 10, &s->us))
				return -EINVAL;
			*colon = '\0';
		}
		pct = strchr(tok, '%');
		if (pct) {
			if (strcmp(pct, "%return"))
				return -EINVAL;
			*pct = '\0';
			s->ret = true;
		}
		strscpy(s->name, tok);
		nr_sites++;
	}
	return nr_sites ? 0 : -EINVAL;
}

/*
 * After a KASAN report, in the reporting task: which windows were open.
 * The tracepoint's probes run with preemption disabled; printing is all
 * this does.
 */
static void report_sites(void *data, enum error_detector detector,
			 unsigned long addr)
{
	int i, delaying = 0;

	for (i = 0; i < nr_sites; i++) {
		struct delay_site *s = &site_tab[i];

		if (atomic_long_read(&s->delayed))
			delaying++;
		if (atomic_read(&s->waiting))
			pr_err("kprobe_delay: at this report, a task waits in %s%s (%ld calls, %ld delayed)\n",
			       s->name, s->ret ? "%return" : "",
			       atomic_long_read(&s->calls),
			       atomic_long_read(&s->delayed));
		if (atomic_long_read(&s->delayed) &&
		    READ_ONCE(s->last_pid) == current->pid)
			pr_err("kprobe_delay: at this report, the reporting task last waited in %s%s, %u ms ago\n",
			       s->name, s->ret ? "%return" : "",
			       jiffies_to_msecs(jiffies - READ_ONCE(s->last_end)));
	}
	pr_err("kprobe_delay: at this report, %d of %d sites have delayed a call\n",
	       delaying, nr_sites);
}

static void unregister_sites(void)
{
	int i;

	for (i = 0; i < nr_sites; i++)
		if (site_tab[i].registered)
			unregister_kprobe(&site_tab[i].kp);
}

static int __init kprobe_delay_init(void)
{
	int i, rc, registered = 0;

	rc = parse_sites();
	if (rc)
		return rc;
	for (i = 0; i < nr_sites; i++) {
		struct delay_site *s = &site_tab[i];

		rc = site_register(s);
		if (rc) {
			pr_info("kprobe_delay: %s: not probed (%d)\n", s->name, rc);
			continue;
		}
		s->registered = true;
		registered++;
	}
	if (!registered)
		return -ENOENT;
	rc = register_trace_error_report_end(report_sites, NULL);
	if (rc) {
		unregister_sites();
		return rc;
	}
	dir = debugfs_create_dir("kprobe_delay", NULL);
	debugfs_create_file("hits", 0644, dir, NULL, &hits_fops);
	return 0;
}

/*
 * Unregistering sends no more tasks to a trampoline; those already sent
 * may sleep in one for a while yet, and then run its last instructions.
 */
static void __exit kprobe_delay_exit(void)
{
	debugfs_remove_recursive(dir);
	unregister_trace_error_report_end(report_sites, NULL);
	tracepoint_synchronize_unregister();
	WRITE_ONCE(delay_us, 0);
	unregister_sites();
	while (atomic_read(&in_flight))
		msleep(20);
	msleep(20);
}

module_init(kprobe_delay_init);
module_exit(kprobe_delay_exit);
MODULE_DESCRIPTION("Test-only: sleep at listed functions to widen race windows");
MODULE_LICENSE("GPL");
