// Go's text/template: a set of named templates parsed once and executed
// many times, with Go's syntax, semantics, output and error messages (as of
// Go 1.19, which Prometheus 2.42 and Alertmanager 0.25 were built with).
//
// Thread safety: parse() builds the set and is not thread-safe. Once parsing
// is done the set is immutable, and execute() may run concurrently from any
// number of threads.
//
// Data: execute() borrows `data` and everything it refers to for the call.
// Functions receive a CallContext with an arena for their results and the
// Host the caller passed, which is how functions reach per-execution state
// (see prometheus_functions.h).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <tocsin/error.h>

#include "template/ast.h"
#include "template/call_context.h"
#include "template/callable.h"
#include "template/value.h"

namespace tocsin::tmpl {

// Go's Option("missingkey=..."): what a missing map key yields.
enum class MissingKey {
  kInvalid,  // "invalid"/"default": no value, printed "<no value>"
  kZero,     // "zero": the zero value of the map's element type
  kError,    // "error": execution stops with an error
};

struct Options {
  MissingKey missing_key = MissingKey::kInvalid;
};

// Applies one Go option string ("missingkey=zero"); unknown ones fail with
// Go's panic text ("unrecognized option: ...").
Status apply_option(Options& options, std::string_view option);

class TemplateSet {
 public:
  // `name` is the set's own name, used in "no template ... associated with" errors.
  explicit TemplateSet(std::string name = "", FuncMap funcs = {}, Options options = {});
  TemplateSet(std::string name, std::shared_ptr<const FuncMap> funcs, Options options);
  TemplateSet(TemplateSet&&) noexcept;
  TemplateSet& operator=(TemplateSet&&) noexcept;
  ~TemplateSet();

  // Go's t.New(name).Parse(text): `text` becomes template `name` and its
  // {{define}}/{{block}} templates join the set. A later definition replaces
  // an earlier one unless it is empty. Errors read as Go's parse errors and
  // carry the line and 1-based column where parsing stopped.
  Status parse(std::string_view name, std::string_view text);
  // Go's t.New(name).Parse(text), returning the tree parsed for `name`: the
  // new template keeps that tree even when the set keeps an older, non-empty
  // definition of `name` (as Go's does when the new text is empty).
  Result<const Tree*> parse_tree(std::string_view name, std::string_view text);

  // Go's Clone: the same templates in a new set; parsing into either set
  // later does not change the other. Parsed sources are shared, not copied.
  TemplateSet clone() const;
  // Makes `tree` the template `name`. `owner` holds the tree's nodes (built
  // outside the parser, e.g. by html escaping) and lives as long as the set.
  void define(std::string name, const Tree* tree, std::shared_ptr<const void> owner = nullptr);
  const std::shared_ptr<const FuncMap>& funcs() const { return funcs_; }

  bool defines(std::string_view name) const;
  const std::string& name() const { return name_; }
  const Options& options() const { return options_; }

  // Go's ExecuteTemplate: appends template `name`'s output to `out`. On
  // error `out` keeps what was written before the failure, as Go's writer does.
  Status execute(std::string& out, std::string_view name, const Value& data,
                 const Host& host = Host()) const;
  // Same, with a caller-provided arena (to reuse memory across executions).
  Status execute(std::string& out, std::string_view name, const Value& data, const Host& host,
                 Arena& arena) const;

  const Tree* lookup(std::string_view name) const;

 private:
  std::string name_;
  std::shared_ptr<const FuncMap> funcs_;
  Options options_;
  std::vector<std::shared_ptr<const void>> sources_;  // what owns the trees
  std::map<std::string, const Tree*, std::less<>> trees_;
};

// Go's predefined functions: and, or, not, len, index, slice, print, printf,
// println, html, js, urlquery, eq, ne, lt, le, gt, ge, call.
const FuncMap& builtin_functions();

}  // namespace tocsin::tmpl
