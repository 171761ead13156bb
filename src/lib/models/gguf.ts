/**
 * Reads the header of a GGUF file (llama.cpp's model format) without loading the weights: its
 * metadata and tensor table, and from them the exact size a complete file must have. Used to
 * refuse files that are not GGUF or were cut short before they are stored or loaded.
 */

export interface GgufHeader {
  version: number;
  metadata: Map<string, GgufValue>;
  tensorCount: number;
  /** Bytes a complete file has; undefined when a tensor type is unknown to this reader. */
  expectedSize: number | undefined;
}

export type GgufValue = number | bigint | boolean | string | GgufValue[];

export class GgufError extends Error {
  override name = 'GgufError';
  /** 'truncated': the file ends inside its header; 'invalid': the header itself is wrong. */
  readonly kind: 'truncated' | 'invalid';
  constructor(message: string, kind: 'truncated' | 'invalid' = 'invalid') {
    super(message);
    this.kind = kind;
  }
}

/** Reads `length` bytes at `offset`; may return fewer at the end of the file. */
export type ByteSource = (offset: number, length: number) => Promise<Uint8Array>;

const MAGIC = 0x46554747; // "GGUF" read as little-endian u32
const DEFAULT_ALIGNMENT = 32;

/** ggml tensor types: [elements per block, bytes per block] (ggml.c type traits). */
const GGML_TYPE_SIZES: Record<number, readonly [number, number]> = {
  0: [1, 4], // F32
  1: [1, 2], // F16
  2: [32, 18], // Q4_0
  3: [32, 20], // Q4_1
  6: [32, 22], // Q5_0
  7: [32, 24], // Q5_1
  8: [32, 34], // Q8_0
  9: [32, 36], // Q8_1
  10: [256, 84], // Q2_K
  11: [256, 110], // Q3_K
  12: [256, 144], // Q4_K
  13: [256, 176], // Q5_K
  14: [256, 210], // Q6_K
  15: [256, 292], // Q8_K
  16: [256, 66], // IQ2_XXS
  17: [256, 74], // IQ2_XS
  18: [256, 98], // IQ3_XXS
  19: [256, 50], // IQ1_S
  20: [32, 18], // IQ4_NL
  21: [256, 110], // IQ3_S
  22: [256, 82], // IQ2_S
  23: [256, 136], // IQ4_XS
  24: [1, 1], // I8
  25: [1, 2], // I16
  26: [1, 4], // I32
  27: [1, 8], // I64
  28: [1, 8], // F64
  29: [256, 56], // IQ1_M
  30: [1, 2], // BF16
  34: [256, 54], // TQ1_0
  35: [256, 66], // TQ2_0
  39: [32, 17], // MXFP4
};

/** Buffered little-endian reader over a ByteSource. */
class Reader {
  #buffer: Uint8Array = new Uint8Array(0);
  #view: DataView = new DataView(this.#buffer.buffer);
  #bufferStart = 0;
  #position = 0;
  readonly #source: ByteSource;
  readonly #decoder = new TextDecoder('utf-8', { fatal: false });

  constructor(source: ByteSource) {
    this.#source = source;
  }

  get position(): number {
    return this.#position;
  }

  /** Whether the next `n` bytes are already buffered. */
  has(n: number): boolean {
    return this.#bufferStart + this.#buffer.length - this.#position >= n;
  }

  /** Makes the next `n` bytes available synchronously. */
  async ensure(n: number): Promise<void> {
    const have = this.#bufferStart + this.#buffer.length - this.#position;
    if (have >= n) return;
    const want = Math.max(n, 1 << 20);
    const bytes = await this.#source(this.#position, want);
    if (bytes.length < n) throw new GgufError('The file ends in the middle of its header.', 'truncated');
    this.#buffer = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#bufferStart = this.#position;
  }

  /** Steps over `n` bytes, buffered or not (what lies beyond the buffer is read when next needed). */
  skip(n: number): void {
    this.#position += n;
  }

  /** Goes back to `position` (inside the buffer), to read what is there again. */
  rewind(position: number): void {
    this.#position = position;
  }

  #take(n: number): number {
    const at = this.#position - this.#bufferStart;
    this.#position += n;
    return at;
  }

  u8(): number {
    return this.#view.getUint8(this.#take(1));
  }
  i8(): number {
    return this.#view.getInt8(this.#take(1));
  }
  u16(): number {
    return this.#view.getUint16(this.#take(2), true);
  }
  i16(): number {
    return this.#view.getInt16(this.#take(2), true);
  }
  u32(): number {
    return this.#view.getUint32(this.#take(4), true);
  }
  i32(): number {
    return this.#view.getInt32(this.#take(4), true);
  }
  f32(): number {
    return this.#view.getFloat32(this.#take(4), true);
  }
  f64(): number {
    return this.#view.getFloat64(this.#take(8), true);
  }
  u64(): bigint {
    return this.#view.getBigUint64(this.#take(8), true);
  }
  i64(): bigint {
    return this.#view.getBigInt64(this.#take(8), true);
  }
  bytes(n: number): Uint8Array {
    const at = this.#take(n);
    return this.#buffer.subarray(at, at + n);
  }
  text(bytes: Uint8Array): string {
    return this.#decoder.decode(bytes);
  }
}

/** A count read from the file, refused when it could not be real (corrupt or hostile header). */
function count(value: bigint, limit: number, what: string): number {
  if (value > BigInt(limit)) throw new GgufError(`The header claims ${value} ${what}, which is not plausible.`);
  return Number(value);
}

async function readString(r: Reader): Promise<string> {
  await r.ensure(8);
  const length = count(r.u64(), 64 * 1024 * 1024, 'bytes in one string');
  await r.ensure(length);
  return r.text(r.bytes(length));
}

const SCALAR_SIZES: Record<number, number> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };

async function readValue(r: Reader, type: number, depth = 0, skipArrays = false): Promise<GgufValue> {
  if (type === 8) return readString(r);
  if (type === 9) {
    if (depth > 2) throw new GgufError('The header nests arrays too deeply.');
    await r.ensure(12);
    const itemType = r.u32();
    const length = count(r.u64(), 16 * 1024 * 1024, 'array items');
    if (skipArrays) {
      await skipItems(r, itemType, length, depth);
      return [];
    }
    const items: GgufValue[] = [];
    const scalarSize = SCALAR_SIZES[itemType];
    for (let i = 0; i < length; i++) {
      // Items already buffered are read without an await each: a 150k-token vocabulary is two
      // arrays of 150k strings, and an await per item made its header take half a second.
      if (itemType === 8 && r.has(8)) {
        const at = r.position;
        const size = count(r.u64(), 64 * 1024 * 1024, 'bytes in one string');
        if (r.has(size)) {
          items.push(r.text(r.bytes(size)));
          continue;
        }
        r.rewind(at);
      } else if (scalarSize !== undefined && r.has(scalarSize)) {
        items.push(readScalar(r, itemType));
        continue;
      }
      items.push(await readValue(r, itemType, depth + 1));
    }
    return items;
  }
  const size = SCALAR_SIZES[type];
  if (size === undefined) throw new GgufError(`The header has a value of unknown type ${type}.`);
  await r.ensure(size);
  return readScalar(r, type);
}

/**
 * Steps over an array's items without decoding them: the strings' lengths are still checked, so a
 * header that claims more than the file holds is still refused as cut short.
 */
async function skipItems(r: Reader, itemType: number, length: number, depth: number): Promise<void> {
  const scalarSize = SCALAR_SIZES[itemType];
  if (scalarSize !== undefined) return r.skip(scalarSize * length);
  for (let i = 0; i < length; i++) {
    if (itemType !== 8) {
      await readValue(r, itemType, depth + 1, true);
      continue;
    }
    if (!r.has(8)) await r.ensure(8);
    r.skip(count(r.u64(), 64 * 1024 * 1024, 'bytes in one string'));
  }
}

/** A scalar of `type` whose bytes are buffered. */
function readScalar(r: Reader, type: number): GgufValue {
  switch (type) {
    case 0:
      return r.u8();
    case 1:
      return r.i8();
    case 2:
      return r.u16();
    case 3:
      return r.i16();
    case 4:
      return r.u32();
    case 5:
      return r.i32();
    case 6:
      return r.f32();
    case 7:
      return r.u8() !== 0;
    case 10:
      return r.u64();
    case 11:
      return r.i64();
    default:
      return r.f64();
  }
}

/** True when the first bytes are GGUF's magic number. */
export function hasGgufMagic(firstBytes: Uint8Array): boolean {
  return (
    firstBytes.length >= 4 && new DataView(firstBytes.buffer, firstBytes.byteOffset, 4).getUint32(0, true) === MAGIC
  );
}

/**
 * @param skipArrays Step over arrays instead of decoding them (their values are left empty): the
 *   download's checks need only the tensor table and a few scalars, and decoding a large
 *   vocabulary would be most of their time (docs/decisions/0007-download-writes-network-pieces.md).
 */
export async function readGgufHeader(
  source: ByteSource,
  { skipArrays = false }: { skipArrays?: boolean } = {},
): Promise<GgufHeader> {
  const r = new Reader(source);
  try {
    await r.ensure(24);
  } catch {
    throw new GgufError('The file is too short to be a GGUF model.', 'truncated');
  }
  if (r.u32() !== MAGIC) throw new GgufError('The file is not a GGUF model (its first bytes are not "GGUF").');
  const version = r.u32();
  if (version < 2 || version > 3) throw new GgufError(`GGUF version ${version} is not supported.`);
  const tensorCount = count(r.u64(), 1_000_000, 'tensors');
  const kvCount = count(r.u64(), 1_000_000, 'metadata entries');

  const metadata = new Map<string, GgufValue>();
  for (let i = 0; i < kvCount; i++) {
    const key = await readString(r);
    await r.ensure(4);
    metadata.set(key, await readValue(r, r.u32(), 0, skipArrays));
  }

  let dataSize: number | undefined = 0;
  for (let i = 0; i < tensorCount; i++) {
    await readString(r); // tensor name
    await r.ensure(4);
    const dims = r.u32();
    if (dims > 8) throw new GgufError('A tensor in the header has too many dimensions.');
    await r.ensure(dims * 8 + 12);
    let elements = 1;
    for (let d = 0; d < dims; d++) elements *= Number(r.u64());
    const type = r.u32();
    const offset = Number(r.u64());
    const traits = GGML_TYPE_SIZES[type];
    if (traits === undefined || dataSize === undefined) {
      dataSize = undefined;
      continue;
    }
    const [blockElements, blockBytes] = traits;
    dataSize = Math.max(dataSize, offset + Math.ceil(elements / blockElements) * blockBytes);
  }

  const alignmentValue = metadata.get('general.alignment');
  const alignment = typeof alignmentValue === 'number' && alignmentValue > 0 ? alignmentValue : DEFAULT_ALIGNMENT;
  const dataStart = Math.ceil(r.position / alignment) * alignment;
  return {
    version,
    metadata,
    tensorCount,
    expectedSize: dataSize === undefined ? undefined : dataStart + dataSize,
  };
}

/** A ByteSource over a Blob (a stored file or a File the user picked). */
export function blobByteSource(blob: Blob): ByteSource {
  return async (offset, length) => new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer());
}

/** The facts about a model the app shows and uses, read from its metadata. */
export interface GgufSummary {
  architecture: string | undefined;
  name: string | undefined;
  contextLength: number | undefined;
  hasChatTemplate: boolean;
}

export function summarizeGguf(header: GgufHeader): GgufSummary {
  const text = (key: string) => {
    const value = header.metadata.get(key);
    return typeof value === 'string' ? value : undefined;
  };
  const architecture = text('general.architecture');
  const contextValue = architecture ? header.metadata.get(`${architecture}.context_length`) : undefined;
  return {
    architecture,
    name: text('general.name'),
    contextLength:
      typeof contextValue === 'number'
        ? contextValue
        : typeof contextValue === 'bigint'
          ? Number(contextValue)
          : undefined,
    hasChatTemplate: text('tokenizer.chat_template') !== undefined,
  };
}
