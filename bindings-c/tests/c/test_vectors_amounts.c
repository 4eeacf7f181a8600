/* Replays the shared money vectors (tests/vectors/amounts.json) through the C API: payment
 * and refund amounts by core's strict input rule (opcorp_payment_request_from_json,
 * opcorp_payment_request_set_amount, opcorp_refund_prepare), and the bank's amounts read
 * leniently but exactly from a real emulator answer (opcorp_accounts_list).
 *
 * The vector file keeps one case per line, so this reader needs no JSON library: it takes
 * the "input", "payment", "value" and "error" fields of each case line. */
#include "harness.h"

#define LINE_MAX_LEN 1024
#define FIELD_LEN 256

/* Copies the raw JSON value of "key" on one case line into out (strings keep their quotes).
 * Returns 0 when found. The vectors hold no escaped quotes. */
static int raw_field(const char *line, const char *key, char *out, size_t out_size) {
  char pattern[64];
  const char *p;
  const char *end;
  size_t len;
  snprintf(pattern, sizeof pattern, "\"%s\": ", key);
  p = strstr(line, pattern);
  if (p == NULL) return -1;
  p += strlen(pattern);
  if (*p == '"') {
    end = strchr(p + 1, '"');
    if (end == NULL) return -1;
    end++;
  } else {
    end = p + strcspn(p, ",}");
  }
  len = (size_t)(end - p);
  if (len >= out_size) return -1;
  memcpy(out, p, len);
  out[len] = '\0';
  return 0;
}

/* The text inside a raw JSON string value ("\"5.00\"" gives "5.00"); NULL for a number. */
static const char *unquoted(const char *raw, char *out, size_t out_size) {
  size_t len = strlen(raw);
  if (len < 2 || raw[0] != '"' || len - 2 >= out_size) return NULL;
  memcpy(out, raw + 1, len - 2);
  out[len - 2] = '\0';
  return out;
}

static enum opcorp_status status_of_code(const char *code) {
  if (strcmp(code, "INVALID_INPUT") == 0) return OPCORP_INVALID_INPUT;
  if (strcmp(code, "DECODE") == 0) return OPCORP_DECODE;
  return OPCORP_OK;
}

/* Whether the prepared body carries `"<key>":"<want>"`. */
static int body_has_amount(const struct opcorp_pending *pending, const char *key, const char *want) {
  uint8_t *data = NULL;
  size_t len = 0;
  char needle[FIELD_LEN + 32];
  char *text;
  int found;
  if (opcorp_pending_body(pending, &data, &len) != OPCORP_OK) return 0;
  text = malloc(len + 1);
  if (text == NULL) {
    opcorp_buffer_free(data, len);
    return 0;
  }
  memcpy(text, data, len);
  text[len] = '\0';
  snprintf(needle, sizeof needle, "\"%s\":\"%s\"", key, want);
  found = strstr(text, needle) != NULL;
  free(text);
  opcorp_buffer_free(data, len);
  return found;
}

/* The payment path through OP's JSON body: the final status, and the body on success. */
static enum opcorp_status through_json(const struct opcorp_client *client, const char *raw,
                                       const char *want) {
  char json[LINE_MAX_LEN];
  struct opcorp_payment_request *request = NULL;
  struct opcorp_pending *pending = NULL;
  enum opcorp_status status;
  snprintf(json, sizeof json,
           "{\"instructionId\":\"VEC1\","
           "\"debtor\":{\"name\":\"Esimerkki Oy\",\"iban\":\"FI3859991620004143\"},"
           "\"creditor\":{\"name\":\"Toimittaja Oy\",\"iban\":\"FI2112345600000785\"},"
           "\"instructedAmount\":{\"amount\":%s,\"currency\":\"EUR\"},"
           "\"reference\":\"RF18539007547034\"}",
           raw);
  status = opcorp_payment_request_from_json(json, &request);
  if (status == OPCORP_OK) {
    status = opcorp_payment_prepare(client, request, OPCORP_OPERATION_SEPA_PAYMENT, &pending);
  } else {
    CHECK(strstr(opcorp_last_error_message(), "amount") != NULL);
  }
  if (status == OPCORP_OK) CHECK(want != NULL && body_has_amount(pending, "amount", want));
  opcorp_pending_free(pending);
  opcorp_payment_request_free(request);
  return status;
}

/* The payment path through the field setters. */
static enum opcorp_status through_setters(const struct opcorp_client *client, const char *text,
                                          const char *want) {
  struct opcorp_payment_request *request = NULL;
  struct opcorp_pending *pending = NULL;
  enum opcorp_status status;
  CHECK_OK(opcorp_payment_request_new(&request));
  CHECK_OK(opcorp_payment_request_set_debtor(request, "Esimerkki Oy", "FI3859991620004143"));
  CHECK_OK(opcorp_payment_request_set_creditor(request, "Toimittaja Oy", "FI2112345600000785"));
  CHECK_OK(opcorp_payment_request_set_reference(request, "RF18539007547034"));
  status = opcorp_payment_request_set_amount(request, text);
  if (status == OPCORP_OK) {
    status = opcorp_payment_prepare(client, request, OPCORP_OPERATION_SEPA_PAYMENT, &pending);
  }
  if (status == OPCORP_OK) CHECK(want != NULL && body_has_amount(pending, "amount", want));
  opcorp_pending_free(pending);
  opcorp_payment_request_free(request);
  return status;
}

/* The refund path. */
static enum opcorp_status through_refund(const struct opcorp_client *client, const char *text,
                                         const char *want) {
  struct opcorp_pending *pending = NULL;
  enum opcorp_status status =
      opcorp_refund_prepare(client, "20260105593497O10004", text, "Palautus",
                            "FI3859991620004143", "2026-01-05", NULL, &pending);
  if (status == OPCORP_OK) CHECK(want != NULL && body_has_amount(pending, "amount", want));
  opcorp_pending_free(pending);
  return status;
}

static void input_case(const struct opcorp_client *client, const char *line) {
  char raw[FIELD_LEN], text_buf[FIELD_LEN], field[FIELD_LEN], want_buf[FIELD_LEN];
  const char *text;
  const char *want = NULL;
  enum opcorp_status expected = OPCORP_OK;
  if (raw_field(line, "input", raw, sizeof raw) != 0) {
    tests_failed++;
    fprintf(stderr, "FAIL amounts vector without input: %s\n", line);
    return;
  }
  text = unquoted(raw, text_buf, sizeof text_buf);
  if (raw_field(line, "payment", field, sizeof field) == 0) {
    want = unquoted(field, want_buf, sizeof want_buf);
  } else if (raw_field(line, "error", field, sizeof field) == 0) {
    expected = status_of_code(unquoted(field, want_buf, sizeof want_buf));
  }
  if (through_json(client, raw, want) != expected) {
    tests_failed++;
    fprintf(stderr, "FAIL amounts vector (from_json) %s\n", line);
  }
  if (text != NULL) {
    if (through_setters(client, text, want) != expected) {
      tests_failed++;
      fprintf(stderr, "FAIL amounts vector (set_amount) %s\n", line);
    }
    if (through_refund(client, text, want) != expected) {
      tests_failed++;
      fprintf(stderr, "FAIL amounts vector (refund) %s\n", line);
    }
  }
  tests_passed++;
}

static void response_case(const struct opcorp_client *client, const char *line) {
  char raw[FIELD_LEN], field[FIELD_LEN], want_buf[FIELD_LEN], escaped[FIELD_LEN * 2];
  char fault[LINE_MAX_LEN];
  struct opcorp_list *accounts = NULL;
  char *decimal = NULL;
  size_t i, j = 0;
  if (raw_field(line, "input", raw, sizeof raw) != 0) return;
  /* The balance goes into the fault's body string, so its quotes are escaped. */
  for (i = 0; raw[i] != '\0' && j + 2 < sizeof escaped; i++) {
    if (raw[i] == '"') escaped[j++] = '\\';
    escaped[j++] = raw[i];
  }
  escaped[j] = '\0';
  snprintf(fault, sizeof fault,
           "{\"route\":\"accounts\",\"times\":1,\"kind\":{\"type\":\"status\",\"status\":200,"
           "\"content_type\":\"application/json\",\"body\":\"[{\\\"iban\\\":"
           "\\\"FI3859991620004143\\\",\\\"balance\\\":%s,\\\"currency\\\":\\\"EUR\\\","
           "\\\"surrogateId\\\":\\\"v1\\\"}]\"}}",
           escaped);
  CHECK(admin_request("POST", "/admin/faults", fault, NULL, 0) == 201);
  if (raw_field(line, "value", field, sizeof field) == 0) {
    CHECK_OK(opcorp_accounts_list(client, &accounts));
    CHECK_OK(opcorp_record_amount(opcorp_list_get(accounts, 0), "balance", &decimal, NULL));
    CHECK_STR(decimal, unquoted(field, want_buf, sizeof want_buf));
    opcorp_string_free(decimal);
    opcorp_list_free(accounts);
  } else if (raw_field(line, "error", field, sizeof field) == 0) {
    CHECK_STATUS(opcorp_accounts_list(client, &accounts),
                 status_of_code(unquoted(field, want_buf, sizeof want_buf)));
  }
  CHECK(admin_request("DELETE", "/admin/faults", NULL, NULL, 0) == 204);
}

void test_vectors_amounts(void) {
  const char *dir = getenv("OPCORP_TEST_VECTORS");
  char path[512];
  char line[LINE_MAX_LEN];
  FILE *file;
  struct opcorp_client *client = NULL;
  int section = 0; /* 1: input, 2: response */
  int inputs = 0, responses = 0;
  snprintf(path, sizeof path, "%s/amounts.json", dir != NULL ? dir : "../tests/vectors");
  file = fopen(path, "r");
  CHECK(file != NULL);
  if (file == NULL) return;
  CHECK_OK(opcorp_client_from_env(&client));
  while (fgets(line, sizeof line, file) != NULL) {
    const char *p = line + strspn(line, " \t");
    if (strncmp(p, "\"input\": [", 10) == 0) section = 1;
    if (strncmp(p, "\"response\": [", 13) == 0) section = 2;
    if (strncmp(p, "{\"name\"", 7) != 0) continue;
    if (section == 1) {
      input_case(client, p);
      inputs++;
    } else if (section == 2) {
      response_case(client, p);
      responses++;
    }
  }
  fclose(file);
  opcorp_client_free(client);
  CHECK(inputs >= 20 && responses >= 5);
}
