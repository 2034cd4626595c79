import { UsageError } from "../errors.js";

/** More than any token; stops a mistaken `cat bigfile |` from being swallowed. */
const MAX_TOKEN_INPUT = 64 * 1024;

export async function readAll(stream: NodeJS.ReadableStream = process.stdin, limit = MAX_TOKEN_INPUT): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    size += buffer.length;
    if (size > limit) throw new UsageError("Standard input is too large to be a token.", "Pipe only the token, e.g. 'printf %s \"$TOKEN\" | ghpat add --stdin'.");
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** One token on stdin: a single trailing newline (LF or CRLF) is allowed, nothing else around it. */
export function tokenFromInput(input: Buffer): string {
  let text = input.toString("utf8");
  if (text.endsWith("\r\n")) text = text.slice(0, -2);
  else if (text.endsWith("\n")) text = text.slice(0, -1);
  if (text.trim() === "") {
    throw new UsageError("No token was given on standard input.", "Pipe the token in, e.g. 'printf %s \"$TOKEN\" | ghpat add --stdin'.");
  }
  return text;
}
