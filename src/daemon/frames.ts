// The daemon's wire format: frames of one kind byte, a 4-byte big-endian length and the payload.
// Output goes as raw bytes: a report of several megabytes (check --format json on a large
// repository) would cost more to escape into JSON and parse back than to produce.

export const FRAME = { stdout: 1, stderr: 2, message: 3 } as const;

export type FrameKind = (typeof FRAME)[keyof typeof FRAME];

const HEADER_BYTES = 5;

/**
 * A frame's header and payload, to write one after the other. A string payload is left to the
 * socket to encode: encoding a report of megabytes into a Buffer first costs several times what
 * measuring its UTF-8 length does.
 */
export function encodeFrame(kind: FrameKind, payload: string): [Buffer, string] {
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt8(kind, 0);
  header.writeUInt32BE(Buffer.byteLength(payload, 'utf8'), 1);
  return [header, payload];
}

/** Splits a byte stream into frames, copying each payload once however many chunks it arrives in. */
export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;

  constructor(private readonly onFrame: (kind: number, payload: Buffer) => void) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    for (;;) {
      if (this.buffered < HEADER_BYTES) return;
      const head = this.peek(HEADER_BYTES);
      const length = head.readUInt32BE(1);
      if (this.buffered < HEADER_BYTES + length) return;
      const frame = this.take(HEADER_BYTES + length);
      this.onFrame(frame[0]!, frame.subarray(HEADER_BYTES));
    }
  }

  /** Whether bytes of an unfinished frame are left. */
  get pending(): boolean {
    return this.buffered > 0;
  }

  private peek(bytes: number): Buffer {
    if (this.chunks[0]!.length < bytes) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0]!;
  }

  private take(bytes: number): Buffer {
    const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    this.chunks = all.length > bytes ? [all.subarray(bytes)] : [];
    this.buffered -= bytes;
    return all.subarray(0, bytes);
  }
}
