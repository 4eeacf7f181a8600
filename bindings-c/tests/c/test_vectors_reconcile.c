/* Replays tests/vectors/reconcile.json through opcorp_reconcile_json: the same report as
 * core for the same items and payments. (The "transaction_cases" need transaction records,
 * which C receives only from the API; core, Node, WASM and the CLI replay those.) */
#include "harness.h"
#include "json.h"

void test_vectors_reconcile(void) {
  json_value *v = json_load_vectors("reconcile.json");
  const json_value *list = json_get(v, "cases");
  size_t i;
  for (i = 0; i < list->len; i++) {
    const json_value *c = &list->items[i];
    char *items = json_src(json_get(c, "items"));
    char *payments = json_src(json_get(c, "payments"));
    char *out = NULL;
    json_value *report;
    CHECK_OK(opcorp_reconcile_json(items, payments, &out));
    report = out ? json_parse(out) : NULL;
    CHECK(json_equal(report, json_get(c, "report")));
    if (!json_equal(report, json_get(c, "report"))) fprintf(stderr, "  case %s: %s\n", json_str(c, "name"), out);
    json_free(report);
    opcorp_string_free(out);
    free(items);
    free(payments);
  }
  json_free(v);
}
