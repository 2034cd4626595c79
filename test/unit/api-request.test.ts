import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/errors.js";
import { endpointUrl, graphqlUrl, pathBelowBase, restUrl, routingPath } from "../../src/core/api-request/endpoint.js";
import {
  graphqlBody,
  parseFieldKey,
  parseFields,
  queryPairs,
  typedValue,
  type TypedValueSource,
} from "../../src/core/api-request/fields.js";
import { parseHeaderFlags } from "../../src/core/api-request/headers.js";
import {
  describeHttpFailure,
  githubErrorLines,
  graphqlErrors,
  printable,
} from "../../src/core/api-request/http-error.js";
import { mergePages, nextPageLink, pageItems, withLargestPages } from "../../src/core/api-request/pagination.js";
import { fillPlaceholders, parseRemoteUrl } from "../../src/core/api-request/placeholders.js";
import { planRequest, type PlanInput } from "../../src/core/api-request/plan.js";

const files: Record<string, string> = { "body.md": "# Title\nline two\n", "-": "from stdin" };
const source: TypedValueSource = {
  readFile: (path) => {
    const text = files[path];
    if (text === undefined) throw new Error(`no file ${path}`);
    return text;
  },
  fill: (text) => fillPlaceholders(text, { host: "github.com", owner: "acme", repo: "app" }),
};

describe("fields", () => {
  it("-f keeps every value a string; -F types true, false, null, integers and @file", () => {
    expect(parseFields(["a=true", "b=12", "c=null", "d=@body.md"], [], source)).toEqual({
      a: "true",
      b: "12",
      c: "null",
      d: "@body.md",
    });
    expect(
      parseFields(
        [],
        ["a=true", "b=false", "c=null", "d=12", "e=-3", "f=@body.md", "g=@-", "h=1.5", "i=text", "j="],
        source,
      ),
    ).toEqual({
      a: true,
      b: false,
      c: null,
      d: 12,
      e: -3,
      f: "# Title\nline two\n",
      g: "from stdin",
      h: "1.5",
      i: "text",
      j: "",
    });
  });

  it("an integer JSON cannot hold exactly stays a string", () => {
    expect(typedValue("12345678901234567890", source)).toBe("12345678901234567890");
    expect(typedValue("9007199254740991", source)).toBe(9007199254740991);
  });

  it("fills {owner} and {repo} in -F values only", () => {
    expect(parseFields(["raw={owner}"], ["typed={owner}/{repo}"], source)).toEqual({
      raw: "{owner}",
      typed: "acme/app",
    });
  });

  it("the value is everything after the first '='", () => {
    expect(parseFields(["q=a=b=c"], [], source)).toEqual({ q: "a=b=c" });
  });

  it("builds arrays, nested objects and arrays of objects as gh does", () => {
    expect(parseFields(["labels[]=bug", "labels[]=flaky"], [], source)).toEqual({ labels: ["bug", "flaky"] });
    expect(parseFields([], ["empty[]"], source)).toEqual({ empty: [] });
    expect(
      parseFields(["config[url]=https://x", "config[content_type]=json"], ["config[insecure_ssl]=0"], source),
    ).toEqual({ config: { url: "https://x", content_type: "json", insecure_ssl: 0 } });
    expect(parseFields(["a[][name]=x", "a[][value]=1", "a[][name]=y"], [], source)).toEqual({
      a: [{ name: "x", value: "1" }, { name: "y" }],
    });
    expect(parseFields(["a[b][c]=deep"], [], source)).toEqual({ a: { b: { c: "deep" } } });
  });

  it("string fields come first, then typed ones (gh's order)", () => {
    expect(parseFields(["list[]=a"], ["list[]=1"], source)).toEqual({ list: ["a", 1] });
  });

  it.each([
    ["=value", "not a field name"],
    ["a[b=1", "not a field name"],
    ["a]=1", "not a field name"],
    ["novalue", "has no value"],
    ["a[x]", "has no value"],
  ])("refuses %s", (text, message) => {
    expect(() => parseFields([text], [], source)).toThrow(message);
    expect(() => parseFields([text], [], source)).toThrow(UsageError);
  });

  it("refuses to set a key twice or to mix shapes", () => {
    expect(() => parseFields(["a=1", "a=2"], [], source)).toThrow("already set");
    expect(() => parseFields(["a=1", "a[]=2"], [], source)).toThrow("not an array");
    expect(() => parseFields(["a=1", "a[b]=2"], [], source)).toThrow("not an object");
  });

  it("a key named __proto__ is an own field, not the prototype", () => {
    const fields = parseFields(["__proto__[polluted]=yes"], [], source);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(JSON.parse(JSON.stringify(fields))).toEqual(JSON.parse('{"__proto__":{"polluted":"yes"}}'));
  });

  it("parses keys", () => {
    expect(parseFieldKey("a")).toEqual(["a"]);
    expect(parseFieldKey("a[]")).toEqual(["a", ""]);
    expect(parseFieldKey("a[][b]")).toEqual(["a", "", "b"]);
    expect(parseFieldKey("[a]")).toBeNull();
  });

  it("GraphQL: query and operationName at the top, the rest under variables", () => {
    expect(graphqlBody({ query: "query($n:Int){x}", operationName: "Q", n: 3, owner: "acme" })).toEqual({
      query: "query($n:Int){x}",
      operationName: "Q",
      variables: { n: 3, owner: "acme" },
    });
    expect(graphqlBody({ query: "{viewer{login}}" })).toEqual({ query: "{viewer{login}}" });
  });

  it("as a query: arrays as key[], objects as key[sub], null empty", () => {
    expect(queryPairs({ state: "all", per_page: 5, labels: ["a", "b"], o: { k: true }, n: null })).toEqual([
      ["state", "all"],
      ["per_page", "5"],
      ["labels[]", "a"],
      ["labels[]", "b"],
      ["o[k]", "true"],
      ["n", ""],
    ]);
  });
});

describe("headers", () => {
  it("splits at the first colon and trims the value; a repeated name keeps both values", () => {
    expect(parseHeaderFlags(["Accept: application/vnd.github.raw+json", "X-A:1", "x-a: 2", "X-Time: 12:30"])).toEqual({
      Accept: "application/vnd.github.raw+json",
      "X-A": "1, 2",
      "X-Time": "12:30",
    });
  });

  it.each([
    ["NoColon", "has no value"],
    ["Bad Name: x", "not a header name"],
    ["Host: evil.example", "cannot set Host"],
    ["Content-Length: 5", "cannot set Content-Length"],
  ])("refuses %s", (text, message) => {
    expect(() => parseHeaderFlags([text])).toThrow(message);
  });

  it("refuses Authorization in any case, pointing at --token", () => {
    for (const text of ["Authorization: token abc", "authorization: Bearer abc"]) {
      let error: unknown;
      try {
        parseHeaderFlags([text]);
      } catch (thrown) {
        error = thrown;
      }
      expect(error).toBeInstanceOf(UsageError);
      expect((error as UsageError).hint).toContain("--token NAME");
    }
  });
});

describe("endpoints", () => {
  const base = "https://api.github.com";
  const ghes = "https://ghe.example.com/api/v3";

  it("a path relative to the API base, with or without the leading /", () => {
    expect(restUrl("user", base).href).toBe("https://api.github.com/user");
    expect(restUrl("/repos/acme/app/issues?state=all", base).href).toBe(
      "https://api.github.com/repos/acme/app/issues?state=all",
    );
    expect(restUrl("repos/acme/app", ghes).href).toBe("https://ghe.example.com/api/v3/repos/acme/app");
    expect(restUrl("//repos/acme/app", ghes).href).toBe("https://ghe.example.com/api/v3/repos/acme/app");
    expect(restUrl("user", "http://127.0.0.1:9/").href).toBe("http://127.0.0.1:9/user");
  });

  it("GraphQL's endpoint per host", () => {
    expect(graphqlUrl(base).href).toBe("https://api.github.com/graphql");
    expect(graphqlUrl("https://api.acme.ghe.com").href).toBe("https://api.acme.ghe.com/graphql");
    expect(graphqlUrl(ghes).href).toBe("https://ghe.example.com/api/graphql");
    expect(endpointUrl("graphql", base).href).toBe("https://api.github.com/graphql");
  });

  it("a full URL only under the same API base", () => {
    expect(restUrl("https://api.github.com/repos/acme/app", base).href).toBe("https://api.github.com/repos/acme/app");
    for (const url of [
      "https://evil.example/repos/acme/app",
      "http://api.github.com/user",
      "https://api.github.com:444/user",
      "https://ghe.example.com/login",
      "https://user:pw@api.github.com/user",
    ]) {
      expect(() => restUrl(url, url.includes("ghe") ? ghes : base), url).toThrow(UsageError);
    }
  });

  it("refuses dot segments, also percent-encoded, and blanks", () => {
    for (const endpoint of [
      "repos/acme/app/../../evil/x",
      "repos/acme/%2e%2E/evil",
      "./user",
      "repos/acme/app issues",
      "repos\\acme",
    ]) {
      expect(() => restUrl(endpoint, base), endpoint).toThrow(UsageError);
    }
  });

  it("names the owner or repository for routing", () => {
    expect(routingPath("repos/acme/app/issues")).toBe("acme/app");
    expect(routingPath("REPOS/acme/app")).toBe("acme/app");
    expect(routingPath("orgs/acme/members")).toBe("acme");
    expect(routingPath("users/octocat/repos")).toBe("octocat");
    expect(routingPath("repos/acme")).toBe("acme");
    expect(routingPath("repos/ac%6De/app")).toBe("acme/app");
    expect(routingPath("repos/acme%2Fx/app")).toBeUndefined();
    expect(routingPath("user")).toBeUndefined();
    expect(routingPath("search/issues")).toBeUndefined();
    expect(routingPath("graphql")).toBeUndefined();
  });

  it("the path below the base", () => {
    expect(pathBelowBase(new URL("https://ghe.example.com/api/v3/repos/a/b"), ghes)).toBe("repos/a/b");
    expect(pathBelowBase(new URL("https://other.example/api/v3/repos/a/b"), ghes)).toBeNull();
  });
});

describe("placeholders and remotes", () => {
  it("parses the remote URLs git uses", () => {
    expect(parseRemoteUrl("https://github.com/acme/app.git")).toEqual({
      host: "github.com",
      owner: "acme",
      repo: "app",
    });
    expect(parseRemoteUrl("https://x-access-token@github.com/acme/app")).toEqual({
      host: "github.com",
      owner: "acme",
      repo: "app",
    });
    expect(parseRemoteUrl("git@github.com:acme/app.git")).toEqual({ host: "github.com", owner: "acme", repo: "app" });
    expect(parseRemoteUrl("ssh://git@ghe.example.com:2222/acme/app.git")).toEqual({
      host: "ghe.example.com:2222",
      owner: "acme",
      repo: "app",
    });
    expect(parseRemoteUrl("git@GitHub.com:acme/my.repo\n")).toEqual({
      host: "github.com",
      owner: "acme",
      repo: "my.repo",
    });
  });

  it("names no repository for local paths and other shapes", () => {
    for (const url of [
      "/srv/git/app.git",
      "file:///srv/git/app.git",
      "https://github.com/acme",
      "https://github.com/acme/app/tree/main",
      "git@github.com:acme/../x",
      "C:\\repos\\app",
    ]) {
      expect(parseRemoteUrl(url), url).toBeNull();
    }
  });

  it("fills {owner} and {repo}, and refuses them without a repository", () => {
    const repo = { host: "github.com", owner: "acme", repo: "app" };
    expect(fillPlaceholders("repos/{owner}/{repo}/issues", repo)).toBe("repos/acme/app/issues");
    expect(fillPlaceholders("user", null)).toBe("user");
    expect(() => fillPlaceholders("repos/{owner}/{repo}", null)).toThrow(UsageError);
  });
});

describe("pagination", () => {
  it("finds rel=next among GitHub's links", () => {
    const link =
      '<https://api.github.com/repositories/1/issues?page=2>; rel="next", <https://api.github.com/repositories/1/issues?page=5>; rel="last"';
    expect(nextPageLink(link)).toBe("https://api.github.com/repositories/1/issues?page=2");
    expect(nextPageLink('<https://x/?page=1>; rel="prev", <https://x/?page=3>; rel="last"')).toBeNull();
    expect(nextPageLink("<https://x/?page=2>; rel=next")).toBe("https://x/?page=2");
    expect(nextPageLink(undefined)).toBeNull();
  });

  it("asks for 100 a page unless per_page is given", () => {
    expect(withLargestPages(new URL("https://x/issues?state=all")).search).toBe("?state=all&per_page=100");
    expect(withLargestPages(new URL("https://x/issues?per_page=5")).search).toBe("?per_page=5");
  });

  it("merges arrays, and the one list of wrapped results such as search's items", () => {
    expect(mergePages([[1, 2], [3], []])).toEqual([1, 2, 3]);
    expect(
      mergePages([
        { total_count: 3, incomplete_results: false, items: [1, 2] },
        { total_count: 3, incomplete_results: false, items: [3] },
      ]),
    ).toEqual([1, 2, 3]);
    expect(pageItems({ total_count: 1, workflow_runs: [{ id: 1 }] })).toEqual([{ id: 1 }]);
    expect(pageItems({ login: "x" })).toEqual([{ login: "x" }]);
    expect(pageItems({ total_count: 1, a: [], b: [] })).toEqual([{ total_count: 1, a: [], b: [] }]);
  });
});

describe("HTTP failures", () => {
  it("names the status, method and path, then GitHub's message and errors", () => {
    const body = JSON.stringify({
      message: "Validation Failed",
      errors: [{ resource: "Issue", field: "title", code: "missing_field" }, { message: "custom text" }, "plain"],
      documentation_url: "https://docs.github.com",
    });
    expect(
      describeHttpFailure({
        status: 422,
        statusText: "Unprocessable Entity",
        method: "POST",
        target: "/repos/acme/app/issues",
        body,
      }),
    ).toBe(
      "HTTP 422: Unprocessable Entity (POST /repos/acme/app/issues)\nValidation Failed\n- Issue.title: missing_field\n- custom text\n- plain",
    );
    expect(
      describeHttpFailure({
        status: 404,
        statusText: "",
        method: "GET",
        target: "/repos/acme/nope",
        body: '{"message":"Not Found"}',
      }),
    ).toBe("HTTP 404: Not Found (GET /repos/acme/nope)\nNot Found");
    expect(describeHttpFailure({ status: 418, method: "GET", target: "/x", body: "not json" })).toBe(
      "HTTP 418 (GET /x)",
    );
  });

  it("strips terminal control characters from what the server says", () => {
    expect(githubErrorLines(JSON.stringify({ message: "bad\u001b]0;owned\u0007 thing" }))).toEqual([
      "bad]0;owned thing",
    ]);
    expect(printable("a\tb\nc\u009bd")).toBe("a\tb\ncd");
  });

  it("GraphQL errors in a 200 answer", () => {
    expect(graphqlErrors(JSON.stringify({ errors: [{ message: "Field 'x' doesn't exist" }] }))).toEqual([
      "Field 'x' doesn't exist",
    ]);
    expect(graphqlErrors(JSON.stringify({ data: { viewer: { login: "x" } } }))).toEqual([]);
  });
});

describe("the request", () => {
  const plan = (extra: Partial<PlanInput>) =>
    planRequest({
      endpoint: "repos/acme/app/issues",
      apiBase: "https://api.github.com",
      fields: {},
      headers: {},
      paginate: false,
      ...extra,
    });

  it("GET without fields; POST with fields, as JSON", () => {
    expect(plan({}).method).toBe("GET");
    expect(plan({}).body).toBeNull();
    const post = plan({ fields: { title: "Flaky test" } });
    expect(post.method).toBe("POST");
    expect(post.body?.toString()).toBe('{"title":"Flaky test"}');
    expect(post.headers["Content-Type"]).toBe("application/json; charset=utf-8");
    expect(post.headers.Accept).toBe("application/vnd.github+json");
  });

  it("fields go into the query for GET, and beside --input", () => {
    expect(plan({ method: "get", fields: { state: "all", labels: ["a", "b"] } }).url.search).toBe(
      "?state=all&labels%5B%5D=a&labels%5B%5D=b",
    );
    const input = plan({ input: Buffer.from("raw body"), fields: { ref: "main" } });
    expect(input.method).toBe("POST");
    expect(input.body?.toString()).toBe("raw body");
    expect(input.url.search).toBe("?ref=main");
    expect(input.headers["Content-Type"]).toBeUndefined();
  });

  it("-X is upper-cased and checked; -H Accept and Content-Type replace the defaults", () => {
    expect(plan({ method: "patch", fields: { a: 1 } }).method).toBe("PATCH");
    expect(() => plan({ method: "GET /x" })).toThrow(UsageError);
    const custom = plan({
      fields: { a: 1 },
      headers: { accept: "application/vnd.github.raw", "content-type": "text/plain" },
    });
    expect(custom.headers).toEqual({ accept: "application/vnd.github.raw", "content-type": "text/plain" });
  });

  it("GraphQL posts {query, variables}", () => {
    const graphql = plan({ endpoint: "graphql", fields: { query: "query($n:Int!){x(n:$n)}", n: 3 } });
    expect(graphql.method).toBe("POST");
    expect(graphql.url.href).toBe("https://api.github.com/graphql");
    expect(JSON.parse(graphql.body?.toString() ?? "")).toEqual({
      query: "query($n:Int!){x(n:$n)}",
      variables: { n: 3 },
    });
    expect(() => plan({ endpoint: "graphql", paginate: true })).toThrow("--paginate");
  });

  it("--paginate asks for 100 a page on GET", () => {
    expect(plan({ paginate: true }).url.search).toBe("?per_page=100");
  });
});
