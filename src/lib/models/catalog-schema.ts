/**
 * Reading the catalog file (catalog.json) into catalog entries, field by field, with a reason a
 * person can read for everything left out. One malformed entry is skipped, never the whole
 * catalog; a file of another schema is refused as a whole. The same checks fail the build on a
 * malformed file (vite.config.ts) and skip an entry at run time (catalog-file.ts).
 * docs/decisions/0028-catalog-as-data.md describes the format. The build's config imports this
 * module, hence the `.ts` in its imports (Vite's config loader wants them).
 */
import {
  catalogKey,
  ggufPartUrls,
  type CatalogEntry,
  type GgufCatalogEntry,
  type GgufFile,
  type MlcCatalogEntry,
  type MlcVariant,
  type Precision,
} from './catalog.ts';

/** The layout of catalog.json this code reads; a change of layout is a new number. */
export const CATALOG_SCHEMA = 1;

export interface CatalogRead {
  /** The file's own version (raised with every change of its content); undefined if unreadable. */
  catalogVersion: number | undefined;
  /** The valid entries, in the file's order. */
  entries: CatalogEntry[];
  /** Why each entry was left out, or why the file could not be read at all. */
  problems: string[];
}

type Fields = Record<string, unknown>;

/** A field that is not what it must be; the message names the field and what it must be. */
class FieldError extends Error {}

const isRecord = (value: unknown): value is Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function record(value: unknown, where: string, allowed: readonly string[]): Fields {
  if (!isRecord(value)) throw new FieldError(`${where} must be an object`);
  const unknown = Object.keys(value).filter((key) => !allowed.includes(key));
  // A misspelt optional field (`sha265`) would otherwise be dropped without a word.
  if (unknown.length > 0) throw new FieldError(`${where} has unknown field(s) ${unknown.join(', ')}`);
  return value;
}

function text(fields: Fields, key: string, where: string, shape?: RegExp): string {
  const value = fields[key];
  if (typeof value !== 'string' || value.trim() === '')
    throw new FieldError(`${where}.${key} must be a non-empty string`);
  if (shape && !shape.test(value)) throw new FieldError(`${where}.${key} "${value}" must match ${shape}`);
  return value;
}

function positive(fields: Fields, key: string, where: string, { integer = false, zero = false } = {}): number {
  const value = fields[key];
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (zero ? value >= 0 : value > 0) &&
    (!integer || Number.isInteger(value));
  if (!ok) {
    throw new FieldError(
      `${where}.${key} must be a ${zero ? 'non-negative' : 'positive'} ${integer ? 'integer' : 'number'}`,
    );
  }
  return value as number;
}

/** Names the model host serves (a repository segment or a file name): no slashes, no `..`. */
const NAME = /^[A-Za-z0-9][\w.-]*$/;
const REPO = /^[A-Za-z0-9][\w.-]*\/[A-Za-z0-9][\w.-]*$/;
/** The model host's file layout, `<owner>/<repo>/resolve/<revision>/<file>.gguf` (hosting.md). */
const GGUF_PATH = /^[A-Za-z0-9][\w.-]*\/[A-Za-z0-9][\w.-]*\/resolve\/[\w.-]+\/(?:[\w.-]+\/)*[\w.-]+\.gguf$/;
const WASM = /^[A-Za-z0-9][\w.-]*\.wasm$/;
const SHA256 = /^[0-9a-f]{64}$/;

function licence(value: unknown, where: string): MlcCatalogEntry['licence'] {
  const fields = record(value, where, ['name', 'url']);
  const url = text(fields, 'url', where, /^https:\/\/\S+$/);
  return { name: text(fields, 'name', where), url };
}

function mlcVariant(value: unknown, precision: Precision, where: string): MlcVariant {
  const fields = record(value, where, ['modelId', 'repo', 'lib', 'vramRequiredMB', 'downloadMB']);
  const modelId = text(fields, 'modelId', where, NAME);
  const repo = text(fields, 'repo', where, REPO);
  // web-llm keeps a model's files in its cache under the id; the repository must be that model.
  if (repo.split('/')[1] !== modelId) throw new FieldError(`${where}.repo "${repo}" must end in the modelId`);
  return {
    precision,
    modelId,
    repo,
    lib: text(fields, 'lib', where, WASM),
    vramRequiredMB: positive(fields, 'vramRequiredMB', where),
    downloadMB: positive(fields, 'downloadMB', where),
  };
}

const COMMON = ['kind', 'family', 'name', 'parametersB', 'contextWindow', 'licence'] as const;

function common(fields: Fields, where: string) {
  return {
    family: text(fields, 'family', where),
    name: text(fields, 'name', where),
    parametersB: positive(fields, 'parametersB', where),
    contextWindow: positive(fields, 'contextWindow', where, { integer: true }),
    licence: licence(fields.licence, `${where}.licence`),
  };
}

function mlcEntry(fields: Fields, where: string): MlcCatalogEntry {
  record(fields, where, [...COMMON, 'variants']);
  const variants = record(fields.variants, `${where}.variants`, ['f16', 'f32']);
  const f16 = variants.f16 === undefined ? undefined : mlcVariant(variants.f16, 'f16', `${where}.variants.f16`);
  return {
    kind: 'mlc',
    ...common(fields, where),
    variants: { ...(f16 ? { f16 } : {}), f32: mlcVariant(variants.f32, 'f32', `${where}.variants.f32`) },
  };
}

function ggufFile(value: unknown, where: string): GgufFile {
  const fields = record(value, where, ['path', 'approxBytes', 'sha256']);
  const sha256 = fields.sha256 === undefined ? undefined : text(fields, 'sha256', where, SHA256);
  return {
    path: text(fields, 'path', where, GGUF_PATH),
    approxBytes: positive(fields, 'approxBytes', where, { integer: true }),
    ...(sha256 ? { sha256 } : {}),
  };
}

function ggufEntry(fields: Fields, where: string): GgufCatalogEntry {
  record(fields, where, [...COMMON, 'quantisation', 'files', 'overheadMB']);
  const list = fields.files;
  if (!Array.isArray(list) || list.length === 0) throw new FieldError(`${where}.files must be a non-empty array`);
  const files = list.map((file, i) => ggufFile(file, `${where}.files[${i}]`));
  // A split model is downloaded from the parts its first file's name implies (add-model.ts).
  const implied = ggufPartUrls(new URL(`https://host.invalid/${files[0]!.path}`)).map((url) => url.pathname.slice(1));
  if (implied.join('\n') !== files.map((file) => file.path).join('\n')) {
    throw new FieldError(
      files.length === 1
        ? `${where}.files names one file of a split model; list every part`
        : `${where}.files must be the parts …-00001-of-0000${files.length}.gguf to …-0000${files.length}-of-0000${files.length}.gguf in order`,
    );
  }
  return {
    kind: 'gguf',
    ...common(fields, where),
    quantisation: text(fields, 'quantisation', where),
    files,
    overheadMB: positive(fields, 'overheadMB', where, { zero: true }),
  };
}

function entryOf(value: unknown, where: string): CatalogEntry {
  if (!isRecord(value)) throw new FieldError(`${where} must be an object`);
  if (value.kind === 'mlc') return mlcEntry(value, where);
  if (value.kind === 'gguf') return ggufEntry(value, where);
  throw new FieldError(`${where}.kind must be "mlc" or "gguf"`);
}

/** The entry's name for a message, if it has a readable one. */
function label(value: unknown, index: number): string {
  const name = isRecord(value) && typeof value.name === 'string' ? ` (${value.name})` : '';
  return `entry ${index}${name}`;
}

/**
 * The catalog in `data` (catalog.json, parsed): every valid entry, and why each other one was
 * left out. Entries are rebuilt field by field, so nothing unchecked reaches the Models view.
 */
export function readCatalog(data: unknown): CatalogRead {
  const refused = (problem: string): CatalogRead => ({ catalogVersion: undefined, entries: [], problems: [problem] });
  if (!isRecord(data)) return refused('the catalog file must be an object');
  if (data.schema !== CATALOG_SCHEMA) {
    return refused(`the catalog file has schema ${JSON.stringify(data.schema)}; this version reads ${CATALOG_SCHEMA}`);
  }
  const { catalogVersion } = data;
  if (!Number.isInteger(catalogVersion) || (catalogVersion as number) < 1) {
    return refused('the catalog file needs a catalogVersion, a positive integer');
  }
  const unknown = Object.keys(data).filter((key) => !['schema', 'catalogVersion', 'entries'].includes(key));
  if (unknown.length > 0) return refused(`the catalog file has unknown field(s) ${unknown.join(', ')}`);
  if (!Array.isArray(data.entries)) return refused('the catalog file needs entries, an array');

  const entries: CatalogEntry[] = [];
  const problems: string[] = [];
  const seen = new Map<string, number>();
  data.entries.forEach((value: unknown, index) => {
    const where = label(value, index);
    try {
      const entry = entryOf(value, `entries[${index}]`);
      const key = catalogKey(entry);
      const first = seen.get(key);
      if (first !== undefined) throw new FieldError(`the same model as entry ${first}`);
      seen.set(key, index);
      entries.push(entry);
    } catch (error) {
      if (!(error instanceof FieldError)) throw error;
      problems.push(`${where} skipped: ${error.message}`);
    }
  });
  if (data.entries.length === 0) problems.push('the catalog file lists no models');
  return { catalogVersion: catalogVersion as number, entries, problems };
}
