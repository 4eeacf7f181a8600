/* A minimal plain-C test harness for the opcorp C API, and a tiny HTTP client for the
 * emulator's admin API (plain HTTP on 127.0.0.1). */
#ifndef OPCORP_TEST_HARNESS_H
#define OPCORP_TEST_HARNESS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opcorp.h"

extern int tests_passed;
extern int tests_failed;

/* Records one check; prints the failing expression with the library's last error. */
#define CHECK(cond)                                                                      \
  do {                                                                                   \
    if (cond) {                                                                          \
      tests_passed++;                                                                    \
    } else {                                                                             \
      tests_failed++;                                                                    \
      fprintf(stderr, "FAIL %s:%d: %s (last error: %s)\n", __FILE__, __LINE__, #cond,   \
              opcorp_last_error_message());                                              \
    }                                                                                    \
  } while (0)

/* Checks that a call returns the expected status. */
#define CHECK_STATUS(call, expected) CHECK((call) == (expected))
#define CHECK_OK(call) CHECK_STATUS(call, OPCORP_OK)

/* Checks that a returned string equals the expected text. */
#define CHECK_STR(actual, expected) \
  CHECK((actual) != NULL && strcmp((actual), (expected)) == 0)

/* POSTs (or sends `method`) JSON to the admin API; returns the HTTP status and copies the
 * response body into `body` (may be NULL). */
int admin_request(const char *method, const char *path, const char *json, char *body,
                  size_t body_size);

/* Copies the value of "key" (string or number) from flat JSON into out; 0 when found. */
int json_field(const char *json, const char *key, char *out, size_t out_size);

/* Test groups. */
void test_toolkit(void);
void test_records(void);
void test_client_config(void);
void test_account_data(void);
void test_payments(void);
void test_addresses(void);
void test_conformance(void);
void test_refund_filter_payer(void);
void test_outbox(void);
void test_watch_postgres(void);
void test_watch_and_reconcile(void);
void test_log(void);
void test_sheet(void);
void test_sheet_transactions(void);
/* Replays of the shared vectors (tests/vectors/<topic>.json), one file per topic. */
void test_vectors_references(void);
void test_vectors_rf(void);
void test_vectors_iban_bic(void);
void test_vectors_barcodes(void);
void test_vectors_errors(void);
void test_vectors_signing(void);
void test_vectors_reconcile(void);
void test_vectors_amounts(void);

#endif
