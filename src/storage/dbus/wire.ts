/**
 * The D-Bus wire format (marshalling of typed values and messages), enough
 * for the calls ghpat makes to the Secret Service. Values map as:
 * y n q i u h d → number, x t → bigint, b → boolean, s o g → string,
 * byte arrays (ay) → Buffer, other arrays → arrays (dict entries as
 * [key, value] pairs), structs → arrays,
 * variants → { signature, value }.
 */

export type DType =
  | { kind: "basic"; code: string }
  | { kind: "variant" }
  | { kind: "array"; element: DType }
  | { kind: "struct"; fields: DType[] }
  | { kind: "dict-entry"; key: DType; value: DType };

export interface Variant {
  signature: string;
  value: unknown;
}

const BASIC = "ybnqiuxtdhsog";

export function parseSignature(signature: string): DType[] {
  const types: DType[] = [];
  let pos = 0;
  function one(): DType {
    const code = signature[pos++];
    if (code === undefined) throw new Error(`D-Bus signature '${signature}' ends early`);
    if (BASIC.includes(code)) return { kind: "basic", code };
    if (code === "v") return { kind: "variant" };
    if (code === "a") {
      if (signature[pos] === "{") {
        pos++;
        const key = one();
        const value = one();
        if (signature[pos++] !== "}") throw new Error(`D-Bus signature '${signature}' has a bad dict entry`);
        return { kind: "array", element: { kind: "dict-entry", key, value } };
      }
      return { kind: "array", element: one() };
    }
    if (code === "(") {
      const fields: DType[] = [];
      while (signature[pos] !== ")") {
        if (pos >= signature.length) throw new Error(`D-Bus signature '${signature}' has an unclosed struct`);
        fields.push(one());
      }
      pos++;
      return { kind: "struct", fields };
    }
    throw new Error(`D-Bus signature '${signature}' has an unknown type '${code}'`);
  }
  while (pos < signature.length) types.push(one());
  return types;
}

function alignmentOf(type: DType): number {
  switch (type.kind) {
    case "variant":
      return 1;
    case "array":
      return 4;
    case "struct":
    case "dict-entry":
      return 8;
    case "basic":
      switch (type.code) {
        case "y":
        case "g":
          return 1;
        case "n":
        case "q":
          return 2;
        case "x":
        case "t":
        case "d":
          return 8;
        default:
          return 4;
      }
  }
}

/** Little-endian writer; offsets are relative to the start of the message. */
export class Writer {
  private buffer = Buffer.alloc(256);
  length = 0;

  private ensure(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    const bigger = Buffer.alloc(Math.max(this.buffer.length * 2, this.length + extra));
    this.buffer.copy(bigger, 0, 0, this.length);
    this.buffer = bigger;
  }

  align(n: number): void {
    const pad = (n - (this.length % n)) % n;
    this.ensure(pad);
    this.buffer.fill(0, this.length, this.length + pad);
    this.length += pad;
  }

  byte(value: number): void {
    this.ensure(1);
    this.buffer.writeUInt8(value, this.length);
    this.length += 1;
  }

  uint32(value: number): void {
    this.align(4);
    this.ensure(4);
    this.buffer.writeUInt32LE(value, this.length);
    this.length += 4;
  }

  patchUint32(offset: number, value: number): void {
    this.buffer.writeUInt32LE(value, offset);
  }

  bytes(data: Buffer): void {
    this.ensure(data.length);
    data.copy(this.buffer, this.length);
    this.length += data.length;
  }

  value(type: DType, value: unknown): void {
    switch (type.kind) {
      case "basic":
        return this.basic(type.code, value);
      case "variant": {
        const variant = value as Variant;
        const inner = parseSignature(variant.signature);
        if (inner.length !== 1 || !inner[0])
          throw new Error(`A D-Bus variant holds one type, not '${variant.signature}'`);
        this.basic("g", variant.signature);
        return this.value(inner[0], variant.value);
      }
      case "array": {
        this.uint32(0);
        const lengthAt = this.length - 4;
        this.align(alignmentOf(type.element));
        const start = this.length;
        if (value instanceof Uint8Array) this.bytes(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
        else for (const element of value as unknown[]) this.value(type.element, element);
        this.patchUint32(lengthAt, this.length - start);
        return;
      }
      case "struct": {
        this.align(8);
        const fields = value as unknown[];
        type.fields.forEach((field, i) => this.value(field, fields[i]));
        return;
      }
      case "dict-entry": {
        this.align(8);
        const [k, v] = value as [unknown, unknown];
        this.value(type.key, k);
        this.value(type.value, v);
        return;
      }
    }
  }

  private basic(code: string, value: unknown): void {
    switch (code) {
      case "y":
        return this.byte(value as number);
      case "b":
        return this.uint32(value ? 1 : 0);
      case "n":
      case "q":
        this.align(2);
        this.ensure(2);
        if (code === "n") this.buffer.writeInt16LE(value as number, this.length);
        else this.buffer.writeUInt16LE(value as number, this.length);
        this.length += 2;
        return;
      case "i":
        this.align(4);
        this.ensure(4);
        this.buffer.writeInt32LE(value as number, this.length);
        this.length += 4;
        return;
      case "u":
      case "h":
        return this.uint32(value as number);
      case "x":
      case "t":
        this.align(8);
        this.ensure(8);
        if (code === "x") this.buffer.writeBigInt64LE(BigInt(value as bigint), this.length);
        else this.buffer.writeBigUInt64LE(BigInt(value as bigint), this.length);
        this.length += 8;
        return;
      case "d":
        this.align(8);
        this.ensure(8);
        this.buffer.writeDoubleLE(value as number, this.length);
        this.length += 8;
        return;
      case "s":
      case "o": {
        const data = Buffer.from(value as string, "utf8");
        this.uint32(data.length);
        this.bytes(data);
        this.byte(0);
        return;
      }
      case "g": {
        const data = Buffer.from(value as string, "ascii");
        if (data.length > 255) throw new Error("A D-Bus signature is at most 255 bytes");
        this.byte(data.length);
        this.bytes(data);
        this.byte(0);
        return;
      }
    }
    throw new Error(`Cannot write D-Bus type '${code}'`);
  }

  toBuffer(): Buffer {
    return Buffer.from(this.buffer.subarray(0, this.length));
  }
}

/** Reads either byte order; offsets are relative to the start of the message. */
export class Reader {
  pos: number;

  constructor(
    private readonly buffer: Buffer,
    private readonly littleEndian: boolean,
    start = 0,
  ) {
    this.pos = start;
  }

  private need(n: number): void {
    if (this.pos + n > this.buffer.length) throw new Error("D-Bus message ends early");
  }

  align(n: number): void {
    this.pos += (n - (this.pos % n)) % n;
  }

  byte(): number {
    this.need(1);
    return this.buffer.readUInt8(this.pos++);
  }

  uint32(): number {
    this.align(4);
    this.need(4);
    const v = this.littleEndian ? this.buffer.readUInt32LE(this.pos) : this.buffer.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  value(type: DType, depth = 0): unknown {
    if (depth > 64) throw new Error("D-Bus value nests too deeply");
    switch (type.kind) {
      case "basic":
        return this.basic(type.code);
      case "variant": {
        const signature = this.basic("g") as string;
        const inner = parseSignature(signature);
        if (inner.length !== 1 || !inner[0]) throw new Error(`A D-Bus variant holds one type, not '${signature}'`);
        return { signature, value: this.value(inner[0], depth + 1) } satisfies Variant;
      }
      case "array": {
        const length = this.uint32();
        if (length > 64 * 1024 * 1024) throw new Error("D-Bus array is too long");
        this.align(alignmentOf(type.element));
        const end = this.pos + length;
        this.need(length);
        if (isByte(type.element)) {
          this.pos = end;
          return Buffer.from(this.buffer.subarray(end - length, end));
        }
        const out: unknown[] = [];
        while (this.pos < end) out.push(this.value(type.element, depth + 1));
        return out;
      }
      case "struct":
        this.align(8);
        return type.fields.map((field) => this.value(field, depth + 1));
      case "dict-entry":
        this.align(8);
        return [this.value(type.key, depth + 1), this.value(type.value, depth + 1)];
    }
  }

  private basic(code: string): unknown {
    const le = this.littleEndian;
    const b = this.buffer;
    switch (code) {
      case "y":
        return this.byte();
      case "b":
        return this.uint32() !== 0;
      case "n":
      case "q": {
        this.align(2);
        this.need(2);
        const v =
          code === "n"
            ? le
              ? b.readInt16LE(this.pos)
              : b.readInt16BE(this.pos)
            : le
              ? b.readUInt16LE(this.pos)
              : b.readUInt16BE(this.pos);
        this.pos += 2;
        return v;
      }
      case "i": {
        this.align(4);
        this.need(4);
        const v = le ? b.readInt32LE(this.pos) : b.readInt32BE(this.pos);
        this.pos += 4;
        return v;
      }
      case "u":
      case "h":
        return this.uint32();
      case "x":
      case "t": {
        this.align(8);
        this.need(8);
        const v =
          code === "x"
            ? le
              ? b.readBigInt64LE(this.pos)
              : b.readBigInt64BE(this.pos)
            : le
              ? b.readBigUInt64LE(this.pos)
              : b.readBigUInt64BE(this.pos);
        this.pos += 8;
        return v;
      }
      case "d": {
        this.align(8);
        this.need(8);
        const v = le ? b.readDoubleLE(this.pos) : b.readDoubleBE(this.pos);
        this.pos += 8;
        return v;
      }
      case "s":
      case "o": {
        const length = this.uint32();
        this.need(length + 1);
        const v = b.toString("utf8", this.pos, this.pos + length);
        this.pos += length + 1;
        return v;
      }
      case "g": {
        const length = this.byte();
        this.need(length + 1);
        const v = b.toString("ascii", this.pos, this.pos + length);
        this.pos += length + 1;
        return v;
      }
    }
    throw new Error(`Cannot read D-Bus type '${code}'`);
  }
}

function isByte(type: DType): boolean {
  return type.kind === "basic" && type.code === "y";
}

export const MessageType = { methodCall: 1, methodReturn: 2, error: 3, signal: 4 } as const;

const FIELD = {
  path: 1,
  interface: 2,
  member: 3,
  errorName: 4,
  replySerial: 5,
  destination: 6,
  sender: 7,
  signature: 8,
} as const;

export interface Message {
  type: number;
  flags: number;
  serial: number;
  path?: string;
  interface?: string;
  member?: string;
  errorName?: string;
  replySerial?: number;
  destination?: string;
  sender?: string;
  signature?: string;
  body: unknown[];
}

const HEADER_FIELDS = parseSignature("a(yv)")[0] as DType;

export function encodeMessage(message: Message): Buffer {
  const fields: Array<[number, Variant]> = [];
  const add = (code: number, signature: string, value: unknown) => {
    if (value !== undefined) fields.push([code, { signature, value }]);
  };
  add(FIELD.path, "o", message.path);
  add(FIELD.interface, "s", message.interface);
  add(FIELD.member, "s", message.member);
  add(FIELD.errorName, "s", message.errorName);
  add(FIELD.replySerial, "u", message.replySerial);
  add(FIELD.destination, "s", message.destination);
  add(FIELD.sender, "s", message.sender);
  if (message.signature) add(FIELD.signature, "g", message.signature);

  const body = new Writer();
  if (message.signature) {
    const types = parseSignature(message.signature);
    types.forEach((type, i) => body.value(type, message.body[i]));
  }
  const bodyBytes = body.toBuffer();

  const header = new Writer();
  header.byte("l".charCodeAt(0));
  header.byte(message.type);
  header.byte(message.flags);
  header.byte(1);
  header.uint32(bodyBytes.length);
  header.uint32(message.serial);
  header.value(HEADER_FIELDS, fields);
  header.align(8);
  return Buffer.concat([header.toBuffer(), bodyBytes]);
}

/** The byte length of the first message in `buffer`, or null when more bytes are needed. */
export function messageLength(buffer: Buffer): number | null {
  if (buffer.length < 16) return null;
  const le = buffer[0] === 0x6c;
  if (!le && buffer[0] !== 0x42) throw new Error("D-Bus message has an unknown byte order");
  const bodyLength = le ? buffer.readUInt32LE(4) : buffer.readUInt32BE(4);
  const fieldsLength = le ? buffer.readUInt32LE(12) : buffer.readUInt32BE(12);
  const headerEnd = 16 + fieldsLength + ((8 - ((16 + fieldsLength) % 8)) % 8);
  const total = headerEnd + bodyLength;
  if (total > 128 * 1024 * 1024) throw new Error("D-Bus message is too large");
  return buffer.length >= total ? total : null;
}

export function decodeMessage(buffer: Buffer): Message {
  const le = buffer[0] === 0x6c;
  const reader = new Reader(buffer, le, 1);
  const type = reader.byte();
  const flags = reader.byte();
  reader.byte();
  const bodyLength = reader.uint32();
  const serial = reader.uint32();
  const fields = reader.value(HEADER_FIELDS) as Array<[number, Variant]>;
  reader.align(8);
  const message: Message = { type, flags, serial, body: [] };
  for (const [code, variant] of fields) {
    const v = variant.value;
    if (code === FIELD.path) message.path = v as string;
    else if (code === FIELD.interface) message.interface = v as string;
    else if (code === FIELD.member) message.member = v as string;
    else if (code === FIELD.errorName) message.errorName = v as string;
    else if (code === FIELD.replySerial) message.replySerial = v as number;
    else if (code === FIELD.destination) message.destination = v as string;
    else if (code === FIELD.sender) message.sender = v as string;
    else if (code === FIELD.signature) message.signature = v as string;
  }
  if (message.signature && bodyLength > 0) {
    const bodyStart = reader.pos;
    // The body's alignment is relative to its own start, which is 8-aligned in the message.
    const bodyReader = new Reader(buffer.subarray(bodyStart, bodyStart + bodyLength), le, 0);
    message.body = parseSignature(message.signature).map((t) => bodyReader.value(t));
  }
  return message;
}
