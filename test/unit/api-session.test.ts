import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ApiSession, MAX_REDIRECTS, type HttpRequest } from "../../src/github/api-http.js";
import { NetworkError } from "../../src/errors.js";
import { canonicalHeaderName, responseHead } from "../../src/ui/http-lines.js";

interface Seen {
  server: "api" | "other";
  method: string;
  url: string;
  authorization: string | undefined;
  body: string;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** Two loopback origins: the API and another (a second port is another origin). */
describe("ApiSession: redirects and the token", () => {
  const seen: Seen[] = [];
  const handlers: Record<"api" | "other", Handler> = { api: () => undefined, other: () => undefined };
  const servers: Partial<Record<"api" | "other", Server>> = {};
  const urls = { api: "", other: "" };

  beforeAll(async () => {
    for (const name of ["api", "other"] as const) {
      const server = createServer((req, res) => {
        let body = "";
        req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
        req.on("end", () => {
          seen.push({
            server: name,
            method: req.method ?? "",
            url: req.url ?? "",
            authorization: req.headers.authorization,
            body,
          });
          handlers[name](req, res);
        });
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      servers[name] = server;
      urls[name] = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    }
  });
  afterAll(async () => {
    for (const server of Object.values(servers)) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
  beforeEach(() => {
    seen.length = 0;
  });

  const redirectTo =
    (location: string, status = 302): Handler =>
    (_req, res) =>
      void res.writeHead(status, { location }).end();
  const ok: Handler = (_req, res) => void res.writeHead(200, { "content-type": "application/json" }).end("{}");
  const session = () => new ApiSession({ apiBase: urls.api, token: "secret-token", timeoutMs: 5000, env: {} });
  const get = (path: string, extra: Partial<HttpRequest> = {}): HttpRequest => ({
    method: "GET",
    url: new URL(path, urls.api),
    headers: {},
    body: null,
    ...extra,
  });

  it("keeps Authorization on the API's origin, drops it elsewhere, and never takes it back after leaving", async () => {
    handlers.api = (req, res) => (req.url === "/start" ? redirectTo(`${urls.other}/hop`)(req, res) : ok(req, res));
    handlers.other = redirectTo(`${urls.api}/back`);
    const s = session();
    const answer = await s.send(get("/start"));
    await s.close();
    expect(answer.status).toBe(200);
    expect(answer.url.href).toBe(`${urls.api}/back`);
    expect(seen.map((r) => [r.server, r.url, r.authorization])).toEqual([
      ["api", "/start", "token secret-token"],
      ["other", "/hop", undefined],
      ["api", "/back", undefined],
    ]);
  });

  it("a same-origin redirect keeps the token; 303 becomes a GET without a body, 307 keeps both", async () => {
    handlers.api = (req, res) => {
      if (req.url === "/see-other") return redirectTo("/done", 303)(req, res);
      if (req.url === "/temporary") return redirectTo("/done", 307)(req, res);
      return ok(req, res);
    };
    const s = session();
    await s.send(
      get("/see-other", { method: "POST", body: Buffer.from("payload"), headers: { "Content-Type": "text/plain" } }),
    );
    await s.send(get("/temporary", { method: "POST", body: Buffer.from("payload") }));
    await s.close();
    expect(seen.map((r) => [r.method, r.url, r.body, r.authorization])).toEqual([
      ["POST", "/see-other", "payload", "token secret-token"],
      ["GET", "/done", "", "token secret-token"],
      ["POST", "/temporary", "payload", "token secret-token"],
      ["POST", "/done", "payload", "token secret-token"],
    ]);
  });

  it(`stops after ${MAX_REDIRECTS} redirects`, async () => {
    handlers.api = redirectTo("/loop");
    const s = session();
    await expect(s.send(get("/loop"))).rejects.toBeInstanceOf(NetworkError);
    await s.close();
    expect(seen).toHaveLength(MAX_REDIRECTS + 1);
  });
});

describe("--include's layout", () => {
  it("HTTP's CRLF lines, names capitalised as gh prints them, sorted", () => {
    expect(canonicalHeaderName("x-ratelimit-remaining")).toBe("X-Ratelimit-Remaining");
    expect(
      responseHead(404, "", { "x-b": "2", "content-type": "application/json", "set-cookie": ["a=1", "b=2"] }),
    ).toBe(
      "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nX-B: 2\r\n\r\n",
    );
  });

  it("masks token-shaped text and drops control characters a server sent", () => {
    const head = responseHead(200, "OK", { "x-echo": "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\u001b[2J" });
    expect(head).not.toContain("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");
    expect(head).not.toContain("\u001b");
  });
});
