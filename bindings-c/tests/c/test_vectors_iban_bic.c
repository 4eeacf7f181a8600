/* Replays tests/vectors/iban_bic.json. */
#include "harness.h"
#include "json.h"

void test_vectors_iban_bic(void) {
  json_value *v = json_load_vectors("iban_bic.json");
  const json_value *list;
  char *out = NULL;
  size_t i;
  list = json_get(v, "ibans");
  for (i = 0; i < list->len; i++) {
    const json_value *c = &list->items[i];
    const char *bic = json_str(c, "bic");
    CHECK_OK(opcorp_iban_normalize(json_str(c, "input"), &out));
    CHECK_STR(out, json_str(c, "normalized"));
    opcorp_string_free(out);
    CHECK_OK(opcorp_iban_grouped(json_str(c, "input"), &out));
    CHECK_STR(out, json_str(c, "grouped"));
    opcorp_string_free(out);
    CHECK_OK(opcorp_bic_for_iban(json_str(c, "input"), &out));
    if (bic == NULL) CHECK(out == NULL); else CHECK_STR(out, bic);
    opcorp_string_free(out);
  }
  list = json_get(v, "ibans_invalid");
  for (i = 0; i < list->len; i++) {
    CHECK_STATUS(opcorp_iban_normalize(json_str(&list->items[i], "input"), &out), OPCORP_INVALID_INPUT);
  }
  list = json_get(v, "bics");
  for (i = 0; i < list->len; i++) {
    CHECK_OK(opcorp_bic_normalize(json_str(&list->items[i], "input"), &out));
    CHECK_STR(out, json_str(&list->items[i], "normalized"));
    opcorp_string_free(out);
  }
  list = json_get(v, "bics_invalid");
  for (i = 0; i < list->len; i++) {
    CHECK_STATUS(opcorp_bic_normalize(json_str(&list->items[i], "input"), &out), OPCORP_INVALID_INPUT);
  }
  json_free(v);
}
