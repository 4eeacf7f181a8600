/* Toolkit, status codes, the last error, NULL and invalid UTF-8 handling, keys. */
#include "harness.h"

/* Reads a whole file into a malloc'd string (NULL on failure). */
static char *read_file(const char *path) {
  FILE *f = path ? fopen(path, "rb") : NULL;
  char *text;
  long size;
  if (f == NULL) return NULL;
  fseek(f, 0, SEEK_END);
  size = ftell(f);
  fseek(f, 0, SEEK_SET);
  text = malloc((size_t)size + 1);
  if (text != NULL && fread(text, 1, (size_t)size, f) == (size_t)size) {
    text[size] = '\0';
  } else {
    free(text);
    text = NULL;
  }
  fclose(f);
  return text;
}

static void test_status_and_errors(void) {
  char *out = (char *)"sentinel";
  CHECK_STR(opcorp_status_code(OPCORP_OK), "OK");
  CHECK_STR(opcorp_status_code(OPCORP_RATE_LIMITED), "RATE_LIMITED");
  CHECK_STR(opcorp_status_code(OPCORP_UNKNOWN_OUTCOME), "UNKNOWN_OUTCOME");
  CHECK_STR(opcorp_status_code(12345), "UNKNOWN");
  CHECK(opcorp_status_is_retryable(OPCORP_SERVER));
  CHECK(!opcorp_status_is_retryable(OPCORP_INVALID_INPUT));
  CHECK(!opcorp_status_is_retryable(-7));

  /* A failure sets the thread's last error and NULLs the out-parameter. */
  CHECK_STATUS(opcorp_reference_normalize("1233", &out), OPCORP_INVALID_INPUT);
  CHECK(out == NULL);
  CHECK(opcorp_last_error_status() == OPCORP_INVALID_INPUT);
  CHECK(strncmp(opcorp_last_error_message(), "INVALID_INPUT: ", 15) == 0);
  CHECK(opcorp_last_error_http_status() == 0);
  CHECK(opcorp_last_error_request_id() == NULL);
  /* A success clears it. */
  CHECK_OK(opcorp_reference_normalize("1232", &out));
  CHECK_STR(opcorp_last_error_message(), "");
  CHECK(opcorp_last_error_status() == OPCORP_OK);
  opcorp_string_free(out);

  /* NULL and invalid UTF-8 arguments are statuses, not crashes. */
  CHECK_STATUS(opcorp_reference_normalize(NULL, &out), OPCORP_INVALID_INPUT);
  CHECK(strstr(opcorp_last_error_message(), "reference is NULL") != NULL);
  CHECK_STATUS(opcorp_reference_normalize("1232", NULL), OPCORP_INVALID_INPUT);
  CHECK_STATUS(opcorp_reference_normalize("12\xff\xfe", &out), OPCORP_INVALID_INPUT);
  CHECK(strstr(opcorp_last_error_message(), "UTF-8") != NULL);
  {
    opcorp_pending *pending = (opcorp_pending *)1;
    CHECK_OK(opcorp_last_error_pending(&pending));
    CHECK(pending == NULL);
    CHECK_STATUS(opcorp_last_error_pending(NULL), OPCORP_INVALID_INPUT);
  }
  /* Every free accepts NULL. */
  opcorp_string_free(NULL);
  opcorp_buffer_free(NULL, 0);
  opcorp_record_free(NULL);
  opcorp_list_free(NULL);
  opcorp_client_free(NULL);
  opcorp_client_config_free(NULL);
  opcorp_transaction_query_free(NULL);
  opcorp_transactions_free(NULL);
  opcorp_payment_request_free(NULL);
  opcorp_pending_free(NULL);
  opcorp_filter_query_free(NULL);
  opcorp_watcher_config_free(NULL);
  opcorp_watcher_free(NULL);
  opcorp_delivery_free(NULL);
  opcorp_reconciler_free(NULL);
}

static void test_references(void) {
  char *out = NULL;
  char *rf = NULL;
  bool same = false;
  CHECK_OK(opcorp_reference_generate("123", &out));
  CHECK_STR(out, "1232");
  opcorp_string_free(out);
  CHECK_STATUS(opcorp_reference_generate("12", &out), OPCORP_INVALID_INPUT);
  CHECK_OK(opcorp_reference_normalize(" 00000000000000001232 ", &out));
  CHECK_STR(out, "1232");
  opcorp_string_free(out);
  CHECK_OK(opcorp_reference_padded("1232", &out));
  CHECK_STR(out, "00000000000000001232");
  opcorp_string_free(out);
  CHECK_OK(opcorp_reference_grouped("1234561", &out));
  CHECK_STR(out, "12 34561");
  opcorp_string_free(out);
  CHECK_OK(opcorp_rf_from_finnish("1232", &rf));
  CHECK(rf != NULL && strncmp(rf, "RF", 2) == 0);
  CHECK_OK(opcorp_rf_to_finnish(rf, &out));
  CHECK_STR(out, "1232");
  opcorp_string_free(out);
  CHECK_OK(opcorp_references_match(rf, "0000 1232", &same));
  CHECK(same);
  CHECK_OK(opcorp_references_match("1232", "1245", &same));
  CHECK(!same);
  CHECK_STATUS(opcorp_references_match("1232", "nope", &same), OPCORP_INVALID_INPUT);
  opcorp_string_free(rf);
  CHECK_OK(opcorp_rf_generate("539007547034", &out));
  CHECK_STR(out, "RF18539007547034");
  opcorp_string_free(out);
  CHECK_OK(opcorp_rf_to_finnish("RF18539007547034", &out));
  opcorp_string_free(out);
  CHECK_STATUS(opcorp_rf_to_finnish("RF00 1232", &out), OPCORP_INVALID_INPUT);
}

static void test_iban_bic_amount_barcode(void) {
  char *out = NULL;
  int64_t minor = 0;
  opcorp_record *decoded = NULL;
  CHECK_OK(opcorp_iban_normalize("fi21 1234 5600 0007 85", &out));
  CHECK_STR(out, "FI2112345600000785");
  opcorp_string_free(out);
  CHECK_OK(opcorp_iban_grouped("FI2112345600000785", &out));
  CHECK_STR(out, "FI21 1234 5600 0007 85");
  opcorp_string_free(out);
  CHECK_STATUS(opcorp_iban_normalize("FI2112345600000786", &out), OPCORP_INVALID_INPUT);
  CHECK(out == NULL);
  CHECK_OK(opcorp_bic_normalize("okoyfihh", &out));
  CHECK_STR(out, "OKOYFIHH");
  opcorp_string_free(out);
  CHECK_STATUS(opcorp_bic_normalize("OK", &out), OPCORP_INVALID_INPUT);
  CHECK_OK(opcorp_bic_for_iban("FI2112345600000785", &out));
  CHECK(out != NULL && strlen(out) >= 8);
  opcorp_string_free(out);

  CHECK_OK(opcorp_amount_to_minor("120.50", &minor));
  CHECK(minor == 12050);
  CHECK_OK(opcorp_amount_to_minor("-12.3", &minor));
  CHECK(minor == -1230);
  CHECK_STATUS(opcorp_amount_to_minor("1.005", &minor), OPCORP_INVALID_INPUT);
  CHECK_STATUS(opcorp_amount_to_minor("1,50", &minor), OPCORP_INVALID_INPUT);
  CHECK_STATUS(opcorp_amount_to_minor("99999999999999999999.00", &minor), OPCORP_INVALID_INPUT);
  CHECK_STATUS(opcorp_amount_to_minor("1.00", NULL), OPCORP_INVALID_INPUT);
  CHECK_OK(opcorp_amount_from_minor(12345, &out));
  CHECK_STR(out, "123.45");
  opcorp_string_free(out);
  CHECK_OK(opcorp_amount_from_minor(-5, &out));
  CHECK_STR(out, "-0.05");
  opcorp_string_free(out);

  CHECK_OK(opcorp_barcode_encode("FI2112345600000785", "482.99", "1232", "2024-06-30", &out));
  CHECK(out != NULL && strlen(out) == 54 && out[0] == '4');
  CHECK_OK(opcorp_barcode_decode(out, &decoded));
  opcorp_string_free(out);
  CHECK_OK(opcorp_record_string(decoded, "iban", &out));
  CHECK_STR(out, "FI2112345600000785");
  opcorp_string_free(out);
  CHECK_OK(opcorp_record_amount(decoded, "amount", NULL, &minor));
  CHECK(minor == 48299);
  CHECK_OK(opcorp_record_date(decoded, "dueDate", &out));
  CHECK_STR(out, "2024-06-30");
  opcorp_string_free(out);
  CHECK_OK(opcorp_record_int64(decoded, "version", &minor));
  CHECK(minor == 4);
  opcorp_record_free(decoded);
  CHECK_OK(opcorp_barcode_encode("FI2112345600000785", "1.00", "1232", NULL, &out));
  CHECK_OK(opcorp_barcode_decode(out, &decoded));
  CHECK(!opcorp_record_has(decoded, "dueDate"));
  opcorp_record_free(decoded);
  opcorp_string_free(out);
  CHECK_STATUS(opcorp_barcode_encode("DE89370400440532013000", "1.00", "1232", NULL, &out),
               OPCORP_INVALID_INPUT);
  CHECK_STATUS(opcorp_barcode_decode("12345", &decoded), OPCORP_INVALID_INPUT);
  CHECK(decoded == NULL);
}

static void test_keys_and_signing(void) {
  char *key = NULL;
  char *csr = NULL;
  char *csr2 = NULL;
  char *public_pem = NULL;
  char *signature = NULL;
  const char body[] = "{\"amount\":\"1.00\"}";
  char *signing_key = read_file(getenv("OPCORP_SIGNING_KEY"));

  CHECK_STATUS(opcorp_generate_key_and_csr(1024, "x", &key, &csr), OPCORP_INVALID_INPUT);
  CHECK_OK(opcorp_generate_key_and_csr(2048, "ERP Oy", &key, &csr));
  CHECK(key != NULL && strstr(key, "BEGIN PRIVATE KEY") != NULL);
  CHECK(csr != NULL && strstr(csr, "BEGIN CERTIFICATE REQUEST") != NULL);
  CHECK_OK(opcorp_csr_for_key(key, "ERP Oy", &csr2));
  CHECK(csr2 != NULL && strstr(csr2, "BEGIN CERTIFICATE REQUEST") != NULL);
  CHECK_OK(opcorp_signing_public_key_pem(key, &public_pem));
  CHECK(public_pem != NULL && strstr(public_pem, "BEGIN PUBLIC KEY") != NULL);
  CHECK_OK(opcorp_sign_detached((const uint8_t *)body, strlen(body), key, "kid-1", 1700000000,
                                &signature));
  /* Detached: header..signature. */
  CHECK(signature != NULL && strstr(signature, "..") != NULL);
  {
    /* Failures reset their out-parameter, so they get a scratch pointer here. */
    char *scratch = NULL;
    CHECK_STATUS(opcorp_sign_detached((const uint8_t *)body, strlen(body), key, "", 1, &scratch),
                 OPCORP_CONFIG);
    CHECK_STATUS(opcorp_sign_detached(NULL, 5, key, "kid", 1, &scratch), OPCORP_INVALID_INPUT);
    CHECK_STATUS(opcorp_csr_for_key("not a key", "x", &scratch), OPCORP_CONFIG);
    CHECK(scratch == NULL);
  }
  opcorp_string_free(signature);
  opcorp_string_free(public_pem);
  opcorp_string_free(csr2);
  opcorp_string_free(csr);
  opcorp_string_free(key);
  if (signing_key != NULL) {
    CHECK_OK(opcorp_sign_detached(NULL, 0, signing_key, "kid", 1700000000, &signature));
    opcorp_string_free(signature);
    free(signing_key);
  }
}

static void test_reconcile_json(void) {
  char *report = NULL;
  CHECK_OK(opcorp_reconcile_json(
      "[{\"id\":\"INV-1\",\"reference\":\"1232\",\"amount\":\"10.00\",\"currency\":\"EUR\"}]",
      "[{\"id\":\"A1\",\"reference\":\"00000000000000001232\",\"amount\":\"10.00\","
      "\"currency\":\"EUR\"}]",
      &report));
  CHECK(report != NULL && strstr(report, "\"paid\"") != NULL);
  opcorp_string_free(report);
  CHECK_STATUS(opcorp_reconcile_json("[", "[]", &report), OPCORP_INVALID_INPUT);
  CHECK(report == NULL);
}

/* A camt.054.001.02 notification with one reference payment (Finance Finland layout). */
static const char STATEMENT[] =
    "<?xml version=\"1.0\"?><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.054.001.02\">"
    "<BkToCstmrDbtCdtNtfctn><Ntfctn><Id>N1</Id>"
    "<TxsSummry><TtlNtries><NbOfNtries>1</NbOfNtries><Sum>10.00</Sum></TtlNtries></TxsSummry>"
    "<Ntry><Amt Ccy=\"EUR\">10.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>"
    "<BookgDt><Dt>2026-11-30</Dt></BookgDt><AcctSvcrRef>20261130593158000001</AcctSvcrRef>"
    "<NtryDtls><TxDtls><RltdPties><Dbtr><Nm>Maksaja Oy</Nm></Dbtr></RltdPties>"
    "<RmtInf><Strd><CdtrRefInf><Ref>1232</Ref></CdtrRefInf></Strd></RmtInf></TxDtls></NtryDtls>"
    "</Ntry></Ntfctn></BkToCstmrDbtCdtNtfctn></Document>";

static void test_statements(void) {
  char *json = NULL;
  char *broken = NULL;
  char *where = NULL;
  size_t pushed = 0;
  opcorp_reconciler *rec = NULL;
  opcorp_record *report = NULL;
  char *status = NULL;

  CHECK_OK(opcorp_statement_payments_json((const uint8_t *)STATEMENT, strlen(STATEMENT), &json));
  CHECK(json != NULL && strstr(json, "\"20261130593158000001\"") != NULL);
  CHECK(json != NULL && strstr(json, "\"Maksaja Oy\"") != NULL);
  opcorp_string_free(json);

  CHECK_OK(opcorp_reconciler_new(&rec));
  CHECK_OK(opcorp_reconciler_add_item(rec, "INV-1", "1232", "10.00", "EUR", NULL));
  CHECK_OK(opcorp_reconciler_push_statement(rec, (const uint8_t *)STATEMENT, strlen(STATEMENT),
                                            &pushed));
  CHECK(pushed == 1);
  CHECK_OK(opcorp_reconciler_finish(rec, &report));
  CHECK_OK(opcorp_record_string(report, "items.0.status", &status));
  CHECK_STR(status, "paid");
  opcorp_string_free(status);
  opcorp_record_free(report);
  opcorp_reconciler_free(rec);

  /* A wrong control sum refuses the whole file. */
  broken = (char *)malloc(sizeof STATEMENT);
  memcpy(broken, STATEMENT, sizeof STATEMENT);
  where = strstr(broken, "<Sum>10.00");
  if (where) where[5] = '2';
  CHECK_STATUS(opcorp_statement_payments_json((const uint8_t *)broken, strlen(broken), &json),
               OPCORP_DECODE);
  CHECK(json == NULL);
  CHECK(strstr(opcorp_last_error_message(), "TtlNtries/Sum") != NULL);
  CHECK_OK(opcorp_reconciler_new(&rec));
  CHECK_STATUS(opcorp_reconciler_push_statement(rec, (const uint8_t *)broken, strlen(broken), NULL),
               OPCORP_DECODE);
  opcorp_reconciler_free(rec);
  free(broken);
  CHECK_STATUS(opcorp_statement_payments_json(NULL, 5, &json), OPCORP_INVALID_INPUT);
  CHECK_STR(opcorp_status_code(OPCORP_PAYEE_MISMATCH), "PAYEE_MISMATCH");
}

void test_toolkit(void) {
  test_status_and_errors();
  test_references();
  test_iban_bic_amount_barcode();
  test_keys_and_signing();
  test_reconcile_json();
  test_statements();
}
