// `tocsin routes test` and `tocsin routes show`: amtool's `config routes`
// commands, with the same output, on tocsin's configuration.
#include <ostream>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "cli/commands.h"
#include "config/tocsin_config.h"
#include "dispatch/route.h"
#include "notifiers/notifier_registry.h"

namespace tocsin::cli {
namespace {

// A text tree drawn as amtool draws it (with the treeprint package).
struct TreeNode {
  std::string text;
  std::vector<TreeNode> children;
};

void draw(const TreeNode& node, const std::string& indent, bool last, std::string& out) {
  out += indent + (last ? "└── " : "├── ") + node.text + "\n";
  // treeprint pads the bar with two no-break spaces.
  std::string child_indent = indent + (last ? "    " : "│\u00a0\u00a0 ");
  for (std::size_t i = 0; i < node.children.size(); ++i) {
    draw(node.children[i], child_indent, i + 1 == node.children.size(), out);
  }
}

std::string draw(const TreeNode& top) {
  std::string out = ".\n";
  draw(top, "", true, out);
  return out;
}

// amtool's getRouteTreeSlug.
std::string slug(const dispatch::Route& route, bool show_continue, bool show_receiver) {
  std::string out = route.matchers().empty() ? "default-route" : to_string(route.matchers());
  if (route.continue_matching() && show_continue) out += "  continue: true";
  if (show_receiver) out += "  receiver: " + route.options().receiver;
  return out;
}

TreeNode whole_tree(const dispatch::Route& route) {
  TreeNode node{slug(route, true, true), {}};
  for (const auto& child : route.routes()) node.children.push_back(whole_tree(*child));
  return node;
}

// amtool's getMatchingTree: only the branches the labels take.
TreeNode matching_tree(const dispatch::Route& route, const Labels& labels) {
  TreeNode node{slug(route, false, false), {}};
  bool final = true;
  for (const auto& child : route.routes()) {
    if (!matches_all(child->matchers(), labels)) continue;
    node.children.push_back(matching_tree(*child, labels));
    final = false;
    if (!child->continue_matching()) break;
  }
  if (final) node.text = slug(route, false, true);
  return node;
}

Result<Labels> parse_labels(const std::vector<std::string>& args) {
  LabelsBuilder labels;
  for (const std::string& arg : args) {
    auto m = parse_matcher(arg);
    if (!m) return std::unexpected(m.error());
    if (m->type() != MatchType::kEqual) return fail("labels must be specified as key=value pairs");
    labels.set(m->name(), m->value());
  }
  return labels.labels();
}

}  // namespace

int routes(const RoutesOptions& options, std::ostream& out, std::ostream& err) {
  auto config = config::load_alerting_config(options.config_file, notifiers::receiver_kinds());
  if (!config) {
    for (const Error& e : config.error()) fmt::print(err, "{}\n", e.to_string());
    return 1;
  }
  auto root = dispatch::Route::build(config->route);
  if (!options.test) {
    fmt::print(out, "Routing tree:\n{}\n", draw(whole_tree(*root)));
    return 0;
  }
  auto labels = parse_labels(options.labels);
  if (!labels) {
    fmt::print(err, "Failed to parse labels: {}\n", labels.error().message());
    return 1;
  }
  if (options.tree)
    fmt::print(out, "Matching routes:\n{}\n\n", draw(matching_tree(*root, *labels)));
  std::vector<std::string> receivers;
  for (const dispatch::Route* r : root->match(*labels)) receivers.push_back(r->options().receiver);
  std::string slug_line = fmt::format("{}", fmt::join(receivers, ","));
  fmt::print(out, "{}\n", slug_line);
  if (!options.verify_receivers.empty() && options.verify_receivers != slug_line) {
    fmt::print(out, "WARNING: Expected receivers did not match resolved receivers.\n");
    return 1;
  }
  return 0;
}

}  // namespace tocsin::cli
