import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";

/** A throw-away certificate for 127.0.0.1, made with openssl. */
export function makeCertificate(dir: string): { cert: string; key: string; certFile: string } {
  const certFile = join(dir, "cert.pem");
  const keyFile = join(dir, "key.pem");
  const result = spawnSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-keyout",
      keyFile,
      "-out",
      certFile,
      "-days",
      "1",
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1",
    ],
    { encoding: "utf8", timeout: 20_000 },
  );
  if (result.status !== 0) throw new Error(`openssl failed: ${result.stderr}`);
  return { cert: readFileSync(certFile, "utf8"), key: readFileSync(keyFile, "utf8"), certFile };
}

export interface GitRequest {
  method: string;
  path: string;
  /** The Basic-auth user and password, when sent. */
  user: string | null;
  password: string | null;
  status: number;
}

/**
 * `git http-backend` behind a Node HTTPS server on 127.0.0.1. Each owner's
 * repositories require Basic auth with one token (any user name, as on
 * GitHub); everything that reached the server is recorded.
 */
export class GitHttpsServer {
  readonly root: string;
  readonly requests: GitRequest[] = [];
  /** owner → the token its repositories require. */
  readonly tokens = new Map<string, string>();
  private server: Server | undefined;
  url = "";
  host = "";

  constructor(
    dir: string,
    private readonly tls: { cert: string; key: string },
  ) {
    this.root = join(dir, "srv");
    mkdirSync(this.root, { recursive: true });
  }

  /** A bare repository `owner/name.git` with one commit on main. */
  createRepository(owner: string, name: string, env: Record<string, string>): void {
    const bare = join(this.root, owner, `${name}.git`);
    const work = join(this.root, `.seed-${owner}-${name}`);
    const git = (args: string[], cwd?: string) => {
      const r = spawnSync("git", args, { cwd, env, encoding: "utf8" });
      if (r.status !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
    };
    git(["init", "--quiet", "--bare", "--initial-branch=main", bare]);
    git(["init", "--quiet", "--initial-branch=main", work]);
    git(["commit", "--quiet", "--allow-empty", "-m", `${owner}/${name} seed`], work);
    git(["push", "--quiet", bare, "main"], work);
  }

  async start(): Promise<this> {
    this.server = createServer(this.tls, (req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    const { port } = this.server.address() as AddressInfo;
    this.host = `127.0.0.1:${port}`;
    this.url = `https://${this.host}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private credentials(req: IncomingMessage): { user: string | null; password: string | null } {
    const header = req.headers.authorization ?? "";
    const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header);
    if (!match?.[1]) return { user: null, password: null };
    const decoded = Buffer.from(match[1], "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    return colon === -1
      ? { user: decoded, password: null }
      : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.url);
    const owner = url.pathname.split("/")[1] ?? "";
    const { user, password } = this.credentials(req);
    const required = this.tokens.get(owner);
    const record = { method: req.method ?? "", path: `${url.pathname}${url.search}`, user, password, status: 0 };
    this.requests.push(record);
    if (required === undefined || password !== required) {
      record.status = 401;
      req.resume();
      res.writeHead(401, { "WWW-Authenticate": 'Basic realm="ghpat-test"', "Content-Type": "text/plain" });
      res.end("Authentication required\n");
      return;
    }
    record.status = 200;
    await this.backend(req, res, url, user ?? "");
  }

  /** CGI: request headers become variables, the body goes to stdin, the response starts with CGI headers. */
  private async backend(req: IncomingMessage, res: ServerResponse, url: URL, user: string): Promise<void> {
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      GIT_PROJECT_ROOT: this.root,
      GIT_HTTP_EXPORT_ALL: "1",
      GIT_CONFIG_NOSYSTEM: "1",
      HOME: this.root,
      REQUEST_METHOD: req.method ?? "GET",
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.replace(/^\?/, ""),
      CONTENT_TYPE: req.headers["content-type"] ?? "",
      REMOTE_USER: user,
      REMOTE_ADDR: "127.0.0.1",
    };
    if (req.headers["content-length"]) env.CONTENT_LENGTH = req.headers["content-length"];
    if (req.headers["content-encoding"]) env.HTTP_CONTENT_ENCODING = req.headers["content-encoding"];
    if (typeof req.headers["git-protocol"] === "string") env.GIT_PROTOCOL = req.headers["git-protocol"];
    const cgi = spawn("git", ["http-backend"], { env, stdio: ["pipe", "pipe", "inherit"] });
    req.pipe(cgi.stdin);
    let buffered = Buffer.alloc(0);
    let headersDone = false;
    cgi.stdout.on("data", (chunk: Buffer) => {
      if (headersDone) {
        res.write(chunk);
        return;
      }
      buffered = Buffer.concat([buffered, chunk]);
      const end = buffered.indexOf("\r\n\r\n");
      if (end === -1) return;
      headersDone = true;
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of buffered.subarray(0, end).toString("latin1").split("\r\n")) {
        const colon = line.indexOf(":");
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === "status") status = Number.parseInt(value, 10);
        else headers[name] = value;
      }
      res.writeHead(status, headers);
      res.write(buffered.subarray(end + 4));
    });
    await new Promise<void>((resolve) => cgi.on("close", () => resolve()));
    if (!headersDone) res.writeHead(500);
    res.end();
  }
}
