/**
 * Audio worklet of a recording: hands each block of microphone samples (first channel) to the
 * page as it arrives, so that when the user stops talking the samples are already there — no
 * encoding, no decoding. Runs on the audio thread; loaded by `microphone.ts`.
 */

// The worklet global scope's names (not in TypeScript's DOM or worker libs).
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}
declare function registerProcessor(name: string, processor: new () => AudioWorkletProcessor): void;

class CaptureProcessor extends AudioWorkletProcessor {
  process(inputs: Float32Array[][]): boolean {
    const channel = inputs[0]?.[0];
    if (channel && channel.length > 0) this.port.postMessage(channel.slice());
    return true;
  }
}

registerProcessor('nook-capture', CaptureProcessor);
