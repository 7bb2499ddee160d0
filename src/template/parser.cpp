#include "template/parser.h"

#include <map>

#include <fmt/format.h>

#include "core/stack_guard.h"
#include "gocompat/strconv.h"
#include "template/lexer.h"

namespace tocsin::tmpl {
namespace {

// Raised inside the parser only, to unwind to parse_template, which turns it
// into an Error value (the recursive descent reads like Go's this way).
struct Abort {
  std::string message;
};

// Go caps nested parenthesized pipelines at 10,000 (parse.go's
// maxStackDepth) and lets control structures nest as deep as a goroutine's
// growing stack allows. Here both stop at 10,000, and sooner if the thread's
// fixed stack would run out, with an error instead of a crash.
constexpr int kMaxStackDepth = 10000;

class Parser {
 public:
  Parser(Source& source, const FuncMap& funcs, const FuncMap& builtins)
      : source_(source), funcs_(funcs), builtins_(builtins) {
    tokens_ = lex(source_.text);
  }

  // The trees of this parse by name, in the order Go's treeSet holds them.
  std::map<std::string, Tree*> parse_all(std::string_view name) {
    Tree* top = new_tree(std::string(name));
    parse_top(top);
    add(top);
    return std::move(tree_set_);
  }

  int error_line() const { return tokens_[std::min(max_seen_, tokens_.size() - 1)].line; }
  int error_pos() const { return tokens_[std::min(max_seen_, tokens_.size() - 1)].pos; }

 private:
  // --- tokens ---
  // The lexer's last token (EOF or an error) repeats forever.
  const Token& next() {
    std::size_t i = std::min(cursor_, tokens_.size() - 1);
    max_seen_ = std::max(max_seen_, i);
    cursor_ = i + 1;
    return tokens_[i];
  }
  void backup() { --cursor_; }
  void rewind(std::size_t to) { cursor_ = to; }
  const Token& peek() {
    const Token& t = next();
    backup();
    return t;
  }
  const Token& next_non_space() {
    while (true) {
      const Token& t = next();
      if (t.type != TokenType::kSpace) return t;
    }
  }
  const Token& peek_non_space() {
    const Token& t = next_non_space();
    backup();
    return t;
  }

  // Counts one level of recursion while alive; the parse fails with
  // `message` past kMaxStackDepth levels or near the end of the stack.
  class Nesting {
   public:
    Nesting(Parser& parser, int& depth, std::string_view message) : depth_(depth) {
      if (depth_ >= kMaxStackDepth || stack_exhausted()) parser.errorf(std::string(message));
      ++depth_;
    }
    ~Nesting() { --depth_; }
    Nesting(const Nesting&) = delete;
    Nesting& operator=(const Nesting&) = delete;

   private:
    int& depth_;
  };

  // --- errors ---
  [[noreturn]] void errorf(const std::string& message) {
    throw Abort{fmt::format("template: {}:{}: {}", source_.parse_name, error_line(), message)};
  }
  [[noreturn]] void unexpected(const Token& token, std::string_view context) {
    if (token.type == TokenType::kError) {
      std::string extra;
      if (action_line_ != 0 && action_line_ != token.line) {
        extra = fmt::format(" in action started at {}:{}", source_.parse_name, action_line_);
        if (token.error.ends_with(" action"))
          extra = extra.substr(std::string(" in action").size());
      }
      errorf(token.error + extra);
    }
    errorf(fmt::format("unexpected {} in {}", token.describe(), context));
  }
  const Token& expect(TokenType type, std::string_view context) {
    const Token& t = next_non_space();
    if (t.type != type) unexpected(t, context);
    return t;
  }

  // --- nodes ---
  template <typename T, typename... Args>
  T* make(Args&&... args) {
    auto node = std::make_unique<T>(std::forward<Args>(args)...);
    T* raw = node.get();
    source_.nodes.push_back(std::move(node));
    return raw;
  }

  Tree* new_tree(std::string name) {
    auto tree = std::make_unique<Tree>();
    tree->name = std::move(name);
    tree->source = &source_;
    Tree* raw = tree.get();
    source_.trees.push_back(std::move(tree));
    return raw;
  }

  // Per-tree parse state, saved and restored around define and block.
  struct TreeState {
    Tree* tree = nullptr;
    std::vector<std::string> vars{"$"};
    int range_depth = 0;
  };

  void add(Tree* t) {
    auto it = tree_set_.find(t->name);
    if (it == tree_set_.end() || is_empty_tree(it->second->root)) {
      tree_set_[t->name] = t;
      return;
    }
    if (!is_empty_tree(t->root)) {
      errorf(fmt::format("template: multiple definition of template {}", gocompat::quote(t->name)));
    }
  }

  void parse_top(Tree* top) {
    state_ = TreeState{top};
    top->root = make<ListNode>(NodeType::kList, peek().pos, top);
    while (peek().type != TokenType::kEOF) {
      if (peek().type == TokenType::kLeftDelim) {
        std::size_t delim = cursor_;
        next();
        if (next_non_space().type == TokenType::kDefine) {
          TreeState saved = state_;
          parse_definition();
          state_ = saved;
          continue;
        }
        rewind(delim);
      }
      Node* n = text_or_action();
      if (n->type == NodeType::kEnd || n->type == NodeType::kElse) {
        errorf(fmt::format("unexpected {}", to_string(*n)));
      }
      top->root->nodes.push_back(n);
    }
  }

  void parse_definition() {
    constexpr std::string_view kContext = "define clause";
    const Token& name = next_non_space();
    if (name.type != TokenType::kString && name.type != TokenType::kRawString) {
      unexpected(name, kContext);
    }
    auto unquoted = gocompat::unquote(name.val);
    if (!unquoted) errorf(unquoted.error().message());
    Tree* t = new_tree(*unquoted);
    state_ = TreeState{t};
    expect(TokenType::kRightDelim, kContext);
    auto [list, end] = item_list();
    t->root = list;
    if (end->type != NodeType::kEnd) {
      errorf(fmt::format("unexpected {} in {}", to_string(*end), kContext));
    }
    add(t);
  }

  std::pair<ListNode*, Node*> item_list() {
    ListNode* list = make<ListNode>(NodeType::kList, peek_non_space().pos, state_.tree);
    while (peek_non_space().type != TokenType::kEOF) {
      Node* n = text_or_action();
      if (n->type == NodeType::kEnd || n->type == NodeType::kElse) return {list, n};
      list->nodes.push_back(n);
    }
    errorf("unexpected EOF");
  }

  Node* text_or_action() {
    const Token& token = next_non_space();
    switch (token.type) {
      case TokenType::kText:
        return make<TextNode>(token.pos, state_.tree, token.val);
      case TokenType::kLeftDelim: {
        action_line_ = token.line;
        Node* n = action();
        action_line_ = 0;
        return n;
      }
      default:
        unexpected(token, "input");
    }
  }

  Node* action() {
    const Token& token = next_non_space();
    switch (token.type) {
      case TokenType::kBlock:
        return block_control();
      case TokenType::kBreak:
        return loop_control(token, NodeType::kBreak, "{{break}}");
      case TokenType::kContinue:
        return loop_control(token, NodeType::kContinue, "{{continue}}");
      case TokenType::kElse:
        return else_control();
      case TokenType::kEnd:
        return make<Node>(NodeType::kEnd, expect(TokenType::kRightDelim, "end").pos, state_.tree);
      case TokenType::kIf:
        return branch_control(NodeType::kIf, true, "if");
      case TokenType::kRange:
        return branch_control(NodeType::kRange, false, "range");
      case TokenType::kTemplate:
        return template_control();
      case TokenType::kWith:
        return branch_control(NodeType::kWith, false, "with");
      default:
        break;
    }
    backup();
    const Token& first = peek();
    int pos = first.pos, line = first.line;
    PipeNode* pipe = pipeline("command", TokenType::kRightDelim);
    return make<ActionNode>(pos, state_.tree, line, pipe);
  }

  Node* loop_control(const Token& keyword, NodeType type, std::string_view context) {
    int pos = keyword.pos;
    const Token& t = next_non_space();
    if (t.type != TokenType::kRightDelim) unexpected(t, context);
    if (state_.range_depth == 0) errorf(fmt::format("{} outside {{{{range}}}}", context));
    return make<Node>(type, pos, state_.tree);
  }

  PipeNode* pipeline(std::string_view context, TokenType end) {
    const Token& first = peek_non_space();
    PipeNode* pipe = make<PipeNode>(first.pos, state_.tree, first.line);
    while (true) {  // declarations
      const Token& v = peek_non_space();
      if (v.type != TokenType::kVariable) break;
      std::size_t at_variable = cursor_;
      next();
      const Token& following = peek_non_space();
      if (following.type == TokenType::kAssign || following.type == TokenType::kDeclare) {
        pipe->is_assign = following.type == TokenType::kAssign;
        next_non_space();
        pipe->decl.push_back(new_variable(v.pos, v.val));
        state_.vars.emplace_back(v.val);
        break;
      }
      if (following.type == TokenType::kChar && following.val == ",") {
        next_non_space();
        pipe->decl.push_back(new_variable(v.pos, v.val));
        state_.vars.emplace_back(v.val);
        if (context == "range" && pipe->decl.size() < 2) {
          TokenType t = peek_non_space().type;
          if (t == TokenType::kVariable || t == TokenType::kRightDelim ||
              t == TokenType::kRightParen) {
            continue;
          }
          errorf("range can only initialize variables");
        }
        errorf(fmt::format("too many declarations in {}", context));
      }
      rewind(at_variable);
      break;
    }
    while (true) {
      const Token& token = next_non_space();
      if (token.type == end) {
        check_pipeline(*pipe, context);
        return pipe;
      }
      switch (token.type) {
        case TokenType::kBool:
        case TokenType::kCharConstant:
        case TokenType::kComplex:
        case TokenType::kDot:
        case TokenType::kField:
        case TokenType::kIdentifier:
        case TokenType::kNumber:
        case TokenType::kNil:
        case TokenType::kRawString:
        case TokenType::kString:
        case TokenType::kVariable:
        case TokenType::kLeftParen:
          backup();
          pipe->cmds.push_back(command());
          break;
        default:
          unexpected(token, context);
      }
    }
  }

  void check_pipeline(const PipeNode& pipe, std::string_view context) {
    if (pipe.cmds.empty()) errorf(fmt::format("missing value for {}", context));
    for (std::size_t i = 1; i < pipe.cmds.size(); ++i) {
      switch (pipe.cmds[i]->args[0]->type) {
        case NodeType::kBool:
        case NodeType::kDot:
        case NodeType::kNil:
        case NodeType::kNumber:
        case NodeType::kString:
          errorf(fmt::format("non executable command in pipeline stage {}", i + 1));
        default:
          break;
      }
    }
  }

  Node* branch_control(NodeType type, bool allow_else_if, std::string_view context) {
    Nesting nesting(*this, control_depth_, "max nesting depth exceeded");
    std::size_t vars_mark = state_.vars.size();
    PipeNode* pipe = pipeline(context, TokenType::kRightDelim);
    if (type == NodeType::kRange) ++state_.range_depth;
    auto [list, next_node] = item_list();
    if (type == NodeType::kRange) --state_.range_depth;
    ListNode* else_list = nullptr;
    if (next_node->type == NodeType::kElse) {
      if (allow_else_if && peek().type == TokenType::kIf) {
        next();
        else_list = make<ListNode>(NodeType::kList, next_node->pos, state_.tree);
        else_list->nodes.push_back(branch_control(NodeType::kIf, true, "if"));
      } else {
        Node* end_node = nullptr;
        std::tie(else_list, end_node) = item_list();
        if (end_node->type != NodeType::kEnd) {
          errorf(fmt::format("expected end; found {}", to_string(*end_node)));
        }
      }
    }
    state_.vars.resize(vars_mark);
    auto* b = make<BranchNode>(type, pipe->pos, state_.tree, pipe->line);
    b->pipe = pipe;
    b->list = list;
    b->else_list = else_list;
    return b;
  }

  Node* else_control() {
    const Token& p = peek_non_space();
    if (p.type == TokenType::kIf) return make<Node>(NodeType::kElse, p.pos, state_.tree);
    const Token& t = expect(TokenType::kRightDelim, "else");
    return make<Node>(NodeType::kElse, t.pos, state_.tree);
  }

  std::string template_name(const Token& token, std::string_view context) {
    if (token.type != TokenType::kString && token.type != TokenType::kRawString) {
      unexpected(token, context);
    }
    auto name = gocompat::unquote(token.val);
    if (!name) errorf(name.error().message());
    return *name;
  }

  Node* block_control() {
    Nesting nesting(*this, control_depth_, "max nesting depth exceeded");
    constexpr std::string_view kContext = "block clause";
    const Token& token = next_non_space();
    int pos = token.pos, line = token.line;
    std::string name = template_name(token, kContext);
    PipeNode* pipe = pipeline(kContext, TokenType::kRightDelim);
    TreeState saved = state_;
    Tree* block = new_tree(name);
    state_ = TreeState{block};
    auto [list, end] = item_list();
    block->root = list;
    if (end->type != NodeType::kEnd) {
      errorf(fmt::format("unexpected {} in {}", to_string(*end), kContext));
    }
    add(block);
    state_ = saved;
    return make<TemplateNode>(pos, state_.tree, line, std::move(name), pipe);
  }

  Node* template_control() {
    constexpr std::string_view kContext = "template clause";
    const Token& token = next_non_space();
    int pos = token.pos, line = token.line;
    std::string name = template_name(token, kContext);
    PipeNode* pipe = nullptr;
    if (next_non_space().type != TokenType::kRightDelim) {
      backup();
      pipe = pipeline(kContext, TokenType::kRightDelim);
    }
    return make<TemplateNode>(pos, state_.tree, line, std::move(name), pipe);
  }

  CommandNode* command() {
    CommandNode* cmd = make<CommandNode>(peek_non_space().pos, state_.tree);
    while (true) {
      peek_non_space();
      if (Node* op = operand()) cmd->args.push_back(op);
      const Token& token = next();
      if (token.type == TokenType::kSpace) continue;
      if (token.type == TokenType::kRightDelim || token.type == TokenType::kRightParen) {
        backup();
      } else if (token.type != TokenType::kPipe) {
        unexpected(token, "operand");
      }
      break;
    }
    if (cmd->args.empty()) errorf("empty command");
    return cmd;
  }

  Node* operand() {
    Node* node = term();
    if (node == nullptr) return nullptr;
    if (peek().type == TokenType::kField) {
      ChainNode* chain = make<ChainNode>(peek().pos, state_.tree, node);
      while (peek().type == TokenType::kField) chain->fields.emplace_back(next().val.substr(1));
      switch (node->type) {
        case NodeType::kField: {
          auto* f = make<FieldNode>(chain->pos, state_.tree);
          f->ident = static_cast<FieldNode*>(node)->ident;
          f->ident.insert(f->ident.end(), chain->fields.begin(), chain->fields.end());
          return f;
        }
        case NodeType::kVariable: {
          auto* v = make<VariableNode>(chain->pos, state_.tree);
          v->ident = static_cast<VariableNode*>(node)->ident;
          v->ident.insert(v->ident.end(), chain->fields.begin(), chain->fields.end());
          return v;
        }
        case NodeType::kBool:
        case NodeType::kString:
        case NodeType::kNumber:
        case NodeType::kNil:
        case NodeType::kDot:
          errorf(fmt::format("unexpected . after term {}", gocompat::quote(to_string(*node))));
        default:
          return chain;
      }
    }
    return node;
  }

  VariableNode* new_variable(int pos, std::string_view text) {
    auto* v = make<VariableNode>(pos, state_.tree);
    std::size_t start = 0;
    while (true) {
      std::size_t dot = text.find('.', start);
      v->ident.emplace_back(text.substr(start, dot - start));
      if (dot == std::string_view::npos) break;
      start = dot + 1;
    }
    return v;
  }

  Node* term() {
    const Token& token = next_non_space();
    switch (token.type) {
      case TokenType::kIdentifier: {
        auto* id = make<IdentifierNode>(token.pos, state_.tree, token.val);
        if (auto it = funcs_.find(token.val); it != funcs_.end()) {
          id->function = &it->second;
        } else if (auto b = builtins_.find(token.val); b != builtins_.end()) {
          id->function = &b->second;
          id->builtin = true;
        } else {
          errorf(fmt::format("function {} not defined", gocompat::quote(token.val)));
        }
        return id;
      }
      case TokenType::kDot:
        return make<Node>(NodeType::kDot, token.pos, state_.tree);
      case TokenType::kNil:
        return make<Node>(NodeType::kNil, token.pos, state_.tree);
      case TokenType::kVariable: {
        VariableNode* v = new_variable(token.pos, token.val);
        for (const auto& name : state_.vars) {
          if (name == v->ident[0]) return v;
        }
        errorf(fmt::format("undefined variable {}", gocompat::quote(v->ident[0])));
        return nullptr;
      }
      case TokenType::kField: {
        auto* f = make<FieldNode>(token.pos, state_.tree);
        std::string_view text = token.val.substr(1);
        std::size_t start = 0;
        while (true) {
          std::size_t dot = text.find('.', start);
          f->ident.emplace_back(text.substr(start, dot - start));
          if (dot == std::string_view::npos) break;
          start = dot + 1;
        }
        return f;
      }
      case TokenType::kBool:
        return make<BoolNode>(token.pos, state_.tree, token.val == "true");
      case TokenType::kCharConstant:
      case TokenType::kComplex:
      case TokenType::kNumber:
        return number(token);
      case TokenType::kLeftParen: {
        Nesting nesting(*this, paren_depth_, "max expression depth exceeded");
        return pipeline("parenthesized pipeline", TokenType::kRightParen);
      }
      case TokenType::kString:
      case TokenType::kRawString: {
        auto s = gocompat::unquote(token.val);
        if (!s) errorf(s.error().message());
        return make<StringNode>(token.pos, state_.tree, token.val, std::move(*s));
      }
      default:
        break;
    }
    backup();
    return nullptr;
  }

  NumberNode* number(const Token& token) {
    auto* n = make<NumberNode>(token.pos, state_.tree, token.val);
    std::string_view text = token.val;
    if (token.type == TokenType::kCharConstant) {
      auto ch = gocompat::unquote_char(text.substr(1), '\'');
      if (!ch) errorf("invalid syntax");
      if (ch->tail != "'") errorf(fmt::format("malformed character constant: {}", text));
      n->int_value = ch->value;
      n->uint_value = ch->value;
      n->float_value = ch->value;
      n->is_int = n->is_uint = n->is_float = true;
      return n;
    }
    if (token.type == TokenType::kComplex ||
        (text.ends_with('i') && gocompat::parse_float(text.substr(0, text.size() - 1)))) {
      errorf(fmt::format("complex constants are not supported: {}", text));
    }
    auto u = gocompat::parse_uint(text);
    if (u) {
      n->is_uint = true;
      n->uint_value = *u;
    }
    if (auto i = gocompat::parse_int(text)) {
      n->is_int = true;
      n->int_value = *i;
      if (*i == 0) {
        n->is_uint = true;
        n->uint_value = u.value_or(0);
      }
    }
    if (n->is_int) {
      n->is_float = true;
      n->float_value = static_cast<double>(n->int_value);
    } else if (n->is_uint) {
      n->is_float = true;
      n->float_value = static_cast<double>(n->uint_value);
    } else if (auto f = gocompat::parse_float(text)) {
      if (text.find_first_of(".eEpP") == std::string_view::npos) {
        errorf(fmt::format("integer overflow: {}", gocompat::quote(text)));
      }
      n->is_float = true;
      n->float_value = *f;
      double v = *f;
      if (v >= -9223372036854775808.0 && v < 9223372036854775808.0 &&
          static_cast<double>(static_cast<std::int64_t>(v)) == v) {
        n->is_int = true;
        n->int_value = static_cast<std::int64_t>(v);
      }
      if (v >= 0 && v < 18446744073709551616.0 &&
          static_cast<double>(static_cast<std::uint64_t>(v)) == v) {
        n->is_uint = true;
        n->uint_value = static_cast<std::uint64_t>(v);
      }
    }
    if (!n->is_int && !n->is_uint && !n->is_float) {
      errorf(fmt::format("illegal number syntax: {}", gocompat::quote(text)));
    }
    return n;
  }

  Source& source_;
  const FuncMap& funcs_;
  const FuncMap& builtins_;
  std::vector<Token> tokens_;
  std::size_t cursor_ = 0;
  std::size_t max_seen_ = 0;  // the latest token read: Go reports errors at its line
  int action_line_ = 0;
  int paren_depth_ = 0;    // nested parenthesized pipelines
  int control_depth_ = 0;  // nested if, range, with, else if
  TreeState state_;
  std::map<std::string, Tree*> tree_set_;
};

}  // namespace

Result<std::unique_ptr<Source>> parse_template(std::string_view name, std::string text,
                                               const FuncMap& funcs, const FuncMap& builtins) {
  auto source = std::make_unique<Source>();
  source->text = std::move(text);
  source->parse_name = std::string(name);
  Parser parser(*source, funcs, builtins);
  try {
    source->defined = parser.parse_all(name);
  } catch (const Abort& abort) {
    int pos = parser.error_pos();
    std::string_view before =
        std::string_view(source->text).substr(0, static_cast<std::size_t>(pos));
    std::size_t nl = before.rfind('\n');
    int column = static_cast<int>(nl == std::string_view::npos ? pos : pos - (nl + 1)) + 1;
    return fail(SourcePosition{"", parser.error_line(), column}, abort.message);
  }
  return source;
}

}  // namespace tocsin::tmpl
