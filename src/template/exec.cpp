#include "template/exec.h"

#include <fmt/format.h>

#include "core/stack_guard.h"
#include "gocompat/strconv.h"
#include "template/printf.h"

namespace tocsin::tmpl {
namespace {

// Go's cap on nested template calls (exec.go's maxExecDepth). A goroutine's
// stack grows to reach it; a thread's does not, so execution also stops,
// with the same error, when the stack is nearly used up.
constexpr int kMaxTemplateDepth = 100000;

// The parameter type of and/or/eq/...: Go's reflect.Value, which takes anything.
const Param kAnyParam = Param::any();

enum class Flow { kNormal, kBreak, kContinue };

using NodeArgs = std::span<Node* const>;

bool nullable(const Param& p) {
  return p.is_any() || p.kind == Kind::kList || p.kind == Kind::kMap || p.kind == Kind::kStruct ||
         p.kind == Kind::kFunc;
}

bool is_hex_int(std::string_view s) {
  return s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') &&
         s.find_first_of("pP") == std::string_view::npos;
}

class Executor {
 public:
  Executor(const TemplateSet& set, std::string& out, const Host& host, Arena& arena)
      : set_(set),
        out_(out),
        ctx_(arena, host, set),
        vars_(arena.resource()),
        arg_stack_(arena.resource()) {
    vars_.reserve(16);
    arg_stack_.reserve(32);
  }

  Status run(const Tree& tree, std::string_view name, const Value& data) {
    name_ = name;
    vars_.push_back({"$", data});
    if (tree.root == nullptr) {
      return errorf(fmt::format("{} is an incomplete or empty template", gocompat::quote(name)));
    }
    auto flow = walk(data, tree.root);
    if (!flow) return std::unexpected(flow.error());
    return {};
  }

 private:
  struct Variable {
    std::string_view name;
    Value value;
  };

  std::unexpected<Error> errorf(std::string_view message) const {
    if (node_ == nullptr) {
      return fail(fmt::format("template: {}: {}", name_, message));
    }
    return fail(fmt::format("template: {}: executing {} at <{}>: {}", error_location(*node_),
                            gocompat::quote(name_), to_string(*node_), message));
  }

  // Go's error for too deep a recursion, raised here also when the stack is
  // nearly used up.
  std::unexpected<Error> out_of_stack() const {
    return errorf(fmt::format("exceeded maximum template depth ({})", kMaxTemplateDepth));
  }

  // --- variables ---
  Result<Value> var_value(std::string_view name) const {
    for (std::size_t i = vars_.size(); i > frame_; --i) {
      if (vars_[i - 1].name == name) return vars_[i - 1].value;
    }
    return errorf(fmt::format("undefined variable: {}", name));
  }
  Status set_var(std::string_view name, const Value& v) {
    for (std::size_t i = vars_.size(); i > frame_; --i) {
      if (vars_[i - 1].name == name) {
        vars_[i - 1].value = v;
        return {};
      }
    }
    return errorf(fmt::format("undefined variable: {}", name));
  }

  // --- walking ---
  Result<Flow> walk(const Value& dot, const Node* node) {
    node_ = node;
    switch (node->type) {
      case NodeType::kAction: {
        const auto* a = static_cast<const ActionNode*>(node);
        auto v = eval_pipeline(dot, a->pipe);
        if (!v) return std::unexpected(v.error());
        if (a->pipe->decl.empty()) {
          if (auto s = print_value(node, *v); !s) return std::unexpected(s.error());
        }
        return Flow::kNormal;
      }
      case NodeType::kBreak:
        return Flow::kBreak;
      case NodeType::kContinue:
        return Flow::kContinue;
      case NodeType::kIf:
      case NodeType::kWith:
        return walk_if_or_with(dot, static_cast<const BranchNode*>(node));
      case NodeType::kList:
        // Nested control structures recurse through here.
        if (stack_exhausted()) return out_of_stack();
        for (const Node* n : static_cast<const ListNode*>(node)->nodes) {
          auto flow = walk(dot, n);
          if (!flow || *flow != Flow::kNormal) return flow;
        }
        return Flow::kNormal;
      case NodeType::kRange:
        return walk_range(dot, static_cast<const BranchNode*>(node));
      case NodeType::kTemplate:
        return walk_template(dot, static_cast<const TemplateNode*>(node));
      case NodeType::kText:
        out_ += static_cast<const TextNode*>(node)->text;
        return Flow::kNormal;
      default:
        return errorf(fmt::format("unknown node: {}", to_string(*node)));
    }
  }

  Result<Flow> walk_if_or_with(const Value& dot, const BranchNode* b) {
    std::size_t mark = vars_.size();
    auto val = eval_pipeline(dot, b->pipe);
    if (!val) return std::unexpected(val.error());
    Result<Flow> flow = Flow::kNormal;
    if (is_true(*val)) {
      flow = walk(b->type == NodeType::kWith ? *val : dot, b->list);
    } else if (b->else_list != nullptr) {
      flow = walk(dot, b->else_list);
    }
    vars_.resize(mark);
    return flow;
  }

  // One pass of a range body; true to go on, false to stop (break or error).
  bool iterate(const BranchNode* r, std::size_t mark, const Value& index, const Value& elem,
               Status& status) {
    std::size_t n = r->pipe->decl.size();
    if (n > 0) vars_[vars_.size() - 1].value = elem;
    if (n > 1) vars_[vars_.size() - 2].value = index;
    auto flow = walk(elem, r->list);
    vars_.resize(mark);
    if (!flow) {
      status = std::unexpected(flow.error());
      return false;
    }
    return *flow != Flow::kBreak;
  }

  Result<Flow> walk_range(const Value& dot, const BranchNode* r) {
    node_ = r;
    std::size_t outer = vars_.size();
    auto val = eval_pipeline(dot, r->pipe);
    if (!val) return std::unexpected(val.error());
    std::size_t mark = vars_.size();
    Status status;
    bool iterated = false;
    switch (val->kind()) {
      case Kind::kList: {
        const List& list = val->as_list();
        iterated = list.size() > 0;
        for (std::size_t i = 0; i < list.size(); ++i) {
          if (!iterate(r, mark, Value::integer(static_cast<std::int64_t>(i)), list.at(i), status)) {
            break;
          }
        }
        break;
      }
      case Kind::kMap: {
        const Map& map = val->as_map();
        iterated = map.size() > 0;
        auto visit = [&](std::string_view key, const Value& elem) {
          return iterate(r, mark, Value::string(key), elem, status);
        };
        map.for_each(visit);
        break;
      }
      case Kind::kInvalid:
        break;
      default: {
        std::string shown;
        sprint_value(shown, *val);
        return errorf(fmt::format("range can't iterate over {}", shown));
      }
    }
    if (!status) return std::unexpected(status.error());
    Result<Flow> flow = Flow::kNormal;
    if (!iterated && r->else_list != nullptr) flow = walk(dot, r->else_list);
    vars_.resize(outer);
    return flow;
  }

  Result<Flow> walk_template(const Value& dot, const TemplateNode* t) {
    node_ = t;
    const Tree* tree = set_.lookup(t->name);
    if (tree == nullptr)
      return errorf(fmt::format("template {} not defined", gocompat::quote(t->name)));
    // Twice the list's reserve: a recursion through {{template}} stops here,
    // at the call Go would name, before the list check below it trips.
    if (depth_ == kMaxTemplateDepth || stack_exhausted(2 * kStackReserve)) return out_of_stack();
    auto new_dot = eval_pipeline(dot, t->pipe);
    if (!new_dot) return std::unexpected(new_dot.error());
    std::string_view saved_name = name_;
    std::size_t saved_frame = frame_;
    std::size_t mark = vars_.size();
    name_ = t->name;
    frame_ = mark;
    vars_.push_back({"$", *new_dot});
    ++depth_;
    auto flow = walk(*new_dot, tree->root);
    --depth_;
    vars_.resize(mark);
    frame_ = saved_frame;
    name_ = saved_name;
    if (!flow) return std::unexpected(flow.error());
    return Flow::kNormal;
  }

  Status print_value(const Node* n, const Value& v) {
    node_ = n;
    if (!v.valid()) {
      out_ += "<no value>";
      return {};
    }
    if (v.kind() == Kind::kFunc) {
      return errorf(fmt::format("can't print {} of type {}", to_string(*n), v.type_name()));
    }
    sprint_value(out_, v, /*indirect=*/true);
    return {};
  }

  // --- evaluation ---
  Result<Value> eval_pipeline(const Value& dot, const PipeNode* pipe) {
    if (pipe == nullptr) return Value();
    node_ = pipe;
    Value value;
    bool have = false;
    for (const CommandNode* cmd : pipe->cmds) {
      auto v = eval_command(dot, cmd, have ? &value : nullptr);
      if (!v) return v;
      value = *v;
      have = true;
    }
    for (const VariableNode* var : pipe->decl) {
      if (pipe->is_assign) {
        if (auto s = set_var(var->ident[0], value); !s) return std::unexpected(s.error());
      } else {
        vars_.push_back({var->ident[0], value});
      }
    }
    return value;
  }

  Status not_a_function(NodeArgs args, const Value* final) {
    if (args.size() > 1 || final != nullptr) {
      return errorf(fmt::format("can't give argument to non-function {}", to_string(*args[0])));
    }
    return {};
  }

  Result<Value> eval_command(const Value& dot, const CommandNode* cmd, const Value* final) {
    const Node* first = cmd->args[0];
    NodeArgs args(cmd->args);
    switch (first->type) {
      case NodeType::kField:
        return eval_field_node(dot, static_cast<const FieldNode*>(first), args, final);
      case NodeType::kChain:
        return eval_chain_node(dot, static_cast<const ChainNode*>(first), args, final);
      case NodeType::kIdentifier:
        return eval_function(dot, static_cast<const IdentifierNode*>(first), cmd, args, final);
      case NodeType::kPipe:
        if (auto s = not_a_function(args, final); !s) return std::unexpected(s.error());
        return eval_pipeline(dot, static_cast<const PipeNode*>(first));
      case NodeType::kVariable:
        return eval_variable_node(dot, static_cast<const VariableNode*>(first), args, final);
      default:
        break;
    }
    node_ = first;
    if (auto s = not_a_function(args, final); !s) return std::unexpected(s.error());
    switch (first->type) {
      case NodeType::kBool:
        return Value::boolean(static_cast<const BoolNode*>(first)->value);
      case NodeType::kDot:
        return dot;
      case NodeType::kNil:
        return errorf("nil is not a command");
      case NodeType::kNumber:
        return ideal_constant(static_cast<const NumberNode*>(first));
      case NodeType::kString:
        return Value::string(static_cast<const StringNode*>(first)->text);
      default:
        break;
    }
    return errorf(fmt::format("can't evaluate command {}", gocompat::quote(to_string(*first))));
  }

  Result<Value> ideal_constant(const NumberNode* n) {
    node_ = n;
    if (n->is_float && !is_hex_int(n->text) && !n->text.starts_with('\'') &&
        n->text.find_first_of(".eEpP") != std::string::npos) {
      return Value::floating(n->float_value);
    }
    if (n->is_int) return Value::integer(n->int_value);
    if (n->is_uint) return errorf(fmt::format("{} overflows int", n->text));
    return Value();
  }

  Result<Value> eval_field_node(const Value& dot, const FieldNode* field, NodeArgs args,
                                const Value* final) {
    node_ = field;
    return eval_field_chain(dot, dot, field, field->ident, args, final);
  }

  Result<Value> eval_chain_node(const Value& dot, const ChainNode* chain, NodeArgs args,
                                const Value* final) {
    node_ = chain;
    if (chain->fields.empty()) return errorf("internal error: no fields in evalChainNode");
    if (chain->node->type == NodeType::kNil) {
      return errorf(fmt::format("indirection through explicit nil in {}", to_string(*chain)));
    }
    auto pipe = eval_arg(dot, nullptr, chain->node);
    if (!pipe) return pipe;
    return eval_field_chain(dot, *pipe, chain, chain->fields, args, final);
  }

  Result<Value> eval_variable_node(const Value& dot, const VariableNode* var, NodeArgs args,
                                   const Value* final) {
    node_ = var;
    auto value = var_value(var->ident[0]);
    if (!value) return value;
    if (var->ident.size() == 1) {
      if (auto s = not_a_function(args, final); !s) return std::unexpected(s.error());
      return value;
    }
    return eval_field_chain(dot, *value, var, std::span(var->ident).subspan(1), args, final);
  }

  Result<Value> eval_field_chain(const Value& dot, Value receiver, const Node* node,
                                 std::span<const std::string> ident, NodeArgs args,
                                 const Value* final) {
    for (std::size_t i = 0; i + 1 < ident.size(); ++i) {
      auto r = eval_field(dot, ident[i], node, {}, nullptr, receiver);
      if (!r) return r;
      receiver = *r;
    }
    return eval_field(dot, ident.back(), node, args, final, receiver);
  }

  Result<Value> eval_function(const Value& dot, const IdentifierNode* id, const Node* cmd,
                              NodeArgs args, const Value* final) {
    node_ = id;
    return eval_call(dot, *id->function, id->builtin, cmd, id->name, args, final, Value());
  }

  Result<Value> eval_field(const Value& dot, std::string_view name, const Node* node, NodeArgs args,
                           const Value* final, const Value& receiver) {
    if (!receiver.valid()) {
      if (set_.options().missing_key == MissingKey::kError) {
        return errorf(fmt::format("nil data; no entry for key {}", gocompat::quote(name)));
      }
      return Value();
    }
    if (const Callable* method = receiver.method(name)) {
      return eval_call(dot, *method, false, node, name, args, final, receiver);
    }
    bool has_args = args.size() > 1 || final != nullptr;
    switch (receiver.kind()) {
      case Kind::kStruct:
        if (auto field = receiver.as_struct().field(name)) {
          if (has_args) {
            return errorf(fmt::format("{} has arguments but cannot be invoked as function", name));
          }
          return *field;
        }
        break;
      case Kind::kMap: {
        if (has_args) return errorf(fmt::format("{} is not a method but has arguments", name));
        const Map& map = receiver.as_map();
        if (auto v = map.find(name)) return *v;
        switch (set_.options().missing_key) {
          case MissingKey::kInvalid:
            return Value();
          case MissingKey::kZero:
            return map.zero();
          case MissingKey::kError:
            return errorf(fmt::format("map has no entry for key {}", gocompat::quote(name)));
        }
        return Value();
      }
      default:
        break;
    }
    return errorf(fmt::format("can't evaluate field {} in type {}", name, receiver.type_name()));
  }

  Result<Value> eval_call(const Value& dot, const Callable& fn, bool builtin, const Node* node,
                          std::string_view name, NodeArgs args, const Value* final,
                          const Value& receiver) {
    if (!args.empty()) args = args.subspan(1);  // the first word names the function
    std::size_t num_in = args.size() + (final != nullptr ? 1 : 0);
    std::size_t num_params = fn.params.size();
    std::size_t num_fixed = args.size();
    if (fn.variadic) {
      num_fixed = num_params - 1;
      if (num_in < num_fixed) {
        return errorf(fmt::format("wrong number of args for {}: want at least {} got {}", name,
                                  num_params - 1, args.size()));
      }
    } else if (num_in != num_params) {
      return errorf(
          fmt::format("wrong number of args for {}: want {} got {}", name, num_params, num_in));
    }
    if (builtin && (name == "and" || name == "or")) {
      Value v;
      for (const Node* arg : args) {
        auto r = eval_arg(dot, &kAnyParam, arg);
        if (!r) return r;
        v = *r;
        if (is_true(v) == (name == "or")) return v;
      }
      if (final != nullptr) v = *final;
      return v;
    }
    std::size_t base = arg_stack_.size();
    auto release = [&] { arg_stack_.resize(base); };
    std::size_t i = 0;
    for (; i < num_fixed && i < args.size(); ++i) {
      auto r = eval_arg(dot, &fn.params[i], args[i]);
      if (!r) {
        release();
        return r;
      }
      arg_stack_.push_back(*r);
    }
    if (fn.variadic) {
      for (; i < args.size(); ++i) {
        auto r = eval_arg(dot, &fn.params.back(), args[i]);
        if (!r) {
          release();
          return r;
        }
        arg_stack_.push_back(*r);
      }
    }
    if (final != nullptr) {
      const Param* t = &fn.params.back();
      if (fn.variadic && num_in - 1 < num_fixed) t = &fn.params[num_in - 1];
      auto r = validate_type(*final, t);
      if (!r) {
        release();
        return r;
      }
      arg_stack_.push_back(*r);
    }
    // Copy the arguments out: a function may run another execution.
    Value local[8];
    std::vector<Value> heap;
    std::span<const Value> argv;
    std::size_t n = arg_stack_.size() - base;
    if (n <= 8) {
      std::copy(arg_stack_.begin() + static_cast<std::ptrdiff_t>(base), arg_stack_.end(), local);
      argv = std::span<const Value>(local, n);
    } else {
      heap.assign(arg_stack_.begin() + static_cast<std::ptrdiff_t>(base), arg_stack_.end());
      argv = heap;
    }
    release();
    auto result = fn.body(ctx_, receiver, argv);
    if (!result) {
      node_ = node;
      return errorf(fmt::format("error calling {}: {}", name, result.error().message()));
    }
    return result;
  }

  Result<Value> validate_type(const Value& value, const Param* type) {
    if (type == nullptr) return value;
    if (!value.valid()) {
      if (nullable(*type)) return Value();
      return errorf(fmt::format("invalid value; expected {}", type->type));
    }
    if (type->is_any() || value.type_name() == type->type) return value;
    return errorf(
        fmt::format("wrong type for value; expected {}; got {}", type->type, value.type_name()));
  }

  Result<Value> eval_arg(const Value& dot, const Param* type, const Node* n) {
    node_ = n;
    auto checked = [&](Result<Value> v) -> Result<Value> {
      if (!v) return v;
      return validate_type(*v, type);
    };
    switch (n->type) {
      case NodeType::kDot:
        return validate_type(dot, type);
      case NodeType::kNil:
        if (type == nullptr || nullable(*type)) return Value();
        return errorf(fmt::format("cannot assign nil to {}", type->type));
      case NodeType::kField: {
        Node* const self[] = {const_cast<Node*>(n)};
        return checked(eval_field_node(dot, static_cast<const FieldNode*>(n), self, nullptr));
      }
      case NodeType::kVariable:
        return checked(eval_variable_node(dot, static_cast<const VariableNode*>(n), {}, nullptr));
      case NodeType::kPipe:
        return checked(eval_pipeline(dot, static_cast<const PipeNode*>(n)));
      case NodeType::kIdentifier: {
        const auto* id = static_cast<const IdentifierNode*>(n);
        return checked(eval_function(dot, id, id, {}, nullptr));
      }
      case NodeType::kChain:
        return checked(eval_chain_node(dot, static_cast<const ChainNode*>(n), {}, nullptr));
      default:
        break;
    }
    if (type == nullptr || type->is_any()) return eval_empty_interface(dot, n);
    const auto* num = n->type == NodeType::kNumber ? static_cast<const NumberNode*>(n) : nullptr;
    switch (type->kind) {
      case Kind::kBool:
        if (n->type == NodeType::kBool)
          return Value::boolean(static_cast<const BoolNode*>(n)->value);
        return errorf(fmt::format("expected bool; found {}", to_string(*n)));
      case Kind::kFloat:
        if (num != nullptr && num->is_float) return Value::floating(num->float_value);
        return errorf(fmt::format("expected float; found {}", to_string(*n)));
      case Kind::kInt:
        if (num != nullptr && num->is_int) return Value::integer(num->int_value);
        return errorf(fmt::format("expected integer; found {}", to_string(*n)));
      case Kind::kUint:
        if (num != nullptr && num->is_uint) return Value::uinteger(num->uint_value);
        return errorf(fmt::format("expected unsigned integer; found {}", to_string(*n)));
      case Kind::kString:
        if (n->type == NodeType::kString) {
          return Value::string(static_cast<const StringNode*>(n)->text);
        }
        return errorf(fmt::format("expected string; found {}", to_string(*n)));
      default:
        break;
    }
    return errorf(fmt::format("can't handle {} for arg of type {}", to_string(*n), type->type));
  }

  Result<Value> eval_empty_interface(const Value& dot, const Node* n) {
    node_ = n;
    switch (n->type) {
      case NodeType::kBool:
        return Value::boolean(static_cast<const BoolNode*>(n)->value);
      case NodeType::kDot:
        return dot;
      case NodeType::kField:
        return eval_field_node(dot, static_cast<const FieldNode*>(n), {}, nullptr);
      case NodeType::kIdentifier: {
        const auto* id = static_cast<const IdentifierNode*>(n);
        return eval_function(dot, id, id, {}, nullptr);
      }
      case NodeType::kNil:
        return errorf("evalEmptyInterface: nil (can't happen)");
      case NodeType::kNumber:
        return ideal_constant(static_cast<const NumberNode*>(n));
      case NodeType::kString:
        return Value::string(static_cast<const StringNode*>(n)->text);
      case NodeType::kVariable:
        return eval_variable_node(dot, static_cast<const VariableNode*>(n), {}, nullptr);
      case NodeType::kPipe:
        return eval_pipeline(dot, static_cast<const PipeNode*>(n));
      default:
        break;
    }
    return errorf(
        fmt::format("can't handle assignment of {} to empty interface argument", to_string(*n)));
  }

  const TemplateSet& set_;
  std::string& out_;
  CallContext ctx_;
  std::string_view name_;  // the template running now, for error messages
  const Node* node_ = nullptr;
  // Both live in the execution's arena: no heap traffic for typical templates.
  std::pmr::vector<Variable> vars_;
  std::size_t frame_ = 0;  // variables below this index belong to calling templates
  std::pmr::vector<Value> arg_stack_;
  int depth_ = 0;
};

}  // namespace

Status execute_tree(const TemplateSet& set, const Tree& tree, std::string_view name,
                    std::string& out, const Value& data, const Host& host, Arena& arena) {
  Executor exec(set, out, host, arena);
  return exec.run(tree, name, data);
}

Result<std::string_view> CallContext::execute_template(std::string_view name,
                                                       const Value& data) const {
  std::string out;
  if (auto s = set_.execute(out, name, data, host_, arena_); !s) return std::unexpected(s.error());
  return arena_.copy(out);
}

}  // namespace tocsin::tmpl
