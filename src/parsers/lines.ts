import { closeSync, createReadStream, fstatSync, openSync, readSync } from "node:fs";
import { StringDecoder } from "node:string_decoder";

const BOM = "\uFEFF";

/**
 * Regular files up to this size are read in one blocking call: a stream costs a round trip to
 * the I/O threads per chunk and per open/close, which dominates reading a batch of small logs.
 */
const READ_WHOLE_BYTES = 4 * 1024 * 1024;

/**
 * The first `bytes` bytes of a regular file (all of it when `bytes` is omitted), read in
 * blocking calls; undefined when it is not a regular file (a FIFO, a device) or, with
 * `wholeUpTo`, is larger than that.
 */
function readRegularFile(file: string, { bytes = Infinity, wholeUpTo = Infinity }: { bytes?: number; wholeUpTo?: number }): Buffer | undefined {
  const fd = openSync(file, "r");
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile() || stats.size > wholeUpTo) return undefined;
    const buffer = Buffer.allocUnsafe(Math.min(stats.size, bytes));
    let filled = 0;
    for (let read = -1; filled < buffer.length && read !== 0; filled += read) read = readSync(fd, buffer, filled, buffer.length - filled, filled);
    return buffer.subarray(0, filled);
  } finally {
    closeSync(fd);
  }
}

/**
 * A file's bytes: a small regular file in one blocking read, anything else streamed in chunks
 * of about a megabyte.
 */
async function* readByteChunks(file: string): AsyncGenerator<Buffer> {
  const whole = readRegularFile(file, { wholeUpTo: READ_WHOLE_BYTES });
  if (whole !== undefined) {
    yield whole;
    return;
  }
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) yield chunk as Buffer;
}

/**
 * Streams a file as decoded UTF-8 text in chunks of about a megabyte, without holding it whole;
 * a UTF-8 byte-order mark is dropped and characters split across chunks are joined. `onBytes`
 * sees the bytes as read (to fingerprint them).
 */
export async function* readChunks(file: string, onBytes?: (bytes: Buffer) => void): AsyncGenerator<string> {
  const decoder = new StringDecoder("utf8");
  let first = true;
  for await (const chunk of readByteChunks(file)) {
    onBytes?.(chunk);
    let text = decoder.write(chunk);
    if (first && text.length > 0) {
      first = false;
      if (text.startsWith(BOM)) text = text.slice(1);
    }
    if (text.length > 0) yield text;
  }
  const rest = decoder.end();
  if (rest.length > 0) yield first && rest.startsWith(BOM) ? rest.slice(1) : rest;
}

/**
 * Streams a file line by line (1-based numbers) without holding it whole: CRLF and LF endings,
 * a UTF-8 byte-order mark and a missing final newline are all fine.
 */
export async function forEachLine(file: string, onLine: (line: string, lineNumber: number) => void, onBytes?: (bytes: Buffer) => void): Promise<void> {
  let carry = "";
  let lineNumber = 0;
  const emit = (line: string): void => {
    lineNumber++;
    onLine(line.endsWith("\r") ? line.slice(0, -1) : line, lineNumber);
  };
  for await (const chunk of readChunks(file, onBytes)) {
    const text = carry + chunk;
    let start = 0;
    let newline = text.indexOf("\n", start);
    while (newline !== -1) {
      emit(text.slice(start, newline));
      start = newline + 1;
      newline = text.indexOf("\n", start);
    }
    carry = text.slice(start);
  }
  if (carry.length > 0) emit(carry);
}

const LF = 0x0a;
const CR = 0x0d;

/**
 * forEachLine without decoding: each line as `bytes[start, end)`, its ending removed (valid only
 * during the call). A line never spans two reads unless it is longer than what is left of one,
 * and then only its pieces are joined. Splitting UTF-8 at LF bytes is safe: no multi-byte
 * character contains one.
 */
export async function forEachLineBytes(
  file: string,
  onLine: (bytes: Buffer, start: number, end: number, lineNumber: number) => void,
  onBytes?: (bytes: Buffer) => void,
): Promise<void> {
  let pieces: Buffer[] = [];
  let lineNumber = 0;
  const emit = (bytes: Buffer, start: number, end: number): void => {
    if (++lineNumber === 1 && end - start >= 3 && bytes[start] === 0xef && bytes[start + 1] === 0xbb && bytes[start + 2] === 0xbf) start += 3;
    onLine(bytes, start, end > start && bytes[end - 1] === CR ? end - 1 : end, lineNumber);
  };
  for await (const chunk of readByteChunks(file)) {
    onBytes?.(chunk);
    let start = 0;
    let newline = chunk.indexOf(LF);
    if (pieces.length > 0) {
      if (newline === -1) {
        pieces.push(chunk);
        continue;
      }
      pieces.push(chunk.subarray(0, newline));
      const line = Buffer.concat(pieces);
      pieces = [];
      emit(line, 0, line.length);
      start = newline + 1;
      newline = chunk.indexOf(LF, start);
    }
    while (newline !== -1) {
      emit(chunk, start, newline);
      start = newline + 1;
      newline = chunk.indexOf(LF, start);
    }
    if (start < chunk.length) pieces.push(chunk.subarray(start));
  }
  if (pieces.length > 0) {
    const line = Buffer.concat(pieces);
    emit(line, 0, line.length);
  }
}

/**
 * The first line of a sniffed head (its line ending removed; the last may be cut short) that
 * `test` accepts, or undefined. Cut one at a time: a format is usually known from its first
 * line, and a head is up to 64 kB.
 */
export function findHeadLine(head: string, test: (line: string) => boolean): string | undefined {
  for (let start = 0; start <= head.length; ) {
    const newline = head.indexOf("\n", start);
    const end = newline === -1 ? head.length : newline;
    const line = head.slice(start, end > start && head.charCodeAt(end - 1) === 13 ? end - 1 : end);
    if (test(line)) return line;
    start = end + 1;
  }
  return undefined;
}

/** The first bytes of a file as text, for format sniffing. */
export async function readHead(file: string, bytes = 64 * 1024): Promise<string> {
  const start = readRegularFile(file, { bytes });
  if (start !== undefined) {
    const head = new StringDecoder("utf8").write(start);
    return head.startsWith(BOM) ? head.slice(1) : head;
  }
  const decoder = new StringDecoder("utf8");
  let head = "";
  for await (const chunk of createReadStream(file, { start: 0, end: bytes - 1 })) head += decoder.write(chunk as Buffer);
  return head.startsWith(BOM) ? head.slice(1) : head;
}
