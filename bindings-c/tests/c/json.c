/* The tiny JSON reader of json.h. */
#include "json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  const char *p;
  int failed;
} reader;

static void skip_space(reader *r) {
  while (*r->p == ' ' || *r->p == '\n' || *r->p == '\r' || *r->p == '\t') r->p++;
}

static void put_utf8(char **out, unsigned long cp) {
  char *o = *out;
  if (cp < 0x80) {
    *o++ = (char)cp;
  } else if (cp < 0x800) {
    *o++ = (char)(0xC0 | (cp >> 6));
    *o++ = (char)(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *o++ = (char)(0xE0 | (cp >> 12));
    *o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
    *o++ = (char)(0x80 | (cp & 0x3F));
  } else {
    *o++ = (char)(0xF0 | (cp >> 18));
    *o++ = (char)(0x80 | ((cp >> 12) & 0x3F));
    *o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
    *o++ = (char)(0x80 | (cp & 0x3F));
  }
  *out = o;
}

static unsigned long hex4(reader *r) {
  unsigned long v = 0;
  int i;
  for (i = 0; i < 4; i++) {
    char c = *r->p++;
    v <<= 4;
    if (c >= '0' && c <= '9') v |= (unsigned long)(c - '0');
    else if (c >= 'a' && c <= 'f') v |= (unsigned long)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') v |= (unsigned long)(c - 'A' + 10);
    else { r->failed = 1; return 0; }
  }
  return v;
}

/* Reads a string literal at r->p (after the opening quote has NOT been consumed). */
static char *read_string(reader *r) {
  const char *start = ++r->p;
  size_t cap = 1;
  char *out, *o;
  while (*r->p && *r->p != '"') {
    if (*r->p == '\\' && r->p[1]) r->p++;
    r->p++;
    cap++;
  }
  if (*r->p != '"') { r->failed = 1; return NULL; }
  out = o = malloc(cap * 4);
  r->p = start;
  while (*r->p != '"') {
    char c = *r->p++;
    if (c != '\\') { *o++ = c; continue; }
    c = *r->p++;
    switch (c) {
      case 'b': *o++ = '\b'; break;
      case 'f': *o++ = '\f'; break;
      case 'n': *o++ = '\n'; break;
      case 'r': *o++ = '\r'; break;
      case 't': *o++ = '\t'; break;
      case 'u': {
        unsigned long cp = hex4(r);
        if (cp >= 0xD800 && cp < 0xDC00 && r->p[0] == '\\' && r->p[1] == 'u') {
          unsigned long low;
          r->p += 2;
          low = hex4(r);
          cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        }
        put_utf8(&o, cp);
        break;
      }
      default: *o++ = c; break;
    }
  }
  r->p++;
  *o = '\0';
  return out;
}

static void parse_value(reader *r, json_value *v);

static void parse_container(reader *r, json_value *v, char close) {
  size_t cap = 4;
  v->items = calloc(cap, sizeof(json_value));
  if (close == '}') v->keys = calloc(cap, sizeof(char *));
  r->p++;
  skip_space(r);
  if (*r->p == close) { r->p++; return; }
  for (;;) {
    if (v->len == cap) {
      cap *= 2;
      v->items = realloc(v->items, cap * sizeof(json_value));
      if (close == '}') v->keys = realloc(v->keys, cap * sizeof(char *));
    }
    memset(&v->items[v->len], 0, sizeof(json_value));
    skip_space(r);
    if (close == '}') {
      if (*r->p != '"') { r->failed = 1; return; }
      v->keys[v->len] = read_string(r);
      skip_space(r);
      if (r->failed || *r->p != ':') { r->failed = 1; if (!v->keys[v->len]) return; v->len++; return; }
      r->p++;
    }
    parse_value(r, &v->items[v->len]);
    v->len++;
    if (r->failed) return;
    skip_space(r);
    if (*r->p == ',') { r->p++; continue; }
    if (*r->p == close) { r->p++; return; }
    r->failed = 1;
    return;
  }
}

static void parse_value(reader *r, json_value *v) {
  skip_space(r);
  v->src = r->p;
  if (*r->p == '{') { v->kind = JSON_OBJECT; parse_container(r, v, '}'); }
  else if (*r->p == '[') { v->kind = JSON_ARRAY; parse_container(r, v, ']'); }
  else if (*r->p == '"') { v->kind = JSON_STRING; v->text = read_string(r); }
  else if (strncmp(r->p, "true", 4) == 0) { v->kind = JSON_BOOL; v->boolean = 1; r->p += 4; }
  else if (strncmp(r->p, "false", 5) == 0) { v->kind = JSON_BOOL; r->p += 5; }
  else if (strncmp(r->p, "null", 4) == 0) { v->kind = JSON_NULL; r->p += 4; }
  else if (*r->p == '-' || (*r->p >= '0' && *r->p <= '9')) {
    const char *start = r->p;
    size_t n;
    while (*r->p && strchr("+-0123456789.eE", *r->p)) r->p++;
    n = (size_t)(r->p - start);
    v->kind = JSON_NUMBER;
    v->text = malloc(n + 1);
    memcpy(v->text, start, n);
    v->text[n] = '\0';
  } else {
    r->failed = 1;
  }
  v->src_len = (size_t)(r->p - v->src);
}

static void free_children(json_value *v) {
  size_t i;
  for (i = 0; i < v->len; i++) {
    free_children(&v->items[i]);
    if (v->keys) free(v->keys[i]);
  }
  free(v->items);
  free(v->keys);
  free(v->text);
}

json_value *json_parse(const char *text) {
  reader r;
  json_value *v = calloc(1, sizeof(json_value));
  r.p = text;
  r.failed = 0;
  parse_value(&r, v);
  skip_space(&r);
  if (r.failed || *r.p != '\0') {
    json_free(v);
    return NULL;
  }
  return v;
}

void json_free(json_value *value) {
  if (value == NULL) return;
  free_children(value);
  free(value);
}

/* The whole file, kept alive with the parsed value (src pointers point into it). */
static char *loaded[16];
static size_t loaded_count;

static void free_loaded(void) {
  while (loaded_count > 0) free(loaded[--loaded_count]);
}

json_value *json_load_vectors(const char *name) {
  const char *dir = getenv("OPCORP_VECTORS_DIR");
  char path[1024];
  FILE *f;
  long size;
  char *text;
  json_value *v;
  snprintf(path, sizeof path, "%s/%s", dir ? dir : "../tests/vectors", name);
  f = fopen(path, "rb");
  if (f == NULL) {
    fprintf(stderr, "cannot open vector file %s\n", path);
    exit(2);
  }
  fseek(f, 0, SEEK_END);
  size = ftell(f);
  fseek(f, 0, SEEK_SET);
  text = malloc((size_t)size + 1);
  if (fread(text, 1, (size_t)size, f) != (size_t)size) size = 0;
  text[size] = '\0';
  fclose(f);
  v = json_parse(text);
  if (v == NULL) {
    fprintf(stderr, "vector file %s is not JSON\n", path);
    exit(2);
  }
  if (loaded_count == 0) atexit(free_loaded);
  if (loaded_count < sizeof loaded / sizeof loaded[0]) loaded[loaded_count++] = text;
  return v;
}

const json_value *json_get(const json_value *object, const char *key) {
  size_t i;
  if (object == NULL || object->kind != JSON_OBJECT) return NULL;
  for (i = 0; i < object->len; i++) {
    if (strcmp(object->keys[i], key) == 0) return &object->items[i];
  }
  return NULL;
}

const char *json_str(const json_value *object, const char *key) {
  const json_value *v = json_get(object, key);
  return v != NULL && v->kind == JSON_STRING ? v->text : NULL;
}

long long json_int(const json_value *object, const char *key) {
  const json_value *v = json_get(object, key);
  return v != NULL && v->kind == JSON_NUMBER ? strtoll(v->text, NULL, 10) : 0;
}

char *json_src(const json_value *value) {
  char *copy = malloc(value->src_len + 1);
  memcpy(copy, value->src, value->src_len);
  copy[value->src_len] = '\0';
  return copy;
}

int json_equal(const json_value *a, const json_value *b) {
  size_t i;
  if (a == NULL || b == NULL || a->kind != b->kind || a->len != b->len) return 0;
  switch (a->kind) {
    case JSON_NULL: return 1;
    case JSON_BOOL: return a->boolean == b->boolean;
    case JSON_NUMBER:
    case JSON_STRING: return strcmp(a->text, b->text) == 0;
    case JSON_ARRAY:
      for (i = 0; i < a->len; i++) {
        if (!json_equal(&a->items[i], &b->items[i])) return 0;
      }
      return 1;
    case JSON_OBJECT:
      for (i = 0; i < a->len; i++) {
        if (!json_equal(&a->items[i], json_get(b, a->keys[i]))) return 0;
      }
      return 1;
  }
  return 0;
}
