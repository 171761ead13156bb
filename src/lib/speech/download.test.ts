import { describe, expect, it } from 'vitest';
import { SPEECH_CATALOG, SPEECH_MODEL_FILES, speechFileUrl, whisperLanguage } from './catalog';
import { downloadSpeechModel, SpeechDownloadError, type SpeechFileSink } from './download';
import type { StoredSpeechModel } from './storage';

const entry = SPEECH_CATALOG[0]!;
const onnx = new Uint8Array([0x08, 0x07, 0x12, 0x00]);

function memorySink() {
  const files = new Map<string, Blob>();
  const records: StoredSpeechModel[] = [];
  const sink: SpeechFileSink = {
    putFile: async (id, file, blob) => void files.set(`${id}/${file}`, blob),
    discard: async (id) => {
      for (const key of [...files.keys()]) if (key.startsWith(`${id}/`)) files.delete(key);
    },
    saveRecord: async (record) => void records.push(record),
  };
  return { sink, files, records };
}

function host(overrides: Record<string, Response | Error> = {}): typeof fetch {
  return (async (input: RequestInfo | URL) => {
    const file = String(input).split('/resolve/main/')[1]!;
    const special = overrides[file];
    if (special instanceof Error) throw special;
    if (special) return special;
    return new Response(file.endsWith('.onnx') ? onnx : '{"ok":true}', { status: 200 });
  }) as typeof fetch;
}

describe('speech model download', () => {
  it('stores every file, then writes the record with the total size', async () => {
    const { sink, files, records } = memorySink();
    const record = await downloadSpeechModel({ entry, mirror: 'http://127.0.0.1:9/mirror/', sink, fetch: host() });
    expect([...files.keys()]).toEqual(SPEECH_MODEL_FILES.map((f) => `${entry.id}/${f}`));
    expect(records).toEqual([record]);
    expect(record.sizeBytes).toBe(5 * 11 + 2 * onnx.length);
    expect(record.sourceUrl).toBe(`http://127.0.0.1:9/mirror/${entry.id}/resolve/main/`);
  });

  it.each([
    [
      'a missing file',
      { 'tokenizer.json': new Response('no', { status: 404 }) },
      /tokenizer\.json could not be downloaded \(404/,
    ],
    ['broken JSON', { 'config.json': new Response('<html>') }, /config\.json is not valid JSON/],
    ['a file that is not ONNX', { 'onnx/encoder_model_quantized.onnx': new Response('<html>') }, /not an ONNX model/],
    ['an unreachable host', { 'config.json': new TypeError('Failed to fetch') }, /Could not reach 127\.0\.0\.1:9/],
  ])('refuses %s with a sentence, and keeps nothing', async (_name, overrides, message) => {
    const { sink, files, records } = memorySink();
    const run = downloadSpeechModel({ entry, mirror: 'http://127.0.0.1:9', sink, fetch: host(overrides) });
    await expect(run).rejects.toThrow(SpeechDownloadError);
    await expect(run).rejects.toThrow(message);
    expect(files.size).toBe(0);
    expect(records).toEqual([]);
  });

  it('a cancelled download keeps nothing', async () => {
    const { sink, files, records } = memorySink();
    const controller = new AbortController();
    controller.abort();
    await expect(
      downloadSpeechModel({ entry, mirror: undefined, sink, fetch: host(), signal: controller.signal }),
    ).rejects.toThrow();
    expect(files.size + records.length).toBe(0);
  });
});

describe('speech catalog', () => {
  it('fetches from the model host, or from the mirror in the same layout', () => {
    expect(speechFileUrl('onnx-community/whisper-tiny', 'config.json')).toBe(
      'https://huggingface.co/onnx-community/whisper-tiny/resolve/main/config.json',
    );
    expect(speechFileUrl('a/b', 'onnx/x.onnx', 'https://mirror.test/m/')).toBe(
      'https://mirror.test/m/a/b/resolve/main/onnx/x.onnx',
    );
  });

  it("asks Whisper for the user's language by its primary subtag", () => {
    expect(whisperLanguage('de-AT')).toBe('de');
    expect(whisperLanguage('EN')).toBe('en');
    expect(whisperLanguage(undefined)).toBeUndefined();
  });
});
