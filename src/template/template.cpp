#include "template/template.h"

#include <array>

#include <fmt/format.h>

#include "gocompat/strconv.h"
#include "template/exec.h"
#include "template/parser.h"

namespace tocsin::tmpl {

Status apply_option(Options& options, std::string_view option) {
  if (option.empty()) return fail("empty option string");
  std::size_t eq = option.find('=');
  if (eq != std::string_view::npos && option.substr(0, eq) == "missingkey") {
    std::string_view value = option.substr(eq + 1);
    if (value == "invalid" || value == "default") {
      options.missing_key = MissingKey::kInvalid;
      return {};
    }
    if (value == "zero") {
      options.missing_key = MissingKey::kZero;
      return {};
    }
    if (value == "error") {
      options.missing_key = MissingKey::kError;
      return {};
    }
  }
  return fail(fmt::format("unrecognized option: {}", option));
}

TemplateSet::TemplateSet(std::string name, FuncMap funcs, Options options)
    : TemplateSet(std::move(name), std::make_shared<const FuncMap>(std::move(funcs)), options) {}

TemplateSet::TemplateSet(std::string name, std::shared_ptr<const FuncMap> funcs, Options options)
    : name_(std::move(name)), funcs_(std::move(funcs)), options_(options) {}

TemplateSet::TemplateSet(TemplateSet&&) noexcept = default;
TemplateSet& TemplateSet::operator=(TemplateSet&&) noexcept = default;
TemplateSet::~TemplateSet() = default;

Status TemplateSet::parse(std::string_view name, std::string_view text) {
  auto tree = parse_tree(name, text);
  if (!tree) return std::unexpected(tree.error());
  return {};
}

Result<const Tree*> TemplateSet::parse_tree(std::string_view name, std::string_view text) {
  auto source = parse_template(name, std::string(text), *funcs_, builtin_functions());
  if (!source) return std::unexpected(source.error());
  for (const auto& [tree_name, tree] : (*source)->defined) {
    auto it = trees_.find(tree_name);
    // An empty definition does not replace an existing one (Go's associate).
    if (it != trees_.end() && is_empty_tree(tree->root)) continue;
    trees_.insert_or_assign(tree_name, tree);
  }
  auto root = (*source)->defined.find(std::string(name));
  const Tree* parsed = root == (*source)->defined.end() ? nullptr : root->second;
  sources_.push_back(std::shared_ptr<const Source>(std::move(*source)));
  return parsed;
}

TemplateSet TemplateSet::clone() const {
  TemplateSet copy(name_, funcs_, options_);
  copy.sources_ = sources_;
  copy.trees_ = trees_;
  return copy;
}

void TemplateSet::define(std::string name, const Tree* tree, std::shared_ptr<const void> owner) {
  if (owner != nullptr) sources_.push_back(std::move(owner));
  trees_.insert_or_assign(std::move(name), tree);
}

bool TemplateSet::defines(std::string_view name) const {
  return lookup(name) != nullptr;
}

const Tree* TemplateSet::lookup(std::string_view name) const {
  auto it = trees_.find(name);
  return it == trees_.end() ? nullptr : it->second;
}

Status TemplateSet::execute(std::string& out, std::string_view name, const Value& data,
                            const Host& host) const {
  // Most executions fit in this buffer and never allocate for their values.
  std::array<std::byte, 2048> buffer;
  Arena arena(buffer);
  return execute(out, name, data, host, arena);
}

Status TemplateSet::execute(std::string& out, std::string_view name, const Value& data,
                            const Host& host, Arena& arena) const {
  const Tree* tree = lookup(name);
  if (tree == nullptr) {
    return fail(fmt::format("template: no template {} associated with template {}",
                            gocompat::quote(name), gocompat::quote(name_)));
  }
  return execute_tree(*this, *tree, name, out, data, host, arena);
}

}  // namespace tocsin::tmpl
