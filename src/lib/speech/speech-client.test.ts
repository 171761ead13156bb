import { describe, expect, it } from 'vitest';
import { SpeechError, microphoneErrorCode } from './errors';
import { assertNever } from '../shared/assert-never';
import type { SpeechReply, SpeechRequest } from './speech-protocol';
import { Transcriber, type SpeechWorkerLike } from './speech-client';

/**
 * A fake speech worker, named as one, over a real MessageChannel: it "transcribes" by reporting
 * how many samples it received, and fails for a model called "missing".
 */
function fakeSpeechWorker(): SpeechWorkerLike & { requests: SpeechRequest[]; crash(): void } {
  const channel = new MessageChannel();
  const requests: SpeechRequest[] = [];
  const errorListeners: Array<(event: Event) => void> = [];
  channel.port2.onmessage = (event: MessageEvent<SpeechRequest>) => {
    const request = event.data;
    requests.push(request);
    const reply = (message: SpeechReply) => channel.port2.postMessage(message);
    switch (request.kind) {
      case 'load':
        reply({ kind: 'loaded', modelId: request.modelId });
        return;
      case 'transcribe':
        if (request.modelId === 'missing') {
          reply({ kind: 'error', requestId: request.requestId, code: 'no-speech-model', message: 'not downloaded' });
        } else {
          reply({ kind: 'transcript', requestId: request.requestId, text: `${request.audio.length} samples`, ms: 1 });
        }
        return;
      default:
        assertNever(request);
    }
  };
  return {
    requests,
    postMessage: (message, transfer) => channel.port1.postMessage(message, transfer),
    addEventListener: ((type: string, listener: (event: never) => void) => {
      if (type === 'message') channel.port1.addEventListener('message', listener as (e: MessageEvent) => void);
      else errorListeners.push(listener as (event: Event) => void);
      channel.port1.start();
    }) as SpeechWorkerLike['addEventListener'],
    terminate: () => channel.port1.close(),
    crash: () => errorListeners.forEach((listener) => listener(new Event('error'))),
  };
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
});

describe('microphone errors', () => {
  it("says why, from getUserMedia's standard error names", () => {
    expect(microphoneErrorCode(new DOMException('x', 'NotAllowedError'))).toBe('mic-denied');
    expect(microphoneErrorCode(new DOMException('x', 'NotFoundError'))).toBe('no-input-device');
    expect(microphoneErrorCode(new DOMException('x', 'NotReadableError'))).toBe('mic-unavailable');
    expect(new SpeechError('mic-denied').message).toMatch(/may not use the microphone/);
  });
});
