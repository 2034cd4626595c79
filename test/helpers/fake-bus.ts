import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeMessage, encodeMessage, messageLength, MessageType, type Message } from "../../src/storage/dbus/wire.js";

export type FakeAnswer = { error: string; text: string } | { signature: string; body: unknown[] };

/**
 * A session bus whose only peer is scripted, for faults a real daemon shows
 * only by chance (gnome-keyring's client race). It authenticates anyone,
 * answers Hello itself, and answers every other call with what `answer`
 * returns for it. `calls` records each call's member, in order.
 */
export class FakeBus {
  readonly calls: string[] = [];
  private readonly dir = mkdtempSync(join(tmpdir(), "ghpat-fakebus-"));
  private readonly server: Server;
  private serial = 0;

  constructor(private readonly answer: (call: Message) => FakeAnswer) {
    this.server = createServer((socket) => this.serve(socket));
  }

  get env(): { DBUS_SESSION_BUS_ADDRESS: string } {
    return { DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(this.dir, "bus")}` };
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(join(this.dir, "bus"), resolve));
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    rmSync(this.dir, { recursive: true, force: true });
  }

  private serve(socket: Socket): void {
    let buffered = Buffer.alloc(0);
    let authenticated = false;
    socket.on("data", (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (;;) {
        if (!authenticated) {
          const end = buffered.indexOf("\r\n");
          if (end < 0) return;
          const line = buffered.subarray(0, end).toString("latin1").replace(/^\0/, "");
          buffered = buffered.subarray(end + 2);
          if (line.startsWith("AUTH EXTERNAL")) socket.write("OK 0123456789abcdef0123456789abcdef\r\n");
          else if (line === "BEGIN") authenticated = true;
          continue;
        }
        const length = messageLength(buffered);
        if (length === null) return;
        const call = decodeMessage(buffered.subarray(0, length));
        buffered = buffered.subarray(length);
        socket.write(this.reply(call));
      }
    });
    socket.on("error", () => undefined);
  }

  private reply(call: Message): Buffer {
    const base = { flags: 0, serial: ++this.serial, replySerial: call.serial };
    if (call.member === "Hello")
      return encodeMessage({ ...base, type: MessageType.methodReturn, signature: "s", body: [":1.1"] });
    this.calls.push(call.member ?? "");
    const answer = this.answer(call);
    if ("error" in answer)
      return encodeMessage({
        ...base,
        type: MessageType.error,
        errorName: answer.error,
        signature: "s",
        body: [answer.text],
      });
    return encodeMessage({ ...base, type: MessageType.methodReturn, signature: answer.signature, body: answer.body });
  }
}
