import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { connect, type Socket } from "node:net";
import { sessionBusPaths } from "../../src/storage/dbus/connection.js";
import { decodeMessage, encodeMessage, messageLength, MessageType, type Message } from "../../src/storage/dbus/wire.js";

export const haveDbusMonitor =
  spawnSync("sh", ["-c", "command -v dbus-monitor && command -v dbus-daemon"]).status === 0;

/** One Notify call as the service received it. */
export interface ReceivedNotice {
  appName: string;
  summary: string;
  body: string;
  hints: Array<[string, { signature: string; value: unknown }]>;
  expireTimeout: number;
}

/**
 * A notification service on a real bus: owns org.freedesktop.Notifications
 * and answers each Notify with a new id, as a desktop's would, recording
 * what it was sent. It stands in for the desktop (none runs in CI); the bus,
 * the name ownership and the routing are dbus-daemon's.
 */
export class NotificationService {
  readonly received: ReceivedNotice[] = [];
  private socket: Socket | undefined;
  private serial = 0;
  private buffered = Buffer.alloc(0);
  private readonly waiting = new Map<number, (m: Message) => void>();

  static async start(address: string): Promise<NotificationService> {
    const service = new NotificationService();
    await service.connect(address);
    return service;
  }

  private async connect(address: string): Promise<void> {
    const [path] = sessionBusPaths({ DBUS_SESSION_BUS_ADDRESS: address });
    if (!path) throw new Error(`no unix path in ${address}`);
    const socket = connect({ path });
    this.socket = socket;
    await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
    socket.write(
      Buffer.concat([
        Buffer.from([0]),
        Buffer.from(`AUTH EXTERNAL ${Buffer.from(String(process.getuid?.() ?? 0)).toString("hex")}\r\n`),
      ]),
    );
    await new Promise<void>((resolve) => {
      const onData = (chunk: Buffer) => {
        if (!chunk.toString("latin1").includes("\r\n")) return;
        socket.off("data", onData);
        resolve();
      };
      socket.on("data", onData);
    });
    socket.write("BEGIN\r\n");
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    await this.call("Hello", "", []);
    // Flags 4: do not queue; the reply 1 means this connection is now the primary owner.
    const [owner] = await this.call("RequestName", "su", ["org.freedesktop.Notifications", 4]);
    if (owner !== 1) throw new Error(`could not own org.freedesktop.Notifications (${String(owner)})`);
  }

  private call(member: string, signature: string, body: unknown[]): Promise<unknown[]> {
    const serial = ++this.serial;
    return new Promise((resolve) => {
      this.waiting.set(serial, (m) => resolve(m.body));
      this.socket?.write(
        encodeMessage({
          type: MessageType.methodCall,
          flags: 0,
          serial,
          destination: "org.freedesktop.DBus",
          path: "/org/freedesktop/DBus",
          interface: "org.freedesktop.DBus",
          member,
          ...(signature ? { signature } : {}),
          body,
        }),
      );
    });
  }

  private onData(chunk: Buffer): void {
    this.buffered = Buffer.concat([this.buffered, chunk]);
    for (;;) {
      const length = messageLength(this.buffered);
      if (length === null) return;
      const message = decodeMessage(this.buffered.subarray(0, length));
      this.buffered = this.buffered.subarray(length);
      if (message.replySerial !== undefined) {
        this.waiting.get(message.replySerial)?.(message);
        this.waiting.delete(message.replySerial);
      } else if (
        message.type === MessageType.methodCall &&
        message.interface === "org.freedesktop.Notifications" &&
        message.member === "Notify"
      ) {
        const [appName, , , summary, body, , hints, expireTimeout] = message.body as [
          string,
          number,
          string,
          string,
          string,
          string[],
          ReceivedNotice["hints"],
          number,
        ];
        this.received.push({ appName, summary, body, hints, expireTimeout });
        this.socket?.write(
          encodeMessage({
            type: MessageType.methodReturn,
            flags: 0,
            serial: ++this.serial,
            replySerial: message.serial,
            ...(message.sender ? { destination: message.sender } : {}),
            signature: "u",
            body: [this.received.length],
          }),
        );
      }
    }
  }

  stop(): void {
    this.socket?.destroy();
  }
}

/**
 * dbus-monitor on a bus, watching Notify calls. `output()` is everything it
 * printed (the full call, arguments included) once it has seen `count` of them.
 */
export class NotifyMonitor {
  private text = "";
  private constructor(private readonly child: ChildProcess) {
    child.stdout?.on("data", (chunk: Buffer) => (this.text += chunk.toString("utf8")));
  }

  static async start(address: string): Promise<NotifyMonitor> {
    const child = spawn(
      "dbus-monitor",
      ["--address", address, "type='method_call',interface='org.freedesktop.Notifications',member='Notify'"],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    const monitor = new NotifyMonitor(child);
    // dbus-monitor announces itself with the NameAcquired/NameLost signals once it is a monitor.
    await monitor.until(
      () => monitor.text.includes("NameLost") || monitor.text.includes("NameAcquired"),
      "dbus-monitor did not start",
    );
    return monitor;
  }

  private async until(done: () => boolean, failure: string): Promise<void> {
    const deadline = Date.now() + 5000;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`${failure}; it printed: ${this.text}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async output(count = 1): Promise<string> {
    await this.until(
      () => this.text.split("member=Notify").length - 1 >= count,
      `dbus-monitor saw fewer than ${count} Notify calls`,
    );
    // The arguments follow the header line; give the rest of the message a moment to arrive.
    await new Promise((resolve) => setTimeout(resolve, 100));
    return this.text;
  }

  stop(): void {
    this.child.kill("SIGTERM");
  }
}
