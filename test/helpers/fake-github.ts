import { createServer, type IncomingMessage, type ServerResponse, type Server } from "node:http";
import { createServer as createTlsServer, type Server as TlsServer } from "node:https";
import type { AddressInfo } from "node:net";

export interface FakeToken {
  login: string;
  /** The X-OAuth-Scopes list; null leaves the header out (fine-grained tokens). */
  scopes?: string[] | null;
  /** Raw `github-authentication-token-expiration` value; undefined leaves it out (never expires). */
  expiration?: string | undefined;
  /** When set, /user answers 403 with `X-GitHub-SSO: required; url=...`. */
  ssoUrl?: string | undefined;
  /**
   * The repositories the token reaches, as `owner/name` (private unless in
   * `publicRepositories`): `GET /user/repos` lists them in pages of
   * `reposPageSize`, and `GET /repos/OWNER/REPO` answers 200 for them, 404
   * for any other. A token the server does not know gets 404 for both.
   */
  repositories?: string[] | undefined;
  publicRepositories?: string[] | undefined;
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

export interface FakeGitHubOptions {
  /** Serve https with this key and certificate (see throwaway-cert.ts) instead of plain http. */
  tls?: { key: string; cert: string } | undefined;
}

/** Returns true when it answered the request itself. */
export type Interceptor = (req: IncomingMessage, res: ServerResponse, body: string) => boolean | Promise<boolean>;

/**
 * A real HTTP server on 127.0.0.1 that answers like api.github.com for the
 * calls ghpat makes, with GitHub's headers, and records what reached it.
 */
export class FakeGitHub {
  readonly tokens = new Map<string, FakeToken>();
  readonly requests: RecordedRequest[] = [];
  latencyMs = 0;
  revokeStatus = 202;
  rateLimitRemaining = 4999;
  /** The most repositories one page of `GET /user/repos` holds, whatever `per_page` asks for. */
  reposPageSize = 100;
  private interceptors: Interceptor[] = [];
  private server: Server | TlsServer | undefined;
  url = "";

  constructor(readonly options: FakeGitHubOptions = {}) {}

  async start(): Promise<this> {
    const handler = (req: IncomingMessage, res: ServerResponse) => void this.handle(req, res);
    this.server = this.options.tls
      ? createTlsServer({ key: this.options.tls.key, cert: this.options.tls.cert }, handler)
      : createServer(handler);
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `${this.options.tls ? "https" : "http"}://127.0.0.1:${port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** Answer (some) requests differently: first matching interceptor wins; add `once` ones for one-off faults. */
  intercept(interceptor: Interceptor): void {
    this.interceptors.push(interceptor);
  }

  clearInterceptors(): void {
    this.interceptors = [];
  }

  /** Answers `method path` (the path without its query) with a fixed status, JSON body and headers. */
  respond(method: string, path: string, status: number, body: unknown, headers: Record<string, string> = {}): void {
    this.intercept((req, res) => {
      if (req.method !== method || pathOf(req) !== path) return false;
      this.json(res, status, body, { ...this.rateHeaders(), ...headers });
      return true;
    });
  }

  /**
   * GET `path` in pages, as GitHub pages a list: `?page=N` (1 when absent)
   * answers `pages[N-1]` (through `wrap`, e.g. search's `{total_count, items}`),
   * with a Link header naming the next and last pages by absolute URL.
   */
  paginate(path: string, pages: unknown[][], wrap: (items: unknown[]) => unknown = (items) => items): void {
    this.intercept((req, res) => {
      if (req.method !== "GET" || pathOf(req) !== path) return false;
      const url = new URL(req.url ?? "/", this.url);
      const page = Number(url.searchParams.get("page") ?? "1");
      const items = pages[page - 1];
      if (items === undefined) {
        this.json(res, 404, { message: "Not Found" });
        return true;
      }
      const link = (n: number) => {
        const target = new URL(url);
        target.searchParams.set("page", String(n));
        return target.href;
      };
      const links = [
        ...(page < pages.length ? [`<${link(page + 1)}>; rel="next"`] : []),
        `<${link(pages.length)}>; rel="last"`,
        ...(page > 1 ? [`<${link(1)}>; rel="first"`] : []),
      ];
      this.json(res, 200, wrap(items), { ...this.rateHeaders(), link: links.join(", ") });
      return true;
    });
  }

  /** Answers `method path` with a redirect to `location` (absolute, e.g. another FakeGitHub's URL). */
  redirect(method: string, path: string, location: string, status = 302): void {
    this.intercept((req, res) => {
      if (req.method !== method || pathOf(req) !== path) return false;
      res.writeHead(status, { location, "content-length": "0" });
      res.end();
      return true;
    });
  }

  addToken(token: string, info: FakeToken): void {
    this.tokens.set(token, info);
  }

  /** Every Authorization value that reached this server. */
  authorizations(): string[] {
    return this.requests.map((r) => r.headers.authorization).filter((a): a is string => typeof a === "string");
  }

  rateHeaders(): Record<string, string> {
    return {
      "x-ratelimit-limit": "5000",
      "x-ratelimit-remaining": String(this.rateLimitRemaining),
      "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 3600),
      "x-ratelimit-used": String(5000 - this.rateLimitRemaining),
      "x-ratelimit-resource": "core",
    };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    this.requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
    for (const interceptor of this.interceptors) {
      if (await interceptor(req, res, body)) return;
    }
    const path = (req.url ?? "").split("?")[0];
    if (req.method === "GET" && (path === "/user" || path === "/api/v3/user")) return this.user(req, res);
    if (req.method === "POST" && path === "/credentials/revoke") return this.revoke(req, res);
    // Only for the tokens this server was told about: any other gets the plain 404 below, as before these routes.
    const known = this.tokenOf(req);
    if (known && req.method === "GET" && path === "/user/repos") return this.userRepos(req, res, known);
    if (known && req.method === "GET" && path !== undefined && /^\/repos\/[^/]+\/[^/]+$/.test(path))
      return this.repo(res, known, path.slice("/repos/".length));
    if (req.method === "GET" && (path === "/meta" || path === "/api/v3/meta"))
      return this.json(res, 200, { verifiable_password_authentication: false });
    this.json(res, 404, { message: "Not Found", documentation_url: "https://docs.github.com/rest" });
  }

  private user(req: IncomingMessage, res: ServerResponse): void {
    const auth = req.headers.authorization ?? "";
    const token = auth.replace(/^(token|bearer)\s+/i, "");
    const info = this.tokens.get(token);
    if (!info) {
      this.json(
        res,
        401,
        { message: "Bad credentials", documentation_url: "https://docs.github.com/rest", status: "401" },
        this.rateHeaders(),
      );
      return;
    }
    const headers: Record<string, string> = { ...this.rateHeaders() };
    if (info.scopes !== null) headers["x-oauth-scopes"] = (info.scopes ?? []).join(", ");
    headers["x-accepted-oauth-scopes"] = "";
    if (info.expiration !== undefined) headers["github-authentication-token-expiration"] = info.expiration;
    if (info.ssoUrl) {
      headers["x-github-sso"] = `required; url=${info.ssoUrl}`;
      this.json(res, 403, { message: "Resource protected by organization SAML enforcement." }, headers);
      return;
    }
    this.json(res, 200, { login: info.login, id: 1, type: "User" }, headers);
  }

  private tokenOf(req: IncomingMessage): FakeToken | undefined {
    return this.tokens.get((req.headers.authorization ?? "").replace(/^(token|bearer)\s+/i, ""));
  }

  private repositoriesOf(info: FakeToken): Array<{ full_name: string; private: boolean }> {
    const publicOnes = new Set(info.publicRepositories ?? []);
    return [...(info.repositories ?? []), ...publicOnes].map((fullName) => ({
      full_name: fullName,
      private: !publicOnes.has(fullName),
    }));
  }

  /** `GET /user/repos`, paged as GitHub pages it: `page`, `per_page` (at most reposPageSize), a Link header with next and last. */
  private userRepos(req: IncomingMessage, res: ServerResponse, info: FakeToken): void {
    const url = new URL(req.url ?? "/", this.url);
    const perPage = Math.min(Number(url.searchParams.get("per_page") ?? "30"), this.reposPageSize);
    const page = Number(url.searchParams.get("page") ?? "1");
    const all = this.repositoriesOf(info).map((repo, i) => ({
      id: i + 1,
      name: repo.full_name.split("/")[1],
      full_name: repo.full_name,
      private: repo.private,
      owner: { login: repo.full_name.split("/")[0] },
    }));
    const last = Math.max(1, Math.ceil(all.length / perPage));
    const link = (n: number) => {
      const target = new URL(url);
      target.searchParams.set("page", String(n));
      return `<${target.href}>`;
    };
    const links = [
      ...(page < last ? [`${link(page + 1)}; rel="next"`, `${link(last)}; rel="last"`] : []),
      ...(page > 1 ? [`${link(1)}; rel="first"`, `${link(page - 1)}; rel="prev"`] : []),
    ];
    this.json(res, 200, all.slice((page - 1) * perPage, page * perPage), {
      ...this.rateHeaders(),
      ...(links.length > 0 ? { link: links.join(", ") } : {}),
    });
  }

  /** `GET /repos/OWNER/REPO`: 200 when the token reaches it, else 404 (GitHub's answer for a repository out of reach). */
  private repo(res: ServerResponse, info: FakeToken, fullName: string): void {
    const repo = this.repositoriesOf(info).find(
      (r) => r.full_name.toLowerCase() === decodeURIComponent(fullName).toLowerCase(),
    );
    if (!repo)
      return this.json(
        res,
        404,
        { message: "Not Found", documentation_url: "https://docs.github.com/rest" },
        this.rateHeaders(),
      );
    this.json(res, 200, { full_name: repo.full_name, private: repo.private }, this.rateHeaders());
  }

  private revoke(req: IncomingMessage, res: ServerResponse): void {
    if (req.headers.authorization) {
      this.json(res, 403, { message: "Must not be authenticated" });
      return;
    }
    if (this.revokeStatus === 202) this.json(res, 202, {});
    else this.json(res, this.revokeStatus, { message: "Validation Failed" });
  }

  json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, {
      "content-type": "application/json; charset=utf-8",
      "x-github-request-id": "FAKE:1",
      ...headers,
    });
    res.end(JSON.stringify(body));
  }
}

function pathOf(req: IncomingMessage): string {
  return (req.url ?? "").split("?")[0] ?? "";
}

/** `2027-01-01 00:00:00 UTC`-style header value for a date `days` from now. */
export function expirationHeader(daysFromNow: number, now = Date.now()): string {
  const d = new Date(now + daysFromNow * 86_400_000);
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 19)} UTC`;
}
