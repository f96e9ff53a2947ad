import { describe, expect, it } from "vitest";
import { httpConnection as connection, responses, tick } from "../testing/http-connection";
import { DEFAULT_LIMITS, HttpParseError, parseRequestHead, type HttpHandler } from "./http";

const dec = new TextDecoder();

const echo: HttpHandler = (req, res) => {
  res.send(200, `${req.method} ${req.path} ${req.query.get("a") ?? "-"} [${dec.decode(req.body)}]`, "text/plain");
};

describe("parseRequestHead", () => {
  it("reads the request line and headers, keeping repeated headers in order", () => {
    const h = parseRequestHead("POST /v1.41/containers/create?name=x HTTP/1.1\r\nHost: docker\r\nX-A: 1\r\nx-a: 2\r\nContent-Type:  application/json  ");
    expect(h).toMatchObject({ method: "POST", target: "/v1.41/containers/create?name=x", httpVersion: "1.1" });
    expect(h.headers.all("X-A")).toEqual(["1", "2"]);
    expect(h.headers.get("content-type")).toBe("application/json");
  });

  it.each([
    ["GET / HTTP/1.1\r\nFolded: a\r\n b", 400],
    ["GET / HTTP/1.1\rX: y", 400],
    ["GET /  HTTP/1.1", 400],
    ["GET relative HTTP/1.1", 400],
    ["G(T / HTTP/1.1", 400],
    ["GET / HTTP/2.0", 505],
    ["GET / HTTX/1.1", 400],
    ["GET / HTTP/1.1\r\nBad Name: x", 400],
    ["GET / HTTP/1.1\r\nX: a\u0001b", 400],
    ["GET / HTTP/1.1\r\nnocolon", 400],
  ])("rejects %j with %i", (head, status) => {
    expect(() => parseRequestHead(head)).toThrow(expect.objectContaining({ status }) as HttpParseError);
  });

  it("limits the number of headers", () => {
    const head = "GET / HTTP/1.1\r\n" + Array.from({ length: 5 }, (_, i) => `H${i}: v`).join("\r\n");
    expect(() => parseRequestHead(head, { maxHeaderCount: 4 })).toThrow(expect.objectContaining({ status: 431 }) as HttpParseError);
  });
});

describe("serveHttp", () => {
  it("answers requests in order on a kept-alive connection, pipelined and split anywhere", async () => {
    const c = connection(echo);
    const wire = "GET /a?a=1 HTTP/1.1\r\nHost: x\r\n\r\nPOST /b HTTP/1.1\r\nContent-Length: 5\r\n\r\nhelloGET /c HTTP/1.1\n\n";
    for (const ch of wire) c.send(ch);
    await tick();
    await tick();
    expect(responses(c.state.out)).toEqual([
      "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nGET /a 1 []",
      "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 17\r\n\r\nPOST /b - [hello]",
      "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nGET /c - []",
    ]);
    expect(c.state.ended).toBe(false);
  });

  it("decodes a chunked body, ignoring extensions and trailers", async () => {
    const c = connection(echo);
    c.send("POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n1\r\n!\r\n0\r\nTrailer: t\r\n\r\n");
    await tick();
    expect(responses(c.state.out)[0]).toContain("\r\n\r\nPOST /x - [hello!]");
  });

  it("closes after the response for HTTP/1.0 and Connection: close", async () => {
    const c = connection(echo);
    c.send("GET / HTTP/1.0\r\n\r\n");
    await tick();
    expect(c.state.out).toContain("Connection: close\r\n");
    expect(c.state.ended).toBe(true);
    const d = connection(echo);
    d.send("GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
    await tick();
    expect(d.state.ended).toBe(true);
  });

  it.each([
    ["POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", "400 Bad Request"],
    ["POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n", "400 Bad Request"],
    ["POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", "400 Bad Request"],
    ["POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", "501 Not Implemented"],
    ["POST / HTTP/1.1\r\nContent-Length: 101\r\n\r\n", "413 Request Entity Too Large"],
    ["POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n65\r\n", "413 Request Entity Too Large"],
    ["POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "400 Bad Request"],
    ["POST / HTTP/1.1\r\nExpect: magic\r\n\r\n", "417 Expectation Failed"],
    [`GET /${"a".repeat(300)} HTTP/1.1\r\n`, "431 Request Header Fields Too Large"],
  ])("refuses %j with %s and closes", async (wire, status) => {
    const c = connection(echo, { ...DEFAULT_LIMITS, maxBodyBytes: 100, maxHeaderBytes: 256 });
    c.send(wire);
    await tick();
    expect(c.state.out).toBe(`HTTP/1.1 ${status}\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n${status}`);
    expect(c.state.ended).toBe(true);
  });

  it("sends 100 Continue before reading a body the client waits to send", async () => {
    const c = connection(echo);
    c.send("PUT / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
    expect(c.state.out).toBe("HTTP/1.1 100 Continue\r\n\r\n");
    c.send("ok");
    await tick();
    expect(c.state.out).toContain("PUT / - [ok]");
  });

  it("gives HEAD the headers only", async () => {
    const c = connection(echo);
    c.send("HEAD /h HTTP/1.1\r\n\r\n");
    await tick();
    expect(responses(c.state.out)).toEqual(["HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 12\r\n\r\n"]);
  });

  it("streams with chunked encoding, and ends the stream when the handler returns", async () => {
    const c = connection(async (_req, res) => {
      const s = res.stream(200, "application/json");
      s.write("{}\n");
      s.write(new Uint8Array(0));
      s.write("[1]\n");
    });
    c.send("GET /events HTTP/1.1\r\n\r\n");
    await tick();
    expect(responses(c.state.out)).toEqual(["HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n{}\n\r\n4\r\n[1]\n\r\n0\r\n\r\n"]);
  });

  it("answers a failing handler with 500, or drops the connection once its stream began", async () => {
    const c = connection(() => {
      throw new Error("boom");
    });
    c.send("GET / HTTP/1.1\r\n\r\n");
    await tick();
    expect(c.state.out).toMatch(/^HTTP\/1\.1 500 Internal Server Error\r\n[^]*\r\n\r\nboom\n$/);
    const d = connection((_req, res) => {
      res.stream(200, "text/plain").write("partial");
      throw new Error("late");
    });
    d.send("GET / HTTP/1.1\r\n\r\n");
    await tick();
    expect(d.state.destroyed).toBe(true);
  });

  it("tells a handler when the client goes away", async () => {
    let gone = false;
    const c = connection(async (_req, res) => {
      await res.peerGone;
      gone = true;
    });
    c.send("GET /events HTTP/1.1\r\n\r\n");
    await tick();
    expect(gone).toBe(false);
    c.clientEnd();
    await tick();
    expect(gone).toBe(true);
  });

  it("hijacks as dockerd: 101 UPGRADED with Upgrade: tcp, then raw bytes both ways, early input kept", async () => {
    const input: string[] = [];
    let ended = false;
    const c = connection((_req, res) => {
      const conn = res.hijack({ upgrade: true, contentType: "application/vnd.docker.raw-stream" });
      conn.write("raw output");
      conn.onData((d) => input.push(dec.decode(d)));
      conn.onEnd(() => {
        ended = true;
        conn.closeWrite();
      });
    });
    c.send("POST /containers/x/attach?stream=1 HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\nearly");
    await tick();
    expect(responses(c.state.out)).toEqual([
      "HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\nraw output",
    ]);
    c.send("GET / HTTP/1.1\r\n\r\n");
    c.clientEnd();
    expect(input).toEqual(["early", "GET / HTTP/1.1\r\n\r\n"]);
    expect(ended).toBe(true);
    expect(c.state.ended).toBe(true);
  });

  it("drops a hijacked connection whose input callback fails, without throwing", async () => {
    const c = connection((_req, res) => {
      res.hijack({ upgrade: false, contentType: "text/plain" }).onData(() => {
        throw new Error("container gone");
      });
    });
    c.send("POST /exec/x/start HTTP/1.1\r\n\r\n");
    await tick();
    expect(c.state.out).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(() => c.send("input")).not.toThrow();
    expect(c.state.destroyed).toBe(true);
  });
});
