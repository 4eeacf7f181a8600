/* Watcher on the PostgreSQL store (a real server started by test.sh through
 * scripts/pg-server.sh): a delivery acknowledged by one watcher is never delivered again by
 * the next watcher of the same group. */
#define _POSIX_C_SOURCE 200809L
#include <time.h>
#include <unistd.h>

#include "harness.h"

extern opcorp_client *client;
extern char account_iban[64];
extern char account_id[128];

/* Books an incoming payment on the test account; fills its archive id. */
static void book(const char *amount, char *archive, size_t size) {
  char json[512];
  char body[1024];
  snprintf(json, sizeof json,
           "{\"accountIban\":\"%s\",\"amount\":\"%s\",\"reference\":\"1232\","
           "\"debtorName\":\"Maksaja Oy\"}",
           account_iban, amount);
  CHECK(admin_request("POST", "/admin/incoming", json, body, sizeof body) == 201);
  CHECK(json_field(body, "archiveId", archive, size) == 0);
}

/* A watcher config on the store for the test account. */
static opcorp_watcher_config *store_config(const char *url, const char *group) {
  opcorp_watcher_config *config = NULL;
  CHECK_OK(opcorp_watcher_config_new(&config));
  CHECK_OK(opcorp_watcher_config_add_account(config, account_id));
  CHECK_OK(opcorp_watcher_config_set_poll_interval_ms(config, 200));
  CHECK_OK(opcorp_watcher_config_set_store(config, url, group));
  CHECK_OK(opcorp_watcher_config_set_lease_ttl_ms(config, 2000));
  CHECK_OK(opcorp_watcher_config_set_account_source(config, "listed"));
  CHECK_OK(opcorp_watcher_config_set_store_init(config, true));
  return config;
}

/* Takes deliveries (acknowledging each) until `wanted` came or `rounds` waits of 1 s passed;
 * returns whether it came and counts deliveries of `never` in *again. */
static int drain(opcorp_watcher *watcher, const char *wanted, const char *never, int rounds, int *again) {
  opcorp_delivery *delivery = NULL;
  char *archive = NULL;
  int found = 0;
  while (rounds-- > 0 && !found) {
    CHECK_OK(opcorp_watcher_next(watcher, 1000, &delivery));
    if (delivery == NULL) continue;
    CHECK_OK(opcorp_record_string(opcorp_delivery_transaction(delivery), "archiveId", &archive));
    if (archive != NULL && strcmp(archive, wanted) == 0) found = 1;
    if (archive != NULL && never != NULL && strcmp(archive, never) == 0) (*again)++;
    opcorp_string_free(archive);
    archive = NULL;
    CHECK_OK(opcorp_watcher_ack(watcher, delivery));
    opcorp_delivery_free(delivery);
  }
  return found;
}

void test_watch_postgres(void) {
  const char *url = getenv("OPCORP_TEST_POSTGRES_URL");
  const char *ci = getenv("CI");
  opcorp_watcher_config *config = NULL;
  opcorp_watcher *watcher = NULL;
  char group[64];
  char first[128];
  char second[128];
  int again = 0;

  if (url == NULL) {
    fprintf(stderr, "no PostgreSQL server (OPCORP_TEST_POSTGRES_URL unset): PostgreSQL store test skips\n");
    CHECK(ci == NULL || strcmp(ci, "true") != 0);
    return;
  }
  snprintf(group, sizeof group, "c-%ld-%ld", (long)getpid(), (long)time(NULL));
  config = store_config(url, group);
  CHECK_STATUS(opcorp_watcher_config_set_account_source(config, "everything"), OPCORP_INVALID_INPUT);
  CHECK_STATUS(opcorp_watcher_config_set_store(config, NULL, NULL), OPCORP_INVALID_INPUT);

  CHECK_OK(opcorp_watcher_new(client, config, &watcher));
  sleep(1);
  book("21.00", first, sizeof first);
  CHECK(drain(watcher, first, NULL, 30, &again));
  opcorp_watcher_free(watcher);

  /* A new owner of the same group: the acknowledged payment never comes back. */
  CHECK_OK(opcorp_watcher_new(client, config, &watcher));
  book("22.00", second, sizeof second);
  CHECK(drain(watcher, second, first, 30, &again));
  CHECK(again == 0);
  opcorp_watcher_free(watcher);
  opcorp_watcher_config_free(config);
}
