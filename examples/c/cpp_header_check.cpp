// cpp_header_check.cpp - proves opcorp.h compiles as C++ (extern "C" linkage, no C-only
// constructs) and that the library is usable from C++ with RAII wrappers.
#include <cstdio>
#include <memory>
#include <string>

#include "opcorp.h"

namespace {

// Owns a char * returned by the library.
struct string_deleter {
  void operator()(char *text) const { opcorp_string_free(text); }
};
using owned_string = std::unique_ptr<char, string_deleter>;

// Owns a client.
struct client_deleter {
  void operator()(opcorp_client *client) const { opcorp_client_free(client); }
};
using owned_client = std::unique_ptr<opcorp_client, client_deleter>;

std::string check(opcorp_status status) {
  if (status == OPCORP_OK) return "";
  return std::string(opcorp_status_code(status)) + ": " + opcorp_last_error_message();
}

}  // namespace

int main() {
  char *raw = nullptr;
  std::string error = check(opcorp_reference_generate("4242", &raw));
  owned_string reference(raw);
  if (!error.empty()) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return 1;
  }
  std::printf("reference for base 4242: %s\n", reference.get());

  opcorp_client *client_raw = nullptr;
  error = check(opcorp_client_from_env(&client_raw));
  owned_client client(client_raw);
  if (!error.empty()) {
    std::fprintf(stderr, "client: %s\n", error.c_str());
    return 1;
  }
  opcorp_list *accounts = nullptr;
  error = check(opcorp_accounts_list(client.get(), &accounts));
  if (!error.empty()) {
    std::fprintf(stderr, "accounts: %s\n", error.c_str());
    return 1;
  }
  std::printf("C++: %zu accounts\n", opcorp_list_len(accounts));
  opcorp_list_free(accounts);
  return opcorp_list_len(nullptr) == 0 ? 0 : 1;
}
