import { describe, expect, it, vi } from 'vitest';
import catalogFile from './catalog.json';
import { readLogged } from './catalog-file';
import { catalogRows } from './catalog-rows';
import { CATALOG_SCHEMA, readCatalog } from './catalog-schema';
import type { DeviceDescription } from './fit';

/** A copy of the shipped file to break one piece of. */
const shippedCopy = () => structuredClone(catalogFile) as { schema: unknown; entries: Record<string, unknown>[] };
const noWebGpu: DeviceDescription = { webGpu: undefined, deviceMemoryGB: 4, cpuCores: 4 };

describe('the shipped catalog file', () => {
  it('is read whole: every entry valid, its schema the one this code reads, a version', () => {
    const read = readCatalog(catalogFile);
    expect(read.problems).toEqual([]);
    expect(catalogFile.schema).toBe(CATALOG_SCHEMA);
    expect(read.catalogVersion).toBeGreaterThanOrEqual(1);
    expect(read.entries).toHaveLength(catalogFile.entries.length);
    expect(read.entries.filter((e) => e.kind === 'mlc')).toHaveLength(12);
    expect(read.entries.filter((e) => e.kind === 'gguf')).toHaveLength(4);
  });
});

/** One broken entry each, and the reason its message must give. */
const brokenEntries: { what: string; at: number; breakIt: (entry: Record<string, unknown>) => void; reason: RegExp }[] =
  [
    { what: 'an unknown kind', at: 0, breakIt: (e) => (e.kind = 'onnx'), reason: /kind must be "mlc" or "gguf"/ },
    {
      what: 'a size that is not a number',
      at: 12,
      breakIt: (e) => ((e.files as Record<string, unknown>[])[0]!.approxBytes = '386 MB'),
      reason: /files\[0\]\.approxBytes must be a positive integer/,
    },
    {
      what: 'a misspelt field (it would drop the hash check)',
      at: 13,
      breakIt: (e) => ((e.files as Record<string, unknown>[])[0]!.sha265 = 'ab'),
      reason: /unknown field\(s\) sha265/,
    },
    {
      what: 'a file path the model host does not serve',
      at: 14,
      breakIt: (e) => ((e.files as Record<string, unknown>[])[0]!.path = 'bartowski/Llama-3.2-1B-Instruct-Q4_K_M.gguf'),
      reason: /path .* must match/,
    },
    {
      what: 'one part of a split model',
      at: 15,
      breakIt: (e) =>
        ((e.files as Record<string, unknown>[])[0]!.path = 'Qwen/x-GGUF/resolve/main/x-00001-of-00002.gguf'),
      reason: /names one file of a split model/,
    },
    {
      what: 'an MLC build without its f32 variant',
      at: 1,
      breakIt: (e) => delete (e.variants as Record<string, unknown>).f32,
      reason: /variants\.f32 must be an object/,
    },
    {
      what: 'a repository that is not the model',
      at: 2,
      breakIt: (e) => ((e.variants as Record<string, Record<string, unknown>>).f16!.repo = 'mlc-ai/Other-MLC'),
      reason: /repo "mlc-ai\/Other-MLC" must end in the modelId/,
    },
    {
      what: 'a licence without an https address',
      at: 3,
      breakIt: (e) => ((e.licence as Record<string, unknown>).url = 'javascript:alert(1)'),
      reason: /licence\.url/,
    },
    { what: 'a missing name', at: 4, breakIt: (e) => delete e.name, reason: /name must be a non-empty string/ },
    { what: 'a window of no tokens', at: 5, breakIt: (e) => (e.contextWindow = 0), reason: /contextWindow/ },
  ];

describe('a malformed entry', () => {
  it.each(brokenEntries)('with $what is skipped with its reason; every other entry is kept in order', (broken) => {
    const file = shippedCopy();
    const name = file.entries[broken.at]!.name;
    broken.breakIt(file.entries[broken.at]!);
    const read = readCatalog(file);
    expect(read.problems).toHaveLength(1);
    expect(read.problems[0]).toMatch(new RegExp(`^entry ${broken.at}\\b.* skipped: `));
    expect(read.problems[0]).toMatch(broken.reason);
    if (typeof name === 'string' && broken.what !== 'a missing name') expect(read.problems[0]).toContain(name);
    const expected = readCatalog(catalogFile).entries.filter((_, i) => i !== broken.at);
    expect(read.entries).toEqual(expected);
  });

  it('that repeats another model is skipped as that model', () => {
    const file = shippedCopy();
    file.entries.push(structuredClone(file.entries[12]!));
    const read = readCatalog(file);
    expect(read.problems).toEqual([`entry 16 (SmolLM2 360M Instruct) skipped: the same model as entry 12`]);
    expect(read.entries).toHaveLength(16);
  });

  it('is logged with its reason, and the Models view still lists and recommends the others', () => {
    const file = shippedCopy();
    file.entries[13]!.files = [];
    const warn = vi.fn();
    const read = readLogged(file, warn);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith(
      "Nook's model catalog: entry 13 (Qwen2.5 0.5B Instruct) skipped: entries[13].files must be a non-empty array.",
    );
    const rows = catalogRows(noWebGpu, [], undefined, read.entries);
    expect(rows).toHaveLength(15);
    expect(rows.filter((row) => row.recommended)).toHaveLength(1);
    expect(rows.some((row) => row.entry.kind === 'gguf' && row.entry.name === 'Qwen2.5 0.5B Instruct')).toBe(false);
  });

  it('logs nothing for a valid file', () => {
    const warn = vi.fn();
    readLogged(catalogFile, warn);
    expect(warn).not.toHaveBeenCalled();
  });
});

describe('a file that cannot be read as a catalog', () => {
  it.each([
    ['not an object', [], /must be an object/],
    ['another schema', { ...catalogFile, schema: CATALOG_SCHEMA + 1 }, /has schema 2; this version reads 1/],
    ['no version', { ...catalogFile, catalogVersion: undefined }, /needs a catalogVersion/],
    ['no entries', { schema: CATALOG_SCHEMA, catalogVersion: 1 }, /needs entries, an array/],
    ['an unknown field', { ...catalogFile, models: [] }, /unknown field\(s\) models/],
    ['no models', { ...catalogFile, entries: [] }, /lists no models/],
  ])('(%s) is refused with a reason, no entry read', (_, data, reason) => {
    const read = readCatalog(data);
    expect(read.entries).toEqual([]);
    expect(read.problems).toHaveLength(1);
    expect(read.problems[0]).toMatch(reason);
  });
});
