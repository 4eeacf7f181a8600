/* Replays tests/vectors/errors.json through opcorp_status_error. */
#include "harness.h"
#include "json.h"

void test_vectors_errors(void) {
  json_value *v = json_load_vectors("errors.json");
  const json_value *list = json_get(v, "responses");
  size_t i;
  for (i = 0; i < list->len; i++) {
    const json_value *c = &list->items[i];
    uint16_t http = (uint16_t)json_int(c, "status");
    opcorp_status status = opcorp_status_error(http, json_str(c, "body"));
    CHECK_STR(opcorp_status_code(status), json_str(c, "code"));
    CHECK(opcorp_last_error_status() == status);
    CHECK(opcorp_last_error_http_status() == http);
    CHECK(strstr(opcorp_last_error_message(), json_str(c, "message")) != NULL);
  }
  CHECK_STATUS(opcorp_status_error(400, NULL), OPCORP_INVALID_INPUT);
  json_free(v);
}
