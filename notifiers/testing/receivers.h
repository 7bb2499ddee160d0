// Loading one receiver from alertmanager.yml text with the registered
// integrations, for the tests of each integration's section reader. Test
// code only.
#pragma once

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "config/alertmanager_config.h"
#include "notifiers/notifier_registry.h"

namespace tocsin::notifiers::testutil {

inline constexpr const char* kConfigPath = "/etc/tocsin/alertmanager.yml";

// A config whose root route sends to receiver "r", defined by `receiver`
// (the mapping's fields after "name: r"), with `global` as the global section.
inline std::string with_receiver(const std::string& receiver, const std::string& global = "{}") {
  return "global: " + global + "\nroute: {receiver: r}\nreceivers:\n  - name: r\n" + receiver;
}

inline config::Receiver load_receiver(const std::string& receiver,
                                      const std::string& global = "{}") {
  auto c = config::parse_alertmanager_config(with_receiver(receiver, global), kConfigPath,
                                             receiver_kinds());
  EXPECT_TRUE(c.has_value()) << (c ? "" : c.error().front().to_string());
  return c ? c->receivers.at(0) : config::Receiver{};
}

using Problems = std::vector<std::string>;

// Every error loading the config, as LINE:COL: message.
inline Problems problems(const std::string& receiver, const std::string& global = "{}") {
  auto c = config::parse_alertmanager_config(with_receiver(receiver, global), kConfigPath,
                                             receiver_kinds());
  Problems out;
  if (!c) {
    for (const Error& e : c.error())
      out.push_back(e.to_string().substr(std::string(kConfigPath).size() + 1));
  }
  return out;
}

}  // namespace tocsin::notifiers::testutil
