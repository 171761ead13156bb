import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { summaryRecords } from '../../lib/summarize/history';
import { FakeEngine, fakeWorker } from '../../lib/engine/testing/fake-engine';
import { EngineState } from '../engine/engine.svelte';
import { SummarizeState } from './summarize.svelte';

const TEXT = 'Nook is a private assistant. It runs a small model on this device, and nothing typed leaves it.';

/** A Summarize store over EngineState and the fake engine in a fake worker, with a model loaded. */
async function summarizeOver(fake: FakeEngine) {
  const engine = new EngineState({ workers: { wllama: fakeWorker(fake), 'web-llm': fakeWorker(fake) } });
  await engine.loadSource({ backend: 'wllama', id: 'tiny' }, { name: 'Tiny model' });
  return { engine, summarize: new SummarizeState(engine) };
}

describe('SummarizeState (a fake engine in a fake worker)', () => {
  it('makes a summary of the typed text, shows it and saves it', async () => {
    const { summarize } = await summarizeOver(new FakeEngine());
    summarize.input.draft = TEXT;
    await summarize.summarize();
    expect(summarize.error).toBeUndefined();
    expect(summarize.output).toMatch(/^Nook runs entirely on your device/);
    expect(summarize.result).toMatchObject({
      sourceName: 'Pasted text',
      sourceChars: TEXT.length,
      text: summarize.output,
    });
    expect(summarize.saved.list[0]).toEqual(summarize.result);
    expect((await summaryRecords().list()).map((record) => record.id)).toContain(summarize.result!.id);
  });

  it('a Stop is told as stopped, not as an error, and nothing is saved', async () => {
    const during = { reply: () => {} };
    const { summarize } = await summarizeOver(new FakeEngine({ beforeReply: () => during.reply() }));
    during.reply = () => summarize.stop();
    const before = (await summaryRecords().list()).length;
    summarize.input.draft = TEXT;
    await summarize.summarize();
    expect(summarize.notice).toBe('Stopped. Nothing was saved.');
    expect(summarize.error).toBeUndefined();
    expect(summarize.result).toBeUndefined();
    expect(summarize.running).toBe(false);
    expect(await summaryRecords().list()).toHaveLength(before);
  });

  it('a real failure (the engine crashed) is told as the engine’s error, not as a stop', async () => {
    const during = { reply: () => {} };
    const made = await summarizeOver(new FakeEngine({ beforeReply: () => during.reply() }));
    during.reply = () => made.engine.killWorkersForTest();
    made.summarize.input.draft = TEXT;
    await made.summarize.summarize();
    expect(made.summarize.error).toMatch(/The engine stopped unexpectedly/);
    expect(made.summarize.notice).toBeUndefined();
    expect(made.summarize.result).toBeUndefined();
  });

  it('there is nothing to summarize in an empty box: a clear sentence, no call', async () => {
    const fake = new FakeEngine();
    const { summarize } = await summarizeOver(fake);
    summarize.input.draft = '   ';
    await summarize.summarize();
    expect(summarize.error).toBe('There is no text to summarize. Paste some text, or open a file.');
    expect(fake.calls).toHaveLength(0);
  });
});
