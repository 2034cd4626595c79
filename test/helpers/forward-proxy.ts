import { createServer, request as httpRequest, type IncomingMessage, type Server } from "node:http";
import { connect, type AddressInfo, type Socket } from "node:net";

export interface ProxiedRequest {
  /** `GET http://127.0.0.1:1234/user` for absolute-form requests, `CONNECT 127.0.0.1:1234` for tunnels. */
  method: string;
  target: string;
  headers: IncomingMessage["headers"];
}

/**
 * A loopback forward proxy: plain-http requests arrive in absolute form and
 * are forwarded; https ones arrive as CONNECT and are tunnelled (the proxy
 * then sees only ciphertext). Records what it was asked.
 */
export class ForwardProxy {
  readonly requests: ProxiedRequest[] = [];
  private server: Server | undefined;
  private tunnels = new Set<Socket>();
  url = "";

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.requests.push({ method: req.method ?? "", target: req.url ?? "", headers: req.headers });
      let target: URL;
      try {
        target = new URL(req.url ?? "");
      } catch {
        res.writeHead(400).end("absolute-form request expected");
        return;
      }
      const upstream = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          path: `${target.pathname}${target.search}`,
          method: req.method,
          headers: req.headers,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on("error", () => res.writeHead(502).end());
      req.pipe(upstream);
    });
    this.server.on("connect", (req: IncomingMessage, client: Socket, head: Buffer) => {
      this.requests.push({ method: "CONNECT", target: req.url ?? "", headers: req.headers });
      const [host, port] = (req.url ?? "").split(":");
      const upstream = connect(Number(port), host ?? "127.0.0.1", () => {
        client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      for (const socket of [client, upstream]) {
        this.tunnels.add(socket);
        socket.on("error", () => undefined);
        socket.on("close", () => this.tunnels.delete(socket));
      }
      upstream.on("error", () => client.end("HTTP/1.1 502 Bad Gateway\r\n\r\n"));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const socket of this.tunnels) socket.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
