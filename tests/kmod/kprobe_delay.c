// SPDX-License-Identifier: GPL-2.0-only
/*
 * kprobe_delay: widen race windows for the CXL tests.
 *
 * For each function named in @sites, sleep @delay_us microseconds in the
 * calling task, on one call in @every: before the function runs, or, for
 * "<symbol>%return", after it has returned and before its caller sees the
 * result. A site on the entry of a function that its caller reaches right
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
 * arguments, called where it may sleep (otherwise the trampoline spins).
 *
 * /sys/kernel/debug/kprobe_delay/hits: "<site> <calls> <delayed>" for each
 * site, or "<site> absent" for one that could not be probed: an inlined or
 * untraceable function, a symbol of a module not loaded when this one
 * was. Writing to it zeroes the counts.
 *
 * Test-only: part of the test harness, never of a kernel.
 */
#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/ftrace.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/preempt.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>

#define MAX_SITES 16

static char *sites;
module_param(sites, charp, 0444);
MODULE_PARM_DESC(sites, "comma-separated <symbol> or <symbol>%return");

static unsigned int delay_us = 2000;
module_param(delay_us, uint, 0644);
MODULE_PARM_DESC(delay_us, "wait per delayed call, 0 counts only");

static unsigned int every = 1;
module_param(every, uint, 0644);
MODULE_PARM_DESC(every, "delay one call in this many");

typedef unsigned long (*site_fn)(unsigned long, unsigned long, unsigned long,
				 unsigned long, unsigned long, unsigned long);

struct delay_site {
	char name[KSYM_NAME_LEN];
	bool ret, registered;
	site_fn body;
	atomic_long_t calls, delayed;
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
	atomic_long_inc(&s->delayed);
	if (preemptible()) {
		fsleep(us);
		return;
	}
	while (us) {
		unsigned int d = min(us, 1000U);

		udelay(d);
		us -= d;
	}
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

/* One trampoline a site: the kprobe sends the task to site_tramp[i] */
#define TRAMP(i)							\
static noinline unsigned long tramp##i(unsigned long a, unsigned long b, \
				       unsigned long c, unsigned long d, \
				       unsigned long e, unsigned long f) \
{									\
	return site_call(i, a, b, c, d, e, f);				\
}
TRAMP(0) TRAMP(1) TRAMP(2) TRAMP(3) TRAMP(4) TRAMP(5) TRAMP(6) TRAMP(7)
TRAMP(8) TRAMP(9) TRAMP(10) TRAMP(11) TRAMP(12) TRAMP(13) TRAMP(14) TRAMP(15)

static const site_fn site_tramp[MAX_SITES] = {
	tramp0, tramp1, tramp2, tramp3, tramp4, tramp5, tramp6, tramp7,
	tramp8, tramp9, tramp10, tramp11, tramp12, tramp13, tramp14, tramp15,
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
	char *list, *cur, *tok, *pct;
	int rc = 0;

	if (!sites || !*sites)
		return -EINVAL;
	list = kstrdup(sites, GFP_KERNEL);
	if (!list)
		return -ENOMEM;
	cur = list;
	while ((tok = strsep(&cur, ","))) {
		struct delay_site *s = &site_tab[nr_sites];

		if (!*tok)
			continue;
		if (nr_sites == MAX_SITES) {
			rc = -E2BIG;
			break;
		}
		pct = strchr(tok, '%');
		if (pct) {
			if (strcmp(pct, "%return")) {
				rc = -EINVAL;
				break;
			}
			*pct = '\0';
			s->ret = true;
		}
		strscpy(s->name, tok);
		nr_sites++;
	}
	kfree(list);
	if (!rc && !nr_sites)
		rc = -EINVAL;
	return rc;
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
