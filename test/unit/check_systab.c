// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The system call table, through the public API only: syslet_syscall_class,
 * syslet_syscall_name, syslet_syscall_lookup and syslet_syscall_max.
 */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include <syslet.h>

#include "testlib.h"

/*
 * Every name <asm/unistd_64.h> defines (Debian 12, up to 450), generated
 * from the header with:
 *   awk '/#define __NR_/ { print substr($2, 6) }' \
 *	/usr/include/x86_64-linux-gnu/asm/unistd_64.h
 */
/* clang-format off */
#define UNISTD_64_NAMES(X) \
	X(read) X(write) X(open) X(close) X(stat) X(fstat) X(lstat) X(poll) \
	X(lseek) X(mmap) X(mprotect) X(munmap) X(brk) X(rt_sigaction) \
	X(rt_sigprocmask) X(rt_sigreturn) X(ioctl) X(pread64) X(pwrite64) \
	X(readv) X(writev) X(access) X(pipe) X(select) X(sched_yield) \
	X(mremap) X(msync) X(mincore) X(madvise) X(shmget) X(shmat) X(shmctl) \
	X(dup) X(dup2) X(pause) X(nanosleep) X(getitimer) X(alarm) \
	X(setitimer) X(getpid) X(sendfile) X(socket) X(connect) X(accept) \
	X(sendto) X(recvfrom) X(sendmsg) X(recvmsg) X(shutdown) X(bind) \
	X(listen) X(getsockname) X(getpeername) X(socketpair) X(setsockopt) \
	X(getsockopt) X(clone) X(fork) X(vfork) X(execve) X(exit) X(wait4) \
	X(kill) X(uname) X(semget) X(semop) X(semctl) X(shmdt) X(msgget) \
	X(msgsnd) X(msgrcv) X(msgctl) X(fcntl) X(flock) X(fsync) X(fdatasync) \
	X(truncate) X(ftruncate) X(getdents) X(getcwd) X(chdir) X(fchdir) \
	X(rename) X(mkdir) X(rmdir) X(creat) X(link) X(unlink) X(symlink) \
	X(readlink) X(chmod) X(fchmod) X(chown) X(fchown) X(lchown) X(umask) \
	X(gettimeofday) X(getrlimit) X(getrusage) X(sysinfo) X(times) \
	X(ptrace) X(getuid) X(syslog) X(getgid) X(setuid) X(setgid) \
	X(geteuid) X(getegid) X(setpgid) X(getppid) X(getpgrp) X(setsid) \
	X(setreuid) X(setregid) X(getgroups) X(setgroups) X(setresuid) \
	X(getresuid) X(setresgid) X(getresgid) X(getpgid) X(setfsuid) \
	X(setfsgid) X(getsid) X(capget) X(capset) X(rt_sigpending) \
	X(rt_sigtimedwait) X(rt_sigqueueinfo) X(rt_sigsuspend) X(sigaltstack) \
	X(utime) X(mknod) X(uselib) X(personality) X(ustat) X(statfs) \
	X(fstatfs) X(sysfs) X(getpriority) X(setpriority) X(sched_setparam) \
	X(sched_getparam) X(sched_setscheduler) X(sched_getscheduler) \
	X(sched_get_priority_max) X(sched_get_priority_min) \
	X(sched_rr_get_interval) X(mlock) X(munlock) X(mlockall) \
	X(munlockall) X(vhangup) X(modify_ldt) X(pivot_root) X(_sysctl) \
	X(prctl) X(arch_prctl) X(adjtimex) X(setrlimit) X(chroot) X(sync) \
	X(acct) X(settimeofday) X(mount) X(umount2) X(swapon) X(swapoff) \
	X(reboot) X(sethostname) X(setdomainname) X(iopl) X(ioperm) \
	X(create_module) X(init_module) X(delete_module) X(get_kernel_syms) \
	X(query_module) X(quotactl) X(nfsservctl) X(getpmsg) X(putpmsg) \
	X(afs_syscall) X(tuxcall) X(security) X(gettid) X(readahead) \
	X(setxattr) X(lsetxattr) X(fsetxattr) X(getxattr) X(lgetxattr) \
	X(fgetxattr) X(listxattr) X(llistxattr) X(flistxattr) X(removexattr) \
	X(lremovexattr) X(fremovexattr) X(tkill) X(time) X(futex) \
	X(sched_setaffinity) X(sched_getaffinity) X(set_thread_area) \
	X(io_setup) X(io_destroy) X(io_getevents) X(io_submit) X(io_cancel) \
	X(get_thread_area) X(lookup_dcookie) X(epoll_create) X(epoll_ctl_old) \
	X(epoll_wait_old) X(remap_file_pages) X(getdents64) \
	X(set_tid_address) X(restart_syscall) X(semtimedop) X(fadvise64) \
	X(timer_create) X(timer_settime) X(timer_gettime) X(timer_getoverrun) \
	X(timer_delete) X(clock_settime) X(clock_gettime) X(clock_getres) \
	X(clock_nanosleep) X(exit_group) X(epoll_wait) X(epoll_ctl) X(tgkill) \
	X(utimes) X(vserver) X(mbind) X(set_mempolicy) X(get_mempolicy) \
	X(mq_open) X(mq_unlink) X(mq_timedsend) X(mq_timedreceive) \
	X(mq_notify) X(mq_getsetattr) X(kexec_load) X(waitid) X(add_key) \
	X(request_key) X(keyctl) X(ioprio_set) X(ioprio_get) X(inotify_init) \
	X(inotify_add_watch) X(inotify_rm_watch) X(migrate_pages) X(openat) \
	X(mkdirat) X(mknodat) X(fchownat) X(futimesat) X(newfstatat) \
	X(unlinkat) X(renameat) X(linkat) X(symlinkat) X(readlinkat) \
	X(fchmodat) X(faccessat) X(pselect6) X(ppoll) X(unshare) \
	X(set_robust_list) X(get_robust_list) X(splice) X(tee) \
	X(sync_file_range) X(vmsplice) X(move_pages) X(utimensat) \
	X(epoll_pwait) X(signalfd) X(timerfd_create) X(eventfd) X(fallocate) \
	X(timerfd_settime) X(timerfd_gettime) X(accept4) X(signalfd4) \
	X(eventfd2) X(epoll_create1) X(dup3) X(pipe2) X(inotify_init1) \
	X(preadv) X(pwritev) X(rt_tgsigqueueinfo) X(perf_event_open) \
	X(recvmmsg) X(fanotify_init) X(fanotify_mark) X(prlimit64) \
	X(name_to_handle_at) X(open_by_handle_at) X(clock_adjtime) X(syncfs) \
	X(sendmmsg) X(setns) X(getcpu) X(process_vm_readv) \
	X(process_vm_writev) X(kcmp) X(finit_module) X(sched_setattr) \
	X(sched_getattr) X(renameat2) X(seccomp) X(getrandom) X(memfd_create) \
	X(kexec_file_load) X(bpf) X(execveat) X(userfaultfd) X(membarrier) \
	X(mlock2) X(copy_file_range) X(preadv2) X(pwritev2) X(pkey_mprotect) \
	X(pkey_alloc) X(pkey_free) X(statx) X(io_pgetevents) X(rseq) \
	X(pidfd_send_signal) X(io_uring_setup) X(io_uring_enter) \
	X(io_uring_register) X(open_tree) X(move_mount) X(fsopen) X(fsconfig) \
	X(fsmount) X(fspick) X(pidfd_open) X(clone3) X(close_range) \
	X(openat2) X(pidfd_getfd) X(faccessat2) X(process_madvise) \
	X(epoll_pwait2) X(mount_setattr) X(quotactl_fd) \
	X(landlock_create_ruleset) X(landlock_add_rule) \
	X(landlock_restrict_self) X(memfd_secret) X(process_mrelease) \
	X(futex_waitv) X(set_mempolicy_home_node)
/* clang-format on */

static int valid_class(int cls)
{
	return cls == SYSLET_CLASS_ANY || cls == SYSLET_CLASS_EMULATED ||
	       cls == SYSLET_CLASS_CALLER;
}

START_TEST(test_max)
{
	/* 0..469 in Linux 6.18: the table covers at least that much. */
	ck_assert_int_ge(syslet_syscall_max(), 470);
	/* The x32 numbers are not x86-64 calls. */
	ck_assert_int_lt(syslet_syscall_max(), 512);
}
END_TEST

START_TEST(test_every_number)
{
	int max = syslet_syscall_max();
	int nr, named = 0;

	for (nr = 0; nr < max; nr++) {
		const char *name = syslet_syscall_name(nr);
		int cls = syslet_syscall_class(nr);

		if (name) {
			ck_assert_msg(name[0] != '\0', "empty name at %d", nr);
			ck_assert_msg(valid_class(cls), "%s (%d): class %d",
				      name, nr, cls);
			named++;
		} else {
			ck_assert_msg(cls == SYSLET_CLASS_CALLER,
				      "unassigned %d: class %d", nr, cls);
		}
	}
	/* 0..336 and 424..469. */
	ck_assert_int_ge(named, 383);
}
END_TEST

START_TEST(test_lookup_roundtrip)
{
	int max = syslet_syscall_max();
	int nr;

	for (nr = 0; nr < max; nr++) {
		const char *name = syslet_syscall_name(nr);

		if (name)
			ck_assert_msg(syslet_syscall_lookup(name) == nr,
				      "lookup(\"%s\") = %d, not %d", name,
				      syslet_syscall_lookup(name), nr);
	}
}
END_TEST

START_TEST(test_names_unique)
{
	int max = syslet_syscall_max();
	int a, b;

	for (a = 0; a < max; a++) {
		const char *na = syslet_syscall_name(a);

		if (!na)
			continue;
		for (b = a + 1; b < max; b++) {
			const char *nb = syslet_syscall_name(b);

			ck_assert_msg(!nb || strcmp(na, nb) != 0,
				      "\"%s\" at %d and %d", na, a, b);
		}
	}
}
END_TEST

static void assert_class(const char *name, int nr, int cls)
{
	ck_assert_msg(syslet_syscall_lookup(name) == nr,
		      "lookup(\"%s\") = %d, not %d", name,
		      syslet_syscall_lookup(name), nr);
	ck_assert_msg(syslet_syscall_class(nr) == cls, "%s: class %d, not %d",
		      name, syslet_syscall_class(nr), cls);
}

START_TEST(test_spot_checks)
{
	assert_class("gettid", __NR_gettid, SYSLET_CLASS_EMULATED);

	assert_class("read", __NR_read, SYSLET_CLASS_ANY);
	assert_class("pread64", __NR_pread64, SYSLET_CLASS_ANY);
	assert_class("openat", __NR_openat, SYSLET_CLASS_ANY);
	assert_class("fstat", __NR_fstat, SYSLET_CLASS_ANY);
	assert_class("getpid", __NR_getpid, SYSLET_CLASS_ANY);
	assert_class("getppid", __NR_getppid, SYSLET_CLASS_ANY);
	assert_class("close", __NR_close, SYSLET_CLASS_ANY);

	assert_class("rt_sigprocmask", __NR_rt_sigprocmask,
		     SYSLET_CLASS_CALLER);
	assert_class("setuid", __NR_setuid, SYSLET_CLASS_CALLER);
	assert_class("sched_setaffinity", __NR_sched_setaffinity,
		     SYSLET_CLASS_CALLER);
	assert_class("exit", __NR_exit, SYSLET_CLASS_CALLER);
	assert_class("clone", __NR_clone, SYSLET_CLASS_CALLER);
	assert_class("prctl", __NR_prctl, SYSLET_CLASS_CALLER);
	assert_class("set_robust_list", __NR_set_robust_list,
		     SYSLET_CLASS_CALLER);
	assert_class("rseq", __NR_rseq, SYSLET_CLASS_CALLER);
	assert_class("futex", __NR_futex, SYSLET_CLASS_CALLER);
	assert_class("kill", __NR_kill, SYSLET_CLASS_CALLER);
	assert_class("tgkill", __NR_tgkill, SYSLET_CLASS_CALLER);
}
END_TEST

/* Calls newer than the Debian 12 headers, from the kernel's syscall_64.tbl. */
START_TEST(test_newer_calls)
{
	ck_assert_int_eq(syslet_syscall_lookup("uretprobe"), 335);
	ck_assert_int_eq(syslet_syscall_lookup("uprobe"), 336);
	ck_assert_int_eq(syslet_syscall_lookup("cachestat"), 451);
	ck_assert_int_eq(syslet_syscall_lookup("futex_wait"), 455);
	ck_assert_int_eq(syslet_syscall_lookup("mseal"), 462);
	ck_assert_int_eq(syslet_syscall_lookup("file_setattr"), 469);
	ck_assert_int_eq(syslet_syscall_class(459), SYSLET_CLASS_CALLER);

	/* 337..423 are unassigned. */
	ck_assert_ptr_null(syslet_syscall_name(337));
	ck_assert_ptr_null(syslet_syscall_name(423));
	ck_assert_int_eq(syslet_syscall_class(400), SYSLET_CLASS_CALLER);
}
END_TEST

START_TEST(test_bad_numbers)
{
	int max = syslet_syscall_max();

	ck_assert_int_eq(syslet_syscall_class(-1), -EINVAL);
	ck_assert_int_eq(syslet_syscall_class(INT_MIN), -EINVAL);
	ck_assert_int_eq(syslet_syscall_class(max), -EINVAL);
	ck_assert_int_eq(syslet_syscall_class(max + 1), -EINVAL);
	ck_assert_int_eq(syslet_syscall_class(512), -EINVAL);
	ck_assert_int_eq(syslet_syscall_class(INT_MAX), -EINVAL);

	ck_assert_ptr_null(syslet_syscall_name(-1));
	ck_assert_ptr_null(syslet_syscall_name(INT_MIN));
	ck_assert_ptr_null(syslet_syscall_name(max));
	ck_assert_ptr_null(syslet_syscall_name(INT_MAX));
}
END_TEST

START_TEST(test_lookup_errors)
{
	ck_assert_int_eq(syslet_syscall_lookup(NULL), -EINVAL);
	ck_assert_int_eq(syslet_syscall_lookup("no_such_call"), -ENOENT);
	ck_assert_int_eq(syslet_syscall_lookup(""), -ENOENT);
	ck_assert_int_eq(syslet_syscall_lookup("READ"), -ENOENT);
	ck_assert_int_eq(syslet_syscall_lookup("rea"), -ENOENT);
	ck_assert_int_eq(syslet_syscall_lookup("read "), -ENOENT);
	ck_assert_int_eq(syslet_syscall_lookup("sys_read"), -ENOENT);
	/* x32 and unassigned numbers have no names to find. */
	ck_assert_int_eq(syslet_syscall_lookup("listns"), -ENOENT);
}
END_TEST

static const struct {
	const char *name;
	int nr;
} header_calls[] = {
#define X(name) { #name, __NR_##name },
	UNISTD_64_NAMES(X)
#undef X
};

START_TEST(test_system_header)
{
	size_t i;

	ck_assert_uint_ge(sizeof(header_calls) / sizeof(header_calls[0]), 362);
	for (i = 0; i < sizeof(header_calls) / sizeof(header_calls[0]); i++) {
		const char *name = header_calls[i].name;
		int nr = header_calls[i].nr;
		const char *got = syslet_syscall_name(nr);

		ck_assert_msg(syslet_syscall_lookup(name) == nr,
			      "lookup(\"%s\") = %d, header says %d", name,
			      syslet_syscall_lookup(name), nr);
		ck_assert_msg(got && !strcmp(got, name),
			      "name(%d) = \"%s\", header says \"%s\"", nr,
			      got ? got : "(null)", name);
	}
}
END_TEST

static Suite *systab_suite(void)
{
	Suite *s = suite_create("systab");
	TCase *tc = tcase_create("public");

	tcase_add_test(tc, test_max);
	tcase_add_test(tc, test_every_number);
	tcase_add_test(tc, test_lookup_roundtrip);
	tcase_add_test(tc, test_names_unique);
	tcase_add_test(tc, test_spot_checks);
	tcase_add_test(tc, test_newer_calls);
	tcase_add_test(tc, test_bad_numbers);
	tcase_add_test(tc, test_lookup_errors);
	tcase_add_test(tc, test_system_header);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tl_run(systab_suite());
}
