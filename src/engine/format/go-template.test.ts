// Expected outputs and error texts were checked against the Docker 28.2.2 CLI
// (Go 1.24), whose --format runs without a daemon for `docker context ls` and
// `docker context inspect`. Where Docker executes against typed structs and we
// against maps, the expectations follow Go's map semantics (documented in
// go-template.ts).
import { describe, expect, it } from "vitest";
import { errorMessage as err } from "../testing/error-message";
import {
  GoFloat,
  goStruct,
  isTableFormat,
  parseDockerFormat,
  parseTemplate,
  renderDockerFormat,
  renderTemplate,
  TemplateExecError,
  TemplateParseError,
  unescapeFormat,
  type FuncMap,
} from "./go-template";

const container = {
  Id: "f2a1d9c0e3b4a5",
  Name: "/web",
  Args: ["-g", "daemon off;"],
  Config: {
    Image: "nginx:latest",
    Env: ["PATH=/usr/bin", "NGINX_VERSION=1.25"],
    Labels: { "com.example.b": "2", "com.example.a": "1" },
    ExposedPorts: { "80/tcp": {} },
  },
  State: { Status: "running", Running: true, Pid: 4242, ExitCode: 0, Health: null },
  HostConfig: { Memory: 0, NanoCpus: 1500000000, CpuShares: 0 },
  NetworkSettings: { Networks: { bridge: { IPAddress: "172.17.0.2", Aliases: null } } },
  SizeRw: 1234567,
  Ratio: 0.25,
  Mixed: [1, "two", null, true],
  Empty: [],
  EmptyMap: {},
};

function run(template: string, data: unknown = container): string {
  return renderTemplate(template, data);
}


describe("fields and printing", () => {
  it("prints scalars as Go does", () => {
    expect(run("{{.Name}} {{.State.Pid}} {{.State.Running}} {{.Ratio}} {{.SizeRw}}")).toBe("/web 4242 true 0.25 1234567");
    expect(run("{{.HostConfig.NanoCpus}}")).toBe("1500000000");
    expect(run("{{.X}}", { X: new GoFloat(1234567) })).toBe("1.234567e+06");
    expect(run("{{.X}} {{.Y}}", { X: new GoFloat(3), Y: 1e21 })).toBe("3 1e+21");
  });

  it("prints slices and maps (keys sorted) like fmt", () => {
    expect(run("{{.Args}}")).toBe("[-g daemon off;]");
    expect(run("{{.Config.Labels}}")).toBe("map[com.example.a:1 com.example.b:2]");
    expect(run("{{.Mixed}}")).toBe("[1 two <nil> true]");
    expect(run("{{.Empty}}|{{.EmptyMap}}")).toBe("[]|map[]");
    expect(run("{{.Config.ExposedPorts}}")).toBe("map[80/tcp:map[]]");
    expect(run("{{.NetworkSettings.Networks}}")).toBe("map[bridge:map[Aliases:<nil> IPAddress:172.17.0.2]]");
  });

  it('prints "<no value>" for missing keys and for nil', () => {
    expect(run("{{.Missing}}")).toBe("<no value>");
    expect(run("{{.Missing.Deeper.Still}}")).toBe("<no value>");
    expect(run("{{.State.Health}}")).toBe("<no value>");
    expect(run("{{.}}", null)).toBe("<no value>");
    expect(run("{{.A}}", { A: undefined })).toBe("<no value>");
  });

  it("prints dot as a whole", () => {
    expect(run("{{.}}", "text")).toBe("text");
    expect(run("{{.}}", { b: 1, a: [1, 2] })).toBe("map[a:[1 2] b:1]");
    expect(run("{{.}}", [])).toBe("[]");
  });

  it("passes text through and handles empty templates", () => {
    expect(run("plain {text} }}")).toBe("plain {text} }}");
    expect(run("")).toBe("");
    expect(run("a\nb\n")).toBe("a\nb\n");
  });

  it("reads variables with fields and $ as the root", () => {
    expect(run("{{$c := .Config}}{{$c.Image}} {{$.Name}} {{$}}", { Config: { Image: "x" }, Name: "n" })).toBe("x n map[Config:map[Image:x] Name:n]");
  });

  it("follows fields of parenthesized pipelines (chains)", () => {
    expect(run('{{(index .NetworkSettings.Networks "bridge").IPAddress}}')).toBe("172.17.0.2");
    expect(run("{{(.State).Status}}")).toBe("running");
  });
});

describe("whitespace, comments and literals", () => {
  it("trims around {{- and -}}", () => {
    expect(run("a  \n\t {{- .Name -}} \n  b")).toBe("a/webb");
    expect(run("{{- .Name}}  x")).toBe("/web  x");
    expect(run("x {{.Name -}}\n\n")).toBe("x /web");
    expect(run("{{.Name}} {{- /* gone */ -}} !")).toBe("/web!");
    expect(run("{{-3}}")).toBe("-3");
  });

  it("drops comments", () => {
    expect(run("a{{/* a comment */}}b")).toBe("ab");
    expect(run("a{{/* multi\nline */}}b")).toBe("ab");
  });

  it("understands string, raw string, char, number, bool and nil literals", () => {
    expect(run('{{"a\\tb\\n\\"q\\" \\x41\\101\\u00e9"}}')).toBe('a\tb\n"q" AAé');
    expect(run("{{`raw\\n`}}")).toBe("raw\\n");
    expect(run("{{'a'}} {{'\\n'}} {{'é'}} {{'\\''}}")).toBe("97 10 233 39");
    expect(run("{{0x10}} {{1e3}} {{1.5e300}} {{-0}} {{0.1}} {{100000.0}} {{1000000.0}} {{0.0001}} {{0.00001}} {{1_000}} {{0b101}} {{0o17}} {{017}}")).toBe(
      "16 1000 1.5e+300 0 0.1 100000 1e+06 0.0001 1e-05 1000 5 15 15",
    );
    expect(run("{{0x1p4}} {{1e2}} {{-0x10}} {{1.5}} {{+7}}")).toBe("16 100 -16 1.5 7");
    expect(run("{{true}} {{false}}")).toBe("true false");
    expect(run("{{print nil}}")).toBe("<nil>");
  });
});

describe("pipelines and variables", () => {
  it("passes the previous result as the last argument", () => {
    expect(run("{{.Name | upper}}")).toBe("/WEB");
    expect(run('{{"a" | printf "%s-%s" "b"}}')).toBe("b-a");
    expect(run('{{.Name | len | printf "%d chars"}}')).toBe("4 chars");
    expect(run('{{(print "a" "b") | printf "%s!"}}|{{print (len "abc") (index "xy" 0)}}')).toBe("ab!|3 120");
    expect(run('{{printf "%s" | print}}')).toBe("%!s(MISSING)");
  });

  it("declares and assigns variables", () => {
    expect(run("{{$x := .Name}}{{$x}}")).toBe("/web");
    expect(run('{{$x := 1}}{{$x = "two"}}{{$x}}')).toBe("two");
    expect(run("{{$x := 1}}{{if true}}{{$x := 2}}{{$x}}{{end}}{{$x}}")).toBe("21");
    expect(run('{{$x := 1}}{{range split "a,b" ","}}{{$x = .}}{{end}}{{$x}}')).toBe("b");
    expect(err(() => run("{{$a, $b := 1}}", {}))).toBe("template: :1: too many declarations in command");
  });

  it("accepts := and = inside if and with", () => {
    expect(run('{{with $x := "v"}}{{$x}}{{.}}{{end}}')).toBe("vv");
    expect(run("{{if $p := .State.Pid}}pid={{$p}}{{end}}")).toBe("pid=4242");
  });
});

describe("if, with and range", () => {
  it("chooses branches by Go truth", () => {
    const truth = (v: unknown): string => run("{{if .}}T{{else}}F{{end}}", v);
    expect([truth(0), truth(1), truth(""), truth("x"), truth([]), truth([0]), truth({}), truth({ a: 1 }), truth(null), truth(false), truth(0.5)]).toEqual([
      "F",
      "T",
      "F",
      "T",
      "F",
      "T",
      "F",
      "T",
      "F",
      "F",
      "T",
    ]);
    expect(run("{{if .Missing}}T{{else}}F{{end}}")).toBe("F");
    expect(run("{{if .State.Health}}T{{else}}F{{end}}")).toBe("F");
  });

  it("supports else if chains", () => {
    expect(run("{{if false}}a{{else if false}}b{{else if true}}c{{else}}d{{end}}")).toBe("c");
    expect(run('{{if eq .State.Status "exited"}}E{{else if .State.Running}}R{{end}}')).toBe("R");
  });

  it("sets dot in with, with else and else with", () => {
    expect(run("{{with .Config}}{{.Image}}{{end}}")).toBe("nginx:latest");
    expect(run("{{with .Missing}}x{{else}}none{{end}}")).toBe("none");
    expect(run('{{with ""}}x{{else with "y"}}{{.}}{{end}}')).toBe("y");
  });

  it("ranges over slices with element, index and value", () => {
    expect(run("{{range .Args}}[{{.}}]{{end}}")).toBe("[-g][daemon off;]");
    expect(run("{{range $i, $a := .Args}}{{$i}}={{$a}} {{end}}")).toBe("0=-g 1=daemon off; ");
    expect(run("{{range $a := .Args}}{{$a}};{{end}}")).toBe("-g;daemon off;;");
    expect(run("{{range .Mixed}}{{.}},{{end}}")).toBe("1,two,<no value>,true,");
  });

  it("ranges over maps in sorted key order", () => {
    expect(run("{{range $k, $v := .Config.Labels}}{{$k}}={{$v}};{{end}}")).toBe("com.example.a=1;com.example.b=2;");
    expect(run("{{range .Config.Labels}}{{.}}{{end}}")).toBe("12");
    expect(run("{{range $k, $v := .}}{{$k}} {{end}}", { b: 1, B: 2, a: 3, é: 4, z: 5 })).toBe("B a b z é ");
    expect(run("{{range $net, $conf := .NetworkSettings.Networks}}{{$net}}: {{$conf.IPAddress}}{{end}}")).toBe("bridge: 172.17.0.2");
  });

  it("runs else for empty, missing and nil collections", () => {
    expect(run("{{range .Empty}}x{{else}}empty{{end}}")).toBe("empty");
    expect(run("{{range .EmptyMap}}x{{else}}empty{{end}}")).toBe("empty");
    expect(run("{{range .Missing}}x{{else}}missing{{end}}")).toBe("missing");
    expect(run("{{range .State.Health}}x{{else}}nil{{end}}")).toBe("nil");
  });

  it("ranges over integers (Go 1.22+)", () => {
    expect(run("{{range $i := 3}}{{$i}}{{end}}|{{range 0}}x{{else}}empty{{end}}|{{range -2}}x{{else}}neg{{end}}")).toBe("012|empty|neg");
  });

  it("supports break and continue", () => {
    expect(run('{{range $i, $c := split "a,b,c" ","}}{{if eq $c "b"}}{{continue}}{{end}}{{$i}}{{$c}}{{end}}')).toBe("0a2c");
    expect(run('{{range split "a,b,c" ","}}{{if eq . "b"}}{{break}}{{end}}{{.}}{{end}}')).toBe("a");
    expect(run("{{range $i := 5}}{{if eq $i 3}}{{break}}{{end}}{{range $j := 2}}{{if eq $j 1}}{{break}}{{end}}{{$i}}{{$j}} {{end}}{{end}}")).toBe("00 10 20 ");
  });

  it("scopes variables to their block", () => {
    expect(err(() => run("{{with $x := 1}}{{end}}{{$x}}"))).toBe('template: :1: undefined variable "$x"');
    expect(run("{{range $i, $v := .Args}}{{end}}{{$x := 1}}{{$x}}")).toBe("1");
  });
});

describe("Go builtin functions", () => {
  it("len counts bytes of strings, elements of slices and maps", () => {
    expect(run("{{len .Args}} {{len .Config.Labels}} {{len .Name}} {{len \"héllo\"}} {{len .Empty}}")).toBe("2 2 4 6 0");
  });

  it("index reads maps, slices and string bytes, with several indexes", () => {
    expect(run('{{index .Config.Labels "com.example.a"}}')).toBe("1");
    expect(run("{{index .Args 1}}")).toBe("daemon off;");
    expect(run('{{index .NetworkSettings.Networks "bridge" "IPAddress"}}')).toBe("172.17.0.2");
    expect(run('{{index . "a" 1 "b"}}', { a: [0, { b: "deep" }] })).toBe("deep");
    expect(run('{{index "abc" 1}}')).toBe("98");
    expect(run("{{index .Args}}")).toBe("[-g daemon off;]");
  });

  it("index of a missing key gives the element type's zero value", () => {
    // map[string]string → "" (as Docker prints for a missing label); map[string]interface{} → <no value>.
    expect(run('[{{index .Config.Labels "nope"}}]')).toBe("[]");
    expect(run('[{{index . "nope"}}]')).toBe("[<no value>]");
    expect(run('[{{index .Counts "nope"}}]', { Counts: { a: 1 } })).toBe("[0]");
    expect(run('{{index .Mixed 2}}')).toBe("<no value>");
  });

  it("slice cuts strings (by bytes) and slices", () => {
    expect(run('{{ slice "abcdef" 1 4 }}|{{ slice (split "a,b,c,d" ",") 1 3 }}|{{ slice "abc" }}|{{ slice "abc" 2 }}')).toBe("bcd|[b c]|abc|c");
    expect(run("{{slice .Id 0 12}}")).toBe("f2a1d9c0e3b4");
  });

  it("print, printf and println", () => {
    expect(run("{{print 1.5 2 \"a\" \"b\" 3}}|{{println 1 2}}|")).toBe("1.5 2ab3|1 2\n|");
    expect(run('{{printf "%v" 1234567.0}}|{{1.0}}')).toBe("1.234567e+06|1");
    expect(run('{{printf "%-10s|%5.1f|%03d|%q|%x" .Config.Image .Ratio .State.Pid .Name 255}}')).toBe('nginx:latest|  0.2|4242|"/web"|ff');
    expect(run('{{printf "%d %s" "s" 1}}')).toBe("%!d(string=s) %!s(int=1)");
    expect(run("{{print true false nil}}")).toBe("true false <nil>");
    expect(run("{{print .Missing}}|{{printf \"%v\" .State.Health}}")).toBe("<nil>|<nil>");
    expect(run('{{printf "%T %T %T %T %T" 1 1.5 "s" true (split "a" ",")}}')).toBe("int float64 string bool []string");
  });

  it("not, and, or return Go truth and the deciding operand", () => {
    expect(run('{{not 0}} {{not ""}} {{and 1 0 2}} {{or 0 "" "x"}} {{and 1 2}} {{or 0 ""}}|{{if and 1 2}}y{{end}}')).toBe("true true 0 x 2 |y");
    expect(run('{{or .Missing "fallback"}}|{{and .Name .Missing}}|{{or .Name .Missing}}')).toBe("fallback|<no value>|/web");
    expect(run('{{and 1 "" | not}}|{{"x" | and 1}}|{{"" | or 0}}|')).toBe('true|x||');
  });

  it("and/or stop evaluating at the deciding operand", () => {
    expect(run("{{or 1 (index 1 2)}}|{{and 0 (index 1 2)}}")).toBe("1|0");
  });

  it("comparison functions", () => {
    expect(run('{{lt 1 2}} {{le 2 2}} {{gt "b" "a"}} {{ge 1.5 2.5}} {{ne 1 2}} {{eq "a" "b" "a"}} {{eq 1 2 3}}')).toBe("true true true false true true false");
    expect(run('{{eq .State.Status "running"}} {{eq .State.Pid 4242}} {{eq .Missing nil}} {{eq .State.Health nil}} {{ne .Name "/db"}}')).toBe(
      "true true true true true",
    );
    expect(run('{{eq .Missing "x"}} {{lt "B" "a"}} {{lt "é" "z"}}')).toBe("false true false");
  });

  it("html, js and urlquery escape like Go", () => {
    expect(run(`{{html "<a href=\\"x\\">&'</a>"}}|{{js "<a>'\\"\\\\x"}}|{{urlquery "a b&c=d/é"}}`)).toBe(
      "&lt;a href=&#34;x&#34;&gt;&amp;&#39;&lt;/a&gt;|\\u003Ca\\u003E\\'\\\"\\\\x|a+b%26c%3Dd%2F%C3%A9",
    );
    expect(run('{{html 1 "<" 2}}|{{js "a=b\\x01"}}')).toBe("1&lt;2|a\\u003Db\\u0001");
  });

  it("call invokes a function value (index yields a function property without calling it)", () => {
    const data = { F: (a: unknown, b: unknown) => Number(a) * Number(b), N: "x" };
    expect(run('{{call (index . "F") 2 3}}', data)).toBe("6");
    expect(err(() => run("{{call .N 1}}", data))).toBe('template: :1:2: executing "" at <call .N 1>: error calling call: non-function .N of type string');
    expect(err(() => run("{{call nil}}", data))).toBe('template: :1:2: executing "" at <call nil>: error calling call: call of nil');
    expect(err(() => run("{{call}}", data))).toBe('template: :1:2: executing "" at <call>: wrong number of args for call: want at least 1 got 0');
    expect(err(() => run('{{call (index . "F") 1}}', data))).toBe(
      'template: :1:2: executing "" at <call (index . "F") 1>: error calling call: wrong number of args for index . "F": got 1 want 2',
    );
  });
});

describe("Docker's functions (templates.basicFunctions)", () => {
  it("json encodes without HTML escaping, structs in field order", () => {
    expect(run("{{json .Config.Labels}}")).toBe('{"com.example.b":"2","com.example.a":"1"}');
    expect(run("{{json .Args}}|{{json .State.Health}}|{{json .Missing}}|{{json .Name}}")).toBe('["-g","daemon off;"]|null|null|"/web"');
    expect(run('{{json "<>&\\u2028\\b\\x01"}}')).toBe('"<>&\\u2028\\b\\u0001"');
    expect(run("{{json .}}", { Name: "n", Ports: [], Sizes: { a: 1.5 } })).toBe('{"Name":"n","Ports":[],"Sizes":{"a":1.5}}');
    expect(run("{{json 1e21}}|{{json 1.5e-7}}|{{json 0.1}}|{{json 100000000000000000000.0}}")).toBe("1e+21|1.5e-7|0.1|100000000000000000000");
  });

  it("json of an unencodable value prints nothing (docker/cli ignores the error)", () => {
    expect(run("[{{json .F}}]", { F: new GoFloat(NaN) })).toBe("[]");
  });

  it("join, split, upper, lower, title", () => {
    expect(run('{{join .Config.Env ","}}')).toBe("PATH=/usr/bin,NGINX_VERSION=1.25");
    expect(run('{{split "a,b" ","}}|{{json (split "a,b" ",")}}|{{join (split "a,b" ",") "+"}}')).toBe('[a b]|["a","b"]|a+b');
    expect(run('{{split "abc" ""}}|{{split "" ","}}|{{len (split "" ",")}}')).toBe("[a b c]|[]|1");
    expect(run('{{upper "héllo"}} {{lower "ÀB"}} {{upper "ß"}}')).toBe("HÉLLO àb ß");
    expect(run('{{title "hello wOrld-foo_bar x.y"}}')).toBe("Hello WOrld-Foo_bar X.Y");
    expect(run("{{range .Config.Env}}{{index (split . \"=\") 0}} {{end}}")).toBe("PATH NGINX_VERSION ");
  });

  it("pad and truncate", () => {
    expect(run('[{{pad "abc" 2 1}}]|[{{pad "" 2 1}}]')).toBe("[  abc ]|[]");
    expect(run('{{truncate "abcdef" 3}}|{{truncate "ab" 3}}|{{truncate "abc" 3}}|{{truncate "abc" 0}}')).toBe("abc|ab|abc|");
    // truncate cuts bytes: half of é becomes U+FFFD.
    expect(run('{{truncate "héllo" 2}}')).toBe("h\ufffd");
    expect(run("{{truncate .Id 12}}")).toBe("f2a1d9c0e3b4");
  });
});

describe("methods (function properties)", () => {
  const row = {
    ID: "abc",
    Label: (name: unknown) => ({ "com.docker.compose.project": "demo" })[String(name)] ?? "",
    Labels: () => "a=1,b=2",
    Fail: () => {
      throw new Error("boom");
    },
  };

  it("calls them with the command's arguments", () => {
    expect(run('{{.Label "com.docker.compose.project"}}|{{.Labels}}|{{.ID}}', row)).toBe("demo|a=1,b=2|abc");
    expect(run('{{"com.docker.compose.project" | .Label}}', row)).toBe("demo");
  });

  it("reports argument counts and errors as Go does", () => {
    expect(err(() => run("{{.Label}}", row))).toBe('template: :1:2: executing "" at <.Label>: wrong number of args for Label: want 1 got 0');
    expect(err(() => run("{{.Labels 1}}", row))).toBe('template: :1:2: executing "" at <.Labels>: wrong number of args for Labels: want 0 got 1');
    expect(err(() => run("{{.Fail}}", row))).toBe('template: :1:2: executing "" at <.Fail>: error calling Fail: boom');
  });
});

describe("define, template and block", () => {
  it("runs named templates with their own dot and no outer variables", () => {
    expect(run('{{define "t"}}[{{.}}]{{end}}{{template "t" "x"}}{{template "t"}}{{block "b" 5}}<{{.}}>{{end}}')).toBe("[x][<no value>]<5>");
    expect(run('{{define "row"}}{{.Name}}={{.State.Status}}{{end}}{{template "row" .}}')).toBe("/web=running");
  });

  it("reports missing and duplicate templates", () => {
    expect(err(() => run('{{ template "x" }}'))).toBe('template: :1:12: executing "" at <{{template "x"}}>: template "x" not defined');
    expect(err(() => run('{{define "a"}}1{{end}}{{define "a"}}2{{end}}'))).toBe('template: :1: template: multiple definition of template "a"');
    expect(err(() => run('{{define "t"}}{{.Nope.X}}{{end}}{{template "t" 1}}'))).toBe(
      'template: :1:21: executing "t" at <.Nope.X>: can\'t evaluate field Nope in type int',
    );
  });
});

describe("parse errors (Go's messages)", () => {
  const cases: Array<[string, string]> = [
    ["{{foo}}", 'function "foo" not defined'],
    ["{{.A", "unclosed action"],
    ["{{if .A}}", "unexpected EOF"],
    ["{{end}}", "unexpected {{end}}"],
    ["{{$x}}", 'undefined variable "$x"'],
    ["{{}}", "missing value for command"],
    ["{{.A | 1}}", "non executable command in pipeline stage 2"],
    ['{{"a".B}}', 'unexpected . after term "\\"a\\""'],
    ["{{else}}", "unexpected {{else}}"],
    ["{{range}}x{{end}}", "missing value for range"],
    ["{{(1}}", "unclosed left paren"],
    ["{{1)}}", "unexpected right paren"],
    ["{{.A.}}", "unexpected <.> in operand"],
    ['{{"abc}}', "unterminated quoted string"],
    ["{{`abc}}", "unterminated raw quoted string"],
    ["{{/* x }}", "unclosed comment"],
    ["{{/* x */ }}", "comment ends before closing delimiter"],
    ["{{if}}{{end}}", "missing value for if"],
    ["{{range $a, $b, $c := .}}{{end}}", "too many declarations in range"],
    ["{{$x := 1 | 2}}", "non executable command in pipeline stage 2"],
    ['{{ "\\q" }}', "invalid syntax"],
    ["{{ 0x1Z }}", 'bad number syntax: "0x1Z"'],
    ["{{ 1e }}", 'illegal number syntax: "1e"'],
    ["{{ 99999999999999999999 }}", 'integer overflow: "99999999999999999999"'],
    ["{{ if 1 }}{{ else }}{{ else }}{{ end }}", "expected end; found {{else}}"],
    ["{{ break }}", "{{break}} outside {{range}}"],
    ["{{ continue }}", "{{continue}} outside {{range}}"],
    ["{{ range . }}{{ break 1 }}{{ end }}", 'unexpected "1" in {{break}}'],
    ['{{ . | "x" }}', "non executable command in pipeline stage 2"],
    ["{{ @ }}", 'unexpected "@" in command'],
    ["{{ é }}", 'function "é" not defined'],
    ['{{ define "x" }}', "unexpected EOF"],
    ["{{ ( ) }}", "missing value for parenthesized pipeline"],
    ['{{ "aaaaaaaaaaaaaaa" "b" | x }}', 'function "x" not defined'],
    ["{{ 'ab' }}", "malformed character constant: 'ab'"],
    ["{{ '' }}", "invalid syntax"],
    ["{{ '\n' }}", "unterminated character constant"],
    ["{{ .A.B\u00a7 }}", "bad character U+00A7 '§'"],
    // The lexer's "expected :=" comes too late: $x is looked up first.
    ["{{ $x:1 }}", 'undefined variable "$x"'],
    ["{{ print $x:1 }}", 'undefined variable "$x"'],
    ["{{ print 1:2 }}", "expected :="],
    ["{{ \u0001 }}", "unrecognized character in action: U+0001"],
    ["{{ range $i, 1 }}{{end}}", "range can only initialize variables"],
    ["{{with $x, $y := 1}}{{end}}", "too many declarations in with"],
    ['{{ template 1 }}', "unexpected \"1\" in template clause"],
    ["{{ nil.X }}", 'unexpected . after term "nil"'],
    ["{{ print 1 }", "unexpected \"}\" in operand"],
    ["{{ 1+2i }}", "complex number 1+2i is not supported"],
  ];
  for (const [text, message] of cases) {
    it(JSON.stringify(text), () => {
      const e = err(() => parseTemplate(text));
      expect(e).toBe(`template: :1: ${message}`);
    });
  }

  it("reports the line of the failing token", () => {
    expect(err(() => parseTemplate("line1\n{{ .A }}{{ foo }}"))).toBe('template: :2: function "foo" not defined');
    expect(err(() => parseTemplate("a\nb\n{{if .X}}\n"))).toBe("template: :4: unexpected EOF");
  });

  it("names actions that span lines in lexer errors", () => {
    expect(err(() => parseTemplate('{{ print\n "x }}'))).toBe("template: :2: unterminated quoted string in action started at :1");
    expect(err(() => parseTemplate("{{ print\n 1"))).toBe("template: :2: unclosed action started at :1");
  });

  it("throws TemplateParseError and uses the template name", () => {
    expect(() => parseTemplate("{{foo}}")).toThrow(TemplateParseError);
    expect(err(() => parseTemplate("{{foo}}", { name: "version" }))).toBe('template: version:1: function "foo" not defined');
  });

  it("checks function names against the FuncMap", () => {
    expect(err(() => parseTemplate("{{json .}}", { funcs: {} }))).toBe('template: :1: function "json" not defined');
    const funcs: FuncMap = { double: { params: ["int"], fn: (n) => Number(n) * 2 } };
    expect(parseTemplate("{{double 21}}", { funcs }).execute({})).toBe("42");
  });
});

describe("execution errors (Go's messages and positions)", () => {
  const cases: Array<[string, string]> = [
    ["{{eq 1 1.0}}", "1:2: executing \"\" at <eq 1 1.0>: error calling eq: incompatible types for comparison"],
    ['{{index "abc" 3}}', '1:2: executing "" at <index "abc" 3>: error calling index: reflect: string index out of range'],
    ['{{index "abc" 4}}', '1:2: executing "" at <index "abc" 4>: error calling index: index out of range: 4'],
    ["{{upper 1}}", '1:8: executing "" at <1>: expected string; found 1'],
    ['{{pad "a" 1}}', '1:2: executing "" at <pad>: wrong number of args for pad: want 3 got 2'],
    ["{{index 1 2}}", '1:2: executing "" at <index 1 2>: error calling index: can\'t index item of type int'],
    ["{{len 3}}", '1:2: executing "" at <len 3>: error calling len: len of type int'],
    ["{{lt true false}}", '1:2: executing "" at <lt true false>: error calling lt: invalid type for comparison'],
    ["{{printf}}", '1:2: executing "" at <printf>: wrong number of args for printf: want at least 1 got 0'],
    ["{{nil}}", '1:2: executing "" at <nil>: nil is not a command'],
    ['{{eq . "x"}}', '1:2: executing "" at <eq . "x">: error calling eq: incompatible types for comparison'],
    ['{{lt 1 "a"}}', '1:2: executing "" at <lt 1 "a">: error calling lt: incompatible types for comparison'],
    ["{{eq}}", '1:2: executing "" at <eq>: wrong number of args for eq: want at least 1 got 0'],
    ["{{eq 1}}", '1:2: executing "" at <eq 1>: error calling eq: missing argument for comparison'],
    ["{{range .Name}}{{end}}", '1:8: executing "" at <.Name>: range can\'t iterate over /web'],
    ["{{range $i, $v := 3}}{{end}}", '1:18: executing "" at <3>: can\'t use 3 to iterate over more than one variable'],
    ['{{ truncate "abc" -1 }}', '1:3: executing "" at <truncate "abc" -1>: error calling truncate: runtime error: slice bounds out of range [:-1]'],
    ['{{ pad "abc" -1 1 }}', '1:3: executing "" at <pad "abc" -1 1>: error calling pad: strings: negative Repeat count'],
    ['{{ split 1 "," }}', '1:9: executing "" at <1>: expected string; found 1'],
    ['{{ join "a" "," }}', '1:8: executing "" at <"a">: can\'t handle "a" for arg of type []string'],
    ["{{ upper nil }}", '1:9: executing "" at <nil>: cannot assign nil to string'],
    ["{{ $x := 1 }}{{ $x.Foo }}", '1:18: executing "" at <$x.Foo>: can\'t evaluate field Foo in type int'],
    ["{{ $x = 1 }}", '1:8: executing "" at <1>: undefined variable: $x'],
    ['{{ slice "abc" 2 1 }}', '1:3: executing "" at <slice "abc" 2 1>: error calling slice: invalid slice index: 2 > 1'],
    ['{{ slice "abc" 1 2 3 }}', '1:3: executing "" at <slice "abc" 1 2 3>: error calling slice: cannot 3-index slice a string'],
    ["a\n{{.Name.Nope}}", '2:7: executing "" at <.Name.Nope>: can\'t evaluate field Nope in type interface {}'],
    ["é{{1 | .Name}}", '1:8: executing "" at <.Name>: Name is not a method but has arguments'],
    ["{{ .Name . }}", '1:3: executing "" at <.Name>: Name is not a method but has arguments'],
    ["{{.State.Health.Status}}", '1:8: executing "" at <.State.Health.Status>: nil pointer evaluating interface {}.Status'],
    ["{{upper .Args}}", '1:8: executing "" at <.Args>: wrong type for value; expected string; got []string'],
    ["{{upper .State.Pid}}", '1:14: executing "" at <.State.Pid>: wrong type for value; expected string; got int'],
    ["{{upper .State.Health}}", '1:14: executing "" at <.State.Health>: wrong type for value; expected string; got interface {}'],
    ["{{upper .Missing}}", '1:8: executing "" at <.Missing>: invalid value; expected string'],
    ['{{join .Mixed ","}}', '1:7: executing "" at <.Mixed>: wrong type for value; expected []string; got []interface {}'],
    ['{{index .Args "x"}}', '1:2: executing "" at <index .Args "x">: error calling index: cannot index slice/array with type string'],
    ["{{index .Args 2}}", '1:2: executing "" at <index .Args 2>: error calling index: reflect: slice index out of range'],
    ["{{index .Args -1}}", '1:2: executing "" at <index .Args -1>: error calling index: index out of range: -1'],
    ['{{index .State.Health "x"}}', '1:2: executing "" at <index .State.Health "x">: error calling index: index of untyped nil'],
    ["{{index .Config.Labels 1}}", '1:2: executing "" at <index .Config.Labels 1>: error calling index: value has type int; should be string'],
    ["{{index .Config.Labels nil}}", '1:2: executing "" at <index .Config.Labels nil>: error calling index: value is nil; should be of type string'],
    ["{{index .Args nil}}", '1:2: executing "" at <index .Args nil>: error calling index: cannot index slice/array with nil'],
    ['{{index .Mixed 2 "x"}}', '1:2: executing "" at <index .Mixed 2 "x">: error calling index: index of nil pointer'],
    ["{{len .Missing}}", '1:2: executing "" at <len .Missing>: error calling len: len of untyped nil'],
    ["{{slice .State.Pid 1}}", '1:2: executing "" at <slice .State.Pid 1>: error calling slice: can\'t slice item of type int'],
    ["{{eq .Args .Args}}", '1:2: executing "" at <eq .Args .Args>: error calling eq: non-comparable type [-g daemon off;]: []string'],
    ["{{eq .Args .Config}}", '1:2: executing "" at <eq .Args .Config>: error calling eq: non-comparable types [-g daemon off;]: []string, map[string]interface {}: map[Env:[PATH=/usr/bin NGINX_VERSION=1.25] ExposedPorts:map[80/tcp:map[]] Image:nginx:latest Labels:map[com.example.a:1 com.example.b:2]]'],
    ["{{1 2}}", "1:2: executing \"\" at <1>: can't give argument to non-function 1"],
    ["{{(1) 2}}", "1:2: executing \"\" at <(1) 2>: can't give argument to non-function 1"],
    ["{{$ 1}}", "1:2: executing \"\" at <$>: can't give argument to non-function $"],
    ["{{.Ratio | printf \"%d\" | upper | len | lt 1.5}}", '1:39: executing "" at <lt 1.5>: error calling lt: incompatible types for comparison'],
    ["{{with $x := .State}}{{$x.Running.Deep}}{{end}}", '1:25: executing "" at <$x.Running.Deep>: can\'t evaluate field Deep in type interface {}'],
    ["{{range .Args}}{{.X}}{{end}}", '1:17: executing "" at <.X>: can\'t evaluate field X in type string'],
    ["{{ .Current.X }}", '1:11: executing "" at <.Current.X>: can\'t evaluate field X in type bool'],
  ];
  for (const [text, message] of cases) {
    it(JSON.stringify(text), () => {
      const data = text.includes(".Current") ? { Current: false, Other: true } : container;
      expect(err(() => run(text, data))).toBe(`template: :${message}`);
    });
  }

  it("throws TemplateExecError carrying the output written so far", () => {
    try {
      run("before {{.Name}} {{index 1 2}} after");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TemplateExecError);
      expect((e as TemplateExecError).partial).toBe("before /web ");
    }
  });

  it("names the executing template", () => {
    expect(err(() => parseTemplate("{{index 1 2}}", { name: "version" }).execute({}))).toBe(
      'template: version:1:2: executing "version" at <index 1 2>: error calling index: can\'t index item of type int',
    );
  });
});

describe("Docker format strings (cli/command/formatter)", () => {
  it("detects table formats and strips the prefix", () => {
    expect(isTableFormat("table {{.ID}}")).toBe(true);
    expect(isTableFormat("tablefoo")).toBe(true);
    expect(isTableFormat("{{.ID}} table")).toBe(false);
    expect(parseDockerFormat("table {{.ID}}\\t{{.Image}}")).toEqual({ table: true, json: false, template: "{{.ID}}\t{{.Image}}" });
    expect(parseDockerFormat("table")).toEqual({ table: true, json: false, template: "" });
    expect(parseDockerFormat("json")).toEqual({ table: false, json: true, template: "{{json .}}" });
    expect(parseDockerFormat("  {{.ID}}  ")).toEqual({ table: false, json: false, template: "{{.ID}}" });
    expect(parseDockerFormat("\t{{.ID}}")).toEqual({ table: false, json: false, template: "\t{{.ID}}" });
  });

  it("turns \\t and \\n escapes into tabs and newlines", () => {
    expect(unescapeFormat("a\\tb\\nc\\\\t\\x")).toBe("a\tb\nc\\\t\\x");
  });

  it("renders items one per line", () => {
    expect(renderDockerFormat("{{.Name}}: {{.Status}}", [{ Name: "a", Status: "Up" }, { Name: "b", Status: "Exited" }])).toBe("a: Up\nb: Exited\n");
    // List rows are maps in docker/cli, so their JSON keys come out sorted.
    expect(renderDockerFormat("json", [{ Status: "Up", Names: "a", ID: "1" }])).toBe('{"ID":"1","Names":"a","Status":"Up"}\n');
    expect(renderDockerFormat("{{.Name}}", [])).toBe("");
  });

  it("renders a docker ps table with its header", () => {
    const header = { ID: "CONTAINER ID", Image: "IMAGE", Command: "COMMAND", Status: "STATUS", Names: "NAMES" };
    const rows = [
      { ID: "f2a1d9c0e3b4", Image: "nginx:latest", Command: '"/docker-entrypoint.…"', Status: "Up 2 minutes", Names: "web" },
      { ID: "a0b1c2d3e4f5", Image: "redis", Command: '"docker-entrypoint.s…"', Status: "Exited (0) 1 hour ago", Names: "cache" },
    ];
    expect(renderDockerFormat("table {{.ID}}\\t{{.Image}}\\t{{.Command}}\\t{{.Status}}\\t{{.Names}}", rows, { header })).toBe(
      "CONTAINER ID   IMAGE          COMMAND                  STATUS                  NAMES\n" +
        'f2a1d9c0e3b4   nginx:latest   "/docker-entrypoint.…"   Up 2 minutes            web\n' +
        'a0b1c2d3e4f5   redis          "docker-entrypoint.s…"   Exited (0) 1 hour ago   cache\n',
    );
    expect(renderDockerFormat("table {{.ID}}\\t{{.Names}}", [], { header })).toBe("CONTAINER ID   NAMES\n");
    expect(renderDockerFormat("table", [], { header, defaultTable: "table {{.ID}}\\t{{.Image}}" })).toBe("CONTAINER ID   IMAGE\n");
  });

  it("keeps header text as is under upper/lower/title/json and stops the header at an error", () => {
    // Reproduces `docker context ls --format 'table {{.Name}}\t{{upper .Description}}\t{{json .Current}}\t{{pad .Name 1 1}}|'`.
    const header = { Name: "NAME", Description: "DESCRIPTION", DockerEndpoint: "DOCKER ENDPOINT", Error: "ERROR" };
    const rows = [
      { Name: "ctxa", Description: "名前", Current: false },
      { Name: "ctxb", Description: "e\u0301", Current: false },
      { Name: "ctxc", Description: "ab", Current: false },
      { Name: "default", Description: "Current DOCKER_HOST based configuration", Current: true },
    ];
    expect(renderDockerFormat("table {{.Name}}\\t{{upper .Description}}\\t{{json .Current}}\\t{{pad .Name 1 1}}|", rows, { header })).toBe(
      "NAME      DESCRIPTION                               \n" +
        "ctxa      名前                                      false      ctxa |\n" +
        "ctxb      E\u0301                                         false      ctxb |\n" +
        "ctxc      AB                                        false      ctxc |\n" +
        "default   CURRENT DOCKER_HOST BASED CONFIGURATION   true       default |\n",
    );
  });

  it("wraps errors as docker/cli does", () => {
    expect(err(() => renderDockerFormat("{{foo}}", [{}]))).toBe('template parsing error: template: :1: function "foo" not defined');
    expect(err(() => renderDockerFormat("{{index 1 2}}", [{}]))).toBe(
      'template parsing error: template: :1:2: executing "" at <index 1 2>: error calling index: can\'t index item of type int',
    );
    // A format's \n is a newline before parsing, so '\n' cannot be written as a char literal.
    expect(err(() => renderDockerFormat("{{ '\\n' }}", [{}]))).toBe("template parsing error: template: :1: unterminated character constant");
  });
});

describe("execute options", () => {
  it("replaces functions for one execution, keeping the others", () => {
    const t = parseTemplate("{{upper .A}}-{{pad .A 1 0}}");
    expect(t.execute({ A: "x" })).toBe("X- x");
    expect(t.execute({ A: "x" }, { funcs: { upper: { params: ["string"], fn: (s) => `<${String(s)}>` } } })).toBe("<x>- x");
  });

  it("reuses a parsed template", () => {
    const t = parseTemplate("{{.}}");
    expect([t.execute(1), t.execute("a"), t.execute([1])]).toEqual(["1", "a", "[1]"]);
  });
});

describe("methods are not data", () => {
  it("are left out when printing, encoding, ranging and counting", () => {
    const row = { ID: "abc", Names: "web", Label: (k: unknown) => String(k) };
    expect(run("{{.}}|{{json .}}|{{len .}}|{{range $k, $v := .}}{{$k}} {{end}}", row)).toBe('map[ID:abc Names:web]|{"ID":"abc","Names":"web"}|2|ID Names ');
    // The remaining fields are all strings, so the row reads as map[string]string.
    expect(err(() => run("{{.ID.X}}", row))).toBe('template: :1:5: executing "" at <.ID.X>: can\'t evaluate field X in type string');
  });
});

describe("struct semantics (goStruct)", () => {
  const ctx = (name: string, current: boolean): object =>
    goStruct("*formatter.clientContextContext", { Name: name, Description: "", Current: current, Error: "", Label: (k: unknown) => `label:${String(k)}` });

  it("rejects unknown fields like Docker's typed contexts", () => {
    expect(err(() => run("{{.Nope}}", ctx("a", true)))).toBe('template: :1:2: executing "" at <.Nope>: can\'t evaluate field Nope in type *formatter.clientContextContext');
    expect(err(() => renderDockerFormat("table {{.Nope}}\\t{{.Name}}", [ctx("a", true)], { header: { Name: "NAME" } }))).toBe(
      'template parsing error: template: :1:2: executing "" at <.Nope>: can\'t evaluate field Nope in type *formatter.clientContextContext',
    );
  });

  it("reads fields and methods, and keeps struct rules for arguments", () => {
    expect(run('{{.Name}} {{.Current}} {{.Label "x"}}', ctx("a", true))).toBe("a true label:x");
    expect(err(() => run("{{.Name 1}}", ctx("a", true)))).toBe('template: :1:2: executing "" at <.Name>: Name has arguments but cannot be invoked as function');
    expect(err(() => run("{{.Current.X}}", ctx("a", true)))).toBe('template: :1:10: executing "" at <.Current.X>: can\'t evaluate field X in type bool');
  });

  it("prints as Go prints structs, and as a sorted map in docker's json rows", () => {
    expect(run("{{.}}", goStruct("types.Port", { IP: "0.0.0.0", PrivatePort: 80, PublicPort: 8080, Type: "tcp" }))).toBe("{0.0.0.0 80 8080 tcp}");
    expect(run("{{.}}", ctx("a", false))).toBe("&{a  false }");
    expect(renderDockerFormat("json", [ctx("b", false)])).toBe('{"Current":false,"Description":"","Error":"","Name":"b"}\n');
    expect(err(() => run("{{len .}}", ctx("a", true)))).toBe('template: :1:2: executing "" at <len .>: error calling len: len of type *formatter.clientContextContext');
    expect(run("{{if .}}yes{{end}}", goStruct("T", {}))).toBe("yes");
  });
});
