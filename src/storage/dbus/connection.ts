import { connect, type Socket } from "node:net";
import { decodeMessage, encodeMessage, messageLength, MessageType, type Message } from "./wire.js";

/** A D-Bus error reply, or a failure to reach the bus at all (`name` is then ghpat's own). */
export class DBusError extends Error {
  override name = "DBusError";
  constructor(
    readonly errorName: string,
    message: string,
  ) {
    super(message);
  }
}

export const NO_BUS = "ghpat.NoBus";

interface Env {
  readonly [key: string]: string | undefined;
}

/**
 * The socket paths named by the session bus address. An unset variable means
 * the systemd user bus in XDG_RUNTIME_DIR, as GLib and sd-bus assume; an
 * empty one means no bus.
 */
export function sessionBusPaths(env: Env): string[] {
  const address = env.DBUS_SESSION_BUS_ADDRESS;
  if (address === undefined) return env.XDG_RUNTIME_DIR ? [`${env.XDG_RUNTIME_DIR}/bus`] : [];
  const paths: string[] = [];
  for (const entry of address.split(";")) {
    const colon = entry.indexOf(":");
    if (colon < 0 || entry.slice(0, colon) !== "unix") continue;
    const params = new Map(
      entry
        .slice(colon + 1)
        .split(",")
        .map((kv) => {
          const eq = kv.indexOf("=");
          return [kv.slice(0, eq), decodeURIComponent(kv.slice(eq + 1))] as const;
        }),
    );
    const path = params.get("path");
    const abstract = params.get("abstract");
    if (path) paths.push(path);
    else if (abstract) paths.push(`\0${abstract}`);
  }
  return paths;
}

/**
 * A minimal D-Bus client on the session bus: EXTERNAL authentication and
 * method calls, each with a deadline. It exists so that ghpat can ask the
 * Secret Service what it holds (attributes, locked state) without reading a
 * secret and without keytar's findCredentials, which crashes on foreign items.
 */
export class DBusConnection {
  private serial = 0;
  private buffered = Buffer.alloc(0);
  private readonly pending = new Map<number, { resolve: (m: Message) => void; reject: (e: Error) => void }>();
  private closedError: Error | undefined;

  private constructor(
    private readonly socket: Socket,
    private readonly timeoutMs: number,
  ) {}

  static async open(env: Env, timeoutMs = 3000): Promise<DBusConnection> {
    const paths = sessionBusPaths(env);
    if (paths.length === 0) throw new DBusError(NO_BUS, "No D-Bus session bus is set (DBUS_SESSION_BUS_ADDRESS).");
    let lastError: Error | undefined;
    for (const path of paths) {
      try {
        return await DBusConnection.openPath(path, timeoutMs);
      } catch (error) {
        lastError = error as Error;
      }
    }
    throw new DBusError(
      NO_BUS,
      `Cannot connect to the D-Bus session bus: ${lastError?.message ?? "no usable address"}`,
    );
  }

  private static async openPath(path: string, timeoutMs: number): Promise<DBusConnection> {
    const socket = connect({ path });
    const timer = setTimeout(() => socket.destroy(new Error("timed out")), timeoutMs);
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once("connect", resolve);
        socket.once("error", reject);
      });
      await authenticate(socket);
    } catch (error) {
      socket.destroy();
      throw error;
    } finally {
      clearTimeout(timer);
    }
    const connection = new DBusConnection(socket, timeoutMs);
    connection.listen();
    await connection.call({
      destination: "org.freedesktop.DBus",
      path: "/org/freedesktop/DBus",
      interface: "org.freedesktop.DBus",
      member: "Hello",
    });
    return connection;
  }

  private listen(): void {
    this.socket.on("data", (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      try {
        for (;;) {
          const length = messageLength(this.buffered);
          if (length === null) break;
          const message = decodeMessage(this.buffered.subarray(0, length));
          this.buffered = this.buffered.subarray(length);
          this.dispatch(message);
        }
      } catch (error) {
        this.fail(error as Error);
      }
    });
    this.socket.on("error", (error) => this.fail(error));
    this.socket.on("close", () => this.fail(new Error("the bus closed the connection")));
  }

  private dispatch(message: Message): void {
    if (message.replySerial === undefined) return;
    const waiter = this.pending.get(message.replySerial);
    if (!waiter) return;
    this.pending.delete(message.replySerial);
    waiter.resolve(message);
  }

  private fail(error: Error): void {
    this.closedError ??= error;
    for (const waiter of this.pending.values())
      waiter.reject(new DBusError(NO_BUS, `D-Bus connection lost: ${error.message}`));
    this.pending.clear();
  }

  /** Calls a method and returns the reply's body; a D-Bus error reply rejects with its name. */
  async call(request: {
    destination: string;
    path: string;
    interface: string;
    member: string;
    signature?: string;
    body?: unknown[];
  }): Promise<unknown[]> {
    if (this.closedError) throw new DBusError(NO_BUS, `D-Bus connection lost: ${this.closedError.message}`);
    const serial = ++this.serial;
    const bytes = encodeMessage({
      type: MessageType.methodCall,
      flags: 0,
      serial,
      destination: request.destination,
      path: request.path,
      interface: request.interface,
      member: request.member,
      ...(request.signature ? { signature: request.signature } : {}),
      body: request.body ?? [],
    });
    const reply = await new Promise<Message>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(serial);
        reject(
          new DBusError(
            "ghpat.Timeout",
            `${request.interface}.${request.member} got no answer within ${this.timeoutMs} ms`,
          ),
        );
      }, this.timeoutMs);
      this.pending.set(serial, {
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.socket.write(bytes);
    });
    if (reply.type === MessageType.error) {
      const text = typeof reply.body[0] === "string" ? reply.body[0] : (reply.errorName ?? "D-Bus error");
      throw new DBusError(reply.errorName ?? "org.freedesktop.DBus.Error.Failed", text);
    }
    return reply.body;
  }

  close(): void {
    this.closedError ??= new Error("closed");
    this.socket.destroy();
  }
}

/** SASL EXTERNAL: the bus checks our uid from the socket's credentials. */
async function authenticate(socket: Socket): Promise<void> {
  const uid = process.getuid?.() ?? 0;
  socket.write(
    Buffer.concat([Buffer.from([0]), Buffer.from(`AUTH EXTERNAL ${Buffer.from(String(uid)).toString("hex")}\r\n`)]),
  );
  const line = await new Promise<string>((resolve, reject) => {
    let text = "";
    const onData = (chunk: Buffer) => {
      text += chunk.toString("latin1");
      const end = text.indexOf("\r\n");
      if (end >= 0) {
        socket.off("data", onData);
        resolve(text.slice(0, end));
      }
    };
    socket.on("data", onData);
    socket.once("error", reject);
    socket.once("close", () => reject(new Error("the bus closed the connection during authentication")));
  });
  if (!line.startsWith("OK ")) throw new Error(`the bus refused authentication (${line.split(" ")[0] ?? ""})`);
  socket.write("BEGIN\r\n");
}
