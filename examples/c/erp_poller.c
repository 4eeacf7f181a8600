/*
 * erp_poller.c - an ERP-style module that watches the company's OP accounts for incoming
 * payments, matches them to open orders by creditor reference and marks orders paid.
 *
 *   erp_poller ORDERS_FILE CHECKPOINT_FILE MAX_IDLE_SECONDS
 *
 * ORDERS_FILE has one open order per line: "order-id;reference;amount" (e.g.
 * "ORDER-1001;1232;49.00"). The program rewrites it with ";PAID" appended to paid orders.
 * Credentials come from the OPCORP_* environment variables (the emulator prints them).
 * A delivery is acknowledged only after the order file is written, so a crash in between
 * means the payment is delivered again (and the reconciler ignores the repeat).
 * Exits 0 when every order is paid, 1 on error or when MAX_IDLE_SECONDS pass without news.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opcorp.h"

#define MAX_ORDERS 64

typedef struct {
  char id[64];
  char reference[64];
  char amount[32];
  int paid;
} order;

static order orders[MAX_ORDERS];
static int order_count = 0;

/* Prints the failed call with the library's error details and returns 1. */
static int report(const char *what, opcorp_status status) {
  const char *request_id = opcorp_last_error_request_id();
  fprintf(stderr, "%s failed: %s (%s, HTTP %u, request id %s)\n", what, opcorp_status_code(status),
          opcorp_last_error_message(), opcorp_last_error_http_status(),
          request_id ? request_id : "-");
  return 1;
}

static int load_orders(const char *path) {
  char line[256];
  FILE *f = fopen(path, "r");
  if (f == NULL) return -1;
  while (order_count < MAX_ORDERS && fgets(line, sizeof line, f) != NULL) {
    order *o = &orders[order_count];
    char *id = strtok(line, ";\r\n");
    char *reference = strtok(NULL, ";\r\n");
    char *amount = strtok(NULL, ";\r\n");
    char *state = strtok(NULL, ";\r\n");
    if (id == NULL || reference == NULL || amount == NULL) continue;
    snprintf(o->id, sizeof o->id, "%s", id);
    snprintf(o->reference, sizeof o->reference, "%s", reference);
    snprintf(o->amount, sizeof o->amount, "%s", amount);
    o->paid = state != NULL && strcmp(state, "PAID") == 0;
    order_count++;
  }
  fclose(f);
  return 0;
}

static int save_orders(const char *path) {
  int i;
  FILE *f = fopen(path, "w");
  if (f == NULL) return -1;
  for (i = 0; i < order_count; i++) {
    fprintf(f, "%s;%s;%s%s\n", orders[i].id, orders[i].reference, orders[i].amount,
            orders[i].paid ? ";PAID" : "");
  }
  return fclose(f);
}

static int open_orders(void) {
  int i, open = 0;
  for (i = 0; i < order_count; i++) open += !orders[i].paid;
  return open;
}

/* Handles one matched event: marks the order paid when the reconciler says so. */
static void apply_event(const opcorp_record *event) {
  char *kind = NULL, *item = NULL, *status = NULL, *received = NULL;
  int i;
  if (opcorp_record_string(event, "event", &kind) == OPCORP_OK && strcmp(kind, "matched") == 0 &&
      opcorp_record_string(event, "item_id", &item) == OPCORP_OK &&
      opcorp_record_string(event, "status.status", &status) == OPCORP_OK &&
      opcorp_record_amount(event, "received", &received, NULL) == OPCORP_OK) {
    for (i = 0; i < order_count; i++) {
      if (strcmp(orders[i].id, item) == 0) {
        printf("order %s: received %s EUR, status %s\n", item, received, status);
        if (strcmp(status, "paid") == 0 || strcmp(status, "overpaid") == 0) {
          orders[i].paid = 1;
          printf("order %s marked PAID\n", item);
        }
      }
    }
  } else if (kind != NULL) {
    printf("payment not for an open order (%s)\n", kind);
  }
  opcorp_string_free(kind);
  opcorp_string_free(item);
  opcorp_string_free(status);
  opcorp_string_free(received);
}

int main(int argc, char **argv) {
  opcorp_client *client = NULL;
  opcorp_list *accounts = NULL;
  opcorp_watcher_config *config = NULL;
  opcorp_watcher *watcher = NULL;
  opcorp_reconciler *reconciler = NULL;
  opcorp_status status;
  int idle_seconds = 0, max_idle, i, rc = 1;
  size_t a;

  if (argc != 4) {
    fprintf(stderr, "usage: %s ORDERS_FILE CHECKPOINT_FILE MAX_IDLE_SECONDS\n", argv[0]);
    return 2;
  }
  max_idle = atoi(argv[3]);
  if (load_orders(argv[1]) != 0) {
    fprintf(stderr, "cannot read %s\n", argv[1]);
    return 1;
  }
  if ((status = opcorp_client_from_env(&client)) != OPCORP_OK) return report("client", status);
  if ((status = opcorp_reconciler_new(&reconciler)) != OPCORP_OK) goto fail_reconciler;
  for (i = 0; i < order_count; i++) {
    if (orders[i].paid) continue;
    status = opcorp_reconciler_add_item(reconciler, orders[i].id, orders[i].reference,
                                        orders[i].amount, "EUR", NULL);
    if (status != OPCORP_OK) goto fail_reconciler;
  }
  if ((status = opcorp_accounts_list(client, &accounts)) != OPCORP_OK) goto fail_accounts;
  if ((status = opcorp_watcher_config_new(&config)) != OPCORP_OK) goto fail_watcher;
  for (a = 0; a < opcorp_list_len(accounts); a++) {
    char *id = NULL;
    if (opcorp_record_string(opcorp_list_get(accounts, a), "surrogateId", &id) == OPCORP_OK) {
      opcorp_watcher_config_add_account(config, id);
    }
    opcorp_string_free(id);
  }
  opcorp_watcher_config_set_poll_interval_ms(config, 500);
  opcorp_watcher_config_set_checkpoint_file(config, argv[2]);
  if ((status = opcorp_watcher_new(client, config, &watcher)) != OPCORP_OK) goto fail_watcher;
  printf("watching %zu accounts for %d open orders\n", opcorp_list_len(accounts), open_orders());
  fflush(stdout); /* a supervisor (or run_erp_demo.sh) waits for this line */

  while (open_orders() > 0 && idle_seconds < max_idle) {
    opcorp_delivery *delivery = NULL;
    opcorp_record *event = NULL;
    status = opcorp_watcher_next(watcher, 1000, &delivery);
    if (status != OPCORP_OK) {
      report("watch", status); /* the watcher keeps going; log and continue */
      idle_seconds++;
      continue;
    }
    if (delivery == NULL) {
      idle_seconds++;
      continue;
    }
    idle_seconds = 0;
    status = opcorp_reconciler_push_transaction(reconciler, opcorp_delivery_transaction(delivery),
                                                &event);
    if (status == OPCORP_OK) {
      apply_event(event);
      opcorp_record_free(event);
    }
    /* Acknowledge only once the ERP state is durable. */
    if (save_orders(argv[1]) == 0) {
      status = opcorp_watcher_ack(watcher, delivery);
      if (status != OPCORP_OK) report("ack", status);
    }
    opcorp_delivery_free(delivery);
  }
  rc = open_orders() == 0 ? 0 : 1;
  printf(rc == 0 ? "all orders paid\n" : "gave up: %d orders still open\n", open_orders());
  goto done;

fail_watcher:
  report("watcher", status);
  goto done;
fail_accounts:
  report("accounts", status);
  goto done;
fail_reconciler:
  report("reconciler", status);
done:
  opcorp_watcher_free(watcher);
  opcorp_watcher_config_free(config);
  opcorp_list_free(accounts);
  opcorp_reconciler_free(reconciler);
  opcorp_client_free(client);
  return rc;
}
