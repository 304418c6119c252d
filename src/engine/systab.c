// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The system call table: name, identity class, non-blocking strategy and
 * argument count of every x86-64 system call of Linux 6.18.
 *
 * Where a call may run (cls).  A chain starts on the submitting thread and
 * moves to a helper thread at its first call that would block, so the
 * program must not be able to tell which thread ran a call: thread
 * identity must not change (R3 in NOTES.md; the 2008 review of the kernel
 * syslets: "randomly changing TID will break all threaded programs").
 * SYSLET_CLASS_ANY calls run the same on any thread of the process (I/O,
 * metadata, sockets, waits, sleeps, memory mappings, getpid, getppid).
 * SYSLET_CLASS_EMULATED is gettid alone, answered as the submitter without
 * a system call.  SYSLET_CLASS_CALLER calls act on, or answer for, the
 * calling thread itself (signal mask and pending set, credentials,
 * scheduling and CPU affinity with pid 0, robust list, rseq, TLS, thread
 * keyrings, thread CPU clocks, PI futexes, io_uring rings), or their effect
 * must be synchronous with the caller (signal sending, clone, exec, exit):
 * they never run on a helper.  When in doubt, a call that never blocks is
 * CALLER: it loses nothing, since a call that cannot block gains nothing
 * from a helper.  Numbers the kernel reserves but does not implement on
 * x86-64 (ENOSYS) are CALLER too, and so are unassigned numbers: what is
 * not understood stays home.
 *
 * How the submitter tries a call without blocking (nb, enum sl_nb).  The
 * read and write families are retried as preadv2/pwritev2 with RWF_NOWAIT
 * (SL_NB_READ, SL_NB_WRITE); socket message calls get MSG_DONTWAIT added to
 * their flags argument, whose index is flagarg (SL_NB_MSG); accept and
 * accept4 probe the listening socket for POLLIN (SL_NB_POLLIN); open,
 * openat and openat2 first try a cached-only path lookup (SL_NB_OPEN);
 * fcntl blocks only for F_SETLKW and F_OFD_SETLKW (SL_NB_FCNTL).  Calls
 * that may block for long and have no non-blocking form (fsync, sleeps,
 * waits, poll and select, connect, flock, truncate, splice, mount,
 * getrandom, fadvise64...) are SL_NB_BLOCKS and go straight to a helper.
 * Everything else is SL_NB_INLINE, run on the submitter: calls that do not
 * block or only briefly (close, fstat, newfstatat, statx, lseek, mmap,
 * getpid...), and every CALLER or EMULATED call.  nargs is the count of
 * the kernel's SYSCALL_DEFINEn (0 for numbers without an entry point);
 * flagarg is 0 except for SL_NB_MSG.
 *
 * Numbers: the system header (Debian 12: up to 450) names the calls it
 * knows through __NR_<name>, so SYS() takes both the number and the name
 * from it.  Newer calls take plain numbers (SYS_NR), from the kernel's
 * arch/x86/entry/syscalls/syscall_64.tbl: 335 uretprobe, 336 uprobe and
 * 451..469 (cachestat .. file_setattr, the last call of 6.18; listns, 470,
 * came in 6.19).  337..423 are unassigned; the x32 numbers (512 and up) are
 * not in the table.
 */
#ifndef SYSLET_API
#define SYSLET_API __attribute__((visibility("default")))
#endif

#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/syscall.h>

#include <syslet.h>

#include "systab.h"

/* The table is aligned by hand: clang-format would undo it. */
/* clang-format off */
/* A call the system header names: number and name from __NR_<name>. */
#define SYS(name, cls, nb, nargs)                                           \
	[__NR_##name] = { #name, SYSLET_CLASS_##cls, SL_NB_##nb, nargs, 0 }
/* A socket message call: MSG_DONTWAIT goes into argument flagarg. */
#define SYS_MSG(name, nargs, flagarg)                                       \
	[__NR_##name] = { #name, SYSLET_CLASS_ANY, SL_NB_MSG, nargs, flagarg }
/* A call newer than the system header: plain number. */
#define SYS_NR(nr, name, cls, nb, nargs)                                    \
	[nr] = { #name, SYSLET_CLASS_##cls, SL_NB_##nb, nargs, 0 }

const struct sl_sysent sl_systab[SL_SYSTAB_MAX] = {
	SYS(read,			ANY,		READ,	3),
	SYS(write,			ANY,		WRITE,	3),
	SYS(open,			ANY,		OPEN,	3),
	/* A last close may flush (NFS), but the common case is quick. */
	SYS(close,			ANY,		INLINE,	1),
	SYS(stat,			ANY,		INLINE,	2),
	SYS(fstat,			ANY,		INLINE,	2),
	SYS(lstat,			ANY,		INLINE,	2),
	SYS(poll,			ANY,		BLOCKS,	3),
	SYS(lseek,			ANY,		INLINE,	3),
	SYS(mmap,			ANY,		INLINE,	6),
	SYS(mprotect,			ANY,		INLINE,	3),
	SYS(munmap,			ANY,		INLINE,	2),
	SYS(brk,			ANY,		INLINE,	1),
	/* Handlers are per process: same from any thread. */
	SYS(rt_sigaction,		ANY,		INLINE,	4),
	SYS(rt_sigprocmask,		CALLER,		INLINE,	4),
	SYS(rt_sigreturn,		CALLER,		INLINE,	0),
	/* No general non-blocking form (tcdrain, SG_IO, FICLONE...). */
	SYS(ioctl,			ANY,		BLOCKS,	3),
	SYS(pread64,			ANY,		READ,	4),
	SYS(pwrite64,			ANY,		WRITE,	4),
	SYS(readv,			ANY,		READ,	3),
	SYS(writev,			ANY,		WRITE,	3),
	SYS(access,			ANY,		INLINE,	2),
	SYS(pipe,			ANY,		INLINE,	1),
	SYS(select,			ANY,		BLOCKS,	5),
	SYS(sched_yield,		CALLER,		INLINE,	0),
	SYS(mremap,			ANY,		INLINE,	5),
	/* MS_SYNC writes back. */
	SYS(msync,			ANY,		BLOCKS,	3),
	SYS(mincore,			ANY,		INLINE,	3),
	/* MADV_WILLNEED and MADV_POPULATE_* do I/O. */
	SYS(madvise,			ANY,		BLOCKS,	3),
	SYS(shmget,			ANY,		INLINE,	3),
	SYS(shmat,			ANY,		INLINE,	3),
	SYS(shmctl,			ANY,		INLINE,	3),
	SYS(dup,			ANY,		INLINE,	1),
	SYS(dup2,			ANY,		INLINE,	2),
	SYS(pause,			CALLER,		INLINE,	0),
	SYS(nanosleep,			ANY,		BLOCKS,	2),
	/* Interval timers are per process. */
	SYS(getitimer,			ANY,		INLINE,	2),
	SYS(alarm,			ANY,		INLINE,	1),
	SYS(setitimer,			ANY,		INLINE,	3),
	SYS(getpid,			ANY,		INLINE,	0),
	SYS(sendfile,			ANY,		BLOCKS,	4),
	SYS(socket,			ANY,		INLINE,	3),
	SYS(connect,			ANY,		BLOCKS,	3),
	SYS(accept,			ANY,		POLLIN,	3),
	SYS_MSG(sendto,			6, 3),
	SYS_MSG(recvfrom,		6, 3),
	SYS_MSG(sendmsg,		3, 2),
	SYS_MSG(recvmsg,		3, 2),
	SYS(shutdown,			ANY,		INLINE,	2),
	SYS(bind,			ANY,		INLINE,	3),
	SYS(listen,			ANY,		INLINE,	2),
	SYS(getsockname,		ANY,		INLINE,	3),
	SYS(getpeername,		ANY,		INLINE,	3),
	SYS(socketpair,			ANY,		INLINE,	4),
	SYS(setsockopt,			ANY,		INLINE,	5),
	SYS(getsockopt,			ANY,		INLINE,	5),
	SYS(clone,			CALLER,		INLINE,	5),
	SYS(fork,			CALLER,		INLINE,	0),
	SYS(vfork,			CALLER,		INLINE,	0),
	SYS(execve,			CALLER,		INLINE,	3),
	SYS(exit,			CALLER,		INLINE,	1),
	/* Any thread of the group may reap any child (unless __WNOTHREAD). */
	SYS(wait4,			ANY,		BLOCKS,	4),
	SYS(kill,			CALLER,		INLINE,	2),
	SYS(uname,			ANY,		INLINE,	1),
	SYS(semget,			ANY,		INLINE,	3),
	SYS(semop,			ANY,		BLOCKS,	3),
	SYS(semctl,			ANY,		INLINE,	4),
	SYS(shmdt,			ANY,		INLINE,	1),
	SYS(msgget,			ANY,		INLINE,	2),
	SYS(msgsnd,			ANY,		BLOCKS,	4),
	SYS(msgrcv,			ANY,		BLOCKS,	5),
	SYS(msgctl,			ANY,		INLINE,	3),
	SYS(fcntl,			ANY,		FCNTL,	3),
	SYS(flock,			ANY,		BLOCKS,	2),
	SYS(fsync,			ANY,		BLOCKS,	1),
	SYS(fdatasync,			ANY,		BLOCKS,	1),
	SYS(truncate,			ANY,		BLOCKS,	2),
	SYS(ftruncate,			ANY,		BLOCKS,	2),
	/* Directory reads, like path lookups, are cached in the common case. */
	SYS(getdents,			ANY,		INLINE,	3),
	/* cwd, root and umask live in the fs_struct all threads share. */
	SYS(getcwd,			ANY,		INLINE,	2),
	SYS(chdir,			ANY,		INLINE,	1),
	SYS(fchdir,			ANY,		INLINE,	1),
	/* Dropping a file's last link frees its blocks, like truncate. */
	SYS(rename,			ANY,		BLOCKS,	2),
	SYS(mkdir,			ANY,		INLINE,	2),
	SYS(rmdir,			ANY,		INLINE,	1),
	SYS(creat,			ANY,		BLOCKS,	2),
	SYS(link,			ANY,		INLINE,	2),
	SYS(unlink,			ANY,		BLOCKS,	1),
	SYS(symlink,			ANY,		INLINE,	2),
	SYS(readlink,			ANY,		INLINE,	3),
	SYS(chmod,			ANY,		INLINE,	2),
	SYS(fchmod,			ANY,		INLINE,	2),
	SYS(chown,			ANY,		INLINE,	3),
	SYS(fchown,			ANY,		INLINE,	3),
	SYS(lchown,			ANY,		INLINE,	3),
	SYS(umask,			ANY,		INLINE,	1),
	SYS(gettimeofday,		ANY,		INLINE,	2),
	SYS(getrlimit,			ANY,		INLINE,	2),
	SYS(getrusage,			CALLER,		INLINE,	2),
	SYS(sysinfo,			ANY,		INLINE,	1),
	SYS(times,			ANY,		INLINE,	1),
	SYS(ptrace,			CALLER,		INLINE,	4),
	/* Credentials are per thread in the kernel. */
	SYS(getuid,			CALLER,		INLINE,	0),
	SYS(syslog,			ANY,		BLOCKS,	3),
	SYS(getgid,			CALLER,		INLINE,	0),
	SYS(setuid,			CALLER,		INLINE,	1),
	SYS(setgid,			CALLER,		INLINE,	1),
	SYS(geteuid,			CALLER,		INLINE,	0),
	SYS(getegid,			CALLER,		INLINE,	0),
	/* Process groups and sessions belong to the process. */
	SYS(setpgid,			ANY,		INLINE,	2),
	SYS(getppid,			ANY,		INLINE,	0),
	SYS(getpgrp,			ANY,		INLINE,	0),
	SYS(setsid,			ANY,		INLINE,	0),
	SYS(setreuid,			CALLER,		INLINE,	2),
	SYS(setregid,			CALLER,		INLINE,	2),
	SYS(getgroups,			CALLER,		INLINE,	2),
	SYS(setgroups,			CALLER,		INLINE,	2),
	SYS(setresuid,			CALLER,		INLINE,	3),
	SYS(getresuid,			CALLER,		INLINE,	3),
	SYS(setresgid,			CALLER,		INLINE,	3),
	SYS(getresgid,			CALLER,		INLINE,	3),
	SYS(getpgid,			ANY,		INLINE,	1),
	SYS(setfsuid,			CALLER,		INLINE,	1),
	SYS(setfsgid,			CALLER,		INLINE,	1),
	SYS(getsid,			ANY,		INLINE,	1),
	SYS(capget,			CALLER,		INLINE,	2),
	SYS(capset,			CALLER,		INLINE,	2),
	SYS(rt_sigpending,		CALLER,		INLINE,	2),
	SYS(rt_sigtimedwait,		CALLER,		INLINE,	4),
	SYS(rt_sigqueueinfo,		CALLER,		INLINE,	3),
	SYS(rt_sigsuspend,		CALLER,		INLINE,	2),
	SYS(sigaltstack,		CALLER,		INLINE,	2),
	SYS(utime,			ANY,		INLINE,	2),
	SYS(mknod,			ANY,		INLINE,	3),
	/* No entry point on x86-64 in Linux 6.18 (ENOSYS): kept home. */
	SYS(uselib,			CALLER,		INLINE,	0),
	SYS(personality,		CALLER,		INLINE,	1),
	SYS(ustat,			ANY,		INLINE,	2),
	SYS(statfs,			ANY,		INLINE,	2),
	SYS(fstatfs,			ANY,		INLINE,	2),
	SYS(sysfs,			ANY,		INLINE,	3),
	SYS(getpriority,		CALLER,		INLINE,	2),
	SYS(setpriority,		CALLER,		INLINE,	3),
	SYS(sched_setparam,		CALLER,		INLINE,	2),
	SYS(sched_getparam,		CALLER,		INLINE,	2),
	SYS(sched_setscheduler,		CALLER,		INLINE,	3),
	SYS(sched_getscheduler,		CALLER,		INLINE,	1),
	/* Take a policy, not a pid. */
	SYS(sched_get_priority_max,	ANY,		INLINE,	1),
	SYS(sched_get_priority_min,	ANY,		INLINE,	1),
	SYS(sched_rr_get_interval,	CALLER,		INLINE,	2),
	/* mlock faults the range in. */
	SYS(mlock,			ANY,		BLOCKS,	2),
	SYS(munlock,			ANY,		INLINE,	2),
	SYS(mlockall,			ANY,		BLOCKS,	1),
	SYS(munlockall,			ANY,		INLINE,	0),
	SYS(vhangup,			CALLER,		INLINE,	0),
	SYS(modify_ldt,			CALLER,		INLINE,	3),
	/* Acts on the mount namespace and the shared fs_struct. */
	SYS(pivot_root,			ANY,		INLINE,	2),
	SYS(_sysctl,			CALLER,		INLINE,	0),
	SYS(prctl,			CALLER,		INLINE,	5),
	SYS(arch_prctl,			CALLER,		INLINE,	2),
	SYS(adjtimex,			ANY,		INLINE,	1),
	SYS(setrlimit,			ANY,		INLINE,	2),
	SYS(chroot,			ANY,		INLINE,	1),
	SYS(sync,			ANY,		BLOCKS,	0),
	SYS(acct,			ANY,		INLINE,	1),
	SYS(settimeofday,		ANY,		INLINE,	2),
	SYS(mount,			ANY,		BLOCKS,	5),
	SYS(umount2,			ANY,		BLOCKS,	2),
	SYS(swapon,			ANY,		BLOCKS,	2),
	SYS(swapoff,			ANY,		BLOCKS,	1),
	SYS(reboot,			ANY,		BLOCKS,	4),
	SYS(sethostname,		ANY,		INLINE,	2),
	SYS(setdomainname,		ANY,		INLINE,	2),
	/* The I/O permission bitmap and IOPL are per thread. */
	SYS(iopl,			CALLER,		INLINE,	1),
	SYS(ioperm,			CALLER,		INLINE,	3),
	/* 174-185: never implemented, or removed: ENOSYS. */
	SYS(create_module,		CALLER,		INLINE,	0),
	/* Module init and exit may wait for firmware or hardware. */
	SYS(init_module,		ANY,		BLOCKS,	3),
	SYS(delete_module,		ANY,		BLOCKS,	2),
	SYS(get_kernel_syms,		CALLER,		INLINE,	0),
	SYS(query_module,		CALLER,		INLINE,	0),
	/* Quota files are read and written. */
	SYS(quotactl,			ANY,		BLOCKS,	4),
	SYS(nfsservctl,			CALLER,		INLINE,	0),
	SYS(getpmsg,			CALLER,		INLINE,	0),
	SYS(putpmsg,			CALLER,		INLINE,	0),
	SYS(afs_syscall,		CALLER,		INLINE,	0),
	SYS(tuxcall,			CALLER,		INLINE,	0),
	SYS(security,			CALLER,		INLINE,	0),
	/* Answered as the submitting thread. */
	SYS(gettid,			EMULATED,	INLINE,	0),
	SYS(readahead,			ANY,		BLOCKS,	3),
	SYS(setxattr,			ANY,		INLINE,	5),
	SYS(lsetxattr,			ANY,		INLINE,	5),
	SYS(fsetxattr,			ANY,		INLINE,	5),
	SYS(getxattr,			ANY,		INLINE,	4),
	SYS(lgetxattr,			ANY,		INLINE,	4),
	SYS(fgetxattr,			ANY,		INLINE,	4),
	SYS(listxattr,			ANY,		INLINE,	3),
	SYS(llistxattr,			ANY,		INLINE,	3),
	SYS(flistxattr,			ANY,		INLINE,	3),
	SYS(removexattr,		ANY,		INLINE,	2),
	SYS(lremovexattr,		ANY,		INLINE,	2),
	SYS(fremovexattr,		ANY,		INLINE,	2),
	SYS(tkill,			CALLER,		INLINE,	2),
	SYS(time,			ANY,		INLINE,	1),
	SYS(futex,			CALLER,		INLINE,	6),
	SYS(sched_setaffinity,		CALLER,		INLINE,	3),
	SYS(sched_getaffinity,		CALLER,		INLINE,	3),
	/* No entry point for 64-bit callers (arch_prctl instead): ENOSYS. */
	SYS(set_thread_area,		CALLER,		INLINE,	0),
	/* AIO contexts belong to the mm; io_destroy waits for the I/O. */
	SYS(io_setup,			ANY,		INLINE,	2),
	SYS(io_destroy,			ANY,		BLOCKS,	1),
	SYS(io_getevents,		ANY,		BLOCKS,	5),
	SYS(io_submit,			ANY,		BLOCKS,	3),
	SYS(io_cancel,			ANY,		INLINE,	3),
	/* 211-215: no entry point (lookup_dcookie removed in 6.10): ENOSYS. */
	SYS(get_thread_area,		CALLER,		INLINE,	0),
	SYS(lookup_dcookie,		CALLER,		INLINE,	0),
	SYS(epoll_create,		ANY,		INLINE,	1),
	SYS(epoll_ctl_old,		CALLER,		INLINE,	0),
	SYS(epoll_wait_old,		CALLER,		INLINE,	0),
	/* Emulated with MAP_POPULATE. */
	SYS(remap_file_pages,		ANY,		BLOCKS,	5),
	SYS(getdents64,			ANY,		INLINE,	3),
	SYS(set_tid_address,		CALLER,		INLINE,	1),
	/* The restart block is per thread. */
	SYS(restart_syscall,		CALLER,		INLINE,	0),
	SYS(semtimedop,			ANY,		BLOCKS,	4),
	SYS(fadvise64,			ANY,		BLOCKS,	4),
	SYS(timer_create,		CALLER,		INLINE,	3),
	/* POSIX timer ids are per process once created. */
	SYS(timer_settime,		ANY,		INLINE,	4),
	SYS(timer_gettime,		ANY,		INLINE,	2),
	SYS(timer_getoverrun,		ANY,		INLINE,	1),
	SYS(timer_delete,		ANY,		INLINE,	1),
	SYS(clock_settime,		ANY,		INLINE,	2),
	SYS(clock_gettime,		CALLER,		INLINE,	2),
	SYS(clock_getres,		CALLER,		INLINE,	2),
	SYS(clock_nanosleep,		ANY,		BLOCKS,	4),
	SYS(exit_group,			CALLER,		INLINE,	1),
	SYS(epoll_wait,			ANY,		BLOCKS,	4),
	SYS(epoll_ctl,			ANY,		INLINE,	4),
	SYS(tgkill,			CALLER,		INLINE,	3),
	SYS(utimes,			ANY,		INLINE,	2),
	/* Never implemented: ENOSYS. */
	SYS(vserver,			CALLER,		INLINE,	0),
	/* MPOL_MF_MOVE migrates pages. */
	SYS(mbind,			ANY,		BLOCKS,	6),
	SYS(set_mempolicy,		CALLER,		INLINE,	3),
	SYS(get_mempolicy,		CALLER,		INLINE,	5),
	SYS(mq_open,			ANY,		INLINE,	4),
	SYS(mq_unlink,			ANY,		INLINE,	1),
	SYS(mq_timedsend,		ANY,		BLOCKS,	5),
	SYS(mq_timedreceive,		ANY,		BLOCKS,	5),
	/* The notification owner is the process. */
	SYS(mq_notify,			ANY,		INLINE,	2),
	SYS(mq_getsetattr,		ANY,		INLINE,	3),
	SYS(kexec_load,			ANY,		INLINE,	4),
	SYS(waitid,			ANY,		BLOCKS,	5),
	SYS(add_key,			CALLER,		INLINE,	5),
	SYS(request_key,		CALLER,		INLINE,	4),
	SYS(keyctl,			CALLER,		INLINE,	5),
	SYS(ioprio_set,			CALLER,		INLINE,	3),
	SYS(ioprio_get,			CALLER,		INLINE,	2),
	SYS(inotify_init,		ANY,		INLINE,	0),
	SYS(inotify_add_watch,		ANY,		INLINE,	3),
	SYS(inotify_rm_watch,		ANY,		INLINE,	2),
	/* pid 0 is the calling process. */
	SYS(migrate_pages,		ANY,		BLOCKS,	4),
	SYS(openat,			ANY,		OPEN,	4),
	SYS(mkdirat,			ANY,		INLINE,	3),
	SYS(mknodat,			ANY,		INLINE,	4),
	SYS(fchownat,			ANY,		INLINE,	5),
	SYS(futimesat,			ANY,		INLINE,	3),
	SYS(newfstatat,			ANY,		INLINE,	4),
	/* unlinkat, renameat: see unlink. */
	SYS(unlinkat,			ANY,		BLOCKS,	3),
	SYS(renameat,			ANY,		BLOCKS,	4),
	SYS(linkat,			ANY,		INLINE,	5),
	SYS(symlinkat,			ANY,		INLINE,	3),
	SYS(readlinkat,			ANY,		INLINE,	4),
	SYS(fchmodat,			ANY,		INLINE,	3),
	SYS(faccessat,			ANY,		INLINE,	3),
	SYS(pselect6,			ANY,		BLOCKS,	6),
	SYS(ppoll,			ANY,		BLOCKS,	5),
	SYS(unshare,			CALLER,		INLINE,	1),
	SYS(set_robust_list,		CALLER,		INLINE,	2),
	SYS(get_robust_list,		CALLER,		INLINE,	3),
	SYS(splice,			ANY,		BLOCKS,	6),
	SYS(tee,			ANY,		BLOCKS,	4),
	SYS(sync_file_range,		ANY,		BLOCKS,	4),
	SYS(vmsplice,			ANY,		BLOCKS,	4),
	SYS(move_pages,			ANY,		BLOCKS,	6),
	SYS(utimensat,			ANY,		INLINE,	4),
	SYS(epoll_pwait,		ANY,		BLOCKS,	6),
	/* signalfd creation is not per thread (reading it is). */
	SYS(signalfd,			ANY,		INLINE,	3),
	SYS(timerfd_create,		ANY,		INLINE,	2),
	SYS(eventfd,			ANY,		INLINE,	1),
	SYS(fallocate,			ANY,		BLOCKS,	4),
	SYS(timerfd_settime,		ANY,		INLINE,	4),
	SYS(timerfd_gettime,		ANY,		INLINE,	2),
	SYS(accept4,			ANY,		POLLIN,	4),
	SYS(signalfd4,			ANY,		INLINE,	4),
	SYS(eventfd2,			ANY,		INLINE,	2),
	SYS(epoll_create1,		ANY,		INLINE,	1),
	SYS(dup3,			ANY,		INLINE,	3),
	SYS(pipe2,			ANY,		INLINE,	2),
	SYS(inotify_init1,		ANY,		INLINE,	1),
	SYS(preadv,			ANY,		READ,	5),
	SYS(pwritev,			ANY,		WRITE,	5),
	SYS(rt_tgsigqueueinfo,		CALLER,		INLINE,	4),
	SYS(perf_event_open,		CALLER,		INLINE,	5),
	SYS_MSG(recvmmsg,		5, 3),
	SYS(fanotify_init,		ANY,		INLINE,	2),
	SYS(fanotify_mark,		ANY,		INLINE,	5),
	/* rlimits are per process. */
	SYS(prlimit64,			ANY,		INLINE,	4),
	SYS(name_to_handle_at,		ANY,		BLOCKS,	5),
	SYS(open_by_handle_at,		ANY,		BLOCKS,	3),
	SYS(clock_adjtime,		ANY,		INLINE,	2),
	SYS(syncfs,			ANY,		BLOCKS,	1),
	SYS_MSG(sendmmsg,		4, 3),
	SYS(setns,			CALLER,		INLINE,	2),
	SYS(getcpu,			CALLER,		INLINE,	3),
	/* Explicit pid. */
	SYS(process_vm_readv,		ANY,		INLINE,	6),
	SYS(process_vm_writev,		ANY,		INLINE,	6),
	SYS(kcmp,			ANY,		INLINE,	5),
	SYS(finit_module,		ANY,		BLOCKS,	3),
	SYS(sched_setattr,		CALLER,		INLINE,	3),
	SYS(sched_getattr,		CALLER,		INLINE,	4),
	SYS(renameat2,			ANY,		BLOCKS,	5),
	SYS(seccomp,			CALLER,		INLINE,	3),
	SYS(getrandom,			ANY,		BLOCKS,	3),
	SYS(memfd_create,		ANY,		INLINE,	2),
	/* Reads the kernel and initrd files. */
	SYS(kexec_file_load,		ANY,		BLOCKS,	5),
	/* The verifier is CPU-bound, not blocking. */
	SYS(bpf,			ANY,		INLINE,	3),
	SYS(execveat,			CALLER,		INLINE,	5),
	SYS(userfaultfd,		ANY,		INLINE,	1),
	/* The barrier orders the caller's own accesses. */
	SYS(membarrier,			CALLER,		INLINE,	3),
	SYS(mlock2,			ANY,		BLOCKS,	3),
	SYS(copy_file_range,		ANY,		BLOCKS,	6),
	SYS(preadv2,			ANY,		READ,	6),
	SYS(pwritev2,			ANY,		WRITE,	6),
	SYS(pkey_mprotect,		ANY,		INLINE,	4),
	/* pkey_alloc writes init_val into the calling thread's PKRU. */
	SYS(pkey_alloc,			CALLER,		INLINE,	2),
	SYS(pkey_free,			ANY,		INLINE,	1),
	SYS(statx,			ANY,		INLINE,	5),
	SYS(io_pgetevents,		ANY,		BLOCKS,	6),
	SYS(rseq,			CALLER,		INLINE,	4),
	/* uretprobe (6.11), uprobe (6.18): newer than the Debian 12 headers. */
	SYS_NR(335, uretprobe,		CALLER,		INLINE,	0),
	SYS_NR(336, uprobe,		CALLER,		INLINE,	0),
	SYS(pidfd_send_signal,		CALLER,		INLINE,	4),
	SYS(io_uring_setup,		CALLER,		INLINE,	2),
	SYS(io_uring_enter,		CALLER,		INLINE,	6),
	SYS(io_uring_register,		CALLER,		INLINE,	4),
	/* New mount API: only fsconfig(FSCONFIG_CMD_CREATE) reads a device. */
	SYS(open_tree,			ANY,		INLINE,	3),
	SYS(move_mount,			ANY,		INLINE,	5),
	SYS(fsopen,			ANY,		INLINE,	2),
	SYS(fsconfig,			ANY,		BLOCKS,	5),
	SYS(fsmount,			ANY,		INLINE,	3),
	SYS(fspick,			ANY,		INLINE,	3),
	SYS(pidfd_open,			ANY,		INLINE,	2),
	SYS(clone3,			CALLER,		INLINE,	2),
	/* CLOSE_RANGE_UNSHARE gives the calling thread its own fd table. */
	SYS(close_range,		CALLER,		INLINE,	3),
	SYS(openat2,			ANY,		OPEN,	4),
	SYS(pidfd_getfd,		ANY,		INLINE,	3),
	SYS(faccessat2,			ANY,		INLINE,	4),
	SYS(process_madvise,		ANY,		BLOCKS,	5),
	SYS(epoll_pwait2,		ANY,		BLOCKS,	6),
	SYS(mount_setattr,		ANY,		INLINE,	5),
	SYS(quotactl_fd,		ANY,		BLOCKS,	4),
	SYS(landlock_create_ruleset,	ANY,		INLINE,	3),
	SYS(landlock_add_rule,		ANY,		INLINE,	4),
	SYS(landlock_restrict_self,	CALLER,		INLINE,	2),
	SYS(memfd_secret,		ANY,		INLINE,	1),
	/* Frees a dying process's memory, may wait for its mmap lock. */
	SYS(process_mrelease,		ANY,		BLOCKS,	2),
	/* futex_waitv and the futex2 calls (454-456) have no PI forms. */
	SYS(futex_waitv,		ANY,		BLOCKS,	5),
	SYS(set_mempolicy_home_node,	CALLER,		INLINE,	4),
	/* Linux 6.5 and later: plain numbers, see the note at the top. */
	SYS_NR(451, cachestat,		ANY,		INLINE,	4),
	SYS_NR(452, fchmodat2,		ANY,		INLINE,	4),
	SYS_NR(453, map_shadow_stack,	CALLER,		INLINE,	3),
	SYS_NR(454, futex_wake,		ANY,		INLINE,	4),
	SYS_NR(455, futex_wait,		ANY,		BLOCKS,	6),
	SYS_NR(456, futex_requeue,	ANY,		INLINE,	4),
	SYS_NR(457, statmount,		ANY,		INLINE,	4),
	SYS_NR(458, listmount,		ANY,		INLINE,	4),
	SYS_NR(459, lsm_get_self_attr,	CALLER,		INLINE,	4),
	SYS_NR(460, lsm_set_self_attr,	CALLER,		INLINE,	4),
	SYS_NR(461, lsm_list_modules,	ANY,		INLINE,	3),
	SYS_NR(462, mseal,		ANY,		INLINE,	3),
	SYS_NR(463, setxattrat,		ANY,		INLINE,	6),
	SYS_NR(464, getxattrat,		ANY,		INLINE,	6),
	SYS_NR(465, listxattrat,	ANY,		INLINE,	5),
	SYS_NR(466, removexattrat,	ANY,		INLINE,	4),
	SYS_NR(467, open_tree_attr,	ANY,		INLINE,	5),
	SYS_NR(468, file_getattr,	ANY,		INLINE,	5),
	SYS_NR(469, file_setattr,	ANY,		INLINE,	5),
};

#undef SYS
#undef SYS_MSG
#undef SYS_NR
/* clang-format on */

SYSLET_API int syslet_syscall_class(int nr)
{
	if (nr < 0 || nr >= SL_SYSTAB_MAX)
		return -EINVAL;
	if (!sl_systab[nr].name)
		return SYSLET_CLASS_CALLER;
	return sl_systab[nr].cls;
}

SYSLET_API const char *syslet_syscall_name(int nr)
{
	if (nr < 0 || nr >= SL_SYSTAB_MAX)
		return NULL;
	return sl_systab[nr].name;
}

/* A linear scan: under 400 names, no state, nothing to set up or lock. */
SYSLET_API int syslet_syscall_lookup(const char *name)
{
	int nr;

	if (!name)
		return -EINVAL;
	for (nr = 0; nr < SL_SYSTAB_MAX; nr++) {
		const char *s = sl_systab[nr].name;

		if (s && s[0] == name[0] && !strcmp(s, name))
			return nr;
	}
	return -ENOENT;
}

SYSLET_API int syslet_syscall_max(void)
{
	return SL_SYSTAB_MAX;
}

bool sl_pure_wait(int nr)
{
	static const short waits[] = {
		SYS_poll,	SYS_ppoll,	    SYS_select,	      SYS_pselect6,
		SYS_epoll_wait, SYS_epoll_pwait,    SYS_epoll_pwait2, SYS_nanosleep,
		SYS_clock_nanosleep, SYS_pause,	    SYS_wait4,	      SYS_waitid,
	};
	unsigned int i;

	for (i = 0; i < sizeof(waits) / sizeof(waits[0]); i++)
		if (waits[i] == nr)
			return true;
	return false;
}
