// The parse tree of a template, node for node as Go's text/template/parse
// builds it, so that execution and error messages (which quote nodes and
// their positions) match Go's.
//
// Nodes are owned by the Source they were parsed from and are immutable
// once parsing ends; every tree of a template set points into its Source.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "template/callable.h"

namespace tocsin::tmpl {

enum class NodeType {
  kText,
  kAction,
  kBool,
  kChain,
  kCommand,
  kDot,
  kElse,
  kEnd,
  kField,
  kIdentifier,
  kIf,
  kList,
  kNil,
  kNumber,
  kPipe,
  kRange,
  kString,
  kTemplate,
  kVariable,
  kWith,
  kBreak,
  kContinue,
};

struct Tree;

struct Node {
  Node(NodeType t, int p, const Tree* tr) : type(t), pos(p), tree(tr) {}
  virtual ~Node() = default;
  NodeType type;
  int pos;  // byte offset in the parsed text
  const Tree* tree;
};

struct ListNode final : Node {
  using Node::Node;
  std::vector<Node*> nodes;
};

struct TextNode final : Node {
  TextNode(int p, const Tree* tr, std::string_view t) : Node(NodeType::kText, p, tr), text(t) {}
  std::string_view text;
};

struct CommandNode;
struct VariableNode;

struct PipeNode final : Node {
  PipeNode(int p, const Tree* tr, int l) : Node(NodeType::kPipe, p, tr), line(l) {}
  int line;
  bool is_assign = false;
  std::vector<VariableNode*> decl;
  std::vector<CommandNode*> cmds;
};

struct ActionNode final : Node {
  ActionNode(int p, const Tree* tr, int l, PipeNode* pp)
      : Node(NodeType::kAction, p, tr), line(l), pipe(pp) {}
  int line;
  PipeNode* pipe;
};

struct CommandNode final : Node {
  CommandNode(int p, const Tree* tr) : Node(NodeType::kCommand, p, tr) {}
  std::vector<Node*> args;
};

struct IdentifierNode final : Node {
  IdentifierNode(int p, const Tree* tr, std::string_view n)
      : Node(NodeType::kIdentifier, p, tr), name(n) {}
  std::string name;
  const Callable* function = nullptr;  // resolved when parsed
  bool builtin = false;                // one of Go's predefined functions
};

struct VariableNode final : Node {
  VariableNode(int p, const Tree* tr) : Node(NodeType::kVariable, p, tr) {}
  std::vector<std::string> ident;  // "$x", then field names
};

struct FieldNode final : Node {
  FieldNode(int p, const Tree* tr) : Node(NodeType::kField, p, tr) {}
  std::vector<std::string> ident;  // field names without dots
};

struct ChainNode final : Node {
  ChainNode(int p, const Tree* tr, Node* n) : Node(NodeType::kChain, p, tr), node(n) {}
  Node* node;
  std::vector<std::string> fields;
};

struct BoolNode final : Node {
  BoolNode(int p, const Tree* tr, bool v) : Node(NodeType::kBool, p, tr), value(v) {}
  bool value;
};

struct NumberNode final : Node {
  NumberNode(int p, const Tree* tr, std::string_view t) : Node(NodeType::kNumber, p, tr), text(t) {}
  bool is_int = false;
  bool is_uint = false;
  bool is_float = false;
  std::int64_t int_value = 0;
  std::uint64_t uint_value = 0;
  double float_value = 0;
  std::string text;
};

struct StringNode final : Node {
  StringNode(int p, const Tree* tr, std::string_view q, std::string t)
      : Node(NodeType::kString, p, tr), quoted(q), text(std::move(t)) {}
  std::string quoted;
  std::string text;
};

// if, range and with.
struct BranchNode final : Node {
  BranchNode(NodeType t, int p, const Tree* tr, int l) : Node(t, p, tr), line(l) {}
  int line;
  PipeNode* pipe = nullptr;
  ListNode* list = nullptr;
  ListNode* else_list = nullptr;  // null when there is no else
};

struct TemplateNode final : Node {
  TemplateNode(int p, const Tree* tr, int l, std::string n, PipeNode* pp)
      : Node(NodeType::kTemplate, p, tr), line(l), name(std::move(n)), pipe(pp) {}
  int line;
  std::string name;
  PipeNode* pipe;  // null: the template runs with nil data
};

// The text of one parse and every node parsed from it.
struct Source {
  std::string text;
  std::string parse_name;  // the top-level name, for error locations
  std::vector<std::unique_ptr<Node>> nodes;
  std::vector<std::unique_ptr<Tree>> trees;
  std::map<std::string, Tree*> defined;  // what the parse defines, by name
};

struct Tree {
  std::string name;
  const Source* source = nullptr;
  ListNode* root = nullptr;
};

// Go's Node.String(): the node written back as template text.
std::string to_string(const Node& n);
void write_node(const Node& n, std::string& out);

// Go's parse.IsEmptyTree: nothing but spaces and comments.
bool is_empty_tree(const Node* n);

// Go's Tree.ErrorContext: "NAME:LINE:COL" (COL a 0-based byte offset, as Go
// prints it) and the node as text.
std::string error_location(const Node& n);

}  // namespace tocsin::tmpl
