import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readContentDir } from "./content-fs";
import { loadCourse, splitFrontMatter, type ContentSource } from "./loader";
import { ContentError } from "./schema";

const OPTS = { label: "content", assetRoot: "/content/" };

const QUIZ = `quiz:
  - q: One?
    choices: [a, b]
    answer: 0
    explain: Because.
  - q: Two?
    choices: [a, b, c]
    answer: 2
    explain: Because.
  - q: Three?
    choices: [a, b]
    answer: 1
    explain: Because.
`;

const GOOD_LESSON = `---
title: Hello
goal: Run a container.
minutes: 5
open: [app/hello.sh]
setup: ["docker rm -f web || true"]
steps:
  - id: run-it
    title: Run it
    checks:
      - container: { name: web, state: running, label: { tier: "1" } }
        hint: Start a container named web.
      - ran: { command: "docker run -d" }
    hints: [Use docker run.]
    solution:
      - docker run -d --name web nginx
  - id: image
    title: Build
    checks:
      - image: { ref: "me/app:1", config: { Cmd: [sh], User: "", ExposedPorts: ["80/tcp"] } }
      - file: { path: app/hello.sh, matches: "^#!" }
      - shell: { script: "test -f /workspace/app/hello.sh" }
      - noContainer: { name: old }
      - noImage: { ref: "old:1" }
    solution: [docker build -t me/app:1 app]
${QUIZ}---

# Hello

![diagram](diagram.svg)
`;

function source(extra: Record<string, string> = {}, assets: string[] = ["a-one/l01-hello/diagram.svg"]): ContentSource {
  return {
    files: new Map(
      Object.entries({
        "course.yaml": "- id: a-one\n  title: Part one\n  lessons: [l01-hello]\n",
        "welcome.md": "# Welcome\n",
        "a-one/l01-hello/lesson.md": GOOD_LESSON,
        "a-one/l01-hello/start/app/hello.sh": "#!/bin/sh\necho hi\n",
        "a-one/l01-hello/solution/app/hello.sh": "#!/bin/sh\necho hello\n",
        "questions/basics.yaml": "- id: what-is\n  q: What is a container?\n  answer: A **process**.\n  lesson: l01-hello\n  tags: [basics]\n",
        ...extra,
      }),
    ),
    assets,
  };
}

function problems(src: ContentSource): string[] {
  try {
    loadCourse(src, OPTS);
  } catch (e) {
    if (e instanceof ContentError) return e.problems;
    throw e;
  }
  throw new Error("expected the content to be refused");
}

function withLesson(frontMatter: string, body = "# x\n"): ContentSource {
  return source({ "a-one/l01-hello/lesson.md": `---\n${frontMatter}---\n${body}` });
}

const BASE = `title: T
goal: G.
minutes: 5
`;
const STEP = `steps:
  - id: s
    title: S
    checks: [{ ran: { command: docker ps } }]
    solution: [docker ps]
`;

describe("loadCourse", () => {
  it("loads a good course with its files, assets and questions", () => {
    const c = loadCourse(source(), OPTS);
    expect(c.intro).toBe("# Welcome\n");
    expect(c.parts).toHaveLength(1);
    const l = c.parts[0]!.lessons[0]!;
    expect(l).toMatchObject({ id: "l01-hello", part: "a-one", title: "Hello", minutes: 5, open: ["app/hello.sh"], assetBase: "/content/a-one/l01-hello/" });
    expect(l.start).toEqual({ "app/hello.sh": "#!/bin/sh\necho hi\n" });
    expect(l.solution["app/hello.sh"]).toContain("hello");
    expect(l.steps[0]!.checks[0]).toEqual({ container: { name: "web", state: "running", label: { tier: "1" } }, hint: "Start a container named web." });
    expect(l.steps[1]!.checks[0]).toEqual({ image: { ref: "me/app:1", config: { Cmd: ["sh"], User: "", ExposedPorts: ["80/tcp"] } } });
    expect(l.steps[0]!.hints).toEqual(["Use docker run."]);
    expect(l.steps[1]!.hints).toEqual([]);
    expect(l.body).toBe("\n# Hello\n\n![diagram](diagram.svg)\n");
    expect(l.quiz).toHaveLength(3);
    expect(c.questions).toEqual([{ id: "what-is", q: "What is a container?", answer: "A **process**.", lesson: "l01-hello", tags: ["basics"] }]);
  });

  it("loads drills without a quiz", () => {
    const c = loadCourse(source({ "drills/exits-at-once/drill.md": `---\n${BASE}scenario: true\nsetup: [docker run -d --name bad busybox false]\n${STEP}---\nFind out why.\n` }), OPTS);
    expect(c.drills.map((d) => [d.id, d.part, d.scenario, d.quiz.length])).toEqual([["exits-at-once", "drills", true, 0]]);
  });

  const bad: Array<[string, string, string]> = [
    ["an unknown key", `${BASE}colour: red\n${STEP}${QUIZ}`, "content/a-one/l01-hello/lesson.md: colour: unknown field"],
    ["a missing title", `goal: G.\nminutes: 5\n${STEP}${QUIZ}`, "content/a-one/l01-hello/lesson.md: title: required"],
    ["minutes out of range", `title: T\ngoal: G.\nminutes: 500\n${STEP}${QUIZ}`, "minutes: expected 1..120, found 500"],
    ["a bad container state", `${BASE}steps:\n  - id: s\n    title: S\n    checks:\n      - container: { state: stopped }\n    solution: [x]\n${QUIZ}`, "content/a-one/l01-hello/lesson.md: steps[0].checks[0].container.state: expected one of created|running|paused|exited"],
    ["two kinds in one check", `${BASE}steps:\n  - id: s\n    title: S\n    checks:\n      - { noImage: { ref: a }, ran: { command: docker ps } }\n    solution: [x]\n${QUIZ}`, "steps[0].checks[0]: expected exactly one check, found noImage and ran"],
    ["a non-docker ran", `${BASE}steps:\n  - id: s\n    title: S\n    checks: [{ ran: { command: ls -l } }]\n    solution: [x]\n${QUIZ}`, "steps[0].checks[0].ran.command: expected a docker command"],
    ["a bad regex", `${BASE}steps:\n  - id: s\n    title: S\n    checks: [{ file: { path: a, matches: "(" } }]\n    solution: [x]\n${QUIZ}`, "steps[0].checks[0].file.matches: not a valid regular expression"],
    ["an escaping file path", `${BASE}steps:\n  - id: s\n    title: S\n    checks: [{ file: { path: ../etc/passwd } }]\n    solution: [x]\n${QUIZ}`, "steps[0].checks[0].file.path: expected a path inside the workspace"],
    ["a duplicate step id", `${BASE}steps:\n  - { id: s, title: S, checks: [{ noImage: { ref: a } }], solution: [x] }\n  - { id: s, title: S, checks: [{ noImage: { ref: a } }], solution: [x] }\n${QUIZ}`, 'steps[1].id: duplicate step id "s"'],
    ["a non-kebab step id", `${BASE}steps:\n  - { id: Step_1, title: S, checks: [{ noImage: { ref: a } }], solution: [x] }\n${QUIZ}`, "steps[0].id: expected kebab-case"],
    ["no checks", `${BASE}steps:\n  - { id: s, title: S, checks: [], solution: [x] }\n${QUIZ}`, "steps[0].checks: expected 1..10 entries, found 0"],
    ["no solution", `${BASE}steps:\n  - { id: s, title: S, checks: [{ noImage: { ref: a } }] }\n${QUIZ}`, "steps[0].solution: required"],
    ["a short quiz", `${BASE}${STEP}quiz:\n  - { q: Q, choices: [a, b], answer: 0, explain: E }\n`, "quiz: expected 3..5 entries, found 1"],
    ["an answer out of range", `${BASE}${STEP}${QUIZ.replace("answer: 2", "answer: 3")}`, "quiz[1].answer: expected 0..2, found 3"],
    ["a number label", `${BASE}steps:\n  - id: s\n    title: S\n    checks: [{ image: { ref: a, label: { v: 1 } } }]\n    solution: [x]\n${QUIZ}`, "steps[0].checks[0].image.label.v: expected a string, found number 1 (put it in quotes)"],
    ["a missing open file", `${BASE}open: [nope.txt]\n${STEP}${QUIZ}`, 'open[0]: "nope.txt" is not in start/'],
    ["a missing prerequisite", `${BASE}prerequisites: [l00-nothing]\n${STEP}${QUIZ}`, 'prerequisites[0]: no lesson "l00-nothing"'],
    ["a YAML syntax error", `${BASE}steps: [\n`, "content/a-one/l01-hello/lesson.md: line 5, column 8: unclosed '['"],
    ["scenario in a lesson", `${BASE}scenario: true\n${STEP}${QUIZ}`, "scenario: unknown field"],
  ];
  it.each(bad)("refuses %s, naming the file and field", (_, fm, expected) => {
    expect(problems(withLesson(fm)).join("\n")).toContain(expected);
  });

  it("refuses a lesson without front matter", () => {
    expect(problems(source({ "a-one/l01-hello/lesson.md": "# Just text\n" }))).toEqual([
      "content/a-one/l01-hello/lesson.md: expected front matter: the file must start with a '---' line, then YAML, then another '---' line",
    ]);
  });

  it("refuses a missing image, a missing lesson and an unlisted one", () => {
    const p = problems(
      source(
        {
          "course.yaml": "- id: a-one\n  title: Part one\n  lessons: [l01-hello, l02-gone]\n",
          "a-one/l09-stray/lesson.md": GOOD_LESSON,
        },
        [],
      ),
    );
    expect(p).toEqual([
      'content/a-one/l01-hello/lesson.md: image "diagram.svg" not found (put it in the lesson folder)',
      "content/a-one/l02-gone/lesson.md: missing",
      "content/a-one/l09-stray/lesson.md: not listed in course.yaml",
    ]);
  });

  it("refuses bad course.yaml and questions", () => {
    expect(problems(source({ "course.yaml": "parts: []\n" }))).toContain(
      "content/course.yaml: expected a list of parts (- id: ..., title: ..., lessons: [...]), found a mapping",
    );
    expect(problems(source({ "questions/x.yaml": "- { id: q1, q: Q, answer: A, lesson: l77, tags: [] }\n- { id: q1, q: Q, answer: A, lesson: l01-hello, tags: [] }\n" }))).toEqual([
      'content/questions/x.yaml: [0].lesson: no lesson "l77"',
      'content/questions/x.yaml: [1].id: duplicate question id "q1"',
    ]);
  });

  it("requires drills to say scenario: true", () => {
    expect(problems(source({ "drills/d1/drill.md": `---\n${BASE}${STEP}---\n` }))).toEqual(["content/drills/d1/drill.md: scenario: a drill must say scenario: true"]);
  });
});

describe("splitFrontMatter", () => {
  it("splits at the closing line and keeps the body", () => {
    expect(splitFrontMatter("---\r\na: 1\r\n---\r\nbody\n---\nmore")).toEqual({ yaml: "a: 1\n", body: "body\n---\nmore", firstLine: 2 });
    expect(splitFrontMatter("no front matter")).toBeUndefined();
    expect(splitFrontMatter("---\na: 1\n")).toBeUndefined();
  });
});

const contentDir = fileURLToPath(new URL("../../content", import.meta.url));
describe.skipIf(!existsSync(`${contentDir}/course.yaml`))("the built-in content", () => {
  it("is valid", () => {
    const c = loadCourse(readContentDir(contentDir), OPTS);
    expect(c.parts.length).toBeGreaterThan(0);
  });
});
