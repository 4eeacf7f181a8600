/* Payments, refunds, filter, payer details, watch and reconcile against the emulator. */
#define _POSIX_C_SOURCE 200809L
#include <time.h>

#include "harness.h"

extern opcorp_client *client;
extern char account_iban[64];
extern char account_id[128];

#define CREDITOR_IBAN "FI2112345600000785"

/* Today's date (UTC) as YYYY-MM-DD. */
static void today(char *out, size_t size) {
  time_t now = time(NULL);
  struct tm tm_utc;
  gmtime_r(&now, &tm_utc);
  strftime(out, size, "%Y-%m-%d", &tm_utc);
}

static opcorp_payment_request *new_payment(const char *instruction_id, const char *amount) {
  opcorp_payment_request *request = NULL;
  CHECK_OK(opcorp_payment_request_new(&request));
  if (instruction_id) CHECK_OK(opcorp_payment_request_set_instruction_id(request, instruction_id));
  CHECK_OK(opcorp_payment_request_set_debtor(request, "Demo Oy", account_iban));
  CHECK_OK(opcorp_payment_request_set_creditor(request, "Toimittaja Oy", CREDITOR_IBAN));
  CHECK_OK(opcorp_payment_request_set_amount(request, amount));
  CHECK_OK(opcorp_payment_request_set_reference(request, "1232"));
  return request;
}

void test_payments(void) {
  opcorp_payment_request *request;
  opcorp_payment_request *bad = NULL;
  opcorp_record *answer = NULL;
  opcorp_record *again = NULL;
  opcorp_pending *pending = NULL;
  opcorp_pending *restored = NULL;
  opcorp_list *statuses = NULL;
  char *out = NULL;
  char *archive = NULL;
  uint8_t *body = NULL;
  size_t body_len = 0;
  int64_t minor = 0;
  char json[1024];

  request = new_payment("ctest001", "12.50");
  CHECK_OK(opcorp_payment_sepa(client, request, &answer));
  CHECK_OK(opcorp_record_amount(answer, "amount", NULL, &minor));
  CHECK(minor == 1250);
  CHECK_OK(opcorp_record_string(answer, "status", &out));
  CHECK(out != NULL && (strcmp(out, "PROCESSING") == 0 || strcmp(out, "PROCESSED") == 0));
  opcorp_string_free(out);
  CHECK_OK(opcorp_record_string(answer, "archiveId", &archive));
  /* The same instruction id again is de-duplicated by the bank: same archive id. */
  CHECK_OK(opcorp_payment_sepa(client, request, &again));
  CHECK_OK(opcorp_record_string(again, "archiveId", &out));
  CHECK(archive != NULL && out != NULL && strcmp(archive, out) == 0);
  opcorp_string_free(out);
  opcorp_string_free(archive);
  opcorp_record_free(again);
  opcorp_record_free(answer);
  opcorp_payment_request_free(request);

  /* SEPA Instant, then its status by instruction id. */
  request = new_payment("ctestinstant1", "3.00");
  CHECK_OK(opcorp_payment_sepa_instant(client, request, &answer));
  CHECK_OK(opcorp_record_string(answer, "paymentType", &out));
  opcorp_string_free(out);
  opcorp_record_free(answer);
  opcorp_payment_request_free(request);
  CHECK_OK(opcorp_payment_instant_status(client, "ctestinstant1", &statuses));
  CHECK(opcorp_list_len(statuses) >= 1);
  opcorp_list_free(statuses);
  CHECK_STATUS(opcorp_payment_instant_status(client, "bad id!", &statuses), OPCORP_INVALID_INPUT);

  /* Local validation: reference and message together, bad IBAN, missing amount. */
  request = new_payment(NULL, "1.00");
  CHECK_OK(opcorp_payment_request_set_message(request, "also a message"));
  CHECK_STATUS(opcorp_payment_sepa(client, request, &answer), OPCORP_INVALID_INPUT);
  CHECK(answer == NULL);
  opcorp_payment_request_free(request);
  CHECK_OK(opcorp_payment_request_new(&bad));
  CHECK_STATUS(opcorp_payment_request_set_amount(bad, "1.5.0"), OPCORP_INVALID_INPUT);
  CHECK_OK(opcorp_payment_request_set_amount_minor(bad, 100));
  CHECK_OK(opcorp_payment_request_set_end_to_end_id(bad, "E2E1"));
  CHECK_OK(opcorp_payment_request_set_debtor(bad, "Demo Oy", "FI00 0000"));
  CHECK_OK(opcorp_payment_request_set_creditor(bad, "X", CREDITOR_IBAN));
  CHECK_OK(opcorp_payment_request_set_message(bad, "hello"));
  CHECK_STATUS(opcorp_payment_sepa(client, bad, &answer), OPCORP_INVALID_INPUT);
  CHECK_STATUS(opcorp_payment_sepa(client, NULL, &answer), OPCORP_INVALID_INPUT);
  opcorp_payment_request_free(bad);

  /* Prepared first (id and body can be persisted), sent later, restorable from its parts. */
  request = new_payment(NULL, "7.00");
  CHECK_STATUS(opcorp_payment_prepare(client, request, 3, &pending), OPCORP_INVALID_INPUT);
  CHECK_STATUS(opcorp_payment_prepare(client, request, 77, &pending), OPCORP_INVALID_INPUT);
  CHECK_OK(opcorp_payment_prepare(client, request, OPCORP_OPERATION_SEPA_PAYMENT, &pending));
  CHECK(opcorp_pending_kind(pending) == OPCORP_OPERATION_SEPA_PAYMENT);
  CHECK(opcorp_pending_kind(NULL) == OPCORP_OPERATION_NONE);
  CHECK_OK(opcorp_pending_id(pending, &out));
  CHECK(out != NULL && strlen(out) == 32);
  CHECK_OK(opcorp_pending_body(pending, &body, &body_len));
  CHECK(body_len > 0 && body[0] == '{');
  CHECK_OK(opcorp_pending_restore(OPCORP_OPERATION_SEPA_PAYMENT, out, body, body_len, &restored));
  {
    opcorp_pending *scratch = NULL;
    CHECK_STATUS(opcorp_pending_restore(0, out, body, body_len, &scratch), OPCORP_INVALID_INPUT);
    CHECK_STATUS(opcorp_pending_restore(1, out, NULL, 3, &scratch), OPCORP_INVALID_INPUT);
    CHECK(scratch == NULL);
  }
  opcorp_pending_free(pending);
  opcorp_buffer_free(body, body_len);
  opcorp_string_free(out);
  CHECK_OK(opcorp_pending_resolve(client, restored, &answer));
  CHECK(opcorp_record_has(answer, "archiveId"));
  opcorp_record_free(answer);
  opcorp_pending_free(restored);
  opcorp_payment_request_free(request);

  /* The answer is lost after booking: UNKNOWN_OUTCOME with a pending operation, resolved
   * once the bank answers again, without booking twice. */
  CHECK(admin_request("POST", "/admin/faults",
                      "{\"route\":\"sepa_payment\",\"kind\":{\"type\":\"reset_after_commit\"}}",
                      NULL, 0) == 201);
  request = new_payment("ctestunknown1", "9.99");
  CHECK_STATUS(opcorp_payment_sepa(client, request, &answer), OPCORP_UNKNOWN_OUTCOME);
  CHECK_OK(opcorp_last_error_pending(&pending));
  CHECK(pending != NULL);
  CHECK(admin_request("DELETE", "/admin/faults", NULL, NULL, 0) == 204);
  CHECK_OK(opcorp_pending_id(pending, &out));
  CHECK_STR(out, "ctestunknown1");
  opcorp_string_free(out);
  CHECK_OK(opcorp_pending_resolve(client, pending, &answer));
  opcorp_record_free(answer);
  opcorp_pending_free(pending);
  opcorp_payment_request_free(request);
  CHECK(admin_request("GET", "/admin/ledger", NULL, json, sizeof json) == 200);

  /* The whole body from JSON (ultimate parties and the like). */
  snprintf(json, sizeof json,
           "{\"instructionId\":\"ctestjson1\",\"debtor\":{\"name\":\"Demo Oy\",\"iban\":\"%s\"},"
           "\"creditor\":{\"name\":\"Toimittaja Oy\",\"iban\":\"" CREDITOR_IBAN "\"},"
           "\"instructedAmount\":{\"amount\":\"2.00\",\"currency\":\"EUR\"},"
           "\"message\":\"Lasku 42\",\"ultimateDebtor\":{\"name\":\"Emo Oy\"}}",
           account_iban);
  CHECK_OK(opcorp_payment_request_from_json(json, &request));
  CHECK_STATUS(opcorp_payment_request_set_message(request, "x"), OPCORP_INVALID_INPUT);
  CHECK_OK(opcorp_payment_sepa(client, request, &answer));
  opcorp_record_free(answer);
  opcorp_payment_request_free(request);
  CHECK_STATUS(opcorp_payment_request_from_json("{\"debtor\":1}", &request), OPCORP_INVALID_INPUT);
  CHECK(request == NULL);
}

/* Books an incoming payment on the test account; fills its archive id. */
static void incoming(const char *amount, const char *reference, char *archive, size_t size) {
  char json[512];
  char body[1024];
  snprintf(json, sizeof json,
           "{\"accountIban\":\"%s\",\"amount\":\"%s\",\"reference\":\"%s\","
           "\"debtorName\":\"Maksaja Oy\"}",
           account_iban, amount, reference);
  CHECK(admin_request("POST", "/admin/incoming", json, body, sizeof body) == 201);
  CHECK(json_field(body, "archiveId", archive, size) == 0);
}

void test_refund_filter_payer(void) {
  char archive[128] = "";
  char date[16];
  char *out = NULL;
  opcorp_record *answer = NULL;
  opcorp_record *payer = NULL;
  opcorp_filter_query *query = NULL;
  opcorp_pending *pending = NULL;
  size_t n = 0;
  int64_t skipped = -1;

  today(date, sizeof date);
  incoming("49.00", "1245", archive, sizeof archive);

  /* Filter: the new credit is found by its reference. */
  /* OP's own sample range (three months) is split into 30-day windows by core. */
  CHECK_STATUS(opcorp_filter_query_new(account_iban, "2024-01-01", "2024-03-31", &query),
               OPCORP_OK);
  CHECK_OK(opcorp_filter_credit(client, query, &answer));
  opcorp_record_free(answer);
  answer = NULL;
  opcorp_filter_query_free(query);
  /* More windows than core splits into is refused when searching. */
  CHECK_STATUS(opcorp_filter_query_new(account_iban, "2020-01-01", "2024-03-31", &query),
               OPCORP_OK);
  CHECK_STATUS(opcorp_filter_credit(client, query, &answer), OPCORP_INVALID_INPUT);
  opcorp_filter_query_free(query);
  CHECK_STATUS(opcorp_filter_query_new(account_iban, "2024-13-01", date, &query),
               OPCORP_INVALID_INPUT);
  CHECK_OK(opcorp_filter_query_new(account_iban, date, date, &query));
  CHECK_OK(opcorp_filter_query_set_reference(query, "1245"));
  CHECK_OK(opcorp_filter_query_set_amount_range(query, "1.00", NULL));
  CHECK_OK(opcorp_filter_query_set_debtor_name(query, "Maksaja Oy"));
  CHECK_STATUS(opcorp_filter_query_set_amount_range(query, "x", NULL), OPCORP_INVALID_INPUT);
  CHECK_OK(opcorp_filter_credit(client, query, &answer));
  CHECK_OK(opcorp_record_len(answer, "transactions", &n));
  CHECK(n >= 1);
  CHECK_OK(opcorp_record_int64(answer, "skipped", &skipped));
  CHECK(skipped == 0);
  CHECK_OK(opcorp_record_string(answer, "transactions.0.archiveId", &out));
  CHECK_STR(out, archive);
  opcorp_string_free(out);
  opcorp_record_free(answer);
  opcorp_filter_query_free(query);
  CHECK_OK(opcorp_filter_query_new(account_iban, date, date, &query));
  CHECK_OK(opcorp_filter_query_set_creditor_name(query, "Toimittaja Oy"));
  CHECK_OK(opcorp_filter_debit(client, query, &answer));
  CHECK(opcorp_record_has(answer, "transactions"));
  opcorp_record_free(answer);
  opcorp_filter_query_free(query);

  /* Payer details of the credit. */
  CHECK_OK(opcorp_payer_details(client, account_iban, archive, NULL, &payer));
  CHECK_OK(opcorp_record_string(payer, "payerName", &out));
  CHECK_STR(out, "Maksaja Oy");
  opcorp_string_free(out);
  opcorp_record_free(payer);
  CHECK_STATUS(opcorp_payer_details(client, "bad", archive, NULL, &payer), OPCORP_INVALID_INPUT);
  CHECK_STATUS(opcorp_payer_details(client, account_iban, archive, "bad", &payer),
               OPCORP_INVALID_INPUT);

  /* Verification of Payee. */
  CHECK_OK(opcorp_verify_payee(client, "FI51 1000 3500 0123 45", "Kone & Tero Oy", &payer));
  CHECK_OK(opcorp_record_string(payer, "outcome", &out));
  CHECK_STR(out, "CMTC");
  opcorp_string_free(out);
  CHECK_OK(opcorp_record_string(payer, "matchedName", &out));
  CHECK_STR(out, "Kone & Terä Oy");
  opcorp_string_free(out);
  CHECK(opcorp_record_has(payer, "requestId"));
  opcorp_record_free(payer);
  CHECK_STATUS(opcorp_verify_payee(client, "FI00", "x", &payer), OPCORP_INVALID_INPUT);

  /* Refund it (prepared first), then a second refund is rejected by the bank. */
  CHECK_OK(opcorp_refund_prepare(client, archive, "49.00", "Palautus", account_iban, date, NULL,
                                 &pending));
  CHECK(opcorp_pending_kind(pending) == OPCORP_OPERATION_REFUND);
  CHECK_OK(opcorp_pending_resolve(client, pending, &answer));
  CHECK_OK(opcorp_record_string(answer, "original.archiveId", &out));
  CHECK_STR(out, archive);
  opcorp_string_free(out);
  CHECK(opcorp_record_has(answer, "refund.archiveId"));
  opcorp_record_free(answer);
  opcorp_pending_free(pending);
  CHECK_STATUS(opcorp_refund_create(client, archive, "49.00", "Uudestaan", account_iban, date,
                                    "E2E2", &answer),
               OPCORP_REJECTED);
  CHECK(opcorp_last_error_http_status() >= 400);
  CHECK_STATUS(opcorp_refund_create(client, archive, "0.00", "x", account_iban, date, NULL,
                                    &answer),
               OPCORP_INVALID_INPUT);
  CHECK_STATUS(opcorp_refund_create(client, archive, "1.00", "x", account_iban, "2024/01/01",
                                    NULL, &answer),
               OPCORP_INVALID_INPUT);
  incoming("5.00", "1232", archive, sizeof archive);
  CHECK_OK(opcorp_refund_create(client, archive, "2.50", "Osapalautus", account_iban, date, NULL,
                                &answer));
  opcorp_record_free(answer);
}

void test_watch_and_reconcile(void) {
  opcorp_watcher_config *config = NULL;
  opcorp_watcher *watcher = NULL;
  opcorp_delivery *delivery = NULL;
  opcorp_reconciler *rec = NULL;
  opcorp_record *event = NULL;
  opcorp_record *report = NULL;
  char archive[128];
  char *out = NULL;
  int found = 0;
  int i;

  CHECK_OK(opcorp_watcher_config_new(&config));
  CHECK_STATUS(opcorp_watcher_new(client, config, &watcher), OPCORP_INVALID_INPUT); /* no accounts */
  CHECK_OK(opcorp_watcher_config_add_account(config, account_id));
  CHECK_OK(opcorp_watcher_config_set_poll_interval_ms(config, 200));
  CHECK_OK(opcorp_watcher_config_set_lookback_ms(config, 60000));
  CHECK_OK(opcorp_watcher_config_set_include_outgoing(config, false));
  CHECK_OK(opcorp_watcher_config_set_max_requests_per_second(config, 50.0));
  CHECK_OK(opcorp_watcher_config_start_from_timestamp(config, 0));
  CHECK_OK(opcorp_watcher_config_start_from_beginning(config));
  CHECK_OK(opcorp_watcher_config_set_checkpoint_file(config, "/nonexistent-dir/x/cp.json"));
  CHECK_OK(opcorp_watcher_config_set_checkpoint_file(config, getenv("OPCORP_TEST_CHECKPOINT")
                                                                 ? getenv("OPCORP_TEST_CHECKPOINT")
                                                                 : "opcorp-ctest-checkpoint.json"));
  CHECK_OK(opcorp_watcher_new(client, config, &watcher));

  CHECK_OK(opcorp_reconciler_new(&rec));
  CHECK_OK(opcorp_reconciler_add_item(rec, "ORDER-77", "7773", "77.00", "EUR", NULL));
  incoming("77.00", "7773", archive, sizeof archive);
  /* Drain deliveries until the new payment shows up; acknowledge each. */
  for (i = 0; i < 400 && !found; i++) {
    const opcorp_record *tx;
    CHECK_OK(opcorp_watcher_next(watcher, 5000, &delivery));
    if (delivery == NULL) break;
    CHECK_STR(opcorp_delivery_account(delivery), account_id);
    /* The client's own account: no mandate. */
    CHECK(opcorp_delivery_mandate(delivery) == NULL);
    tx = opcorp_delivery_transaction(delivery);
    CHECK_OK(opcorp_record_string(tx, "archiveId", &out));
    if (out != NULL && strcmp(out, archive) == 0) {
      found = 1;
      CHECK_OK(opcorp_reconciler_push_transaction(rec, tx, &event));
      opcorp_record_free(event);
      CHECK_OK(opcorp_reconciler_push_transaction(rec, tx, &event)); /* re-delivery */
      opcorp_string_free(out);
      out = NULL;
      CHECK_OK(opcorp_record_string(event, "event", &out));
      CHECK_STR(out, "duplicate");
      opcorp_record_free(event);
    }
    opcorp_string_free(out);
    out = NULL;
    CHECK_OK(opcorp_watcher_ack(watcher, delivery));
    CHECK_OK(opcorp_watcher_ack(watcher, delivery)); /* twice is harmless */
    opcorp_delivery_free(delivery);
  }
  CHECK(found);
  /* Nothing new: the wait times out with OK and NULL. */
  CHECK_OK(opcorp_watcher_next(watcher, 300, &delivery));
  CHECK(delivery == NULL);
  CHECK_STATUS(opcorp_watcher_ack(watcher, NULL), OPCORP_INVALID_INPUT);
  CHECK_STATUS(opcorp_watcher_next(NULL, 0, &delivery), OPCORP_INVALID_INPUT);
  CHECK(opcorp_delivery_account(NULL) == NULL);
  CHECK(opcorp_delivery_mandate(NULL) == NULL);
  CHECK(opcorp_delivery_transaction(NULL) == NULL);
  CHECK_STATUS(opcorp_reconciler_push_transaction(rec, NULL, &event), OPCORP_INVALID_INPUT);
  CHECK_OK(opcorp_reconciler_finish(rec, &report));
  CHECK_OK(opcorp_record_string(report, "items.0.status", &out));
  CHECK_STR(out, "paid");
  opcorp_string_free(out);
  opcorp_record_free(report);
  opcorp_reconciler_free(rec);
  opcorp_watcher_free(watcher);
  opcorp_watcher_config_free(config);
  opcorp_client_free(client);
  client = NULL;
}
