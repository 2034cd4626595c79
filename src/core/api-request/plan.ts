/**
 * The HTTP request `ghpat api` makes from its flags: method, URL, headers
 * and body. Pure: the fields are parsed, the input read and the
 * placeholders filled by the caller.
 */
import { UsageError } from "../../errors.js";
import { endpointUrl, isGraphqlEndpoint } from "./endpoint.js";
import { graphqlBody, queryPairs, type Fields } from "./fields.js";
import { withLargestPages } from "./pagination.js";

export interface RequestPlan {
  method: string;
  url: URL;
  /** The caller's headers and ghpat's defaults; never Authorization, which the sender adds. */
  headers: Record<string, string>;
  body: Buffer | null;
  graphql: boolean;
}

export interface PlanInput {
  endpoint: string;
  apiBase: string;
  /** `-X`; absent: GET, or POST when there are fields or an input body. */
  method?: string | undefined;
  fields: Fields;
  /** `--input`'s bytes. */
  input?: Buffer | null | undefined;
  headers: Record<string, string>;
  paginate: boolean;
}

/** GitHub's documented media type; -H 'Accept: …' replaces it. */
export const DEFAULT_ACCEPT = "application/vnd.github+json";

function methodOf(flag: string | undefined, hasBody: boolean): string {
  if (flag === undefined) return hasBody ? "POST" : "GET";
  if (!/^[A-Za-z]+$/.test(flag))
    throw new UsageError(`'${flag}' is not an HTTP method.`, "Use GET, POST, PATCH, PUT or DELETE.");
  return flag.toUpperCase();
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === name);
}

export function planRequest(input: PlanInput): RequestPlan {
  const graphql = isGraphqlEndpoint(input.endpoint);
  if (graphql && input.paginate) {
    throw new UsageError(
      "--paginate follows REST 'Link' headers; GraphQL pages by cursor.",
      "Ask for pageInfo { endCursor hasNextPage } and pass -F endCursor=… on the next call.",
    );
  }
  const hasFields = Object.keys(input.fields).length > 0;
  const body = input.input ?? null;
  const method = methodOf(input.method, hasFields || body !== null);
  let url = endpointUrl(input.endpoint, input.apiBase);
  const headers: Record<string, string> = { ...input.headers };
  if (!hasHeader(headers, "accept")) headers.Accept = DEFAULT_ACCEPT;

  let payload: Buffer | null = body;
  // gh's rule: with --input the fields go into the query; with GET (or HEAD) too.
  const fieldsInQuery = body !== null || method === "GET" || method === "HEAD";
  if (hasFields && fieldsInQuery) {
    url = new URL(url);
    for (const [key, value] of queryPairs(input.fields)) url.searchParams.append(key, value);
  } else if (hasFields) {
    payload = Buffer.from(JSON.stringify(graphql ? graphqlBody(input.fields) : input.fields), "utf8");
    if (!hasHeader(headers, "content-type")) headers["Content-Type"] = "application/json; charset=utf-8";
  }
  if (input.paginate && method === "GET") url = withLargestPages(url);
  return { method, url, headers, body: payload, graphql };
}
