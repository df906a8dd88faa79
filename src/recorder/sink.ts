/** Where a Recorder's text goes: a file, stdout, or memory (tests). `write` resolves when more may be written. */
import { closeSync, createWriteStream, openSync, writeSync } from "node:fs";
import type { Writable } from "node:stream";

export interface ChunkSink {
  write(chunk: string): Promise<void> | void;
  end(): Promise<void> | void;
}

/** A sink over a Node stream that honours backpressure: write waits for "drain" when the stream is full. */
export function streamSink(stream: Writable, closeAtEnd: boolean): ChunkSink {
  let failure: Error | undefined;
  stream.on("error", (e: Error) => {
    failure = e;
  });
  return {
    write(chunk) {
      if (failure) throw failure;
      if (stream.write(chunk)) return;
      return new Promise<void>((resolve, reject) => {
        const done = (error?: Error): void => {
          stream.off("drain", done);
          stream.off("error", done);
          if (error) reject(error);
          else resolve();
        };
        stream.on("drain", done);
        stream.on("error", done);
      });
    },
    end() {
      if (failure) throw failure;
      if (!closeAtEnd) return;
      return new Promise<void>((resolve, reject) => {
        stream.once("error", reject);
        stream.end(() => resolve());
      });
    },
  };
}

export function fileSink(path: string): ChunkSink {
  return streamSink(createWriteStream(path, { highWaterMark: 4 << 20 }), true);
}

/**
 * Writes each chunk to the file before returning (no stream buffer): with a flush after every
 * record, a crash of the harness loses at most the operation in flight. For real collections,
 * where a few hundred records a second cost nothing.
 */
export function syncFileSink(path: string): ChunkSink {
  const fd = openSync(path, "w");
  return {
    write: (chunk) => void writeSync(fd, chunk),
    end: () => closeSync(fd),
  };
}

/** Keeps everything written, for tests and small in-process histories. */
export class MemorySink implements ChunkSink {
  private readonly chunks: string[] = [];
  write(chunk: string): void {
    this.chunks.push(chunk);
  }
  end(): void {}
  text(): string {
    return this.chunks.join("");
  }
}
