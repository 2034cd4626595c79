import type { Agent as HttpAgent, IncomingMessage } from "node:http";
import { ExchangeTimeout, type Exchange, type RawAnswer, type Transport } from "./transport.js";

/**
 * Node's http and https, with kept-alive connections for the pages of one
 * `--paginate`, all closed by close(). https (and with it tls) loads only
 * for an https API. The timeout is a plain timer: an AbortSignal would load
 * Node's EventTarget machinery, a few ms of a command meant for loops.
 */
export class NodeTransport implements Transport {
  private readonly agents = new Map<string, HttpAgent>();

  constructor(protocol: string) {
    this.agentFor(protocol);
  }

  private agentFor(protocol: string): { request: typeof import("node:http").request; agent: HttpAgent } {
    const module =
      protocol === "https:" ? process.getBuiltinModule("node:https") : process.getBuiltinModule("node:http");
    let agent = this.agents.get(protocol);
    if (agent === undefined) {
      agent = new module.Agent({ keepAlive: true });
      this.agents.set(protocol, agent);
    }
    return { request: module.request as typeof import("node:http").request, agent };
  }

  exchange(request: Exchange): Promise<RawAnswer> {
    const { url } = request;
    const { request: send, agent } = this.agentFor(url.protocol);
    const headers: Record<string, string> = { ...request.headers };
    if (request.body !== null) headers["Content-Length"] = String(request.body.length);
    return new Promise((resolveExchange, rejectExchange) => {
      const timer = setTimeout(() => {
        const timeout = new ExchangeTimeout(`no answer within ${request.timeoutMs} ms`);
        rejectExchange(timeout);
        outgoing.destroy(timeout);
      }, request.timeoutMs);
      const resolve = (answer: RawAnswer) => {
        clearTimeout(timer);
        resolveExchange(answer);
      };
      const reject = (error: unknown) => {
        clearTimeout(timer);
        rejectExchange(error);
      };
      const outgoing = send(
        {
          protocol: url.protocol,
          // URL keeps an IPv6 literal's brackets; the socket wants the address.
          hostname: url.hostname.replace(/^\[(.*)\]$/, "$1"),
          port: url.port,
          path: `${url.pathname}${url.search}`,
          method: request.method,
          headers,
          agent,
        },
        (response: IncomingMessage) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("error", reject);
          response.on("end", () => {
            if (!response.complete) {
              reject(
                Object.assign(new Error("The connection closed before the whole answer arrived."), {
                  code: "ECONNRESET",
                }),
              );
              return;
            }
            resolve({
              status: response.statusCode ?? 0,
              statusText: response.statusMessage ?? "",
              headers: response.headers,
              body: Buffer.concat(chunks),
            });
          });
        },
      );
      outgoing.on("error", reject);
      outgoing.end(request.body ?? undefined);
    });
  }

  async close(): Promise<void> {
    for (const agent of this.agents.values()) agent.destroy();
  }
}
