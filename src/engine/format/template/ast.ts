// Parse tree of a Go text/template (text/template/parse/node.go). Node
// positions are UTF-16 indexes into the template text; nodeString() renders a
// node the way Go's Node.String() does, which is what execution errors quote
// ("executing "" at <.Foo.Bar>: ...").
import { goQuote } from "../../util/go-values";

export interface TextNode {
  readonly type: "text";
  readonly pos: number;
  readonly text: string;
}

export interface ActionNode {
  readonly type: "action";
  readonly pos: number;
  readonly pipe: PipeNode;
}

export interface BranchNode {
  readonly type: "if" | "range" | "with";
  readonly pos: number;
  readonly pipe: PipeNode;
  readonly list: ListNode;
  readonly elseList: ListNode | undefined;
}

export interface BreakNode {
  readonly type: "break";
  readonly pos: number;
}

export interface ContinueNode {
  readonly type: "continue";
  readonly pos: number;
}

export interface TemplateNode {
  readonly type: "template";
  readonly pos: number;
  readonly name: string;
  readonly pipe: PipeNode | undefined;
}

export interface ListNode {
  readonly type: "list";
  readonly pos: number;
  readonly nodes: Node[];
}

export type Node = TextNode | ActionNode | BranchNode | BreakNode | ContinueNode | TemplateNode | ListNode;

export interface PipeNode {
  readonly type: "pipe";
  readonly pos: number;
  /** The variables are assigned (=), not declared (:=). */
  isAssign: boolean;
  readonly decl: VariableNode[];
  readonly cmds: CommandNode[];
}

export interface CommandNode {
  readonly type: "command";
  readonly pos: number;
  readonly args: ArgNode[];
}

export interface FieldNode {
  readonly type: "field";
  readonly pos: number;
  /** Field names without their dots: .A.B → ["A", "B"]. */
  readonly ident: readonly string[];
}

export interface ChainNode {
  readonly type: "chain";
  readonly pos: number;
  readonly node: ArgNode;
  readonly field: readonly string[];
}

export interface IdentifierNode {
  readonly type: "identifier";
  readonly pos: number;
  readonly ident: string;
}

export interface VariableNode {
  readonly type: "variable";
  readonly pos: number;
  /** Variable name (with $) then fields: $x.A → ["$x", "A"]. */
  readonly ident: readonly string[];
}

export interface DotNode {
  readonly type: "dot";
  readonly pos: number;
}

export interface NilNode {
  readonly type: "nil";
  readonly pos: number;
}

export interface BoolNode {
  readonly type: "bool";
  readonly pos: number;
  readonly value: boolean;
}

export interface NumberNode {
  readonly type: "number";
  readonly pos: number;
  readonly isInt: boolean;
  readonly isUint: boolean;
  readonly isFloat: boolean;
  readonly isComplex: boolean;
  /** The int64 value; a bigint when a JS number cannot hold it exactly. */
  readonly int: number | bigint;
  readonly uint: number;
  readonly float: number;
  /** The literal as written. */
  readonly text: string;
}

export interface StringNode {
  readonly type: "string";
  readonly pos: number;
  /** The literal as written, with its quotes. */
  readonly quoted: string;
  readonly text: string;
}

export type ArgNode =
  | FieldNode
  | ChainNode
  | IdentifierNode
  | VariableNode
  | DotNode
  | NilNode
  | BoolNode
  | NumberNode
  | StringNode
  | PipeNode;

export type AnyNode = Node | ArgNode | CommandNode;

function pipeString(p: PipeNode): string {
  let s = "";
  if (p.decl.length > 0) s = p.decl.map(nodeString).join(", ") + " := ";
  return s + p.cmds.map(nodeString).join(" | ");
}

/** Go's Node.String(). */
export function nodeString(n: AnyNode): string {
  switch (n.type) {
    case "text":
      return n.text;
    case "action":
      return "{{" + pipeString(n.pipe) + "}}";
    case "if":
    case "range":
    case "with": {
      let s = `{{${n.type} ${pipeString(n.pipe)}}}` + nodeString(n.list);
      if (n.elseList !== undefined) s += "{{else}}" + nodeString(n.elseList);
      return s + "{{end}}";
    }
    case "break":
      return "{{break}}";
    case "continue":
      return "{{continue}}";
    case "template":
      return n.pipe === undefined
        ? `{{template ${goQuote(n.name)}}}`
        : `{{template ${goQuote(n.name)} ${pipeString(n.pipe)}}}`;
    case "list":
      return n.nodes.map(nodeString).join("");
    case "pipe":
      return pipeString(n);
    case "command":
      return n.args.map((a) => (a.type === "pipe" ? "(" + pipeString(a) + ")" : nodeString(a))).join(" ");
    case "field":
      return n.ident.map((id) => "." + id).join("");
    case "chain":
      return (n.node.type === "pipe" ? "(" + pipeString(n.node) + ")" : nodeString(n.node)) + n.field.map((f) => "." + f).join("");
    case "identifier":
      return n.ident;
    case "variable":
      return n.ident.join(".");
    case "dot":
      return ".";
    case "nil":
      return "nil";
    case "bool":
      return n.value ? "true" : "false";
    case "number":
      return n.text;
    case "string":
      return n.quoted;
  }
}
