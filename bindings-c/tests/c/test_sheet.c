/* Spreadsheets: open items read from the openpyxl workbooks in tests/vectors, the
 * reconciliation report and the transactions workbook written as .xlsx. The written
 * transactions workbook is read back by an independent reader (Python's zipfile over the
 * sheet XML) to count its rows. */
#define _POSIX_C_SOURCE 200809L
#include "harness.h"
#include "json.h"

extern opcorp_client *client;
extern char account_id[128];

/* Reads tests/vectors/<name> ($OPCORP_VECTORS_DIR, default ../tests/vectors); exits when
 * missing. *len receives the size; free the result. */
static unsigned char *read_vector(const char *name, size_t *len) {
  const char *dir = getenv("OPCORP_VECTORS_DIR");
  char path[1024];
  FILE *f;
  unsigned char *data;
  long size;
  snprintf(path, sizeof path, "%s/%s", dir ? dir : "../tests/vectors", name);
  f = fopen(path, "rb");
  if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0) {
    fprintf(stderr, "cannot read %s\n", path);
    exit(2);
  }
  rewind(f);
  data = malloc((size_t)size);
  if (data == NULL || fread(data, 1, (size_t)size, f) != (size_t)size) {
    fprintf(stderr, "cannot read %s\n", path);
    exit(2);
  }
  fclose(f);
  *len = (size_t)size;
  return data;
}

static int is_zip(const uint8_t *data, size_t len) {
  return data != NULL && len > 100 && data[0] == 'P' && data[1] == 'K';
}

static int last_error_mentions(const char *text) {
  const char *message = opcorp_last_error_message();
  return message != NULL && strstr(message, text) != NULL;
}

void test_sheet(void) {
  static const char *expected =
      "[{\"id\":\"INV-1\",\"reference\":\"1232\",\"amount\":\"100\",\"currency\":\"EUR\","
      "\"due_date\":\"2026-03-01\"},"
      "{\"id\":\"2\",\"reference\":\"10016\",\"amount\":\"20.5\",\"currency\":\"EUR\","
      "\"due_date\":null},"
      "{\"id\":\"INV-3\",\"reference\":\"RF18539007547034\",\"amount\":\"50.00\","
      "\"currency\":\"EUR\",\"due_date\":\"2026-04-01\"}]";
  size_t len = 0, bad_len = 0, count = 0, report_len = 0;
  unsigned char *invoices = read_vector("invoices.xlsx", &len);
  unsigned char *bad = read_vector("invoices-bad-amount.xlsx", &bad_len);
  uint8_t *report = NULL;
  char *out = NULL;
  opcorp_reconciler *rec = NULL;
  opcorp_record *event = NULL;
  json_value *got, *want;

  /* The items as JSON, exactly as written by another program's cells. */
  CHECK_OK(opcorp_workbook_items_json(invoices, len, &out));
  got = out ? json_parse(out) : NULL;
  want = json_parse(expected);
  CHECK(json_equal(got, want));
  if (!json_equal(got, want)) fprintf(stderr, "  items: %s\n", out ? out : "(null)");
  json_free(got);
  json_free(want);
  opcorp_string_free(out);
  out = NULL;

  /* A bad cell is named; garbage and NULL are input errors; nothing is returned. */
  CHECK_STATUS(opcorp_workbook_items_json(bad, bad_len, &out), OPCORP_INVALID_INPUT);
  CHECK(out == NULL);
  CHECK(last_error_mentions("cell C4 (amount)"));
  CHECK_STATUS(opcorp_workbook_items_json((const uint8_t *)"not a workbook", 14, &out),
               OPCORP_INVALID_INPUT);
  CHECK_STATUS(opcorp_workbook_items_json(NULL, 5, &out), OPCORP_INVALID_INPUT);
  CHECK_STATUS(opcorp_workbook_items_json(invoices, len, NULL), OPCORP_INVALID_INPUT);

  /* A reconciler fed from the workbook, its report written as a workbook. */
  CHECK_OK(opcorp_reconciler_new(&rec));
  CHECK_STATUS(opcorp_reconciler_add_workbook(rec, bad, bad_len, &count), OPCORP_INVALID_INPUT);
  CHECK_OK(opcorp_reconciler_add_workbook(rec, invoices, len, &count));
  CHECK(count == 3);
  CHECK_OK(opcorp_reconciler_push(rec, "20260301000000000001", "1232", "100.00", "EUR",
                                  "2026-03-01", "Asiakas Oy", &event));
  CHECK_OK(opcorp_record_string(event, "event", &out));
  CHECK_STR(out, "matched");
  opcorp_string_free(out);
  opcorp_record_free(event);
  CHECK_STATUS(opcorp_reconciler_add_workbook(rec, invoices, len, NULL), OPCORP_INVALID_INPUT);
  CHECK_STATUS(opcorp_reconciler_finish_xlsx(rec, NULL, &report_len), OPCORP_INVALID_INPUT);
  CHECK_OK(opcorp_reconciler_finish_xlsx(rec, &report, &report_len));
  CHECK(is_zip(report, report_len));
  /* The first sheet is the summary, which has no invoice columns. */
  CHECK_STATUS(opcorp_workbook_items_json(report, report_len, &out), OPCORP_INVALID_INPUT);
  CHECK(last_error_mentions("no \"id\" column"));
  opcorp_buffer_free(report, report_len);
  report = NULL;
  CHECK_STATUS(opcorp_reconciler_finish_xlsx(rec, &report, &report_len), OPCORP_INVALID_INPUT);
  CHECK(report == NULL && report_len == 0);
  opcorp_reconciler_free(rec);
  free(invoices);
  free(bad);
}

/* Rows in the first sheet of an .xlsx file, read with Python's zipfile; -1 if unreadable. */
static int sheet_rows(const char *path) {
  char command[1400];
  int rows = -1;
  FILE *p;
  snprintf(command, sizeof command,
           "python3 -c 'import sys, zipfile; "
           "print(zipfile.ZipFile(sys.argv[1]).read(\"xl/worksheets/sheet1.xml\").count(b\"<row \"))' "
           "'%s'",
           path);
  p = popen(command, "r");
  if (p == NULL) return -1;
  if (fscanf(p, "%d", &rows) != 1) rows = -1;
  pclose(p);
  return rows;
}

void test_sheet_transactions(void) {
  opcorp_transactions_workbook *workbook = NULL;
  opcorp_transactions *cursor = NULL;
  opcorp_record *tx = NULL;
  opcorp_record *not_tx = NULL;
  uint8_t *data = NULL;
  size_t len = 0;
  int count = 0;
  const char *path = "opcorp-ctest-transactions.xlsx";
  FILE *f;

  CHECK_OK(opcorp_transactions_workbook_new(&workbook));
  CHECK_OK(opcorp_transactions_open(client, account_id, NULL, &cursor));
  while (opcorp_transactions_next(cursor, &tx) == OPCORP_OK && tx != NULL) {
    CHECK_OK(opcorp_transactions_workbook_push(workbook, tx));
    count++;
    opcorp_record_free(tx);
  }
  opcorp_transactions_free(cursor);
  CHECK(count > 0);
  /* A record that is not a transaction (an account) is refused and adds no row. */
  CHECK_OK(opcorp_account_get(client, account_id, &not_tx));
  CHECK_STATUS(opcorp_transactions_workbook_push(workbook, not_tx), OPCORP_INVALID_INPUT);
  opcorp_record_free(not_tx);
  CHECK_STATUS(opcorp_transactions_workbook_push(workbook, NULL), OPCORP_INVALID_INPUT);

  CHECK_OK(opcorp_transactions_workbook_finish(workbook, &data, &len));
  CHECK(is_zip(data, len));
  f = fopen(path, "wb");
  CHECK(f != NULL && fwrite(data, 1, len, f) == len);
  if (f != NULL) fclose(f);
  opcorp_buffer_free(data, len);
  /* The header row plus one row per transaction. */
  CHECK(sheet_rows(path) == count + 1);
  remove(path);
  data = NULL;
  len = 0;
  /* The bytes are taken once; nothing is written to the out-parameters afterwards. */
  CHECK_STATUS(opcorp_transactions_workbook_finish(workbook, &data, &len), OPCORP_INVALID_INPUT);
  CHECK(data == NULL && len == 0);
  CHECK_STATUS(opcorp_transactions_workbook_push(workbook, NULL), OPCORP_INVALID_INPUT);
  opcorp_transactions_workbook_free(workbook);
  CHECK_STATUS(opcorp_transactions_workbook_finish(NULL, &data, &len), OPCORP_INVALID_INPUT);
  opcorp_transactions_workbook_free(NULL);
}
