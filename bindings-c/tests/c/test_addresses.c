/* Structured payment addresses through the C API (payment JSON): a structured address is
 * booked under its ISO 20022 names; lines only are OPCORP_INVALID_INPUT before sending,
 * unless the config opts in with opcorp_client_config_set_address_rules. */
#include "harness.h"

extern opcorp_client *client;
extern char account_iban[64];

/* A payment body from the test account to a creditor at `address` (a JSON object). */
static void payment_json(char *out, size_t size, const char *id, const char *address) {
  snprintf(out, size,
           "{\"instructionId\":\"%s\",\"debtor\":{\"name\":\"Demo Oy\",\"iban\":\"%s\"},"
           "\"creditor\":{\"name\":\"Toimittaja Oy\",\"iban\":\"FI2112345600000785\","
           "\"address\":%s},"
           "\"instructedAmount\":{\"amount\":\"2.00\",\"currency\":\"EUR\"},\"reference\":\"1232\"}",
           id, account_iban, address);
}

#define STRUCTURED                                                                       \
  "{\"streetName\":\"Tehdastie\",\"buildingNumber\":\"5\",\"postCode\":\"33100\","      \
  "\"townName\":\"Tampere\",\"country\":\"FI\"}"
#define LINES_ONLY "{\"country\":\"FI\",\"addressLine\":[\"Tehdastie 5\",\"33100 Tampere\"]}"

/* Sends the payment with `client`; returns its status. */
static opcorp_status send_payment(opcorp_client *with, const char *id, const char *address) {
  char json[1024];
  opcorp_payment_request *request = NULL;
  opcorp_record *answer = NULL;
  opcorp_status status;
  payment_json(json, sizeof json, id, address);
  status = opcorp_payment_request_from_json(json, &request);
  if (status != OPCORP_OK) return status;
  status = opcorp_payment_sepa(with, request, &answer);
  opcorp_record_free(answer);
  opcorp_payment_request_free(request);
  return status;
}

void test_addresses(void) {
  char ledger[65536];
  opcorp_client_config *config = NULL;
  opcorp_client *lenient = NULL;

  CHECK_OK(send_payment(client, "caddr1", STRUCTURED));
  CHECK(admin_request("GET", "/admin/ledger", NULL, ledger, sizeof ledger) == 200);
  CHECK(strstr(ledger, "\"creditorAddress\":" STRUCTURED) != NULL);

  /* Lines only: refused locally, naming the field; nothing reaches the ledger. */
  CHECK_STATUS(send_payment(client, "caddr2", LINES_ONLY), OPCORP_INVALID_INPUT);
  CHECK(strstr(opcorp_last_error_message(), "creditor.address") != NULL);
  CHECK_STATUS(send_payment(client, "caddr3", "{\"streetName\":\"Tehdastie\",\"country\":\"FI\"}"),
               OPCORP_INVALID_INPUT);
  CHECK(strstr(opcorp_last_error_message(), "creditor.address.townName") != NULL);
  CHECK(admin_request("GET", "/admin/ledger", NULL, ledger, sizeof ledger) == 200);
  CHECK(strstr(ledger, "caddr2") == NULL);

  /* The opt-in: sent, and the emulator's own rulebook check decides. */
  CHECK_OK(opcorp_client_config_from_env(&config));
  CHECK_STATUS(opcorp_client_config_set_address_rules(config, "lenient"), OPCORP_CONFIG);
  CHECK_STATUS(opcorp_client_config_set_address_rules(NULL, "rulebook"), OPCORP_INVALID_INPUT);
  CHECK_OK(opcorp_client_config_set_address_rules(config, "allow_unstructured"));
  CHECK_OK(opcorp_client_new(config, &lenient));
  CHECK_STATUS(send_payment(lenient, "caddr4", LINES_ONLY), OPCORP_REJECTED);
  CHECK(admin_request("POST", "/admin/quirks", "{\"unstructuredAddresses\":\"accepted\"}", NULL, 0) == 200);
  CHECK_OK(send_payment(lenient, "caddr5", LINES_ONLY));
  CHECK(admin_request("POST", "/admin/quirks", "{\"unstructuredAddresses\":\"refused\"}", NULL, 0) == 200);
  opcorp_client_free(lenient);
  opcorp_client_config_free(config);
}
