/* Replays tests/vectors/references.json. */
#include "harness.h"
#include "json.h"

/* Checks that fn(input) succeeds with `expected`. */
static void check_text(opcorp_status (*fn)(const char *, char **), const char *input,
                       const char *expected) {
  char *out = NULL;
  CHECK_OK(fn(input, &out));
  CHECK_STR(out, expected);
  if (out == NULL || strcmp(out, expected) != 0) fprintf(stderr, "  input %s\n", input);
  opcorp_string_free(out);
}

/* Checks that fn(input) fails with OPCORP_INVALID_INPUT. */
static void check_invalid(opcorp_status (*fn)(const char *, char **), const char *input) {
  char *out = NULL;
  CHECK_STATUS(fn(input, &out), OPCORP_INVALID_INPUT);
  CHECK(out == NULL);
}

void test_vectors_references(void) {
  json_value *v = json_load_vectors("references.json");
  const json_value *list;
  size_t i;
  list = json_get(v, "valid");
  for (i = 0; i < list->len; i++) {
    const json_value *c = &list->items[i];
    check_text(opcorp_reference_normalize, json_str(c, "input"), json_str(c, "normalized"));
    check_text(opcorp_reference_grouped, json_str(c, "input"), json_str(c, "grouped"));
  }
  list = json_get(v, "invalid");
  for (i = 0; i < list->len; i++) check_invalid(opcorp_reference_normalize, json_str(&list->items[i], "input"));
  list = json_get(v, "generate");
  for (i = 0; i < list->len; i++) {
    const json_value *c = &list->items[i];
    check_text(opcorp_reference_generate, json_str(c, "base"), json_str(c, "reference"));
  }
  list = json_get(v, "generate_invalid");
  for (i = 0; i < list->len; i++) check_invalid(opcorp_reference_generate, json_str(&list->items[i], "base"));
  json_free(v);
}
