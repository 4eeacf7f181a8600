/* The conformance run through the C API: a JSON report with operations, which agrees with a
 * second run against the same emulator. */
#include "harness.h"

extern opcorp_client *client;

void test_conformance(void) {
  char *first = NULL;
  char *second = NULL;
  char *comparison = NULL;
  char agree[32];
  char total[32];

  CHECK_OK(opcorp_conformance(client, false, &first));
  CHECK(first != NULL && strstr(first, "\"format\":\"opcorp-conformance/1\"") != NULL);
  CHECK(first != NULL && strstr(first, "\"name\":\"accounts\"") != NULL);
  CHECK_OK(opcorp_conformance(client, false, &second));
  CHECK_OK(opcorp_conformance_compare(first, second, &comparison));
  CHECK(comparison != NULL && strstr(comparison, "\"all_agree\":true") != NULL);
  CHECK(comparison != NULL && json_field(comparison, "agree", agree, sizeof agree) == 0);
  CHECK(comparison != NULL && json_field(comparison, "total", total, sizeof total) == 0);
  CHECK(strcmp(agree, total) == 0 && atoi(total) > 5);
  opcorp_string_free(comparison);
  comparison = NULL;

  CHECK_STATUS(opcorp_conformance_compare(first, "{}", &comparison), OPCORP_INVALID_INPUT);
  CHECK(comparison == NULL);
  CHECK_STATUS(opcorp_conformance_compare(NULL, first, &comparison), OPCORP_INVALID_INPUT);
  CHECK_STATUS(opcorp_conformance(NULL, false, &comparison), OPCORP_INVALID_INPUT);
  CHECK_STATUS(opcorp_conformance(client, false, NULL), OPCORP_INVALID_INPUT);
  opcorp_string_free(first);
  opcorp_string_free(second);
}
