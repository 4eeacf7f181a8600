/* Test runner and admin API client. */
#define _POSIX_C_SOURCE 200809L
#include "harness.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

int tests_passed = 0;
int tests_failed = 0;

/* The admin port from OPCORP_TEST_ADMIN_URL ("http://127.0.0.1:PORT"). */
static int admin_port(void) {
  const char *url = getenv("OPCORP_TEST_ADMIN_URL");
  const char *colon = url ? strrchr(url, ':') : NULL;
  return colon ? atoi(colon + 1) : 0;
}

int admin_request(const char *method, const char *path, const char *json, char *body,
                  size_t body_size) {
  char request[8192];
  char response[65536];
  size_t got = 0;
  ssize_t n;
  int status = 0;
  struct sockaddr_in addr;
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_port = htons((unsigned short)admin_port());
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
    close(fd);
    return 0;
  }
  if (json == NULL) json = "";
  snprintf(request, sizeof request,
           "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
           "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
           method, path, strlen(json), json);
  if (write(fd, request, strlen(request)) < 0) {
    close(fd);
    return 0;
  }
  while (got < sizeof response - 1 &&
         (n = read(fd, response + got, sizeof response - 1 - got)) > 0) {
    got += (size_t)n;
  }
  response[got] = '\0';
  close(fd);
  sscanf(response, "HTTP/1.1 %d", &status);
  if (body != NULL && body_size > 0) {
    const char *start = strstr(response, "\r\n\r\n");
    snprintf(body, body_size, "%s", start ? start + 4 : "");
  }
  return status;
}

int json_field(const char *json, const char *key, char *out, size_t out_size) {
  char needle[128];
  const char *p;
  size_t len = 0;
  snprintf(needle, sizeof needle, "\"%s\":", key);
  p = strstr(json, needle);
  if (p == NULL || out_size == 0) return -1;
  p += strlen(needle);
  while (*p == ' ') p++;
  if (*p == '"') {
    p++;
    while (p[len] != '\0' && p[len] != '"') len++;
  } else {
    while (p[len] != '\0' && p[len] != ',' && p[len] != '}') len++;
  }
  if (len >= out_size) len = out_size - 1;
  memcpy(out, p, len);
  out[len] = '\0';
  return 0;
}

int main(void) {
  int with_emulator = getenv("OPCORP_TEST_ADMIN_URL") != NULL;
  test_toolkit();
  test_records();
  test_client_config();
  test_vectors_references();
  test_vectors_rf();
  test_vectors_iban_bic();
  test_vectors_barcodes();
  test_vectors_errors();
  test_vectors_signing();
  test_vectors_reconcile();
  test_sheet();
  if (with_emulator) {
    CHECK(admin_request("POST", "/admin/reset", NULL, NULL, 0) == 204);
    test_account_data();
    test_payments();
    test_addresses();
    test_conformance();
    test_refund_filter_payer();
    test_outbox();
    test_watch_postgres();
    test_sheet_transactions();
    test_watch_and_reconcile();
    test_log();
    test_vectors_amounts();
  } else {
    fprintf(stderr, "OPCORP_TEST_ADMIN_URL is not set: emulator tests FAILED to run\n");
    tests_failed++;
  }
  printf("%d passed, %d failed\n", tests_passed, tests_failed);
  return tests_failed == 0 ? 0 : 1;
}
