import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeFrame, FRAME, FrameReader, type FrameKind } from '../../src/daemon/frames.js';

/** The bytes a socket carries for these frames. */
function wire(frames: Array<[FrameKind, string]>): Buffer {
  return Buffer.concat(frames.flatMap(([kind, payload]) => encodeFrame(kind, payload).map((part) => (typeof part === 'string' ? Buffer.from(part, 'utf8') : part))));
}

function read(chunks: Buffer[]): Array<[number, string]> {
  const frames: Array<[number, string]> = [];
  const reader = new FrameReader((kind, payload) => frames.push([kind, payload.toString('utf8')]));
  for (const chunk of chunks) reader.push(chunk);
  expect(reader.pending).toBe(false);
  return frames;
}

describe('daemon frames', () => {
  it('a frame is its kind, its payload’s length in UTF-8 bytes, then the payload', () => {
    expect([...wire([[FRAME.stdout, 'é✓']])]).toEqual([1, 0, 0, 0, 5, 0xc3, 0xa9, 0xe2, 0x9c, 0x93]);
    expect([...wire([[FRAME.message, '']])]).toEqual([3, 0, 0, 0, 0]);
  });

  it('frames come out as they went in, however the bytes are split', () => {
    const frame = fc.tuple(fc.constantFrom<FrameKind>(FRAME.stdout, FRAME.stderr, FRAME.message), fc.string({ unit: 'binary', maxLength: 300 }));
    fc.assert(
      fc.property(fc.array(frame, { maxLength: 8 }), fc.array(fc.nat({ max: 400 }), { maxLength: 20 }), (frames, cuts) => {
        const bytes = wire(frames);
        const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
        const chunks = [0, ...points, bytes.length].slice(1).map((end, index, ends) => bytes.subarray(index === 0 ? 0 : ends[index - 1], end));
        expect(read(chunks)).toEqual(frames);
      }),
      { numRuns: 300 },
    );
  });

  it('an unfinished frame is pending until its last byte', () => {
    const bytes = wire([[FRAME.stdout, 'a report']]);
    const frames: number[] = [];
    const reader = new FrameReader((kind) => frames.push(kind));
    reader.push(bytes.subarray(0, 3));
    reader.push(bytes.subarray(3, bytes.length - 1));
    expect([frames, reader.pending]).toEqual([[], true]);
    reader.push(bytes.subarray(bytes.length - 1));
    expect([frames, reader.pending]).toEqual([[FRAME.stdout], false]);
  });
});
