#include "template/html_escape.h"

#include <deque>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/stack_guard.h"
#include "template/ast.h"
#include "template/html_context.h"
#include "template/html_sanitizers.h"

namespace tocsin::tmpl::html {
namespace {

// Thrown when a template nests deeper than the stack left can escape or
// copy; escape_template turns it into an error.
struct TooDeep {};

void check_stack() {
  if (stack_exhausted()) throw TooDeep{};
}

// Owns the copied trees, their nodes and the rewritten texts.
struct Copies {
  std::vector<std::unique_ptr<Node>> nodes;
  std::vector<std::unique_ptr<Tree>> trees;
  std::deque<std::string> texts;

  template <typename T, typename... Args>
  T* make(Args&&... args) {
    auto node = std::make_unique<T>(std::forward<Args>(args)...);
    T* raw = node.get();
    nodes.push_back(std::move(node));
    return raw;
  }

  Node* copy(const Node* n);
  ListNode* copy_list(const ListNode* n) {
    return n == nullptr ? nullptr : static_cast<ListNode*>(copy(n));
  }
  PipeNode* copy_pipe(const PipeNode* n) {
    return n == nullptr ? nullptr : static_cast<PipeNode*>(copy(n));
  }
  Tree* copy_tree(const Tree& t, std::string name) {
    auto tree = std::make_unique<Tree>();
    tree->name = std::move(name);
    tree->source = t.source;
    tree->root = copy_list(t.root);
    trees.push_back(std::move(tree));
    return trees.back().get();
  }
};

// Go's Node.Copy: the same node, with copies of its children. Nodes keep
// their tree, so errors still name where they were parsed.
Node* Copies::copy(const Node* n) {
  if (n == nullptr) return nullptr;
  check_stack();
  switch (n->type) {
    case NodeType::kList: {
      const auto* l = static_cast<const ListNode*>(n);
      auto* c = make<ListNode>(l->type, l->pos, l->tree);
      c->nodes.reserve(l->nodes.size());
      for (const Node* m : l->nodes) c->nodes.push_back(copy(m));
      return c;
    }
    case NodeType::kText: {
      const auto* t = static_cast<const TextNode*>(n);
      return make<TextNode>(t->pos, t->tree, t->text);
    }
    case NodeType::kAction: {
      const auto* a = static_cast<const ActionNode*>(n);
      return make<ActionNode>(a->pos, a->tree, a->line, copy_pipe(a->pipe));
    }
    case NodeType::kPipe: {
      const auto* p = static_cast<const PipeNode*>(n);
      auto* c = make<PipeNode>(p->pos, p->tree, p->line);
      c->is_assign = p->is_assign;
      for (const VariableNode* v : p->decl) c->decl.push_back(static_cast<VariableNode*>(copy(v)));
      for (const CommandNode* m : p->cmds) c->cmds.push_back(static_cast<CommandNode*>(copy(m)));
      return c;
    }
    case NodeType::kCommand: {
      const auto* m = static_cast<const CommandNode*>(n);
      auto* c = make<CommandNode>(m->pos, m->tree);
      for (const Node* a : m->args) c->args.push_back(copy(a));
      return c;
    }
    case NodeType::kIdentifier: {
      const auto* i = static_cast<const IdentifierNode*>(n);
      auto* c = make<IdentifierNode>(i->pos, i->tree, i->name);
      c->function = i->function;
      c->builtin = i->builtin;
      return c;
    }
    case NodeType::kVariable:
      return make<VariableNode>(*static_cast<const VariableNode*>(n));
    case NodeType::kField:
      return make<FieldNode>(*static_cast<const FieldNode*>(n));
    case NodeType::kChain: {
      const auto* ch = static_cast<const ChainNode*>(n);
      auto* c = make<ChainNode>(ch->pos, ch->tree, copy(ch->node));
      c->fields = ch->fields;
      return c;
    }
    case NodeType::kBool:
      return make<BoolNode>(*static_cast<const BoolNode*>(n));
    case NodeType::kNumber:
      return make<NumberNode>(*static_cast<const NumberNode*>(n));
    case NodeType::kString:
      return make<StringNode>(*static_cast<const StringNode*>(n));
    case NodeType::kIf:
    case NodeType::kRange:
    case NodeType::kWith: {
      const auto* b = static_cast<const BranchNode*>(n);
      auto* c = make<BranchNode>(b->type, b->pos, b->tree, b->line);
      c->pipe = copy_pipe(b->pipe);
      c->list = copy_list(b->list);
      c->else_list = copy_list(b->else_list);
      return c;
    }
    case NodeType::kTemplate: {
      const auto* t = static_cast<const TemplateNode*>(n);
      return make<TemplateNode>(t->pos, t->tree, t->line, t->name, copy_pipe(t->pipe));
    }
    default:  // dot, nil, else, end, break, continue: no children
      return make<Node>(n->type, n->pos, n->tree);
  }
}

// html/template's predefined escapers and the escapers they stand for.
bool is_predefined_escaper(std::string_view name) {
  return name == "html" || name == "urlquery";
}

std::string_view normalize_escaper(std::string_view name) {
  if (name == "_html_template_attrescaper" || name == "_html_template_htmlescaper" ||
      name == "_html_template_rcdataescaper") {
    return "html";
  }
  if (name == "_html_template_urlescaper" || name == "_html_template_urlnormalizer") {
    return "urlquery";
  }
  return name;
}

Context node_error(const Node* node, int line, std::string description) {
  return error_context(std::move(description), node, line);
}

// Go's join: the context after a branch whose arms end in `a` and `b`.
Context join(const Context& a, const Context& b, const Node* node, std::string_view node_name) {
  if (a.state == State::kError) return a;
  if (b.state == State::kError) return b;
  if (a.state == State::kDead) return b;
  if (b.state == State::kDead) return a;
  if (a == b) return a;

  Context c = a;
  c.url_part = b.url_part;
  if (c == b) {
    // The contexts differ only by the URL part.
    c.url_part = UrlPart::kUnknown;
    return c;
  }
  c = a;
  c.js_ctx = b.js_ctx;
  if (c == b) {
    // The contexts differ only by the JS context.
    c.js_ctx = JsCtx::kUnknown;
    return c;
  }
  // A nudged context may join an unnudged one (`<p title={{if .C}}{{.}}{{end}}`).
  Context na = nudge(a);
  Context nb = nudge(b);
  if (!(na == a && nb == b)) {
    Context e = join(na, nb, node, node_name);
    if (e.state != State::kError) return e;
  }
  return node_error(node, 0,
                    fmt::format("{{{{{}}}}} branches end in different contexts: {}, {}", node_name,
                                a.to_string(), b.to_string()));
}

// State shared by every escaper of one pass.
struct Pass {
  TemplateSet& set;
  std::shared_ptr<Copies> copies;
  // Copies of the set's templates that are escaped in the text context,
  // under their own names (Go edits those in place).
  std::map<std::string, Tree*, std::less<>> working;

  Tree* working_copy(std::string_view name) {
    if (auto it = working.find(name); it != working.end()) return it->second;
    const Tree* original = set.lookup(name);
    if (original == nullptr) return nullptr;
    Tree* copy = copies->copy_tree(*original, original->name);
    working.emplace(std::string(name), copy);
    return copy;
  }
};

// The contexts at the {{break}}s and {{continue}}s of one range loop.
struct RangeContext {
  RangeContext* outer = nullptr;
  std::vector<Context> breaks{};
  std::vector<Context> continues{};
};

// Go's joinRange: a loop's body context joined with those at its breaks
// and continues (both go back to the loop's start).
Context join_range(Context c0, const RangeContext& rc) {
  for (const auto* list : {&rc.breaks, &rc.continues}) {
    for (const Context& c : *list) {
      c0 = join(c0, c, static_cast<const Node*>(c.node), "range");
      if (c0.state == State::kError) {
        auto error = std::make_shared<EscapeError>(*c0.error);
        error->description =
            std::string(list == &rc.breaks ? "at range loop break: " : "at range loop continue: ") +
            error->description;
        c0.error = std::move(error);
        return c0;
      }
    }
  }
  return c0;
}

class Escaper {
 public:
  explicit Escaper(Pass& pass) : pass_(pass) {}

  // Go's escapeTree: escapes template `name` as called in context `c` and
  // returns the context after it and the (mangled) name to call.
  std::pair<Context, std::string> escape_tree(const Context& c, const Node* node,
                                              std::string_view name, int line) {
    std::string dname = c.mangle(name);
    called_.insert(dname);
    if (auto it = output_.find(dname); it != output_.end()) return {it->second, dname};
    const Tree* original = pass_.set.lookup(name);
    if (original == nullptr) {
      if (auto it = derived_.find(std::string(name)); it != derived_.end()) original = it->second;
    }
    if (original == nullptr) {
      return {node_error(node, line, fmt::format("no such template {}", go_quote(name))), dname};
    }
    Tree* tree = nullptr;
    if (dname != name) {
      // A copy specialised for this context, made once per pass.
      if (const Tree* existing = pass_.set.lookup(dname); existing != nullptr) {
        tree = pass_.working_copy(dname);
      } else if (auto it = derived_.find(dname); it != derived_.end()) {
        tree = it->second;
      } else {
        tree = pass_.copies->copy_tree(*original, dname);
        derived_.emplace(dname, tree);
      }
    } else {
      tree = pass_.working_copy(name);
    }
    return {compute_out_context(c, *tree), dname};
  }

  // Applies the edits and makes the set run the escaped copies.
  void commit() {
    for (const auto& [name, tree] : derived_) pass_.working.emplace(name, tree);
    for (auto& [node, escapers] : action_edits_) ensure_pipeline_contains(*node->pipe, escapers);
    for (auto& [node, name] : template_edits_) node->name = name;
    for (auto& [node, text] : text_edits_) {
      pass_.copies->texts.push_back(std::move(text));
      node->text = pass_.copies->texts.back();
    }
    for (const auto& [name, tree] : pass_.working) pass_.set.define(name, tree);
    action_edits_.clear();
    template_edits_.clear();
    text_edits_.clear();
    called_.clear();
  }

 private:
  static std::string go_quote(std::string_view s) {
    std::string out = "\"";
    for (char ch : s) {
      if (ch == '"' || ch == '\\') out += '\\';
      out += ch;
    }
    return out + "\"";
  }

  Context escape(Context c, Node* n) {
    switch (n->type) {
      case NodeType::kAction:
        return escape_action(c, static_cast<ActionNode*>(n));
      case NodeType::kIf:
        return escape_branch(c, static_cast<BranchNode*>(n), "if");
      case NodeType::kRange:
        return escape_branch(c, static_cast<BranchNode*>(n), "range");
      case NodeType::kWith:
        return escape_branch(c, static_cast<BranchNode*>(n), "with");
      case NodeType::kList:
        return escape_list(c, static_cast<ListNode*>(n));
      case NodeType::kTemplate:
        return escape_template_call(c, static_cast<TemplateNode*>(n));
      case NodeType::kText:
        return escape_text(c, static_cast<TextNode*>(n));
      case NodeType::kBreak:
      case NodeType::kContinue:
        if (range_ == nullptr) break;
        c.node = n;
        (n->type == NodeType::kBreak ? range_->breaks : range_->continues).push_back(c);
        return Context{.state = State::kDead};
      default:
        break;
    }
    return node_error(n, 0, fmt::format("{} is not supported in html templates", to_string(*n)));
  }

  Context escape_list(Context c, ListNode* n) {
    if (n == nullptr) return c;
    check_stack();
    for (Node* m : n->nodes) {
      c = escape(c, m);
      if (c.state == State::kDead) break;
    }
    return c;
  }

  // Go's escapeListConditionally: escapes `n` with a fresh escaper and keeps
  // its inferences and edits only when `keep` accepts the result.
  template <typename Filter>
  std::pair<Context, bool> escape_list_conditionally(const Context& c, ListNode* n, Filter&& keep) {
    Escaper e1(pass_);
    e1.range_ = range_;
    e1.output_ = output_;
    Context out = e1.escape_list(c, n);
    bool ok = keep(e1, out);
    if (ok) {
      for (auto& [k, v] : e1.output_) output_.insert_or_assign(k, v);
      for (auto& [k, v] : e1.derived_) derived_.insert_or_assign(k, v);
      called_.insert(e1.called_.begin(), e1.called_.end());
      for (auto& [k, v] : e1.action_edits_) action_edits_.insert_or_assign(k, v);
      for (auto& [k, v] : e1.template_edits_) template_edits_.insert_or_assign(k, v);
      for (auto& [k, v] : e1.text_edits_) text_edits_.insert_or_assign(k, v);
    }
    return {out, ok};
  }

  Context escape_branch(const Context& c, BranchNode* n, std::string_view node_name) {
    const bool range = node_name == "range";
    RangeContext body{range_};
    if (range) range_ = &body;
    Context c0 = escape_list(c, n->list);
    if (range) {
      if (c0.state != State::kError) c0 = join_range(c0, body);
      range_ = body.outer;
      if (c0.state == State::kError) return c0;
      // The body of a range can run again after itself.
      RangeContext again{range_};
      range_ = &again;
      Context c1 = escape_list_conditionally(c0, n->list, [](Escaper&, const Context&) {
                     return false;
                   }).first;
      c0 = join(c0, c1, n, node_name);
      if (c0.state == State::kError) {
        range_ = again.outer;
        auto error = std::make_shared<EscapeError>(*c0.error);
        error->line = n->line;
        error->description = "on range loop re-entry: " + error->description;
        c0.error = std::move(error);
        return c0;
      }
      c0 = join_range(c0, again);
      range_ = again.outer;
      if (c0.state == State::kError) return c0;
    }
    Context c1 = escape_list(c, n->else_list);
    return join(c0, c1, n, node_name);
  }

  Context escape_template_call(const Context& c, TemplateNode* n) {
    auto [out, name] = escape_tree(c, n, n->name, n->line);
    if (name != n->name) template_edits_.insert_or_assign(n, name);
    return out;
  }

  Context compute_out_context(const Context& c, Tree& t) {
    auto [c1, ok] = escape_template_body(c, t);
    if (!ok) {
      // Look for a fixed point by assuming c1 as the output context.
      auto [c2, ok2] = escape_template_body(c1, t);
      if (ok2) {
        c1 = c2;
        ok = true;
      }
    }
    if (!ok && c1.state != State::kError) {
      return node_error(t.root, 0,
                        fmt::format("cannot compute output context for template {}", t.name));
    }
    return c1;
  }

  std::pair<Context, bool> escape_template_body(const Context& c, Tree& t) {
    // Assume the output context is the input one, so that recursive calls
    // end; the result is kept only if that holds or there is no recursion.
    output_.insert_or_assign(t.name, c);
    return escape_list_conditionally(c, t.root, [&](Escaper& e1, const Context& c1) {
      if (c1.state == State::kError) return false;
      if (!e1.called_.contains(t.name)) return true;
      return c == c1;
    });
  }

  Context escape_action(Context c, ActionNode* n) {
    if (!n->pipe->decl.empty()) return c;  // an assignment writes nothing
    c = nudge(c);
    for (std::size_t pos = 0; pos < n->pipe->cmds.size(); ++pos) {
      const CommandNode* cmd = n->pipe->cmds[pos];
      if (cmd->args.empty() || cmd->args[0]->type != NodeType::kIdentifier) continue;
      const auto& ident = static_cast<const IdentifierNode*>(cmd->args[0])->name;
      if (!is_predefined_escaper(ident)) continue;
      if (pos + 1 < n->pipe->cmds.size() ||
          (c.state == State::kAttr && c.delim == Delim::kSpaceOrTagEnd && ident == "html")) {
        return node_error(
            n, n->line,
            fmt::format("predefined escaper {} disallowed in template", go_quote(ident)));
      }
    }
    std::vector<std::string> s;
    switch (c.state) {
      case State::kError:
        return c;
      case State::kURL:
      case State::kCSSDqStr:
      case State::kCSSSqStr:
      case State::kCSSDqURL:
      case State::kCSSSqURL:
      case State::kCSSURL:
        switch (c.url_part) {
          case UrlPart::kNone:
            s.emplace_back("_html_template_urlfilter");
            [[fallthrough]];
          case UrlPart::kPreQuery:
            if (c.state == State::kCSSDqStr || c.state == State::kCSSSqStr) {
              s.emplace_back("_html_template_cssescaper");
            } else {
              s.emplace_back("_html_template_urlnormalizer");
            }
            break;
          case UrlPart::kQueryOrFrag:
            s.emplace_back("_html_template_urlescaper");
            break;
          case UrlPart::kUnknown:
            return node_error(
                n, n->line,
                fmt::format("{} appears in an ambiguous context within a URL", to_string(*n)));
        }
        break;
      case State::kJS:
        s.emplace_back("_html_template_jsvalescaper");
        c.js_ctx = JsCtx::kDivOp;  // a slash after a value divides
        break;
      case State::kJSDqStr:
      case State::kJSSqStr:
        s.emplace_back("_html_template_jsstrescaper");
        break;
      case State::kJSBqStr:
        return node_error(n, n->line,
                          fmt::format("{} appears in a JS template literal", to_string(*n)));
      case State::kJSRegexp:
        s.emplace_back("_html_template_jsregexpescaper");
        break;
      case State::kCSS:
        s.emplace_back("_html_template_cssvaluefilter");
        break;
      case State::kText:
        s.emplace_back("_html_template_htmlescaper");
        break;
      case State::kRCDATA:
        s.emplace_back("_html_template_rcdataescaper");
        break;
      case State::kAttr:
        break;  // the delimiter decides, below
      case State::kAttrName:
      case State::kTag:
        c.state = State::kAttrName;
        s.emplace_back("_html_template_htmlnamefilter");
        break;
      case State::kSrcset:
        s.emplace_back("_html_template_srcsetescaper");
        break;
      default:
        if (is_comment(c.state)) {
          s.emplace_back("_html_template_commentescaper");
        } else {
          return node_error(
              n, n->line,
              fmt::format("{} is in an unexpected state {}", to_string(*n), c.to_string()));
        }
    }
    switch (c.delim) {
      case Delim::kNone:
        break;
      case Delim::kSpaceOrTagEnd:
        s.emplace_back("_html_template_nospaceescaper");
        break;
      default:
        s.emplace_back("_html_template_attrescaper");
    }
    action_edits_.insert_or_assign(n, std::move(s));
    return c;
  }

  CommandNode* ident_command(std::string_view name, int pos, const Tree* tree) {
    auto* id = pass_.copies->make<IdentifierNode>(pos, tree, name);
    if (is_predefined_escaper(name)) {
      id->function = &builtin_functions().find(name)->second;
      id->builtin = true;
    } else {
      id->function = &sanitizer_functions().find(name)->second;
    }
    auto* cmd = pass_.copies->make<CommandNode>(pos, tree);
    cmd->args.push_back(id);
    return cmd;
  }

  // Go's ensurePipelineContains: appends the escapers `s` to the pipeline,
  // merging a predefined escaper (html, urlquery) it already ends with.
  void ensure_pipeline_contains(PipeNode& p, std::vector<std::string> s) {
    if (s.empty()) return;
    std::size_t length = p.cmds.size();
    if (length > 0) {
      CommandNode* last = p.cmds[length - 1];
      if (!last->args.empty() && last->args[0]->type == NodeType::kIdentifier) {
        auto* id = static_cast<IdentifierNode*>(last->args[0]);
        std::string esc = id->name;
        if (is_predefined_escaper(esc)) {
          if (p.cmds.size() == 1 && last->args.size() > 1) {
            // {{esc a b}} becomes {{_eval_args_ a b | esc}}.
            auto* eval = pass_.copies->make<IdentifierNode>(id->pos, nullptr, "_eval_args_");
            eval->tree = id->tree;
            eval->function = &sanitizer_functions().find("_eval_args_")->second;
            last->args[0] = eval;
            p.cmds.push_back(ident_command(esc, p.pos, p.tree));
            ++length;
          }
          bool dup = false;
          for (std::string& escaper : s) {
            if (normalize_escaper(esc) == normalize_escaper(escaper)) {
              escaper = esc;
              dup = true;
            }
          }
          // The predefined escaper comes back among `s`.
          if (dup) --length;
        }
      }
    }
    std::vector<CommandNode*> cmds(p.cmds.begin(), p.cmds.begin() + static_cast<long>(length));
    std::set<std::string, std::less<>> inserted;
    for (const CommandNode* cmd : cmds) {
      if (!cmd->args.empty() && cmd->args[0]->type == NodeType::kIdentifier) {
        inserted.emplace(normalize_escaper(static_cast<const IdentifierNode*>(cmd->args[0])->name));
      }
    }
    for (const std::string& name : s) {
      if (!inserted.contains(normalize_escaper(name))) {
        cmds.push_back(ident_command(name, p.pos, p.tree));
      }
    }
    p.cmds = std::move(cmds);
  }

  Context escape_text(Context c, TextNode* n) {
    std::string_view s = n->text;
    std::size_t written = 0;
    std::size_t i = 0;
    std::string b;
    while (i != s.size()) {
      auto [c1, nread] = context_after_text(c, s.substr(i));
      std::size_t i1 = i + nread;
      if (c.state == State::kText || c.state == State::kRCDATA) {
        std::size_t end = i1;
        if (c1.state != c.state) {
          for (std::size_t j = end; j > i; --j) {
            if (s[j - 1] == '<') {
              end = j - 1;
              break;
            }
          }
        }
        for (std::size_t j = i; j < end; ++j) {
          if (s[j] == '<' && !starts_with_doctype(s.substr(j))) {
            b.append(s.substr(written, j - written));
            b += "&lt;";
            written = j + 1;
          }
        }
      } else if (is_comment(c.state) && c.delim == Delim::kNone) {
        if (c.state == State::kJSBlockCmt) {
          // A block comment with a line terminator counts as one.
          std::string_view comment = s.substr(written, i1 - written);
          bool newline = comment.find_first_of("\n\r") != std::string_view::npos ||
                         comment.find("\xe2\x80\xa8") != std::string_view::npos ||
                         comment.find("\xe2\x80\xa9") != std::string_view::npos;
          b += newline ? '\n' : ' ';
        } else if (c.state == State::kCSSBlockCmt) {
          b += ' ';
        }
        written = i1;
      }
      if (c.state != c1.state && is_comment(c1.state) && c1.delim == Delim::kNone) {
        // Keep what comes before the comment's start.
        std::size_t cs = i1 - 2;
        if (c1.state == State::kHTMLCmt) cs -= 2;  // "<!--", not "/*" or "//"
        b.append(s.substr(written, cs - written));
        written = i1;
      }
      if (i == i1 && c.state == c1.state) {
        return node_error(
            n, 0, fmt::format("infinite loop from {} to {}", c.to_string(), c1.to_string()));
      }
      c = c1;
      i = i1;
    }
    if (written != 0 && c.state != State::kError) {
      if (!is_comment(c.state) || c.delim != Delim::kNone) b.append(s.substr(written));
      text_edits_.insert_or_assign(n, std::move(b));
    }
    return c;
  }

  static bool starts_with_doctype(std::string_view s) {
    static constexpr std::string_view kDoctype = "<!DOCTYPE";
    if (s.size() < kDoctype.size()) return false;
    for (std::size_t k = 0; k < kDoctype.size(); ++k) {
      char ch = s[k];
      if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
      if (ch != kDoctype[k]) return false;
    }
    return true;
  }

  Pass& pass_;
  RangeContext* range_ = nullptr;
  std::map<std::string, Context, std::less<>> output_;
  std::map<std::string, Tree*, std::less<>> derived_;
  std::set<std::string, std::less<>> called_;
  std::map<ActionNode*, std::vector<std::string>> action_edits_;
  std::map<TemplateNode*, std::string> template_edits_;
  std::map<TextNode*, std::string> text_edits_;
};

// html/template's Error.Error().
std::string error_text(const EscapeError& e) {
  if (e.node != nullptr) {
    return fmt::format("html/template:{}: {}", error_location(*static_cast<const Node*>(e.node)),
                       e.description);
  }
  if (e.line != 0) return fmt::format("html/template:{}:{}: {}", e.name, e.line, e.description);
  if (!e.name.empty()) return fmt::format("html/template:{}: {}", e.name, e.description);
  return "html/template: " + e.description;
}

}  // namespace

Status escape_template(TemplateSet& set, std::string_view name) {
  Pass pass{set, std::make_shared<Copies>(), {}};
  Escaper e(pass);
  const Tree* tree = set.lookup(name);
  Context c;
  try {
    c = e.escape_tree(Context{}, tree == nullptr ? nullptr : tree->root, name, 0).first;
  } catch (const TooDeep&) {
    return fail(error_text(EscapeError{nullptr, std::string(name), 0,
                                       "nested too deep to escape with the stack left"}));
  }
  if (c.state == State::kError) {
    EscapeError error = *c.error;
    error.name = std::string(name);
    return fail(error_text(error));
  }
  if (c.state != State::kText) {
    return fail(error_text(EscapeError{nullptr, std::string(name), 0,
                                       "ends in a non-text context: " + c.to_string()}));
  }
  e.commit();
  // The copies live as long as the set.
  set.define(std::string(name), set.lookup(name), pass.copies);
  return {};
}

}  // namespace tocsin::tmpl::html
