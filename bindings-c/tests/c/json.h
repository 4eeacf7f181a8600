/* A tiny JSON reader for the shared vector files (tests/vectors/<topic>.json): parse, look up,
 * compare. Test code only: no streaming, no number arithmetic (numbers keep their text). */
#ifndef OPCORP_TEST_JSON_H
#define OPCORP_TEST_JSON_H

#include <stddef.h>

typedef enum { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT } json_kind;

/* A parsed value. Strings are unescaped UTF-8; numbers keep their source text. Arrays and
 * objects hold `len` children (objects also `keys`). `src`/`src_len` is the value's own
 * text in the parsed document. */
typedef struct json_value {
  json_kind kind;
  int boolean;
  char *text;
  size_t len;
  struct json_value *items;
  char **keys;
  const char *src;
  size_t src_len;
} json_value;

/* Parses `text`; NULL on a syntax error. Free with json_free. */
json_value *json_parse(const char *text);
/* Reads and parses tests/vectors/<name> ($OPCORP_VECTORS_DIR, default ../tests/vectors).
 * Exits the test run when the file is missing or not JSON. */
json_value *json_load_vectors(const char *name);
void json_free(json_value *value);

/* The member `key` of an object, or NULL. */
const json_value *json_get(const json_value *object, const char *key);
/* The string member `key`, or NULL when absent, null or not a string. */
const char *json_str(const json_value *object, const char *key);
/* The integer member `key` (0 when absent). */
long long json_int(const json_value *object, const char *key);
/* A malloc'd copy of the member's source text (free it). */
char *json_src(const json_value *value);
/* Deep equality; object members compare by key whatever their order, numbers by text. */
int json_equal(const json_value *a, const json_value *b);

#endif
