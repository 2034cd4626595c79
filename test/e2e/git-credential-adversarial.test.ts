import { afterAll, beforeAll, expect, it } from "vitest";
import { canaryToken } from "../helpers/canary.js";
import { Sandbox } from "../helpers/sandbox.js";
import { describeKeychain, keyringEnv } from "../helpers/suite.js";

/**
 * Hostile `get` requests, each of which must be answered with nothing: no
 * stored token and no environment token on stdout, exit 0. Stored: a token
 * for github.com (the default, no --match) and one for ghe.example.com:8443;
 * GH_TOKEN, GITHUB_TOKEN and GH_ENTERPRISE_TOKEN are set as well.
 */
const bytes = (text: string) => Buffer.from(text, "utf8");
const big = (n: number) => "a".repeat(n);

const CASES: Array<{ name: string; input: Buffer }> = [
  // CVE-2025-23040 (GitHub Desktop): a remote URL https://%0dprotocol=https%0dhost=github.com%0d@localhost:13337/
  {
    name: "CVE-2025-23040 payload: CRs in the username",
    input: bytes("protocol=https\nhost=localhost:13337\nusername=\rprotocol=https\rhost=github.com\r\n\n"),
  },
  { name: "CR injection in host", input: bytes("protocol=https\nhost=evil.example\rhost=github.com\n") },
  { name: "CRLF line endings", input: bytes("protocol=https\r\nhost=github.com\r\n\r\n") },
  { name: "CR in the path", input: bytes("protocol=https\nhost=github.com\npath=acme/app.git\r\n") },
  { name: "LF injection: a second host line", input: bytes("protocol=https\nhost=evil.example\nhost=github.com\n") },
  { name: "NUL truncating the host", input: bytes("protocol=https\nhost=github.com\0.evil.example\n") },
  { name: "NUL after the protocol", input: bytes("protocol=https\0\nhost=github.com\n") },
  { name: "U+2028 LINE SEPARATOR in host", input: bytes("protocol=https\nhost=evil.example\u2028host=github.com\n") },
  {
    name: "U+2029 PARAGRAPH SEPARATOR in host",
    input: bytes("protocol=https\nhost=evil.example\u2029host=github.com\n"),
  },
  { name: "U+0085 NEXT LINE in host", input: bytes("protocol=https\nhost=evil.example\u0085host=github.com\n") },
  { name: "U+2028 after the protocol", input: bytes("protocol=http\u2028protocol=https\nhost=github.com\n") },
  { name: "duplicate protocol", input: bytes("protocol=http\nprotocol=https\nhost=github.com\n") },
  { name: "duplicate username", input: bytes("protocol=https\nhost=github.com\nusername=a\nusername=a\n") },
  { name: "missing host", input: bytes("protocol=https\n\n") },
  { name: "empty host", input: bytes("protocol=https\nhost=\n") },
  { name: "missing protocol", input: bytes("host=github.com\n") },
  { name: "empty protocol", input: bytes("protocol=\nhost=github.com\n") },
  { name: "http", input: bytes("protocol=http\nhost=github.com\n") },
  { name: "upper-case keys", input: bytes("Protocol=https\nHost=github.com\n") },
  { name: "github.com.evil.example", input: bytes("protocol=https\nhost=github.com.evil.example\n") },
  { name: "evilgithub.com", input: bytes("protocol=https\nhost=evilgithub.com\n") },
  { name: "api.github.com", input: bytes("protocol=https\nhost=api.github.com\n") },
  { name: "port mismatch: github.com:443", input: bytes("protocol=https\nhost=github.com:443\n") },
  { name: "port missing: ghe.example.com", input: bytes("protocol=https\nhost=ghe.example.com\n") },
  { name: "port mismatch: ghe.example.com:9443", input: bytes("protocol=https\nhost=ghe.example.com:9443\n") },
  { name: "github.com#@evil.example", input: bytes("protocol=https\nhost=github.com#@evil.example\n") },
  { name: "github.com@evil.example", input: bytes("protocol=https\nhost=github.com@evil.example\n") },
  { name: "host with a trailing dot", input: bytes("protocol=https\nhost=github.com.\n") },
  { name: "host with a leading space", input: bytes("protocol=https\nhost= github.com\n") },
  { name: "Cyrillic look-alike host", input: bytes("protocol=https\nhost=gіthub.com\n") },
  { name: "a url= attribute is never parsed", input: bytes("protocol=https\nurl=https://github.com/\n") },
  {
    name: "oversized line (65536 bytes)",
    input: bytes(`protocol=https\nhost=github.com\nwwwauth[]=${big(65_536 - "wwwauth[]=".length)}\n`),
  },
  {
    name: "oversized input (over 1 MiB)",
    input: bytes(`protocol=https\nhost=github.com\n${`wwwauth[]=${big(60_000)}\n`.repeat(18)}`),
  },
  {
    name: "invalid UTF-8 in the username",
    input: Buffer.concat([bytes("protocol=https\nhost=github.com\nusername="), Buffer.from([0xff, 0xfe]), bytes("\n")]),
  },
  {
    name: "overlong UTF-8 encoding",
    input: Buffer.concat([bytes("protocol=https\nhost=github.com\npath="), Buffer.from([0xc0, 0xaf]), bytes("\n")]),
  },
  { name: "input after the blank line (host)", input: bytes("protocol=https\nhost=evil.example\n\nhost=github.com\n") },
  { name: "input after the blank line (everything)", input: bytes("\nprotocol=https\nhost=github.com\n") },
  { name: "a line without '='", input: bytes("protocol=https\nhost=github.com\nusername\n") },
  { name: "a username that is not the login", input: bytes("protocol=https\nhost=github.com\nusername=mallory\n") },
];

describeKeychain("git-credential get answers hostile requests with nothing", () => {
  let sb: Sandbox;
  let stored: string;

  beforeAll(async () => {
    sb = new Sandbox({ keyringEnv });
    stored = sb.canary(canaryToken());
    const enterprise = sb.canary(canaryToken());
    sb.env.GH_TOKEN = sb.canary(canaryToken());
    sb.env.GITHUB_TOKEN = sb.canary(canaryToken());
    sb.env.GH_ENTERPRISE_TOKEN = sb.canary(canaryToken());
    sb.seed([
      { name: "main", token: stored },
      { name: "ghe", token: enterprise, host: "ghe.example.com:8443" },
    ]);
  });
  afterAll(() => sb?.cleanup());

  it("answers the well-formed request (the control case)", async () => {
    const result = await sb.run(["git-credential", "get"], {
      input: "protocol=https\nhost=github.com\n\n",
      secretOnStdout: true,
    });
    expect(result).toMatchObject({ code: 0, stdout: `username=x-access-token\npassword=${stored}\n`, stderr: "" });
  });

  it("answers a request whose wwwauth[] holds a server's raw Latin-1 realm (git 2.41+ passes the header on)", async () => {
    const input = Buffer.concat([
      bytes('protocol=https\nhost=github.com\nwwwauth[]=Basic realm="Z'),
      Buffer.from([0xfc]),
      bytes('rich"\n\n'),
    ]);
    const result = await sb.run(["git-credential", "get"], { input, secretOnStdout: true });
    expect(result).toMatchObject({ code: 0, stdout: `username=x-access-token\npassword=${stored}\n`, stderr: "" });
  });

  it("has at least 25 hostile cases", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(25);
  });

  it.for(CASES)("$name", async ({ input }) => {
    // The sandbox fails the test if any stored or environment token appears on stdout or stderr.
    const result = await sb.run(["git-credential", "get"], { input });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("");
  });
});
