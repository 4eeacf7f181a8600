/* Lists the accounts of the OPCORP_* identity through the installed libopcorp: built once
 * with pkg-config and once with CMake find_package(opcorp) by tests/packages/run.sh. */
#include <stdio.h>
#include <opcorp.h>

int main(void) {
  struct opcorp_client *client = NULL;
  struct opcorp_list *accounts = NULL;
  size_t i, n;
  if (opcorp_client_from_env(&client) != OPCORP_OK) {
    fprintf(stderr, "client: %s\n", opcorp_last_error_message());
    return 1;
  }
  if (opcorp_accounts_list(client, &accounts) != OPCORP_OK) {
    fprintf(stderr, "accounts: %s\n", opcorp_last_error_message());
    opcorp_client_free(client);
    return 1;
  }
  n = opcorp_list_len(accounts);
  for (i = 0; i < n; i++) {
    char *iban = NULL;
    if (opcorp_record_string(opcorp_list_get(accounts, i), "iban", &iban) == OPCORP_OK) printf("%s\n", iban);
    opcorp_string_free(iban);
  }
  printf("%zu accounts\n", n);
  opcorp_list_free(accounts);
  opcorp_client_free(client);
  return n > 0 ? 0 : 1;
}
