// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * mcload: a small memcached load client for scripts/server-bench, since
 * Debian 12 has no memtier-benchmark.  Text protocol, a set/get mix on a
 * fixed key space, every value it reads checked.
 *
 *   mcload -p PORT [-H 127.0.0.1] [-t THREADS] [-c CONNS] [-d SECONDS]
 *          [-k KEYS] [-s SIZE] [-g GETS_PER_SET]
 *
 * First every key is set (so that gets hit), then THREADS threads, each
 * with CONNS connections and one request in flight on each, send a mix of
 * one set to GETS_PER_SET gets on random keys for SECONDS seconds; last,
 * every key is read back.  A key's value depends on the key alone, so
 * any value read, however the sets interleaved, must equal it.  Prints
 * "ops/sec: N" and the counts; exits 1 on a protocol or I/O error, a
 * wrong value, or a key missing at the end (the server has the memory
 * for all of them: nothing may be evicted).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static const char *host = "127.0.0.1";
static int port, nthreads = 2, nconns = 16, seconds = 5, nkeys = 10000;
static int vsize = 256, gets_per_set = 9;

struct conn {
	int fd;
	size_t off, len;
	char buf[1 << 16];
};

struct stats {
	unsigned long sets, gets, hits, misses;
};

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("mcload: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Key I's value: the key's number, then letters that depend on it. */
static void value_of(int i, char *v)
{
	int j, n = snprintf(v, vsize + 1, "v%08d:", i);

	for (j = n; j < vsize; j++)
		v[j] = 'a' + (i * 31 + j) % 26;
}

static void conn_open(struct conn *c)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons(port) };
	struct timeval tv = { .tv_sec = 10 }; /* a hung server: an error */
	int one = 1;

	if (inet_pton(AF_INET, host, &sa.sin_addr) != 1)
		die("bad address %s", host);
	c->fd = socket(AF_INET, SOCK_STREAM, 0);
	if (c->fd < 0 || connect(c->fd, (void *)&sa, sizeof(sa)))
		die("connect %s:%d: %s", host, port, strerror(errno));
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	c->off = c->len = 0;
}

static void send_all(struct conn *c, const char *p, size_t n)
{
	while (n) {
		ssize_t w = send(c->fd, p, n, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			die("send: %s", w ? strerror(errno) : "closed");
		p += w;
		n -= w;
	}
}

/* Make at least N bytes readable in C's buffer. */
static void fill(struct conn *c, size_t n)
{
	if (n > sizeof(c->buf))
		die("response too long");
	if (c->off + n > sizeof(c->buf)) {
		memmove(c->buf, c->buf + c->off, c->len - c->off);
		c->len -= c->off;
		c->off = 0;
	}
	while (c->len - c->off < n) {
		ssize_t r = recv(c->fd, c->buf + c->len,
				 sizeof(c->buf) - c->len, 0);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			die("recv: %s",
			    r ? strerror(errno) : "closed by server");
		c->len += r;
	}
}

/* The next line, without its "\r\n" (which becomes "\0\n"). */
static char *line(struct conn *c)
{
	size_t want = 1;
	char *p, *e;

	for (;;) {
		fill(c, want);
		p = c->buf + c->off;
		e = memmem(p, c->len - c->off, "\r\n", 2);
		if (e) {
			*e = 0;
			c->off = e + 2 - c->buf;
			return p;
		}
		want = c->len - c->off + 1;
	}
}

static void req_set(struct conn *c, int key, char *v)
{
	char hdr[64];
	int n = snprintf(hdr, sizeof(hdr), "set k%d 0 0 %d\r\n", key, vsize);

	value_of(key, v);
	memcpy(v + vsize, "\r\n", 2);
	send_all(c, hdr, n);
	send_all(c, v, vsize + 2);
}

static void req_get(struct conn *c, int key)
{
	char req[32];
	int n = snprintf(req, sizeof(req), "get k%d\r\n", key);

	send_all(c, req, n);
}

static void resp_set(struct conn *c)
{
	char *l = line(c);

	if (strcmp(l, "STORED"))
		die("set: \"%s\"", l);
}

/* Returns 1 for a hit (its value checked), 0 for a miss. */
static int resp_get(struct conn *c, int key, char *v)
{
	char *l = line(c), name[32];
	int k, flags, len;

	if (!strcmp(l, "END"))
		return 0;
	if (sscanf(l, "VALUE %31s %d %d", name, &flags, &len) != 3 ||
	    sscanf(name, "k%d", &k) != 1 || k != key || len != vsize)
		die("get k%d: \"%s\"", key, l);
	fill(c, len + 2);
	value_of(key, v);
	if (memcmp(c->buf + c->off, v, len) ||
	    memcmp(c->buf + c->off + len, "\r\n", 2))
		die("get k%d: wrong value", key);
	c->off += len + 2;
	l = line(c);
	if (strcmp(l, "END"))
		die("get k%d: \"%s\" after the value", key, l);
	return 1;
}

static double deadline;

static void *worker(void *arg)
{
	struct stats *st = arg;
	struct conn *c = calloc(nconns, sizeof(*c));
	int *key = calloc(nconns, sizeof(int)),
	    *isset = calloc(nconns, sizeof(int));
	char *v = malloc(vsize + 3);
	uint64_t x = 0x9e3779b97f4a7c15ULL ^ (uintptr_t)arg;
	int i;

	if (!c || !key || !isset || !v)
		die("out of memory");
	for (i = 0; i < nconns; i++)
		conn_open(&c[i]);
	while (now() < deadline) {
		/* One request on each connection, then every response. */
		for (i = 0; i < nconns; i++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17; /* xorshift */
			key[i] = x % nkeys;
			isset[i] = (x >> 32) % (gets_per_set + 1) == 0;
			if (isset[i])
				req_set(&c[i], key[i], v);
			else
				req_get(&c[i], key[i]);
		}
		for (i = 0; i < nconns; i++) {
			if (isset[i]) {
				resp_set(&c[i]);
				st->sets++;
			} else if (resp_get(&c[i], key[i], v)) {
				st->gets++, st->hits++;
			} else {
				st->gets++, st->misses++;
			}
		}
	}
	for (i = 0; i < nconns; i++)
		close(c[i].fd);
	free(c), free(key), free(isset), free(v);
	return 0;
}

/* Every key in turn on one connection, BATCH requests at a time. */
static int all_keys(int set)
{
	struct conn *c = malloc(sizeof(*c));
	char *v = malloc(vsize + 3);
	int i, j, batch = 100, missing = 0;

	if (!c || !v)
		die("out of memory");
	conn_open(c);
	for (i = 0; i < nkeys; i += batch) {
		for (j = i; j < nkeys && j < i + batch; j++)
			set ? req_set(c, j, v) : req_get(c, j);
		for (j = i; j < nkeys && j < i + batch; j++)
			if (set)
				resp_set(c);
			else
				missing += !resp_get(c, j, v);
	}
	close(c->fd);
	free(c), free(v);
	return missing;
}

int main(int argc, char **argv)
{
	struct stats total = { 0 }, *st;
	pthread_t *tid;
	double t0, t1;
	int o, i, missing;

	while ((o = getopt(argc, argv, "H:p:t:c:d:k:s:g:")) != -1) {
		switch (o) {
		case 'H':
			host = optarg;
			break;
		case 'p':
			port = atoi(optarg);
			break;
		case 't':
			nthreads = atoi(optarg);
			break;
		case 'c':
			nconns = atoi(optarg);
			break;
		case 'd':
			seconds = atoi(optarg);
			break;
		case 'k':
			nkeys = atoi(optarg);
			break;
		case 's':
			vsize = atoi(optarg);
			break;
		case 'g':
			gets_per_set = atoi(optarg);
			break;
		default:
			fputs("usage: mcload -p PORT [-H HOST] [-t THREADS] "
			      "[-c CONNS] [-d SECONDS] [-k KEYS] [-s SIZE] "
			      "[-g GETS_PER_SET]\n",
			      stderr);
			return 2;
		}
	}
	if (port <= 0 || nthreads < 1 || nconns < 1 || seconds < 1 ||
	    nkeys < 1 || vsize < 16 || vsize > 60000 || gets_per_set < 0)
		die("bad arguments (-p PORT is needed)");
	tid = calloc(nthreads, sizeof(*tid));
	st = calloc(nthreads, sizeof(*st));
	if (!tid || !st)
		die("out of memory");
	all_keys(1);
	t0 = now();
	deadline = t0 + seconds;
	for (i = 0; i < nthreads; i++)
		if (pthread_create(&tid[i], 0, worker, &st[i]))
			die("pthread_create failed");
	for (i = 0; i < nthreads; i++) {
		pthread_join(tid[i], 0);
		total.sets += st[i].sets;
		total.gets += st[i].gets;
		total.hits += st[i].hits;
		total.misses += st[i].misses;
	}
	t1 = now();
	missing = all_keys(0);
	printf("ops/sec: %.0f\n", (total.sets + total.gets) / (t1 - t0));
	printf("sets %lu gets %lu hits %lu misses %lu; "
	       "read back: %d of %d keys missing\n",
	       total.sets, total.gets, total.hits, total.misses, missing,
	       nkeys);
	free(tid), free(st);
	return missing || total.misses ? 1 : 0;
}
