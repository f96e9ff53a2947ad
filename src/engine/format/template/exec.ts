// The executor of Go's text/template (Go 1.24, text/template/exec.go), ported
// so that output, "<no value>" cases and error texts match. Data are plain JS
// values read as Go maps (see go-value.ts): a missing key is "no value" and
// prints "<no value>"; JSON null is a nil interface{}. Function-valued
// properties act as methods.
import { sprint } from "../go-fmt";
import { GoFloat, goTypeName, sortedMapEntries, utf8Length, type GoMap } from "../go-value";
import { goQuote } from "../../util/go-values";
import type { AnyNode, ArgNode, BranchNode, ChainNode, FieldNode, IdentifierNode, Node, NumberNode, PipeNode, TemplateNode, VariableNode } from "./ast";
import { nodeString } from "./ast";
import { BUILTINS, paramTypeName, type GoFunc, type ParamType } from "./funcs";
import type { Tree } from "./parser";
import { elemOf, ifaceOf, indirect, indirectInterface, INVALID, isTrue, isValid, kindOf, toInterface, truth, typeString, valueOf, type RV } from "./reflect";

/** An execution failure; the message is Go's. `partial` is what was written before it. */
export class TemplateExecError extends Error {
  readonly partial: string;
  constructor(message: string, partial: string) {
    super(message);
    this.name = "TemplateExecError";
    this.partial = partial;
  }
}

// Go stops nested {{template}} calls at depth 100000. A JS stack holds far fewer
// frames, so we stop much earlier but print Go's text, which is what learners compare.
const MAX_EXEC_DEPTH = 200;
const GO_MAX_EXEC_DEPTH = 100000;

// The "no final argument" marker of evalCommand (Go's missingVal).
const MISSING: unique symbol = Symbol("missing");
type Final = RV | typeof MISSING;

const BREAK: unique symbol = Symbol("break");
const CONTINUE: unique symbol = Symbol("continue");

// Thrown by errorf; execute() turns it into a TemplateExecError.
class ExecAbort extends Error {}

interface Variable {
  readonly name: string;
  value: RV;
}

interface Ctx {
  readonly trees: ReadonlyMap<string, Tree>;
  readonly funcs: ReadonlyMap<string, GoFunc>;
  out: string;
}

class State {
  node: AnyNode | undefined;

  constructor(
    readonly ctx: Ctx,
    readonly tree: Tree,
    public vars: Variable[],
    readonly depth: number,
  ) {}

  // --- variables

  push(name: string, value: RV): void {
    this.vars.push({ name, value });
  }

  mark(): number {
    return this.vars.length;
  }

  pop(mark: number): void {
    this.vars.length = mark;
  }

  setVar(name: string, value: RV): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i];
      if (v !== undefined && v.name === name) {
        v.value = value;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }

  setTopVar(n: number, value: RV): void {
    const v = this.vars[this.vars.length - n];
    if (v !== undefined) v.value = value;
  }

  varValue(name: string): RV {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i];
      if (v !== undefined && v.name === name) return v.value;
    }
    this.errorf(`undefined variable: ${name}`);
  }

  // --- errors

  at(node: AnyNode): void {
    this.node = node;
  }

  errorf(message: string): never {
    const name = this.tree.name;
    if (this.node === undefined) throw new ExecAbort(`template: ${name}: ${message}`);
    // Go's ErrorContext: line and byte column of the node in the template text.
    const before = this.tree.text.slice(0, this.node.pos);
    const nl = before.lastIndexOf("\n");
    const col = utf8Length(nl < 0 ? before : before.slice(nl + 1));
    const line = before.split("\n").length;
    const location = `${this.tree.parseName}:${line}:${col}`;
    throw new ExecAbort(`template: ${location}: executing ${goQuote(name)} at <${nodeString(this.node)}>: ${message}`);
  }

  // --- walking

  walk(dot: RV, node: Node): void {
    this.at(node);
    switch (node.type) {
      case "action": {
        // Variables declared here persist until the enclosing end; declarations print nothing.
        const val = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, val);
        return;
      }
      case "break":
        throw BREAK;
      case "continue":
        throw CONTINUE;
      case "if":
      case "with":
        this.walkIfOrWith(dot, node);
        return;
      case "list":
        for (const n of node.nodes) this.walk(dot, n);
        return;
      case "range":
        this.walkRange(dot, node);
        return;
      case "template":
        this.walkTemplate(dot, node);
        return;
      case "text":
        this.ctx.out += node.text;
        return;
    }
  }

  walkIfOrWith(dot: RV, node: BranchNode): void {
    const mark = this.mark();
    try {
      const val = this.evalPipeline(dot, node.pipe);
      const [t, ok] = isTrue(indirectInterface(val));
      if (!ok) this.errorf(`if/with can't use ${sprint([toInterface(val)])}`);
      if (t) this.walk(node.type === "with" ? val : dot, node.list);
      else if (node.elseList !== undefined) this.walk(dot, node.elseList);
    } finally {
      this.pop(mark);
    }
  }

  walkRange(dot: RV, r: BranchNode): void {
    this.at(r);
    const outer = this.mark();
    try {
      const val = indirect(this.evalPipeline(dot, r.pipe)).rv;
      // Mark the stack before any variables in the body are pushed.
      const mark = this.mark();
      const decl = r.pipe.decl;
      const oneIteration = (idx: RV, elem: RV): void => {
        if (decl.length > 0) {
          if (r.pipe.isAssign) this.setVar(decl[0]?.ident[0] ?? "", decl.length > 1 ? idx : elem);
          else this.setTopVar(1, elem);
        }
        if (decl.length > 1) {
          if (r.pipe.isAssign) this.setVar(decl[1]?.ident[0] ?? "", elem);
          else this.setTopVar(2, idx);
        }
        try {
          this.walk(elem, r.list);
        } catch (e) {
          if (e !== CONTINUE) throw e;
        } finally {
          this.pop(mark);
        }
      };
      const value = toInterface(val);
      let ran = false;
      switch (kindOf(val)) {
        case "int": {
          if (decl.length > 1) this.errorf(`can't use ${sprint([value])} to iterate over more than one variable`);
          const n = Number(value);
          for (let i = 0; i < n; i++) {
            ran = true;
            oneIteration(INVALID, valueOf(i));
          }
          break;
        }
        case "slice": {
          const list = value as readonly unknown[];
          list.forEach((e, i) => {
            ran = true;
            oneIteration(valueOf(i), elemOf(list, e));
          });
          break;
        }
        case "map": {
          const m = value as GoMap;
          for (const [k, e] of sortedMapEntries(m)) {
            ran = true;
            oneIteration(valueOf(k), elemOf(m, e));
          }
          break;
        }
        case "invalid":
          break; // a nil map or slice acts as empty
        default:
          this.errorf(`range can't iterate over ${sprint([value])}`);
      }
      if (!ran && r.elseList !== undefined) this.walk(dot, r.elseList);
    } catch (e) {
      if (e !== BREAK) throw e;
    } finally {
      this.pop(outer);
    }
  }

  walkTemplate(dot: RV, t: TemplateNode): void {
    this.at(t);
    const tree = this.ctx.trees.get(t.name);
    if (tree === undefined) this.errorf(`template ${goQuote(t.name)} not defined`);
    if (this.depth === MAX_EXEC_DEPTH) this.errorf(`exceeded maximum template depth (${GO_MAX_EXEC_DEPTH})`);
    const value = t.pipe === undefined ? INVALID : this.evalPipeline(dot, t.pipe);
    // No dynamic scoping: the called template sees only $.
    const sub = new State(this.ctx, tree, [{ name: "$", value }], this.depth + 1);
    sub.walk(value, tree.root);
  }

  // --- evaluation

  evalPipeline(dot: RV, pipe: PipeNode): RV {
    this.at(pipe);
    let value: Final = MISSING;
    for (const cmd of pipe.cmds) {
      value = this.evalCommand(dot, cmd.args, cmd, value);
      // An interface{} result is replaced by what it holds.
      if (value.k === "iface") value = valueOf(value.value);
    }
    const result: RV = value === MISSING ? INVALID : value;
    for (const v of pipe.decl) {
      if (pipe.isAssign) this.setVar(v.ident[0] ?? "", result);
      else this.push(v.ident[0] ?? "", result);
    }
    return result;
  }

  notAFunction(args: readonly ArgNode[], final: Final): void {
    if (args.length > 1 || final !== MISSING) this.errorf(`can't give argument to non-function ${nodeString(args[0] as ArgNode)}`);
  }

  evalCommand(dot: RV, args: readonly ArgNode[], cmd: AnyNode, final: Final): RV {
    const first = args[0] as ArgNode;
    switch (first.type) {
      case "field":
        return this.evalFieldNode(dot, first, args, final);
      case "chain":
        return this.evalChainNode(dot, first, args, final);
      case "identifier":
        return this.evalFunction(dot, first, cmd, args, final);
      case "pipe":
        // A parenthesized pipeline takes no arguments.
        this.notAFunction(args, final);
        return this.evalPipeline(dot, first);
      case "variable":
        return this.evalVariableNode(dot, first, args, final);
    }
    this.at(first);
    this.notAFunction(args, final);
    switch (first.type) {
      case "bool":
        return valueOf(first.value);
      case "dot":
        return dot;
      case "nil":
        this.errorf("nil is not a command");
      case "number":
        return this.idealConstant(first);
      case "string":
        return valueOf(first.text);
    }
  }

  idealConstant(n: NumberNode): RV {
    this.at(n);
    const isHexInt = /^0[xX]/.test(n.text) && !/[pP]/.test(n.text);
    const isRuneInt = n.text.startsWith("'");
    if (n.isFloat && !isHexInt && !isRuneInt && /[.eEpP]/.test(n.text)) return valueOf(new GoFloat(n.float));
    if (n.isInt) return valueOf(n.int);
    if (n.isUint) this.errorf(`${n.text} overflows int`);
    return INVALID;
  }

  evalFieldNode(dot: RV, field: FieldNode, args: readonly ArgNode[], final: Final): RV {
    this.at(field);
    return this.evalFieldChain(dot, dot, field, field.ident, args, final);
  }

  evalChainNode(dot: RV, chain: ChainNode, args: readonly ArgNode[], final: Final): RV {
    this.at(chain);
    if (chain.field.length === 0) this.errorf("internal error: no fields in evalChainNode");
    if (chain.node.type === "nil") this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    // (pipe).Field1.Field2: evaluate the pipeline, then the fields.
    const pipe = this.evalArg(dot, undefined, chain.node);
    return this.evalFieldChain(dot, pipe, chain, chain.field, args, final);
  }

  evalVariableNode(dot: RV, v: VariableNode, args: readonly ArgNode[], final: Final): RV {
    this.at(v);
    const value = this.varValue(v.ident[0] ?? "");
    if (v.ident.length === 1) {
      this.notAFunction(args, final);
      return value;
    }
    return this.evalFieldChain(dot, value, v, v.ident.slice(1), args, final);
  }

  evalFieldChain(dot: RV, receiverIn: RV, node: AnyNode, ident: readonly string[], args: readonly ArgNode[], final: Final): RV {
    let receiver = receiverIn;
    const n = ident.length;
    for (let i = 0; i < n - 1; i++) receiver = this.evalField(dot, ident[i] ?? "", node, [], MISSING, receiver);
    return this.evalField(dot, ident[n - 1] ?? "", node, args, final, receiver);
  }

  evalFunction(dot: RV, node: IdentifierNode, cmd: AnyNode, args: readonly ArgNode[], final: Final): RV {
    this.at(node);
    const name = node.ident;
    const user = this.ctx.funcs.get(name);
    const fn = user ?? BUILTINS.get(name);
    if (fn === undefined) this.errorf(`${goQuote(name)} is not a defined function`);
    return this.evalCall(dot, fn, user === undefined, cmd, name, args, final);
  }

  evalField(dot: RV, fieldName: string, node: AnyNode, args: readonly ArgNode[], final: Final, receiverIn: RV): RV {
    if (!isValid(receiverIn)) return INVALID; // a missing key's fields are missing too
    const typ = typeString(receiverIn);
    const { rv: receiver, isNil } = indirect(receiverIn);
    if (receiver.k === "iface" && isNil) this.errorf(`nil pointer evaluating ${typ}.${fieldName}`);
    const kind = kindOf(receiver);
    if (kind === "map" || kind === "struct") {
      const m = toInterface(receiver) as GoMap;
      const v = Object.prototype.hasOwnProperty.call(m, fieldName) ? m[fieldName] : undefined;
      if (typeof v === "function") {
        // A function property is a method: call it with the command's arguments.
        return this.evalCall(dot, methodFunc(v as (...a: unknown[]) => unknown), false, node, fieldName, args, final);
      }
      const hasArgs = args.length > 1 || final !== MISSING;
      if (kind === "struct" && v !== undefined) {
        if (hasArgs) this.errorf(`${fieldName} has arguments but cannot be invoked as function`);
        return elemOf(m, v);
      }
      if (kind === "map") {
        if (hasArgs) this.errorf(`${fieldName} is not a method but has arguments`);
        return v === undefined ? INVALID : elemOf(m, v);
      }
    }
    this.errorf(`can't evaluate field ${fieldName} in type ${typ}`);
  }

  evalCall(dot: RV, fn: GoFunc, isBuiltin: boolean, node: AnyNode, name: string, argsIn: readonly ArgNode[], final: Final): RV {
    const args = argsIn.slice(1); // the zeroth arg is the function itself
    const numIn = args.length + (final === MISSING ? 0 : 1);
    let numFixed = args.length;
    if (fn.variadic) {
      numFixed = fn.params.length - 1;
      if (numIn < numFixed) this.errorf(`wrong number of args for ${name}: want at least ${fn.params.length - 1} got ${args.length}`);
    } else if (numIn !== fn.params.length) {
      this.errorf(`wrong number of args for ${name}: want ${fn.params.length} got ${numIn}`);
    }

    // and/or evaluate their arguments lazily and return the deciding one.
    if (isBuiltin && (name === "and" || name === "or")) {
      let v: RV = INVALID;
      for (const arg of args) {
        v = this.evalArg(dot, "value", arg);
        if (truth(v) === (name === "or")) return v;
      }
      if (final !== MISSING) v = this.validateType(final, "value");
      return v;
    }

    const argv: RV[] = [];
    let i = 0;
    for (; i < numFixed && i < args.length; i++) argv.push(this.evalArg(dot, fn.params[i] ?? "any", args[i] as ArgNode));
    if (fn.variadic) {
      const argType = fn.params[fn.params.length - 1] ?? "any";
      for (; i < args.length; i++) argv.push(this.evalArg(dot, argType, args[i] as ArgNode));
    }
    if (final !== MISSING) {
      let t = fn.params[fn.params.length - 1] ?? "any";
      if (fn.variadic && numIn - 1 < numFixed) t = fn.params[numIn - 1] ?? "any";
      argv.push(this.validateType(final, t));
    }
    // call gets the callee's text to name it in errors.
    if (isBuiltin && name === "call") {
      const first = args[0];
      let callee: string;
      if (first !== undefined) callee = nodeString(first);
      else {
        const f = final === MISSING ? INVALID : final;
        callee = kindOf(f) === "string" ? String(toInterface(f)) : `<${typeString(f)} Value>`;
      }
      argv.unshift(valueOf(callee));
    }
    try {
      return fn.call(argv);
    } catch (e) {
      if (e instanceof ExecAbort) throw e;
      this.at(node);
      this.errorf(`error calling ${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Check that a value suits a parameter type (Go's validateType). */
  validateType(value: RV, typ: ParamType | undefined): RV {
    if (!isValid(value)) {
      if (typ === undefined) return INVALID;
      // Types that can be nil get their zero value.
      if (typ === "any") return ifaceOf(null);
      if (typ === "value") return INVALID;
      if (typ === "[]string") return valueOf([]);
      this.errorf(`invalid value; expected ${paramTypeName(typ)}`);
    }
    if (typ === undefined || typ === "value" || typ === "any") return value;
    if (assignable(value, typ)) return value;
    let v = value;
    if (v.k === "iface" && v.value !== null) {
      v = valueOf(v.value);
      if (assignable(v, typ)) return v;
    }
    this.errorf(`wrong type for value; expected ${paramTypeName(typ)}; got ${typeString(v)}`);
  }

  evalArg(dot: RV, typ: ParamType | undefined, n: ArgNode): RV {
    this.at(n);
    switch (n.type) {
      case "dot":
        return this.validateType(dot, typ);
      case "nil":
        if (typ === "any") return ifaceOf(null);
        if (typ === "value") return INVALID;
        if (typ === "[]string") return valueOf([]);
        this.errorf(`cannot assign nil to ${typ === undefined ? "<nil>" : paramTypeName(typ)}`);
      case "field":
        return this.validateType(this.evalFieldNode(dot, n, [n], MISSING), typ);
      case "variable":
        return this.validateType(this.evalVariableNode(dot, n, [], MISSING), typ);
      case "pipe":
        return this.validateType(this.evalPipeline(dot, n), typ);
      case "identifier":
        return this.validateType(this.evalFunction(dot, n, n, [n], MISSING), typ);
      case "chain":
        return this.validateType(this.evalChainNode(dot, n, [], MISSING), typ);
    }
    switch (typ) {
      case "bool":
        if (n.type === "bool") return valueOf(n.value);
        this.errorf(`expected bool; found ${nodeString(n)}`);
      case "int":
        if (n.type === "number" && n.isInt) return valueOf(n.int);
        this.errorf(`expected integer; found ${nodeString(n)}`);
      case "string":
        if (n.type === "string") return valueOf(n.text);
        this.errorf(`expected string; found ${nodeString(n)}`);
      case "any":
      case "value":
        return this.evalEmptyInterface(n);
    }
    this.errorf(`can't handle ${nodeString(n)} for arg of type ${typ === undefined ? "<nil>" : paramTypeName(typ)}`);
  }

  evalEmptyInterface(n: ArgNode): RV {
    this.at(n);
    switch (n.type) {
      case "bool":
        return valueOf(n.value);
      case "number":
        return this.idealConstant(n);
      case "string":
        return valueOf(n.text);
    }
    this.errorf(`can't handle assignment of ${nodeString(n)} to empty interface argument`);
  }

  printValue(node: AnyNode, v: RV): void {
    this.at(node);
    if (!isValid(v)) {
      this.ctx.out += "<no value>";
      return;
    }
    if (kindOf(v) === "func") this.errorf(`can't print ${nodeString(node)} of type ${typeString(v)}`);
    this.ctx.out += sprint([toInterface(v)]);
  }
}

function assignable(v: RV, typ: ParamType): boolean {
  if (v.k !== "concrete") return false;
  const t = goTypeName(v.value);
  return typ === "[]string" ? t === "[]string" : t === typ;
}

// A JS function standing for a Go method: its declared parameters are interface{}.
function methodFunc(f: (...a: unknown[]) => unknown): GoFunc {
  return {
    params: Array.from({ length: f.length }, (): ParamType => "any"),
    variadic: false,
    call: (args) => {
      const result = f(...args.map(toInterface));
      return result === null || result === undefined ? ifaceOf(null) : valueOf(result);
    },
  };
}

/**
 * Execute the template `name` of a parsed set against data. `funcs` are the
 * FuncMap functions (builtins are always there). Throws TemplateExecError.
 */
export function execute(trees: ReadonlyMap<string, Tree>, name: string, data: unknown, funcs: ReadonlyMap<string, GoFunc>): string {
  const tree = trees.get(name);
  const ctx: Ctx = { trees, funcs, out: "" };
  const value = valueOf(data);
  if (tree === undefined) throw new TemplateExecError(`template: ${name}: ${goQuote(name)} is an incomplete or empty template`, "");
  const state = new State(ctx, tree, [{ name: "$", value }], 0);
  try {
    state.walk(value, tree.root);
  } catch (e) {
    if (e instanceof ExecAbort) throw new TemplateExecError(e.message, ctx.out);
    throw e;
  }
  return ctx.out;
}
