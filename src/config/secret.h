// Configuration names http::Secret (prometheus/common's config.Secret, held
// by the HTTP client config) config::Secret, as Alertmanager's config uses
// commoncfg.Secret for its receivers' keys and URLs.
#pragma once

#include "http/secret.h"

namespace tocsin::config {

using http::kSecretToken;
using http::Secret;

}  // namespace tocsin::config
