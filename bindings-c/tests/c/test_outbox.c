/* The payment outbox through the C API: a redelivered intent pays once, a different order
 * under it is OPCORP_CONFLICT, NULL arguments are OPCORP_INVALID_INPUT, and a lost outcome
 * (payment or refund) is settled by opcorp_outbox_drive, booked once. */
#define _POSIX_C_SOURCE 200809L
#include <stdbool.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

extern opcorp_client *client;
extern char account_iban[64];

#define CREDITOR_IBAN "FI2112345600000785"

/* The ledger answer is read whole into this buffer. */
static char ledger[65536];

/* How many ledger entries carry `key` as instructionId (a payment's id, or the archive id
 * of a refunded payment). */
static int booked(const char *key) {
  char needle[160];
  const char *p = ledger;
  int count = 0;
  CHECK(admin_request("GET", "/admin/ledger", NULL, ledger, sizeof ledger) == 200);
  snprintf(needle, sizeof needle, "\"instructionId\":\"%s\"", key);
  while ((p = strstr(p, needle)) != NULL) {
    count++;
    p += strlen(needle);
  }
  return count;
}

/* A payment body of `amount` from the test account. */
static void payment_json(char *out, size_t size, const char *amount) {
  snprintf(out, size,
           "{\"debtor\":{\"name\":\"Demo Oy\",\"iban\":\"%s\"},"
           "\"creditor\":{\"name\":\"Vuokralainen\",\"iban\":\"" CREDITOR_IBAN "\"},"
           "\"instructedAmount\":{\"amount\":\"%s\",\"currency\":\"EUR\"},"
           "\"message\":\"Vuokravakuus\"}",
           account_iban, amount);
}

/* Whether the entry JSON has "state" equal to `state`. */
static bool has_state(const char *entry, const char *state) {
  char value[32];
  return entry != NULL && json_field(entry, "state", value, sizeof value) == 0 &&
         strcmp(value, state) == 0;
}

static void null_arguments_are_invalid_input(opcorp_outbox *outbox, const char *path) {
  opcorp_outbox *none = NULL;
  char *out = NULL;
  char json[512];
  payment_json(json, sizeof json, "1.00");
  CHECK_STATUS(opcorp_outbox_open(NULL, path, &none), OPCORP_INVALID_INPUT);
  CHECK_STATUS(opcorp_outbox_open(client, NULL, &none), OPCORP_INVALID_INPUT);
  CHECK_STATUS(opcorp_outbox_open(client, path, NULL), OPCORP_INVALID_INPUT);
  CHECK(none == NULL);
  CHECK_STATUS(opcorp_outbox_submit_payment_json(NULL, "c:x", json, &out), OPCORP_INVALID_INPUT);
  CHECK(strstr(opcorp_last_error_message(), "outbox") != NULL);
  CHECK_STATUS(opcorp_outbox_submit_payment_json(outbox, NULL, json, &out), OPCORP_INVALID_INPUT);
  CHECK_STATUS(opcorp_outbox_submit_payment_json(outbox, "c:x", NULL, &out), OPCORP_INVALID_INPUT);
  CHECK_STATUS(opcorp_outbox_submit_payment_json(outbox, "c:x", json, NULL), OPCORP_INVALID_INPUT);
  CHECK_STATUS(opcorp_outbox_submit_instant_payment_json(outbox, "c:x", NULL, &out),
               OPCORP_INVALID_INPUT);
  CHECK_STATUS(opcorp_outbox_submit_refund_json(outbox, "c:x", NULL, &out), OPCORP_INVALID_INPUT);
  CHECK_STATUS(opcorp_outbox_drive(NULL, &out), OPCORP_INVALID_INPUT);
  CHECK_STATUS(opcorp_outbox_drive(outbox, NULL), OPCORP_INVALID_INPUT);
  CHECK_STATUS(opcorp_outbox_list(NULL, false, &out), OPCORP_INVALID_INPUT);
  CHECK_STATUS(opcorp_outbox_get(outbox, NULL, &out), OPCORP_INVALID_INPUT);
  CHECK(out == NULL);
  /* Bad orders: not JSON, an amount in exponent notation, a blank intent. */
  CHECK_STATUS(opcorp_outbox_submit_payment_json(outbox, "c:x", "{", &out), OPCORP_INVALID_INPUT);
  payment_json(json, sizeof json, "1e3");
  CHECK_STATUS(opcorp_outbox_submit_payment_json(outbox, "c:x", json, &out), OPCORP_INVALID_INPUT);
  payment_json(json, sizeof json, "1.00");
  CHECK_STATUS(opcorp_outbox_submit_payment_json(outbox, " ", json, &out), OPCORP_INVALID_INPUT);
  CHECK(out == NULL);
  opcorp_outbox_free(NULL);
}

static void a_redelivered_intent_pays_once(opcorp_outbox *outbox) {
  char *first = NULL;
  char *again = NULL;
  char *other = NULL;
  char json[512];
  char id[64] = "";
  char archive[64] = "";
  char archive_again[64] = "";
  payment_json(json, sizeof json, "41.10");
  CHECK_OK(opcorp_outbox_submit_payment_json(outbox, "c:crm:1", json, &first));
  CHECK(has_state(first, "succeeded"));
  CHECK(first != NULL && json_field(first, "id", id, sizeof id) == 0);
  CHECK(first != NULL && json_field(first, "archiveId", archive, sizeof archive) == 0);
  CHECK_OK(opcorp_outbox_submit_payment_json(outbox, "c:crm:1", json, &again));
  CHECK(again != NULL && json_field(again, "archiveId", archive_again, sizeof archive_again) == 0);
  CHECK(archive[0] != '\0' && strcmp(archive, archive_again) == 0);
  CHECK(booked(id) == 1);
  /* A different order under the same intent is refused; nothing is sent. */
  payment_json(json, sizeof json, "41.11");
  CHECK_STATUS(opcorp_outbox_submit_payment_json(outbox, "c:crm:1", json, &other), OPCORP_CONFLICT);
  CHECK(other == NULL);
  payment_json(json, sizeof json, "41.10");
  CHECK_STATUS(opcorp_outbox_submit_instant_payment_json(outbox, "c:crm:1", json, &other),
               OPCORP_CONFLICT);
  CHECK(booked(id) == 1);
  opcorp_string_free(first);
  opcorp_string_free(again);
}

static void a_lost_payment_outcome_is_settled_by_drive(opcorp_outbox *outbox) {
  char *entry = NULL;
  char *driven = NULL;
  char json[512];
  char id[64] = "";
  CHECK(admin_request("POST", "/admin/faults",
                      "{\"route\":\"sepa_payment\",\"kind\":{\"type\":\"reset_after_commit\"}}",
                      NULL, 0) == 201);
  payment_json(json, sizeof json, "7.70");
  CHECK_OK(opcorp_outbox_submit_payment_json(outbox, "c:crm:2", json, &entry));
  CHECK(has_state(entry, "unknown"));
  CHECK(entry != NULL && strstr(entry, "UNKNOWN_OUTCOME") != NULL);
  CHECK(entry != NULL && json_field(entry, "id", id, sizeof id) == 0);
  CHECK(admin_request("DELETE", "/admin/faults", NULL, NULL, 0) == 204);
  CHECK_OK(opcorp_outbox_drive(outbox, &driven));
  CHECK(driven != NULL && strstr(driven, "\"intent\":\"c:crm:2\"") != NULL);
  CHECK(has_state(driven, "succeeded"));
  CHECK(booked(id) == 1);
  opcorp_string_free(entry);
  opcorp_string_free(driven);
}

static void an_instant_payment_pays_once(opcorp_outbox *outbox) {
  char *entry = NULL;
  char json[512];
  char id[64] = "";
  payment_json(json, sizeof json, "5.50");
  CHECK_OK(opcorp_outbox_submit_instant_payment_json(outbox, "c:crm:3", json, &entry));
  CHECK(has_state(entry, "succeeded"));
  CHECK(entry != NULL && strstr(entry, "\"kind\":\"sepa_instant_payment\"") != NULL);
  CHECK(entry != NULL && json_field(entry, "id", id, sizeof id) == 0);
  CHECK(booked(id) == 1);
  opcorp_string_free(entry);
}

/* OP answers a resent refund "Already refunded": drive finds the booked refund. */
static void a_lost_refund_outcome_is_found_booked(opcorp_outbox *outbox) {
  char body[1024];
  char json[512];
  char archive[64] = "";
  char day[16];
  char *entry = NULL;
  char *driven = NULL;
  time_t now = time(NULL);
  struct tm tm_utc;
  gmtime_r(&now, &tm_utc);
  strftime(day, sizeof day, "%Y-%m-%d", &tm_utc);
  snprintf(json, sizeof json,
           "{\"accountIban\":\"%s\",\"amount\":\"64.00\",\"debtorName\":\"Maksaja\","
           "\"debtorIban\":\"" CREDITOR_IBAN "\"}",
           account_iban);
  CHECK(admin_request("POST", "/admin/incoming", json, body, sizeof body) == 201);
  CHECK(json_field(body, "archiveId", archive, sizeof archive) == 0);
  snprintf(json, sizeof json,
           "{\"archiveId\":\"%s\",\"amount\":\"64.00\",\"message\":\"Palautus\","
           "\"accountIban\":\"%s\",\"transactionDate\":\"%s\"}",
           archive, account_iban, day);
  CHECK(admin_request("POST", "/admin/faults",
                      "{\"route\":\"refund\",\"kind\":{\"type\":\"reset_after_commit\"}}", NULL,
                      0) == 201);
  CHECK_OK(opcorp_outbox_submit_refund_json(outbox, "c:crm:4", json, &entry));
  CHECK(has_state(entry, "unknown"));
  CHECK(admin_request("DELETE", "/admin/faults", NULL, NULL, 0) == 204);
  CHECK_OK(opcorp_outbox_drive(outbox, &driven));
  CHECK(has_state(driven, "succeeded"));
  CHECK(driven != NULL && strstr(driven, "\"refund_booking\"") != NULL);
  CHECK(booked(archive) == 1);
  opcorp_string_free(entry);
  opcorp_string_free(driven);
}

static void entries_are_listed(opcorp_outbox *outbox) {
  char *out = NULL;
  CHECK_OK(opcorp_outbox_list(outbox, false, &out));
  CHECK(out != NULL && strstr(out, "c:crm:1") != NULL && strstr(out, "c:crm:4") != NULL);
  opcorp_string_free(out);
  CHECK_OK(opcorp_outbox_list(outbox, true, &out));
  CHECK_STR(out, "[]");
  opcorp_string_free(out);
  CHECK_OK(opcorp_outbox_get(outbox, "c:crm:1", &out));
  CHECK(has_state(out, "succeeded"));
  opcorp_string_free(out);
  CHECK_OK(opcorp_outbox_get(outbox, "c:crm:none", &out));
  CHECK_STR(out, "null");
  opcorp_string_free(out);
}

void test_outbox(void) {
  const char *tmp = getenv("TMPDIR");
  char dir[512];
  char path[600];
  char file[640];
  const char *suffixes[] = {"", "-wal", "-shm"};
  opcorp_outbox *outbox = NULL;
  size_t i;
  snprintf(dir, sizeof dir, "%s/opcorp-c-outbox-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (mkdtemp(dir) == NULL) {
    fprintf(stderr, "FAIL %s:%d: mkdtemp(%s)\n", __FILE__, __LINE__, dir);
    tests_failed++;
    return;
  }
  snprintf(path, sizeof path, "%s/outbox.sqlite", dir);
  CHECK_OK(opcorp_outbox_open(client, path, &outbox));
  null_arguments_are_invalid_input(outbox, path);
  a_redelivered_intent_pays_once(outbox);
  a_lost_payment_outcome_is_settled_by_drive(outbox);
  an_instant_payment_pays_once(outbox);
  a_lost_refund_outcome_is_found_booked(outbox);
  entries_are_listed(outbox);
  opcorp_outbox_free(outbox);
  for (i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
    snprintf(file, sizeof file, "%s%s", path, suffixes[i]);
    unlink(file);
  }
  rmdir(dir);
}
