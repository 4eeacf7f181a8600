/*
 * Benchmark: reconcile 1,000,000 open items against 1,000,000 payments through the C API
 * (opcorp_reconciler_add_item, opcorp_reconciler_push, opcorp_reconciler_finish), read every
 * item of the report, and compare time and peak memory with the Rust engine bench
 * (core/benches/reconcile.rs) run first in the same go.
 *
 *   make -C bindings-c bench PROFILE=release TRIPLE=<host>
 *   target/bindings-c/reconcile_1m RUST_BENCH [N]
 *
 * RUST_BENCH is the binary `cargo bench -p opcorp --no-default-features --bench reconcile
 * --no-run` prints. Data: the Rust bench's rules, as bindings-python/bench/reconcile_1m.py
 * builds them (item i is INV-{i:08} with the Finnish reference generated from 1000 + i and
 * 1000 + i * 7919 % 500000 cents; payment i pays item i % n, every 100th pays i - 30 again,
 * in the written form and amount its i % 100 selects).
 *
 * The job: every add_item, every push (out NULL: a bulk load wants no events), finish, and
 * reading each item's "status" (opcorp_record_string) and "received" (opcorp_record_amount,
 * in cents). It runs twice, VmHWM reset (/proc/self/clear_refs) before each: first with each
 * item's and payment's text made just before its call, for the peak memory (the inputs are
 * never all held, as the Rust bench generates its payments lazily); then on text made before
 * the clock, for the time (as the Rust bench times its work without its data generation).
 * Both outcomes must equal the Rust bench's, or the run fails.
 *
 * Prints the figures and two BENCH_RESULT lines (for scripts/bench): the C job and the Rust
 * bench of the same run.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "opcorp.h"

static long n;

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double cpu(void) {
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  return (double)u.ru_utime.tv_sec + (double)u.ru_utime.tv_usec / 1e6 + (double)u.ru_stime.tv_sec +
         (double)u.ru_stime.tv_usec / 1e6;
}

static double status_mib(const char *field) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  double kib = 0;
  size_t len = strlen(field);
  while (f && fgets(line, sizeof line, f)) {
    if (strncmp(line, field, len) == 0 && line[len] == ':') kib = strtod(line + len + 1, NULL);
  }
  if (f) fclose(f);
  return kib / 1024;
}

static void check(enum opcorp_status status, const char *what) {
  if (status == OPCORP_OK) return;
  fprintf(stderr, "%s failed: %s\n", what, opcorp_last_error_message());
  exit(1);
}

/* The text an opcorp string function wrote to *text, copied into `out` and freed (read
 * only here, after the call: the order arguments are evaluated in is unspecified). */
static void take(enum opcorp_status status, char **text, char *out, size_t size, const char *what) {
  check(status, what);
  snprintf(out, size, "%s", *text);
  opcorp_string_free(*text);
}

/* `text` left-padded with zeros to 20 characters (Python's str.zfill(20)). */
static void zfill20(const char *text, char *out, size_t size) {
  size_t len = strlen(text);
  snprintf(out, size, "%.*s%s", len < 20 ? (int)(20 - len) : 0, "00000000000000000000", text);
}

static long cents(long item) { return 1000 + (item * 7919 % 500000); }

static void money(long value, char *out, size_t size) {
  long v = value < 0 ? -value : value;
  snprintf(out, size, "%s%ld.%02ld", value < 0 ? "-" : "", v / 100, v % 100);
}

static void reference(long i, char *out, size_t size) {
  char base[32], *text = NULL;
  snprintf(base, sizeof base, "%ld", 1000 + i);
  take(opcorp_reference_generate(base, &text), &text, out, size, "opcorp_reference_generate");
}

struct item_text {
  char id[32], reference[32], amount[32];
};

static void item(long i, struct item_text *t) {
  snprintf(t->id, sizeof t->id, "INV-%08ld", i);
  reference(i, t->reference, sizeof t->reference);
  money(cents(i), t->amount, sizeof t->amount);
}

struct payment_text {
  char id[32], reference[64], amount[32];
  int has_reference;
};

static void payment(long i, struct payment_text *p) {
  long target = i % 100 == 99 ? ((i - 30) % n + n) % n : i % n;
  char r[32], *text = NULL;
  reference(target, r, sizeof r);
  long c = i % 100, amount = cents(target);
  p->has_reference = 1;
  if (c <= 59 || c == 99) {
    zfill20(r, p->reference, sizeof p->reference);
  } else if (c <= 74) {
    snprintf(p->reference, sizeof p->reference, "%s", r);
  } else if (c <= 84) {
    take(opcorp_rf_from_finnish(r, &text), &text, p->reference, sizeof p->reference, "rf");
  } else if (c <= 89) {
    take(opcorp_reference_grouped(r, &text), &text, p->reference, sizeof p->reference, "grouped");
    amount /= 2;
  } else if (c <= 93) {
    zfill20(r, p->reference, sizeof p->reference);
    amount += 500;
  } else if (c <= 95) {
    p->has_reference = 0;
  } else if (c == 96) {
    snprintf(p->reference, sizeof p->reference, "%s1", r);
  } else if (c == 97) {
    reference(n + i, p->reference, sizeof p->reference);
    amount = 1234;
  } else {
    snprintf(p->reference, sizeof p->reference, "%s", r);
    amount = -amount;
  }
  snprintf(p->id, sizeof p->id, "2025011559%010ld", i);
  money(amount, p->amount, sizeof p->amount);
}

/* The number after "key": in a compact JSON line, or -1. */
static double json_number(const char *line, const char *key) {
  char pattern[64];
  snprintf(pattern, sizeof pattern, "\"%s\":", key);
  const char *at = strstr(line, pattern);
  return at ? strtod(at + strlen(pattern), NULL) : -1;
}

static const char *OUTCOME[] = {"matched", "unmatched", "duplicates", "paid", "partially_paid",
                                "overpaid", "paid_twice", "unpaid", "ambiguous"};
#define OUTCOMES (sizeof OUTCOME / sizeof *OUTCOME)

/* The OUTCOME index counting an item of this status (OUTCOME[3..]), or -1. */
static int status_index(const char *status) {
  if (strcmp(status, "ambiguous_reference") == 0) return 8;
  for (size_t k = 3; k < 8; k++) {
    if (strcmp(status, OUTCOME[k]) == 0) return (int)k;
  }
  return -1;
}

/* What one run of the job measured. */
struct figures {
  double reconcile, read, cpu, peak;
  int reset;
  long counts[OUTCOMES], received;
};

/* The job: every add_item, every push (out NULL: a bulk load wants no events), finish, and
 * each item's "status" and "received" read. With NULL inputs each text is made just before
 * its call; otherwise the texts come from the arrays. VmHWM is reset before the job. */
static struct figures run(const struct item_text *items, const struct payment_text *payments) {
  struct figures f = {0};
  struct item_text it;
  struct payment_text pt;
  FILE *clear = fopen("/proc/self/clear_refs", "w");
  f.reset = clear && fputs("5", clear) >= 0;
  if (clear) fclose(clear);

  double t = now(), c = cpu();
  struct opcorp_reconciler *reconciler = NULL;
  check(opcorp_reconciler_new(&reconciler), "opcorp_reconciler_new");
  for (long i = 0; i < n; i++) {
    const struct item_text *x = items ? &items[i] : (item(i, &it), &it);
    check(opcorp_reconciler_add_item(reconciler, x->id, x->reference, x->amount, "EUR", NULL), "add_item");
  }
  for (long i = 0; i < n; i++) {
    const struct payment_text *p = payments ? &payments[i] : (payment(i, &pt), &pt);
    check(opcorp_reconciler_push(reconciler, p->id, p->has_reference ? p->reference : NULL, p->amount, "EUR",
                                 NULL, "Maksaja Oy", NULL),
          "push");
  }
  struct opcorp_record *report = NULL;
  check(opcorp_reconciler_finish(reconciler, &report), "finish");
  opcorp_reconciler_free(reconciler);
  double reconciled = now();

  size_t count = 0;
  check(opcorp_record_len(report, "items", &count), "items");
  char path[64];
  for (size_t i = 0; i < count; i++) {
    char *status = NULL;
    int64_t minor = 0;
    snprintf(path, sizeof path, "items.%zu.status", i);
    check(opcorp_record_string(report, path, &status), "status");
    int k = status_index(status);
    if (k >= 0) f.counts[k]++;
    opcorp_string_free(status);
    snprintf(path, sizeof path, "items.%zu.received", i);
    check(opcorp_record_amount(report, path, NULL, &minor), "received");
    if (minor != 0) f.received++;
  }
  double end = now();
  f.cpu = cpu() - c;
  f.peak = status_mib("VmHWM");
  f.reconcile = reconciled - t;
  f.read = end - reconciled;
  int64_t totals[3] = {0, 0, 0};
  check(opcorp_record_int64(report, "totals.matched_payments", &totals[0]), "totals");
  check(opcorp_record_int64(report, "totals.unmatched_payments", &totals[1]), "totals");
  check(opcorp_record_int64(report, "totals.duplicate_payments", &totals[2]), "totals");
  opcorp_record_free(report);
  for (int k = 0; k < 3; k++) f.counts[k] = (long)totals[k];
  return f;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s RUST_BENCH [N]\n", argv[0]);
    return 2;
  }
  n = argc > 2 ? atol(argv[2]) : 1000000;

  /* The Rust bench first, as a child, so its memory is not in this process's peak. */
  char command[4096], line[8192], rust_line[8192] = "";
  snprintf(command, sizeof command, "RECONCILE_N=%ld '%s'", n, argv[1]);
  FILE *child = popen(command, "r");
  if (!child) return 1;
  printf("Rust bench, same run:\n");
  while (fgets(line, sizeof line, child)) {
    if (strncmp(line, "BENCH_RESULT ", 13) == 0) snprintf(rust_line, sizeof rust_line, "%s", line + 13);
    else fputs(line, stdout);
  }
  if (pclose(child) != 0 || !*rust_line) {
    fprintf(stderr, "the Rust reconcile bench failed or printed no BENCH_RESULT line\n");
    return 1;
  }
  rust_line[strcspn(rust_line, "\n")] = 0;
  const char *rust_values = strstr(rust_line, "\"values\":");
  const char *rust_outcome = strstr(rust_line, "\"outcome\":");
  if (!rust_values || !rust_outcome) return 1;

  /* 1. Memory: each item's and payment's text made just before its call (the inputs are
   * never all held, as the Rust bench generates its payments lazily). */
  struct figures streamed = run(NULL, NULL);

  /* 2. Time: the same job on text made before the clock. */
  struct item_text *items = malloc((size_t)n * sizeof *items);
  struct payment_text *payments = malloc((size_t)n * sizeof *payments);
  if (!items || !payments) return 1;
  for (long i = 0; i < n; i++) {
    item(i, &items[i]);
    payment(i, &payments[i]);
  }
  struct figures timed = run(items, payments);
  free(items);
  free(payments);

  double rust_seconds = json_number(rust_values, "seconds"), rust_cpu = json_number(rust_values, "cpu_seconds");
  double rust_peak = json_number(rust_values, "peak_mib");
  int agree = 1;
  for (size_t k = 0; k < OUTCOMES; k++) {
    long expected = (long)json_number(rust_outcome, OUTCOME[k]);
    agree = agree && expected == streamed.counts[k] && expected == timed.counts[k];
  }
  agree = agree && streamed.received == n - streamed.counts[7] && timed.received == n - timed.counts[7];

  printf("C, reconcile %ld open items against %ld payments (release libopcorp):\n", n, n);
  printf("  text made as the job goes: peak (VmHWM) %.0f MiB%s (%.2fx); wall %.3f s with making it\n",
         streamed.peak, streamed.reset ? ", reset before the job" : " (whole run)", streamed.peak / rust_peak,
         streamed.reconcile + streamed.read);
  printf("  text made before the clock:\n");
  printf("    add_item, push, finish      %7.3f s\n", timed.reconcile);
  printf("    read every item             %7.3f s (status and received of each)\n", timed.read);
  printf("    whole job                   %7.3f s (CPU %.2f s)\n", timed.reconcile + timed.read, timed.cpu);
  printf("  outcome agrees with the Rust bench (both runs): %s\n", agree ? "yes" : "NO");
  double job = timed.reconcile + timed.read;
  printf("ratio C/Rust: time %.2fx (CPU %.2fx), peak memory %.2fx\n", job / rust_seconds, timed.cpu / rust_cpu,
         streamed.peak / rust_peak);

  printf("BENCH_RESULT {\"bench\":\"c_reconcile\",\"name\":\"c_reconcile\",\"contender\":\"rust\",%s\n",
         strstr(rust_line, "\"units\":"));
  printf("BENCH_RESULT {\"bench\":\"c_reconcile\",\"name\":\"c_reconcile\",\"contender\":\"c\","
         "\"units\":{\"seconds\":\"s\",\"cpu_seconds\":\"s\",\"peak_mib\":\"MiB\"},"
         "\"values\":{\"n\":%ld,\"seconds\":%.6f,\"cpu_seconds\":%.6f,\"peak_mib\":%.3f,"
         "\"reconcile_seconds\":%.6f,\"read_seconds\":%.6f,\"streamed_wall_seconds\":%.6f},\"outcome\":{",
         n, job, timed.cpu, streamed.peak, timed.reconcile, timed.read, streamed.reconcile + streamed.read);
  for (size_t k = 0; k < OUTCOMES; k++) printf("%s\"%s\":%ld", k ? "," : "", OUTCOME[k], timed.counts[k]);
  printf("}}\n");
  if (!agree) {
    fprintf(stderr, "outcome differs from the Rust bench's\n");
    return 1;
  }
  return 0;
}
