/* Records, client configuration, Account Data, mandates and payments against the emulator. */
#include "harness.h"

/* The demo client from the OPCORP_* variables and its first account. */
opcorp_client *client = NULL;
char account_iban[64];
char account_id[128];

static void test_record_accessors(opcorp_record *r) {
  char *out = NULL;
  int64_t number = 0;
  bool flag = true;
  size_t len = 0;
  opcorp_record *part = NULL;
  CHECK_OK(opcorp_record_json(r, &out));
  CHECK(out != NULL && out[0] == '{');
  opcorp_string_free(out);
  CHECK(opcorp_record_has(r, "iban"));
  CHECK(!opcorp_record_has(r, "nope"));
  CHECK(!opcorp_record_has(NULL, "iban"));
  CHECK(!opcorp_record_has(r, NULL));
  CHECK_STATUS(opcorp_record_string(r, "nope", &out), OPCORP_NOT_FOUND);
  CHECK(out == NULL);
  CHECK_STATUS(opcorp_record_string(NULL, "iban", &out), OPCORP_INVALID_INPUT);
  CHECK_STATUS(opcorp_record_string(r, NULL, &out), OPCORP_INVALID_INPUT);
  CHECK_STATUS(opcorp_record_string(r, "iban", NULL), OPCORP_INVALID_INPUT);
  CHECK_OK(opcorp_record_string(r, "version", &out)); /* a number as text */
  CHECK_STR(out, "4");
  opcorp_string_free(out);
  CHECK_STATUS(opcorp_record_bool(r, "iban", &flag), OPCORP_INVALID_INPUT);
  CHECK_STATUS(opcorp_record_int64(r, "iban", &number), OPCORP_INVALID_INPUT);
  CHECK_STATUS(opcorp_record_date(r, "iban", &out), OPCORP_INVALID_INPUT);
  CHECK_STATUS(opcorp_record_amount(r, "amount", NULL, NULL), OPCORP_INVALID_INPUT);
  CHECK_STATUS(opcorp_record_amount(r, "iban", &out, NULL), OPCORP_INVALID_INPUT);
  CHECK_STATUS(opcorp_record_len(r, "iban", &len), OPCORP_INVALID_INPUT);
  CHECK_OK(opcorp_record_len(r, "", &len));
  CHECK(len == 5);
  CHECK_OK(opcorp_record_get(r, "", &part));
  CHECK_OK(opcorp_record_string(part, "reference", &out));
  CHECK_STR(out, "1232");
  opcorp_string_free(out);
  opcorp_record_free(part);
  CHECK_STATUS(opcorp_record_get(r, "iban.x", &part), OPCORP_NOT_FOUND);
  CHECK(part == NULL);
}

void test_records(void) {
  char *code = NULL;
  opcorp_record *r = NULL;
  opcorp_reconciler *rec = NULL;
  opcorp_record *report = NULL;
  char *out = NULL;
  size_t len = 0;
  bool flag = false;
  int64_t minor = 0;
  CHECK_OK(opcorp_barcode_encode("FI2112345600000785", "1.50", "1232", "2030-01-31", &code));
  CHECK_OK(opcorp_barcode_decode(code, &r));
  opcorp_string_free(code);
  test_record_accessors(r);
  opcorp_record_free(r);

  /* Arrays, nested paths and booleans through a reconciliation report. */
  CHECK_OK(opcorp_reconciler_new(&rec));
  CHECK_OK(opcorp_reconciler_add_item(rec, "INV-1", "1232", "10.00", "EUR", "2030-01-31"));
  CHECK_OK(opcorp_reconciler_add_item(rec, "INV-2", "RF18539007547034", "5.00", "EUR", NULL));
  CHECK_STATUS(opcorp_reconciler_add_item(rec, "INV-3", "1233", "5.00", "EUR", NULL),
               OPCORP_INVALID_INPUT);
  CHECK_OK(opcorp_reconciler_push(rec, "P1", "00000000000000001232", "4.00", "EUR", "2030-01-02",
                                  "Maija", &r));
  CHECK_OK(opcorp_record_string(r, "event", &out));
  CHECK_STR(out, "matched");
  opcorp_string_free(out);
  opcorp_record_free(r);
  CHECK_OK(opcorp_reconciler_push(rec, "P1", "1232", "4.00", "EUR", NULL, NULL, &r));
  CHECK_OK(opcorp_record_string(r, "event", &out));
  CHECK_STR(out, "duplicate");
  opcorp_string_free(out);
  opcorp_record_free(r);
  CHECK_STATUS(opcorp_reconciler_add_item(rec, "late", "1232", "1.00", "EUR", NULL),
               OPCORP_INVALID_INPUT);
  CHECK_STATUS(opcorp_reconciler_push(rec, "P2", NULL, "x", "EUR", NULL, NULL, &r),
               OPCORP_INVALID_INPUT);
  CHECK(r == NULL);
  /* No event wanted: out may be NULL, and the payment still counts. */
  CHECK_OK(opcorp_reconciler_push(rec, "P3", "RF18539007547034", "5.00", "EUR", NULL, NULL, NULL));
  /* Unmatched without an event: copied into the report all the same. */
  CHECK_OK(opcorp_reconciler_push(rec, "P4", "1245", "10.00", "eur", NULL, "Matti", NULL));
  CHECK_OK(opcorp_reconciler_finish(rec, &report));
  {
    opcorp_record *second = NULL;
    CHECK_STATUS(opcorp_reconciler_finish(rec, &second), OPCORP_INVALID_INPUT);
    CHECK(second == NULL);
  }
  CHECK_OK(opcorp_record_len(report, "items", &len));
  CHECK(len == 2);
  CHECK_OK(opcorp_record_string(report, "items.0.status", &out));
  CHECK_STR(out, "partially_paid");
  opcorp_string_free(out);
  CHECK_OK(opcorp_record_amount(report, "items.0.received", &out, &minor));
  CHECK_STR(out, "4.00");
  CHECK(minor == 400);
  opcorp_string_free(out);
  CHECK_OK(opcorp_record_int64(report, "totals.duplicate_payments", &minor));
  CHECK(minor == 1);
  CHECK_STATUS(opcorp_record_bool(report, "totals", &flag), OPCORP_INVALID_INPUT);
  /* The report's items are read on demand: nested paths, absent items, copies, the JSON. */
  CHECK_OK(opcorp_record_string(report, "items.1.status", &out));
  CHECK_STR(out, "paid");
  opcorp_string_free(out);
  CHECK_OK(opcorp_record_string(report, "items.1.payment_ids.0", &out));
  CHECK_STR(out, "P3");
  opcorp_string_free(out);
  CHECK_OK(opcorp_record_string(report, "items.0.status", &out));
  CHECK_STR(out, "partially_paid");
  opcorp_string_free(out);
  CHECK(opcorp_record_has(report, "items") && opcorp_record_has(report, "items.1.id"));
  CHECK(!opcorp_record_has(report, "items.2") && !opcorp_record_has(report, "items.x.id"));
  CHECK_STATUS(opcorp_record_string(report, "items.2.status", &out), OPCORP_NOT_FOUND);
  CHECK_STATUS(opcorp_record_string(report, "items", &out), OPCORP_INVALID_INPUT);
  CHECK_OK(opcorp_record_len(report, "", &len));
  CHECK(len == 3);
  CHECK_OK(opcorp_record_len(report, "items.0.payment_ids", &len));
  CHECK(len == 1);
  {
    opcorp_record *item = NULL;
    CHECK_OK(opcorp_record_get(report, "items.1", &item));
    CHECK_OK(opcorp_record_string(item, "id", &out));
    CHECK_STR(out, "INV-2");
    opcorp_string_free(out);
    opcorp_record_free(item);
    CHECK_OK(opcorp_record_get(report, "items", &item));
    CHECK_OK(opcorp_record_len(item, "", &len));
    CHECK(len == 2);
    opcorp_record_free(item);
  }
  CHECK_OK(opcorp_record_json(report, &out));
  {
    const char *start = "{\"items\":[{\"id\":\"INV-1\"";
    CHECK(strncmp(out, start, strlen(start)) == 0);
  }
  CHECK(strstr(out, "\"totals\":{") != NULL && strstr(out, "\"unmatched\":[") != NULL);
  opcorp_string_free(out);
  /* Unmatched payments are read on demand too: counted, addressed, copied. */
  CHECK_OK(opcorp_record_len(report, "unmatched", &len));
  CHECK(len == 1);
  CHECK(opcorp_record_has(report, "unmatched") && opcorp_record_has(report, "unmatched.0.payment"));
  CHECK(!opcorp_record_has(report, "unmatched.1") && !opcorp_record_has(report, "unmatched.0.nope"));
  CHECK_OK(opcorp_record_string(report, "unmatched.0.reason", &out));
  CHECK_STR(out, "unknown_reference");
  opcorp_string_free(out);
  CHECK_OK(opcorp_record_string(report, "unmatched.0.did_you_mean", &out));
  CHECK_STR(out, "INV-1");
  opcorp_string_free(out);
  CHECK_OK(opcorp_record_string(report, "unmatched.0.payment.payer_name", &out));
  CHECK_STR(out, "Matti");
  opcorp_string_free(out);
  CHECK_OK(opcorp_record_amount(report, "unmatched.0.payment.amount", NULL, &minor));
  CHECK(minor == 1000);
  CHECK_STATUS(opcorp_record_string(report, "unmatched.1.reason", &out), OPCORP_NOT_FOUND);
  CHECK_OK(opcorp_record_int64(report, "totals.unmatched_payments", &minor));
  CHECK(minor == 1);
  {
    opcorp_record *unmatched = NULL;
    CHECK_OK(opcorp_record_get(report, "unmatched", &unmatched));
    CHECK_OK(opcorp_record_string(unmatched, "0.payment.id", &out));
    CHECK_STR(out, "P4");
    opcorp_string_free(out);
    opcorp_record_free(unmatched);
  }
  opcorp_record_free(report);
  opcorp_reconciler_free(rec);
}

void test_client_config(void) {
  opcorp_client_config *config = NULL;
  opcorp_client *c = NULL;
  CHECK_STATUS(opcorp_client_config_new(NULL), OPCORP_INVALID_INPUT);
  CHECK_OK(opcorp_client_config_new(&config));
  /* Nothing set: a clear CONFIG error naming the missing setting. */
  CHECK_STATUS(opcorp_client_new(config, &c), OPCORP_CONFIG);
  CHECK(c == NULL);
  CHECK(strstr(opcorp_last_error_message(), "client id") != NULL);
  CHECK_STATUS(opcorp_client_config_set_environment(config, "moon"), OPCORP_CONFIG);
  CHECK_OK(opcorp_client_config_set_environment(config, "sandbox"));
  CHECK_STATUS(opcorp_client_config_set_client_id(NULL, "id"), OPCORP_INVALID_INPUT);
  CHECK_STATUS(opcorp_client_config_set_client_id(config, NULL), OPCORP_INVALID_INPUT);
  CHECK_OK(opcorp_client_config_set_client_id(config, "id"));
  CHECK_OK(opcorp_client_config_set_client_secret(config, "very-secret"));
  CHECK_OK(opcorp_client_config_set_certificate_file(config, "/nonexistent/cert.pem"));
  CHECK_OK(opcorp_client_config_set_private_key_file(config, "/nonexistent/key.pem"));
  CHECK_STATUS(opcorp_client_new(config, &c), OPCORP_CONFIG);
  CHECK(strstr(opcorp_last_error_message(), "very-secret") == NULL);
  CHECK_OK(opcorp_client_config_set_certificate_pem(config, "not a pem"));
  CHECK_OK(opcorp_client_config_set_private_key_pem(config, "not a pem"));
  CHECK_STATUS(opcorp_client_new(config, &c), OPCORP_CONFIG);
  /* Plain http is refused for a non-loopback host. */
  CHECK_OK(opcorp_client_config_set_base_url(config, "http://bank.example.com"));
  CHECK_STATUS(opcorp_client_new(config, &c), OPCORP_CONFIG);
  CHECK_OK(opcorp_client_config_set_timeouts_ms(config, 5000, 0, 20000));
  CHECK_OK(opcorp_client_config_set_proxy(config, "http://127.0.0.1:9"));
  CHECK_OK(opcorp_client_config_set_ca_file(config, "/nonexistent/ca.pem"));
  CHECK_OK(opcorp_client_config_set_ca_pem(config, "x"));
  CHECK_OK(opcorp_client_config_set_signing_kid(config, "kid"));
  CHECK_OK(opcorp_client_config_set_signing_key_file(config, "/nonexistent/s.pem"));
  CHECK_OK(opcorp_client_config_set_signing_key_pem(config, "x"));
  opcorp_client_config_free(config);

  if (getenv("OPCORP_BASE_URL") == NULL) return;
  /* From the environment, with explicit overrides replayed on top. */
  CHECK_OK(opcorp_client_config_from_env(&config));
  CHECK_OK(opcorp_client_config_set_base_url(config, getenv("OPCORP_BASE_URL")));
  CHECK_OK(opcorp_client_new(config, &c));
  opcorp_client_free(c);
  /* A connection cap of zero is refused; one connection still serves every call. */
  CHECK_STATUS(opcorp_client_config_set_max_connections(NULL, 1), OPCORP_INVALID_INPUT);
  CHECK_OK(opcorp_client_config_set_max_connections(config, 0));
  CHECK_STATUS(opcorp_client_new(config, &c), OPCORP_CONFIG);
  CHECK_OK(opcorp_client_config_set_max_connections(config, 1));
  CHECK_OK(opcorp_client_config_set_call_timeout_ms(config, 0));
  CHECK_STATUS(opcorp_client_new(config, &c), OPCORP_CONFIG);
  CHECK_OK(opcorp_client_config_set_call_timeout_ms(config, 30000));
  CHECK_OK(opcorp_client_new(config, &c));
  {
    opcorp_list *accounts = NULL;
    CHECK_OK(opcorp_accounts_list(c, &accounts));
    opcorp_list_free(accounts);
  }
  opcorp_client_free(c);
  /* A wrong secret is AUTH with the bank's HTTP status, on the first real call. */
  CHECK_OK(opcorp_client_config_set_client_secret(config, "wrong-secret"));
  CHECK_OK(opcorp_client_new(config, &c));
  {
    opcorp_list *accounts = NULL;
    CHECK_STATUS(opcorp_accounts_list(c, &accounts), OPCORP_AUTH);
    CHECK(accounts == NULL);
    CHECK(opcorp_last_error_http_status() == 401);
    CHECK(strstr(opcorp_last_error_message(), "wrong-secret") == NULL);
  }
  opcorp_client_free(c);
  opcorp_client_config_free(config);
  /* Explicit settings only (the way an ERP passes them from its own configuration). */
  CHECK_OK(opcorp_client_config_new(&config));
  CHECK_OK(opcorp_client_config_set_base_url(config, getenv("OPCORP_BASE_URL")));
  CHECK_OK(opcorp_client_config_set_client_id(config, getenv("OPCORP_CLIENT_ID")));
  CHECK_OK(opcorp_client_config_set_client_secret(config, getenv("OPCORP_CLIENT_SECRET")));
  CHECK_OK(opcorp_client_config_set_certificate_file(config, getenv("OPCORP_CERT")));
  CHECK_OK(opcorp_client_config_set_private_key_file(config, getenv("OPCORP_KEY")));
  CHECK_OK(opcorp_client_config_set_ca_file(config, getenv("OPCORP_CA")));
  CHECK_OK(opcorp_client_config_set_signing_key_file(config, getenv("OPCORP_SIGNING_KEY")));
  CHECK_OK(opcorp_client_config_set_signing_kid(config, getenv("OPCORP_SIGNING_KID")));
  CHECK_OK(opcorp_client_new(config, &client));
  opcorp_client_config_free(config);
}

void test_account_data(void) {
  opcorp_list *accounts = NULL;
  opcorp_list *mandates = NULL;
  opcorp_record *details = NULL;
  opcorp_transaction_query *query = NULL;
  opcorp_transactions *cursor = NULL;
  opcorp_record *tx = NULL;
  const opcorp_record *first;
  char *out = NULL;
  char first_object_id[256] = "";
  int64_t minor = 0;
  int64_t ts = 0;
  size_t count = 0;
  size_t count_v2 = 0;
  size_t count_after = 0;
  int ordered = 1;

  CHECK(client != NULL);
  if (client == NULL) CHECK_OK(opcorp_client_from_env(&client));
  CHECK_STATUS(opcorp_accounts_list(NULL, &accounts), OPCORP_INVALID_INPUT);
  CHECK_STATUS(opcorp_accounts_list(client, NULL), OPCORP_INVALID_INPUT);
  CHECK_OK(opcorp_accounts_list(client, &accounts));
  CHECK(opcorp_list_len(accounts) >= 1);
  CHECK(opcorp_list_len(NULL) == 0);
  CHECK(opcorp_list_get(accounts, 1000) == NULL);
  CHECK(opcorp_list_get(NULL, 0) == NULL);
  CHECK_OK(opcorp_list_json(accounts, &out));
  CHECK(out != NULL && out[0] == '[');
  opcorp_string_free(out);
  first = opcorp_list_get(accounts, 0);
  CHECK_OK(opcorp_record_string(first, "iban", &out));
  snprintf(account_iban, sizeof account_iban, "%s", out ? out : "");
  opcorp_string_free(out);
  CHECK_OK(opcorp_record_string(first, "surrogateId", &out));
  snprintf(account_id, sizeof account_id, "%s", out ? out : "");
  opcorp_string_free(out);
  CHECK_OK(opcorp_record_amount(first, "balance", &out, &minor));
  CHECK(out != NULL && strchr(out, '.') != NULL);
  opcorp_string_free(out);
  opcorp_list_free(accounts);

  CHECK_OK(opcorp_account_get(client, account_id, &details));
  CHECK_OK(opcorp_record_string(details, "iban", &out));
  CHECK_STR(out, account_iban);
  opcorp_string_free(out);
  if (opcorp_record_has(details, "creationDate")) {
    CHECK_OK(opcorp_record_date(details, "creationDate", &out)); /* dd.MM.yyyy on the wire */
    CHECK(out != NULL && strlen(out) == 10 && out[4] == '-');
    opcorp_string_free(out);
  }
  opcorp_record_free(details);
  CHECK_STATUS(opcorp_account_get(client, "no-such-account", &details), OPCORP_NOT_FOUND);
  CHECK(details == NULL);
  CHECK(opcorp_last_error_http_status() == 404);
  CHECK(opcorp_last_error_request_id() != NULL);
  CHECK_STATUS(opcorp_account_get(client, NULL, &details), OPCORP_INVALID_INPUT);

  /* Every transaction through a cursor with default settings. */
  CHECK_OK(opcorp_transactions_open(client, account_id, NULL, &cursor));
  for (;;) {
    int64_t prev = ts;
    CHECK_OK(opcorp_transactions_next(cursor, &tx));
    if (tx == NULL) break;
    count++;
    if (count == 1) {
      CHECK_OK(opcorp_record_string(tx, "objectId", &out));
      snprintf(first_object_id, sizeof first_object_id, "%s", out ? out : "");
      opcorp_string_free(out);
      CHECK_OK(opcorp_record_amount(tx, "amount", &out, &minor));
      CHECK(out != NULL);
      opcorp_string_free(out);
      CHECK_OK(opcorp_record_date(tx, "bookingDate", &out));
      CHECK(out != NULL && strlen(out) == 10);
      opcorp_string_free(out);
      CHECK_OK(opcorp_record_string(tx, "archiveId", &out));
      opcorp_string_free(out);
    }
    CHECK_OK(opcorp_record_int64(tx, "timestamp", &ts));
    if (ts < prev) ordered = 0;
    opcorp_record_free(tx);
  }
  CHECK(count > 0);
  CHECK(ordered);
  CHECK_OK(opcorp_transactions_next(cursor, &tx)); /* stays at the end */
  CHECK(tx == NULL);
  opcorp_transactions_free(cursor);

  /* V2 in small pages gives the same transactions. */
  CHECK_OK(opcorp_transaction_query_new(&query));
  CHECK_OK(opcorp_transaction_query_set_version(query, 2));
  CHECK_OK(opcorp_transaction_query_set_page_size(query, 7));
  CHECK_STATUS(opcorp_transaction_query_set_page_size(query, 0), OPCORP_INVALID_INPUT);
  CHECK_STATUS(opcorp_transaction_query_set_version(query, 4), OPCORP_INVALID_INPUT);
  CHECK_OK(opcorp_transaction_query_set_version(query, 0)); /* auto */
  CHECK_OK(opcorp_transaction_query_set_version(query, 2));
  CHECK_STATUS(opcorp_transaction_query_set_from_date(query, "31.12.2024"), OPCORP_INVALID_INPUT);
  CHECK_OK(opcorp_transaction_query_set_from_timestamp(query, 0));
  CHECK_OK(opcorp_transactions_open(client, account_id, query, &cursor));
  while (opcorp_transactions_next(cursor, &tx) == OPCORP_OK && tx != NULL) {
    count_v2++;
    opcorp_record_free(tx);
  }
  CHECK(count_v2 == count);
  opcorp_transactions_free(cursor);
  opcorp_transaction_query_free(query);

  /* Resuming after the first transaction skips exactly it; a future start gives nothing. */
  CHECK_OK(opcorp_transaction_query_new(&query));
  CHECK_OK(opcorp_transaction_query_set_after_object_id(query, first_object_id));
  CHECK_OK(opcorp_transactions_open(client, account_id, query, &cursor));
  while (opcorp_transactions_next(cursor, &tx) == OPCORP_OK && tx != NULL) {
    count_after++;
    opcorp_record_free(tx);
  }
  CHECK(count_after + 1 == count);
  opcorp_transactions_free(cursor);
  opcorp_transaction_query_free(query);
  CHECK_OK(opcorp_transaction_query_new(&query));
  CHECK_OK(opcorp_transaction_query_set_from_date(query, "2999-01-01"));
  CHECK_OK(opcorp_transaction_query_set_to_date(query, "2999-01-31"));
  CHECK_OK(opcorp_transactions_open(client, account_id, query, &cursor));
  CHECK_OK(opcorp_transactions_next(cursor, &tx));
  CHECK(tx == NULL);
  opcorp_transactions_free(cursor);
  opcorp_transaction_query_free(query);

  /* Errors through the cursor end it. */
  CHECK_OK(opcorp_transactions_open(client, "no-such-account", NULL, &cursor));
  CHECK_STATUS(opcorp_transactions_next(cursor, &tx), OPCORP_NOT_FOUND);
  CHECK_OK(opcorp_transactions_next(cursor, &tx));
  CHECK(tx == NULL);
  opcorp_transactions_free(cursor);
  CHECK_STATUS(opcorp_transactions_open(client, NULL, NULL, &cursor), OPCORP_INVALID_INPUT);
  CHECK_STATUS(opcorp_transactions_next(NULL, &tx), OPCORP_INVALID_INPUT);

  CHECK_OK(opcorp_mandates_list(client, &mandates));
  if (opcorp_list_len(mandates) > 0) {
    CHECK_OK(opcorp_record_string(opcorp_list_get(mandates, 0), "mandateId", &out));
    opcorp_string_free(out);
  }
  opcorp_list_free(mandates);
}
