import { describe, expect, it } from 'vitest';
import { onDeviceStatus, recognizeOnDevice } from './on-device-recognition';

/** A stand-in for a browser's SpeechRecognition, named as one: it records how it was used. */
function fakeRecognitionScope(answer: string, { withProcessLocally = true } = {}) {
  const calls = { available: [] as unknown[], started: 0 };
  class FakeRecognition extends EventTarget {
    lang = '';
    interimResults = true;
    continuous = true;
    start() {
      calls.started++;
      this.dispatchEvent(new Event('end'));
    }
    stop() {}
    abort() {}
    static available(options: unknown) {
      calls.available.push(options);
      return Promise.resolve(answer);
    }
  }
  if (withProcessLocally)
    Object.defineProperty(FakeRecognition.prototype, 'processLocally', { value: false, writable: true });
  return { scope: { SpeechRecognition: FakeRecognition }, calls };
}

describe('on-device recognition', () => {
  it('asks for on-device processing and reports the answer', async () => {
    const { scope, calls } = fakeRecognitionScope('downloadable');
    expect(await onDeviceStatus('en-US', scope)).toBe('downloadable');
    expect(calls.available).toEqual([{ langs: ['en-US'], processLocally: true }]);
  });

  it('counts a browser without the API, or without processLocally, as unsupported', async () => {
    expect(await onDeviceStatus('en', {})).toBe('unsupported');
    const { scope } = fakeRecognitionScope('available', { withProcessLocally: false });
    expect(await onDeviceStatus('en', scope)).toBe('unsupported');
  });

  it('never starts recognition unless it is available on the device (no cloud path)', async () => {
    for (const answer of ['downloadable', 'unavailable', 'downloading']) {
      const { scope, calls } = fakeRecognitionScope(answer);
      await expect(recognizeOnDevice('en', new AbortController().signal, scope)).rejects.toThrow(/not available/);
      expect(calls.started).toBe(0);
    }
    const { scope, calls } = fakeRecognitionScope('available');
    await expect(recognizeOnDevice('en', new AbortController().signal, scope)).resolves.toBe('');
    expect(calls.started).toBe(1);
  });
});
