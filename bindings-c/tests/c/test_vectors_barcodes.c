/* Replays tests/vectors/barcodes.json. */
#include "harness.h"
#include "json.h"

void test_vectors_barcodes(void) {
  json_value *v = json_load_vectors("barcodes.json");
  const json_value *list;
  char *out = NULL;
  size_t i;
  list = json_get(v, "encode");
  for (i = 0; i < list->len; i++) {
    const json_value *c = &list->items[i];
    const json_value *want = json_get(c, "decoded");
    opcorp_record *decoded = NULL;
    int64_t version = 0;
    CHECK_OK(opcorp_barcode_encode(json_str(c, "iban"), json_str(c, "amount"), json_str(c, "reference"),
                                   json_str(c, "due_date"), &out));
    CHECK_STR(out, json_str(c, "barcode"));
    opcorp_string_free(out);
    CHECK_OK(opcorp_barcode_decode(json_str(c, "barcode"), &decoded));
    CHECK_OK(opcorp_record_string(decoded, "iban", &out));
    CHECK_STR(out, json_str(want, "iban"));
    opcorp_string_free(out);
    CHECK_OK(opcorp_record_string(decoded, "amount", &out));
    CHECK_STR(out, json_str(want, "amount"));
    opcorp_string_free(out);
    CHECK_OK(opcorp_record_string(decoded, "reference", &out));
    CHECK_STR(out, json_str(want, "reference"));
    opcorp_string_free(out);
    if (json_str(want, "due_date") == NULL) {
      CHECK(!opcorp_record_has(decoded, "dueDate"));
    } else {
      CHECK_OK(opcorp_record_string(decoded, "dueDate", &out));
      CHECK_STR(out, json_str(want, "due_date"));
      opcorp_string_free(out);
    }
    CHECK_OK(opcorp_record_int64(decoded, "version", &version));
    CHECK(version == json_int(want, "version"));
    opcorp_record_free(decoded);
  }
  list = json_get(v, "encode_invalid");
  for (i = 0; i < list->len; i++) {
    const json_value *c = &list->items[i];
    CHECK_STATUS(opcorp_barcode_encode(json_str(c, "iban"), json_str(c, "amount"), json_str(c, "reference"),
                                       json_str(c, "due_date"), &out),
                 OPCORP_INVALID_INPUT);
  }
  list = json_get(v, "decode_invalid");
  for (i = 0; i < list->len; i++) {
    opcorp_record *decoded = NULL;
    CHECK_STATUS(opcorp_barcode_decode(json_str(&list->items[i], "barcode"), &decoded), OPCORP_INVALID_INPUT);
    CHECK(decoded == NULL);
  }
  json_free(v);
}
