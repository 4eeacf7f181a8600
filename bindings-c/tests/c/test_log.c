/* Core's log records through opcorp_set_log_callback: levels, fields, no secrets, off. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <time.h>

#include "harness.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int answered = 0;   /* "attempt answered ... route=accounts" records seen */
static int too_verbose = 0; /* records above the requested level */
static int leaked = 0;     /* records containing the client secret or a bearer token */
static int with_context = 0;

static void on_record(void *user_data, int level, const char *target, const char *line) {
  const char *secret = getenv("OPCORP_CLIENT_SECRET");
  pthread_mutex_lock(&lock);
  if (user_data == (void *)&with_context) with_context = 1;
  if (level > 4) too_verbose++;
  if (strstr(line, "attempt answered") && strstr(line, "route=accounts") &&
      strstr(line, "status=200") && strcmp(target, "opcorp::engine::execute") == 0)
    answered++;
  if ((secret && *secret && strstr(line, secret)) || strstr(line, "Bearer ")) leaked++;
  pthread_mutex_unlock(&lock);
}

static int seen_answered(void) {
  int n;
  pthread_mutex_lock(&lock);
  n = answered;
  pthread_mutex_unlock(&lock);
  return n;
}

void test_log(void) {
  opcorp_client *c = NULL;
  opcorp_list *accounts = NULL;
  struct timespec pause = {0, 20 * 1000 * 1000};
  int waited;

  CHECK_STATUS(opcorp_set_log_callback(on_record, NULL, "loud"), OPCORP_INVALID_INPUT);
  CHECK_OK(opcorp_set_log_callback(on_record, (void *)&with_context, "debug"));
  CHECK_OK(opcorp_client_from_env(&c));
  CHECK_OK(opcorp_accounts_list(c, &accounts));
  opcorp_list_free(accounts);
  for (waited = 0; waited < 250 && seen_answered() == 0; waited++) nanosleep(&pause, NULL);
  CHECK(seen_answered() >= 1);
  pthread_mutex_lock(&lock);
  CHECK(with_context == 1);
  CHECK(too_verbose == 0);
  CHECK(leaked == 0);
  pthread_mutex_unlock(&lock);

  /* Off: no more records. */
  CHECK_OK(opcorp_set_log_callback(NULL, NULL, NULL));
  pthread_mutex_lock(&lock);
  answered = 0;
  pthread_mutex_unlock(&lock);
  CHECK_OK(opcorp_accounts_list(c, &accounts));
  opcorp_list_free(accounts);
  nanosleep(&pause, NULL);
  CHECK(seen_answered() == 0);
  opcorp_client_free(c);
}
