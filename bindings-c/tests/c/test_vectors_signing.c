/* Replays tests/vectors/signing.json: exact protected headers of opcorp_sign_detached. */
#include "harness.h"
#include "json.h"

/* Decodes base64url (no padding) into a malloc'd NUL-terminated buffer. */
static char *b64url_decode(const char *in, size_t len) {
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  char *out = malloc(len + 1);
  size_t n = 0, i;
  unsigned long acc = 0;
  int bits = 0;
  for (i = 0; i < len; i++) {
    const char *at = strchr(alphabet, in[i]);
    if (at == NULL || in[i] == '\0') { free(out); return NULL; }
    acc = (acc << 6) | (unsigned long)(at - alphabet);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (char)((acc >> bits) & 0xFF);
    }
  }
  out[n] = '\0';
  return out;
}

void test_vectors_signing(void) {
  json_value *v = json_load_vectors("signing.json");
  const json_value *list;
  char *key = NULL, *csr = NULL, *jws = NULL;
  size_t i;
  CHECK_OK(opcorp_generate_key_and_csr(2048, "vectors", &key, &csr));
  list = json_get(v, "cases");
  for (i = 0; i < list->len; i++) {
    const json_value *c = &list->items[i];
    const char *body = json_str(c, "body");
    const char *dots;
    char *header;
    CHECK_OK(opcorp_sign_detached((const uint8_t *)body, strlen(body), key, json_str(c, "kid"),
                                  json_int(c, "iat"), &jws));
    dots = jws ? strstr(jws, "..") : NULL;
    CHECK(dots != NULL && strlen(dots) > 2);
    if (dots != NULL) {
      header = b64url_decode(jws, (size_t)(dots - jws));
      CHECK_STR(header, json_str(c, "protected"));
      free(header);
    }
    opcorp_string_free(jws);
  }
  list = json_get(v, "invalid");
  for (i = 0; i < list->len; i++) {
    const json_value *c = &list->items[i];
    opcorp_status status = opcorp_sign_detached((const uint8_t *)"{}", 2, key, json_str(c, "kid"),
                                                json_int(c, "iat"), &jws);
    CHECK_STR(opcorp_status_code(status), json_str(c, "code"));
  }
  opcorp_string_free(key);
  opcorp_string_free(csr);
  json_free(v);
}
