import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { canaryToken } from "../helpers/canary.js";
import { FakeGitHub } from "../helpers/fake-github.js";
import { ForwardProxy } from "../helpers/forward-proxy.js";
import { Sandbox } from "../helpers/sandbox.js";
import { throwawayCert, type ThrowawayCert } from "../helpers/throwaway-cert.js";
import { expectTokenOnlyInAuthorization } from "../helpers/token-exposure.js";

/**
 * `ghpat api` over https and through proxies: Node's own https without a
 * proxy variable, undici's proxy agent with one (absolute-form requests for
 * plain http, CONNECT tunnels for https, NO_PROXY honoured). The token comes
 * from GH_TOKEN, so no secret store is involved.
 */
describe("ghpat api over https and through a forward proxy", () => {
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
    for (const api of [plain, tls]) {
      api.requests.length = 0;
      api.clearInterceptors();
      api.respond("GET", "/repos/acme/app", 200, { full_name: "acme/app" });
    }
    proxy.requests.length = 0;
    sb = new Sandbox();
    context.onTestFinished(() => sb.cleanup());
  });

  async function call(api: FakeGitHub, env: Record<string, string>) {
    const token = sb.canary(canaryToken());
    const result = await sb.run(["api", "repos/acme/app"], {
      env: { GHPAT_API_URL: api.url, NODE_EXTRA_CA_CERTS: cert.certFile, GH_TOKEN: token, ...env },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ full_name: "acme/app" });
    expect(api.authorizations()).toEqual([`token ${token}`]);
    expectTokenOnlyInAuthorization(api.requests, token);
    return token;
  }

  it("https without a proxy: the token reaches the API, nothing else", async () => {
    await call(tls, {});
    expect(proxy.requests).toEqual([]);
  });

  it("HTTPS_PROXY: through a CONNECT tunnel, the proxy never sees the token", async () => {
    const token = await call(tls, { HTTPS_PROXY: proxy.url });
    expect(proxy.requests.map((r) => `${r.method} ${r.target}`)).toEqual([`CONNECT ${new URL(tls.url).host}`]);
    expect(JSON.stringify(proxy.requests)).not.toContain(token);
  });

  it("http_proxy: a plain-http API is asked in absolute form", async () => {
    await call(plain, { http_proxy: proxy.url });
    expect(proxy.requests.map((r) => `${r.method} ${r.target}`)).toEqual([`GET ${plain.url}/repos/acme/app`]);
  });

  it("NO_PROXY: a listed host bypasses the proxy", async () => {
    await call(tls, { HTTPS_PROXY: proxy.url, NO_PROXY: "127.0.0.1" });
    expect(proxy.requests).toEqual([]);
  });

  it("an untrusted certificate: exit 5 naming NODE_EXTRA_CA_CERTS, and the token is never sent", async () => {
    const token = sb.canary(canaryToken());
    const result = await sb.run(["api", "user"], { env: { GHPAT_API_URL: tls.url, GH_TOKEN: token } });
    expect(result.code).toBe(5);
    expect(result.stderr).toContain("NODE_EXTRA_CA_CERTS");
    expect(tls.requests).toEqual([]);
  });
});
