import { UsageError } from "../errors.js";
import { trimTokenInput } from "../core/token-format.js";

/** More than any token; stops a mistaken `cat bigfile |` from being swallowed. */
const MAX_TOKEN_INPUT = 64 * 1024;

export async function readAll(stream: NodeJS.ReadableStream = process.stdin, limit = MAX_TOKEN_INPUT): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    size += buffer.length;
    if (size > limit)
      throw new UsageError(
        "Standard input is too large to be a token.",
        "Pipe only the token, e.g. 'printf %s \"$TOKEN\" | ghpat add --stdin'.",
      );
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** One token on stdin: the whitespace around it (spaces, tabs, CR, LF) is dropped, none inside. */
export function tokenFromInput(input: Buffer): string {
  const text = trimTokenInput(input.toString("utf8"));
  if (text === "") {
    throw new UsageError(
      "No token was given on standard input.",
      "Pipe the token in, e.g. 'printf %s \"$TOKEN\" | ghpat add --stdin'.",
    );
  }
  return text;
}
