import { inflateSync } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface PngHeader {
  width: number;
  height: number;
  /** IHDR colour type: 6 is RGBA, 2 is RGB. */
  colorType: number;
  /** Alpha of the top-left pixel (255 when the image has no alpha channel). */
  topLeftAlpha: number;
}

/**
 * Reads a PNG's size and its top-left pixel's alpha, checking the signature and chunk layout on the way:
 * enough to tell an exported chart from an empty or transparent one without an image library.
 */
export function readPngHeader(bytes: Buffer): PngHeader {
  if (bytes.length < 33 || !bytes.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG: the signature bytes are missing');
  let offset = 8;
  let header: Omit<PngHeader, 'topLeftAlpha'> | null = null;
  let bitDepth = 0;
  const data: Buffer[] = [];
  while (offset + 8 <= bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString('latin1', offset + 4, offset + 8);
    const body = bytes.subarray(offset + 8, offset + 8 + length);
    if (body.length !== length) throw new Error(`PNG chunk ${type} is cut short`);
    if (type === 'IHDR') {
      header = { width: body.readUInt32BE(0), height: body.readUInt32BE(4), colorType: body[9]! };
      bitDepth = body[8]!;
    } else if (type === 'IDAT') {
      data.push(body);
    } else if (type === 'IEND') {
      break;
    }
    offset += 12 + length;
  }
  if (!header) throw new Error('PNG without an IHDR chunk');
  if (data.length === 0) throw new Error('PNG without image data');
  if (header.colorType !== 6 || bitDepth !== 8) return { ...header, topLeftAlpha: 255 };
  // Whatever the first row's filter, its first pixel is stored as is (nothing lies left of or above it).
  const pixels = inflateSync(Buffer.concat(data));
  return { ...header, topLeftAlpha: pixels[1 + 3]! };
}
