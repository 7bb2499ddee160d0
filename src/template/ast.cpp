#include "template/ast.h"

#include <fmt/format.h>

#include "core/stack_guard.h"
#include "gocompat/strconv.h"
#include "gocompat/unicode.h"
#include "gocompat/utf8.h"

namespace tocsin::tmpl {
namespace {

void write_pipe(const PipeNode& p, std::string& out) {
  if (!p.decl.empty()) {
    for (std::size_t i = 0; i < p.decl.size(); ++i) {
      if (i > 0) out += ", ";
      write_node(*p.decl[i], out);
    }
    out += " := ";
  }
  for (std::size_t i = 0; i < p.cmds.size(); ++i) {
    if (i > 0) out += " | ";
    write_node(*p.cmds[i], out);
  }
}

bool is_space_only(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    int w = 0;
    char32_t r = gocompat::decode_rune(s, i, w);
    if (!gocompat::is_space(r)) return false;
    i += w;
  }
  return true;
}

}  // namespace

void write_node(const Node& n, std::string& out) {
  // Error messages print nodes; a node nested too deep to print in the stack
  // that is left (parsing allows 10,000 levels) is shown as "...".
  if (stack_exhausted(kStackReserve / 2)) {
    out += "...";
    return;
  }
  switch (n.type) {
    case NodeType::kList:
      for (const Node* c : static_cast<const ListNode&>(n).nodes) write_node(*c, out);
      return;
    case NodeType::kText:
      out += static_cast<const TextNode&>(n).text;
      return;
    case NodeType::kPipe:
      write_pipe(static_cast<const PipeNode&>(n), out);
      return;
    case NodeType::kAction:
      out += "{{";
      write_pipe(*static_cast<const ActionNode&>(n).pipe, out);
      out += "}}";
      return;
    case NodeType::kCommand: {
      const auto& args = static_cast<const CommandNode&>(n).args;
      for (std::size_t i = 0; i < args.size(); ++i) {
        if (i > 0) out += ' ';
        if (args[i]->type == NodeType::kPipe) {
          out += '(';
          write_node(*args[i], out);
          out += ')';
        } else {
          write_node(*args[i], out);
        }
      }
      return;
    }
    case NodeType::kIdentifier:
      out += static_cast<const IdentifierNode&>(n).name;
      return;
    case NodeType::kVariable: {
      const auto& ident = static_cast<const VariableNode&>(n).ident;
      for (std::size_t i = 0; i < ident.size(); ++i) {
        if (i > 0) out += '.';
        out += ident[i];
      }
      return;
    }
    case NodeType::kDot:
      out += '.';
      return;
    case NodeType::kNil:
      out += "nil";
      return;
    case NodeType::kField:
      for (const auto& id : static_cast<const FieldNode&>(n).ident) {
        out += '.';
        out += id;
      }
      return;
    case NodeType::kChain: {
      const auto& c = static_cast<const ChainNode&>(n);
      if (c.node->type == NodeType::kPipe) {
        out += '(';
        write_node(*c.node, out);
        out += ')';
      } else {
        write_node(*c.node, out);
      }
      for (const auto& f : c.fields) {
        out += '.';
        out += f;
      }
      return;
    }
    case NodeType::kBool:
      out += static_cast<const BoolNode&>(n).value ? "true" : "false";
      return;
    case NodeType::kNumber:
      out += static_cast<const NumberNode&>(n).text;
      return;
    case NodeType::kString:
      out += static_cast<const StringNode&>(n).quoted;
      return;
    case NodeType::kEnd:
      out += "{{end}}";
      return;
    case NodeType::kElse:
      out += "{{else}}";
      return;
    case NodeType::kBreak:
      out += "{{break}}";
      return;
    case NodeType::kContinue:
      out += "{{continue}}";
      return;
    case NodeType::kIf:
    case NodeType::kRange:
    case NodeType::kWith: {
      const auto& b = static_cast<const BranchNode&>(n);
      out += n.type == NodeType::kIf      ? "{{if "
             : n.type == NodeType::kRange ? "{{range "
                                          : "{{with ";
      write_pipe(*b.pipe, out);
      out += "}}";
      write_node(*b.list, out);
      if (b.else_list != nullptr) {
        out += "{{else}}";
        write_node(*b.else_list, out);
      }
      out += "{{end}}";
      return;
    }
    case NodeType::kTemplate: {
      const auto& t = static_cast<const TemplateNode&>(n);
      out += "{{template ";
      out += gocompat::quote(t.name);
      if (t.pipe != nullptr) {
        out += ' ';
        write_pipe(*t.pipe, out);
      }
      out += "}}";
      return;
    }
  }
}

std::string to_string(const Node& n) {
  std::string out;
  write_node(n, out);
  return out;
}

bool is_empty_tree(const Node* n) {
  if (n == nullptr) return true;
  switch (n->type) {
    case NodeType::kList:
      for (const Node* c : static_cast<const ListNode*>(n)->nodes) {
        if (!is_empty_tree(c)) return false;
      }
      return true;
    case NodeType::kText:
      return is_space_only(static_cast<const TextNode*>(n)->text);
    default:
      return false;
  }
}

std::string error_location(const Node& n) {
  const Source& src = *n.tree->source;
  std::string_view before = std::string_view(src.text).substr(0, static_cast<std::size_t>(n.pos));
  std::size_t nl = before.rfind('\n');
  int column = nl == std::string_view::npos ? n.pos : n.pos - static_cast<int>(nl + 1);
  int line = 1;
  for (char c : before) line += c == '\n';
  return fmt::format("{}:{}:{}", src.parse_name, line, column);
}

}  // namespace tocsin::tmpl
