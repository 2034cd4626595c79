/**
 * `-f key=value` (always a string) and `-F key=value` (typed) of `ghpat api`,
 * after gh's `pkg/cmd/api` rules: `key[]=v` appends to an array, `key[sub]=v`
 * nests an object, `key[][sub]=v` builds an array of objects, and `key[]`
 * alone is an empty array. Pure: reading a file and filling placeholders are
 * the caller's.
 */
import { UsageError } from "../../errors.js";

export type FieldValue = string | number | boolean | null | FieldValue[] | { [key: string]: FieldValue };
export type Fields = { [key: string]: FieldValue };

export interface TypedValueSource {
  /** The contents of `@path` (`@-`: standard input). */
  readFile(path: string): string;
  /** `{owner}` and `{repo}` filled in a string value. */
  fill(text: string): string;
}

/** The key of a field split into its parts: `a[][b]` → ["a", "", "b"]; "" marks an array. */
export function parseFieldKey(key: string): string[] | null {
  const open = key.indexOf("[");
  const head = open === -1 ? key : key.slice(0, open);
  if (head === "" || head.includes("]")) return null;
  const parts = [head];
  let rest = open === -1 ? "" : key.slice(open);
  while (rest !== "") {
    const match = /^\[([^[\]]*)\]/.exec(rest);
    if (match === null) return null;
    parts.push(match[1] as string);
    rest = rest.slice(match[0].length);
  }
  return parts;
}

/** gh's integers: an optional sign and digits, within what JSON numbers hold exactly; else the text stays a string. */
function integerOf(text: string): number | null {
  if (!/^[+-]?\d+$/.test(text)) return null;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : null;
}

export function typedValue(text: string, source: TypedValueSource): FieldValue {
  if (text.startsWith("@")) return source.readFile(text.slice(1));
  const integer = integerOf(text);
  if (integer !== null) return integer;
  if (text === "true") return true;
  if (text === "false") return false;
  if (text === "null") return null;
  return source.fill(text);
}

/** Without a prototype, so that a field named `__proto__` is a field like any other. */
function emptyFields(): Fields {
  return Object.create(null) as Fields;
}

function isObject(value: FieldValue | undefined): value is Fields {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function conflict(field: string, detail: string): UsageError {
  return new UsageError(`The field '${field}' ${detail}.`, "Each key takes one value; use key[]=value for several.");
}

/** Puts `value` (undefined: `key[]` with no value) at `path` inside `target`. */
function assign(target: Fields, path: readonly string[], value: FieldValue | undefined, field: string): void {
  const [key, next, ...rest] = path as [string, ...string[]];
  const existing = Object.hasOwn(target, key) ? target[key] : undefined;
  if (next === undefined) {
    if (existing !== undefined) throw conflict(field, "sets a key an earlier field already set");
    target[key] = value as FieldValue;
    return;
  }
  if (next === "") {
    if (existing !== undefined && !Array.isArray(existing))
      throw conflict(field, `appends to '${key}', which is not an array`);
    const list: FieldValue[] = existing ?? [];
    target[key] = list;
    const [member] = rest;
    if (member === undefined) {
      if (value !== undefined) list.push(value);
      return;
    }
    if (member === "")
      throw new UsageError(`The field '${field}' nests arrays directly ('[][]'), which GitHub's API never takes.`);
    // `a[][b]=1 a[][c]=2` fills one object; `a[][b]=1 a[][b]=2` starts a second one.
    const last = list[list.length - 1];
    const reuse = isObject(last) && (!Object.hasOwn(last, member) || (Array.isArray(last[member]) && rest[1] === ""));
    const element: Fields = reuse ? last : emptyFields();
    if (!reuse) list.push(element);
    assign(element, rest, value, field);
    return;
  }
  if (existing !== undefined && !isObject(existing))
    throw conflict(field, `nests under '${key}', which is not an object`);
  const object: Fields = existing ?? emptyFields();
  target[key] = object;
  assign(object, [next, ...rest], value, field);
}

function addField(fields: Fields, text: string, typed: boolean, source: TypedValueSource): void {
  const equals = text.indexOf("=");
  const key = equals === -1 ? text : text.slice(0, equals);
  const path = parseFieldKey(key);
  const flag = typed ? "-F" : "-f";
  if (path === null)
    throw new UsageError(`'${key}' is not a field name.`, `Write ${flag} name=value, name[]=value or name[sub]=value.`);
  if (equals === -1) {
    if (path[path.length - 1] !== "")
      throw new UsageError(
        `The field '${text}' has no value.`,
        `Write ${flag} ${text}=VALUE (only ${text}[] alone, an empty array, needs none).`,
      );
    assign(fields, path, undefined, text);
    return;
  }
  const raw = text.slice(equals + 1);
  assign(fields, path, typed ? typedValue(raw, source) : raw, key);
}

/** The request's parameters; string fields first, then typed ones, as gh reads them. */
export function parseFields(raw: readonly string[], typed: readonly string[], source: TypedValueSource): Fields {
  const fields = emptyFields();
  for (const text of raw) addField(fields, text, false, source);
  for (const text of typed) addField(fields, text, true, source);
  return fields;
}

/**
 * GraphQL's body: `query` and `operationName` at the top, every other field
 * under `variables` (gh's grouping).
 */
export function graphqlBody(fields: Fields): Fields {
  const body = emptyFields();
  const variables = emptyFields();
  for (const [key, value] of Object.entries(fields)) {
    if (key === "query" || key === "operationName") body[key] = value;
    else variables[key] = value;
  }
  if (Object.keys(variables).length > 0) body.variables = variables;
  return body;
}

/**
 * Fields as query parameters (for GET): arrays as `key[]=v`, objects as
 * `key[sub]=v`, null as an empty value.
 */
export function queryPairs(fields: Fields): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  const add = (key: string, value: FieldValue): void => {
    if (Array.isArray(value)) for (const item of value) add(`${key}[]`, item);
    else if (isObject(value)) for (const [sub, item] of Object.entries(value)) add(`${key}[${sub}]`, item);
    else pairs.push([key, value === null ? "" : String(value)]);
  };
  for (const [key, value] of Object.entries(fields)) add(key, value);
  return pairs;
}
