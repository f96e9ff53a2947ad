// AgentClient's side of ATTACH/DETACH against a scripted guest: requests are encoded as
// protocol.h says, answers settle them in order, and malformed answers are counted, not trusted.
import { describe, expect, it } from "vitest";
import { AgentClient, AttachError } from "./agent";
import { encodeFrame, FrameDecoder, FrameType, type Frame } from "./protocol/frame";
import { ATT_RAW, ATT_STDIN, ATT_STDOUT, SESSION_BIT } from "./protocol/messages";
import type { GuestCommand, GuestProcess } from "./types";

const SESSION = (SESSION_BIT | 7) >>> 0;

function cmdStart(): Uint8Array {
  const strings = new TextEncoder().encode("/\0docker\0attach\0");
  const p = new Uint8Array(9 + strings.length);
  const d = new DataView(p.buffer);
  d.setUint16(0, 24, true);
  d.setUint16(2, 80, true);
  p[4] = 7;
  d.setUint16(5, 2, true);
  d.setUint16(7, 0, true);
  p.set(strings, 9);
  return p;
}

function setup() {
  const sent: Frame[] = [];
  const decoder = new FrameDecoder((f) => sent.push(f), () => {});
  const agent = new AgentClient((b) => decoder.push(b));
  let cmd: GuestCommand | undefined;
  agent.commandHandler = (c) => (cmd = c);
  agent.receive(encodeFrame(FrameType.CmdStart, SESSION, cmdStart()));
  const attached = (errno: number, msg = "") => {
    const p = new Uint8Array(4 + msg.length);
    new DataView(p.buffer).setInt32(0, errno, true);
    p.set(new TextEncoder().encode(msg), 4);
    agent.receive(encodeFrame(FrameType.Attached, SESSION, p));
  };
  const detached = (reason: number) => agent.receive(encodeFrame(FrameType.Detached, SESSION, Uint8Array.of(reason)));
  return { agent, cmd: cmd!, sent, attached, detached };
}

const proc = { id: 5 } as GuestProcess;

describe("AgentClient attach", () => {
  it("encodes ATTACH and settles it with ATTACHED", async () => {
    const { cmd, sent, attached } = setup();
    const p = cmd.attach(proc, { stdin: true, stderr: false, rawTty: true });
    const f = sent.at(-1)!;
    expect(f.type).toBe(FrameType.Attach);
    expect(f.id).toBe(SESSION);
    expect([...f.payload]).toEqual([5, 0, 0, 0, ATT_STDIN | ATT_STDOUT | ATT_RAW, 2, 0x10, 0x11]);
    attached(0);
    await expect(p).resolves.toBeUndefined();
  });

  it("rejects with the agent's errno, in order", async () => {
    const { cmd, attached } = setup();
    const a = cmd.attach(proc);
    const b = cmd.attach(proc);
    attached(0);
    attached(16, "attach: the session is already attached");
    await expect(a).resolves.toBeUndefined();
    await expect(b).rejects.toMatchObject({ errno: 16, message: "attach: the session is already attached" });
  });

  it("tells detach keys apart from the answer to DETACH", async () => {
    const { cmd, sent, detached } = setup();
    const keys: string[] = [];
    cmd.onDetached(() => keys.push("keys"));
    const d = cmd.detach();
    expect(sent.at(-1)!.type).toBe(FrameType.Detach);
    detached(1);
    expect(keys).toEqual(["keys"]);
    detached(2);
    await expect(d).resolves.toBeUndefined();
  });

  it("settles what is pending when the command ends", async () => {
    const { cmd } = setup();
    const a = cmd.attach(proc);
    const d = cmd.detach();
    cmd.exit(0);
    await expect(a).rejects.toBeInstanceOf(AttachError);
    await expect(d).resolves.toBeUndefined();
    await expect(cmd.attach(proc)).rejects.toBeInstanceOf(AttachError);
  });

  it("counts answers that fit nothing, and malformed ones", () => {
    const { agent, attached, detached } = setup();
    attached(0); // no attach pending
    detached(2); // no detach pending
    detached(9); // unknown reason
    agent.receive(encodeFrame(FrameType.Attached, 3, new Uint8Array(4))); // not a session id
    agent.receive(encodeFrame(FrameType.Detached, SESSION, new Uint8Array(0)));
    expect(agent.protocolErrors).toBe(5);
  });

  it("refuses more than 16 detach keys before sending anything", async () => {
    const { cmd, sent } = setup();
    const n = sent.length;
    await expect(cmd.attach(proc, { detachKeys: new Uint8Array(17) })).rejects.toThrow(/16/);
    expect(sent.length).toBe(n);
  });
});
