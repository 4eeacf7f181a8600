/* Replays tests/vectors/rf.json. */
#include "harness.h"
#include "json.h"

void test_vectors_rf(void) {
  json_value *v = json_load_vectors("rf.json");
  const json_value *list;
  char *out = NULL;
  size_t i;
  list = json_get(v, "generate");
  for (i = 0; i < list->len; i++) {
    CHECK_OK(opcorp_rf_generate(json_str(&list->items[i], "body"), &out));
    CHECK_STR(out, json_str(&list->items[i], "rf"));
    opcorp_string_free(out);
  }
  list = json_get(v, "generate_invalid");
  for (i = 0; i < list->len; i++) {
    CHECK_STATUS(opcorp_rf_generate(json_str(&list->items[i], "body"), &out), OPCORP_INVALID_INPUT);
  }
  list = json_get(v, "from_finnish");
  for (i = 0; i < list->len; i++) {
    CHECK_OK(opcorp_rf_from_finnish(json_str(&list->items[i], "finnish"), &out));
    CHECK_STR(out, json_str(&list->items[i], "rf"));
    opcorp_string_free(out);
  }
  list = json_get(v, "to_finnish");
  for (i = 0; i < list->len; i++) {
    const char *want = json_str(&list->items[i], "finnish");
    CHECK_OK(opcorp_rf_to_finnish(json_str(&list->items[i], "rf"), &out));
    if (want == NULL) CHECK(out == NULL); else CHECK_STR(out, want);
    opcorp_string_free(out);
  }
  list = json_get(v, "invalid");
  for (i = 0; i < list->len; i++) {
    CHECK_STATUS(opcorp_rf_to_finnish(json_str(&list->items[i], "input"), &out), OPCORP_INVALID_INPUT);
  }
  json_free(v);
}
