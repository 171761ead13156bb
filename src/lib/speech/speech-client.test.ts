import { describe, expect, it } from 'vitest';
import { SpeechError, microphoneErrorCode } from './errors';
import { ChannelWorker } from '../shared/testing/channel-worker';
import { Transcriber } from './speech-client';
import { serveSpeech } from './speech-serve';

/**
 * A fake speech worker, named as one: the worker's own serve code over a real MessageChannel,
 * with a fake recognizer that "transcribes" by reporting how many samples it received, and a
 * model called "missing" that is not stored.
 */
function fakeSpeechWorker(): ChannelWorker {
  return new ChannelWorker((port) =>
    serveSpeech(port, async (modelId) => {
      if (modelId === 'missing') throw new SpeechError('no-speech-model', 'not downloaded');
      return { transcribe: async (audio) => `${audio.length} samples` };
    }),
  );
}

describe('Transcriber', () => {
  it('starts the worker on first use and transfers the audio instead of copying it', async () => {
    let started = 0;
    const worker = fakeSpeechWorker();
    const transcriber = new Transcriber(() => (started++, worker));
    expect(started).toBe(0);
    const audio = new Float32Array(16_000);
    const result = await transcriber.transcribe('tiny', audio, 'en');
    expect(result.text).toBe('16000 samples');
    expect(audio.length).toBe(0); // detached: it moved to the worker
    await transcriber.warm('tiny');
    expect(started).toBe(1);
  });

  it('passes typed errors through', async () => {
    const transcriber = new Transcriber(fakeSpeechWorker);
    const failed = transcriber.transcribe('missing', new Float32Array(10), undefined);
    await expect(failed).rejects.toBeInstanceOf(SpeechError);
    await expect(failed).rejects.toMatchObject({ code: 'no-speech-model' });
  });

  it('drops the answer to an abandoned request', async () => {
    const transcriber = new Transcriber(fakeSpeechWorker);
    const controller = new AbortController();
    const pending = transcriber.transcribe('tiny', new Float32Array(5), undefined, controller.signal);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    await expect(transcriber.transcribe('tiny', new Float32Array(7), undefined)).resolves.toMatchObject({
      text: '7 samples',
    });
  });

  it('a crashed worker rejects what was pending; the next call starts a fresh one', async () => {
    const workers: ReturnType<typeof fakeSpeechWorker>[] = [];
    const transcriber = new Transcriber(() => {
      const worker = fakeSpeechWorker();
      workers.push(worker);
      return worker;
    });
    await transcriber.warm('tiny');
    const worker = workers[0]!;
    worker.postMessage = () => undefined; // it hangs, then dies
    const pending = transcriber.transcribe('tiny', new Float32Array(3), undefined);
    worker.crash();
    await expect(pending).rejects.toMatchObject({ code: 'worker-crashed' });
    await expect(transcriber.transcribe('tiny', new Float32Array(4), undefined)).resolves.toMatchObject({
      text: '4 samples',
    });
    expect(workers).toHaveLength(2);
  });

  it('a reply that cannot be read rejects what was pending as a crash, and the worker is replaced', async () => {
    const workers: ChannelWorker[] = [];
    const transcriber = new Transcriber(() => {
      const worker = fakeSpeechWorker();
      workers.push(worker);
      return worker;
    });
    await transcriber.warm('tiny');
    workers[0]!.postMessage = () => undefined; // its answer never comes in a form the page can read
    const pending = transcriber.transcribe('tiny', new Float32Array(3), undefined);
    workers[0]!.sendUnreadable();
    await expect(pending).rejects.toBeInstanceOf(SpeechError);
    await expect(pending).rejects.toMatchObject({ code: 'worker-crashed' });
    expect(workers[0]!.terminated).toBe(true);
    await expect(transcriber.transcribe('tiny', new Float32Array(4), undefined)).resolves.toMatchObject({
      text: '4 samples',
    });
    expect(workers).toHaveLength(2);
  });

  it('answers each warm-up by its own model: a missing one fails, the next one still loads', async () => {
    const transcriber = new Transcriber(fakeSpeechWorker);
    const missing = transcriber.warm('missing');
    const tiny = transcriber.warm('tiny');
    await expect(missing).rejects.toMatchObject({ code: 'no-speech-model' });
    await expect(tiny).resolves.toBeUndefined();
  });

  it('closing it ends what is pending and frees the worker', async () => {
    const workers: ChannelWorker[] = [];
    const transcriber = new Transcriber(() => {
      const worker = fakeSpeechWorker();
      workers.push(worker);
      return worker;
    });
    await transcriber.warm('tiny');
    workers[0]!.postMessage = () => undefined;
    const pending = transcriber.transcribe('tiny', new Float32Array(3), undefined);
    transcriber.dispose();
    await expect(pending).rejects.toMatchObject({ code: 'worker-crashed', message: 'Speech recognition was closed.' });
    expect(workers[0]!.terminated).toBe(true);
  });
});

describe('microphone errors', () => {
  it("says why, from getUserMedia's standard error names", () => {
    expect(microphoneErrorCode(new DOMException('x', 'NotAllowedError'))).toBe('mic-denied');
    expect(microphoneErrorCode(new DOMException('x', 'NotFoundError'))).toBe('no-input-device');
    expect(microphoneErrorCode(new DOMException('x', 'NotReadableError'))).toBe('mic-unavailable');
    expect(new SpeechError('mic-denied').message).toMatch(/may not use the microphone/);
  });
});
