import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { canaryToken } from "../helpers/canary.js";
import { FakeGitHub } from "../helpers/fake-github.js";
import { ForwardProxy } from "../helpers/forward-proxy.js";
import { Sandbox } from "../helpers/sandbox.js";
import { throwawayCert, type ThrowawayCert } from "../helpers/throwaway-cert.js";
import { expectTokenOnlyInAuthorization } from "../helpers/token-exposure.js";

/**
 * HTTP(S)_PROXY and NO_PROXY, in either case, through a loopback forward
 * proxy that records what it is asked. Plain-http APIs reach the proxy as
 * absolute-form requests; https ones as CONNECT tunnels, so the proxy never
 * sees the token.
 */
describe("verify through a forward proxy", () => {
  const plain = new FakeGitHub();
  let cert: ThrowawayCert;
  let tls: FakeGitHub;
  const proxy = new ForwardProxy();
  let sb: Sandbox;

  beforeAll(async () => {
    cert = throwawayCert();
    tls = new FakeGitHub({ tls: { key: cert.key, cert: cert.cert } });
    await Promise.all([plain.start(), tls.start(), proxy.start()]);
  });
  afterAll(async () => {
    await Promise.all([plain.stop(), tls.stop(), proxy.stop()]);
    cert.remove();
  });
  beforeEach((context) => {
    plain.requests.length = 0;
    tls.requests.length = 0;
    proxy.requests.length = 0;
    sb = new Sandbox();
    context.onTestFinished(() => sb.cleanup());
  });

  async function verify(api: FakeGitHub, env: Record<string, string>) {
    const token = sb.canary(canaryToken());
    api.addToken(token, { login: "proxied", scopes: ["repo"] });
    const result = await sb.run(["verify", "--stdin", "--json"], {
      input: token,
      env: { GHPAT_API_URL: api.url, NODE_EXTRA_CA_CERTS: cert.certFile, ...env },
    });
    return { token, result };
  }

  for (const name of ["HTTP_PROXY", "http_proxy"]) {
    it(`${name}: the proxy forwards every request to a plain-http API`, async () => {
      const { token, result } = await verify(plain, { [name]: proxy.url });
      expect(result.code, result.stderr).toBe(0);
      expect(proxy.requests.map((r) => `${r.method} ${r.target}`)).toEqual([`GET ${plain.url}/user`]);
      expect(plain.requests).toHaveLength(1);
      expectTokenOnlyInAuthorization(
        [...proxy.requests.map((r) => ({ url: r.target, headers: r.headers })), ...plain.requests],
        token,
      );
    });
  }

  for (const name of ["HTTPS_PROXY", "https_proxy"]) {
    it(`${name}: an https API is reached through a CONNECT tunnel and the proxy never sees the token`, async () => {
      const { token, result } = await verify(tls, { [name]: proxy.url });
      expect(result.code, result.stderr).toBe(0);
      const host = new URL(tls.url).host;
      expect(proxy.requests.map((r) => `${r.method} ${r.target}`)).toEqual([`CONNECT ${host}`]);
      expect(JSON.stringify(proxy.requests)).not.toContain(token);
      expect(tls.authorizations()).toEqual([`token ${token}`]);
      expectTokenOnlyInAuthorization(tls.requests, token);
    });
  }

  it("HTTP_PROXY alone also carries https requests (as curl does)", async () => {
    const { result } = await verify(tls, { HTTP_PROXY: proxy.url });
    expect(result.code, result.stderr).toBe(0);
    expect(proxy.requests.map((r) => r.method)).toEqual(["CONNECT"]);
  });

  for (const name of ["NO_PROXY", "no_proxy"]) {
    it(`${name}: a listed host bypasses the proxy, for http and https`, async () => {
      const env = { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url, [name]: "localhost,127.0.0.1" };
      const viaHttp = await verify(plain, env);
      const viaHttps = await verify(tls, env);
      expect(viaHttp.result.code, viaHttp.result.stderr).toBe(0);
      expect(viaHttps.result.code, viaHttps.result.stderr).toBe(0);
      expect(proxy.requests).toEqual([]);
      expect(plain.requests).toHaveLength(1);
      expect(tls.requests).toHaveLength(1);
      expectTokenOnlyInAuthorization(plain.requests, viaHttp.token);
    });
  }

  it("an untrusted certificate: exit 5, the hint names NODE_EXTRA_CA_CERTS, and the token is never sent", async () => {
    const token = sb.canary(canaryToken());
    const result = await sb.run(["verify", "--stdin"], { input: token, env: { GHPAT_API_URL: tls.url } });
    expect(result.code).toBe(5);
    expect(result.stderr).toContain("not trusted");
    expect(result.stderr).toContain("NODE_EXTRA_CA_CERTS");
    expect(tls.requests).toEqual([]);
  });

  it("a proxy that is down: exit 5 naming the proxy settings", async () => {
    const token = sb.canary(canaryToken());
    const result = await sb.run(["verify", "--stdin"], {
      input: token,
      env: { GHPAT_API_URL: plain.url, HTTP_PROXY: "http://127.0.0.1:47999" },
    });
    expect(result.code).toBe(5);
    expect(result.stderr).toContain("HTTPS_PROXY");
    expect(plain.requests).toEqual([]);
  });
});
