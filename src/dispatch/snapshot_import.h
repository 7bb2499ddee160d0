// The JSON-lines snapshots tocsin kept before the store: silences.jsonl
// and nflog.jsonl in the storage directory, one JSON object a line, times
// in RFC 3339, alert hashes as 16 hex digits, rewritten every 15 minutes.
//
// On the first start with the store, whatever snapshot files the
// directory holds are read, written into the store in one transaction, and
// renamed to *.jsonl.imported, so that it happens once and the old files
// stay for whoever wants to look. A crash after the commit and before the
// renames imports the same records again at the next start, which changes
// nothing (rows are replaced by key). A record that does not read is a
// start-up error naming FILE:LINE.
//
// Runs on the starting thread, before the store's writer exists.
#pragma once

#include <string>

#include <tocsin/error.h>

#include "store/store.h"

namespace tocsin::dispatch {

// Imports `dir`/silences.jsonl and `dir`/nflog.jsonl into `store`; returns
// how many records it imported (0 when there were no files).
Result<std::size_t> import_snapshots(const std::string& dir, store::Store& store);

}  // namespace tocsin::dispatch
