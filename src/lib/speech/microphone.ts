/**
 * One recording from the microphone: a live level for the meter, an optional "the speaker went
 * quiet" signal (voice mode), and at the end the samples Whisper wants — mono, 16 kHz. An audio
 * worklet collects the samples as they come (so stopping costs nothing), and the Web Audio API
 * resamples where needed: no hand-written resampler. Nothing is sent anywhere; the stream is
 * closed when the recording ends.
 */
import { SpeechError, SPEECH_MESSAGES, microphoneErrorCode } from './errors';
import captureWorkletUrl from './capture.worklet.ts?worker&url';

export const WHISPER_SAMPLE_RATE = 16_000;

export interface RecordingOptions {
  /** Called about 16 times a second with the input level, 0 (silence) to 1. */
  onLevel?: (level: number) => void;
  /** Called once, when the input first gets louder than silence (the speaker started). */
  onSpeech?: () => void;
  /** Called once when, after speech was heard, the input stayed quiet for `silenceMs`. */
  onSilence?: () => void;
  silenceMs?: number;
  /** Stops by itself after this long (Whisper hears 30 s windows; dictation is short). */
  maxMs?: number;
  onMaxLength?: () => void;
}

/** RMS level above which the input counts as speech. */
const SPEECH_LEVEL = 0.02;

export class Recording {
  #stream: MediaStream;
  #context: AudioContext;
  #blocks: Float32Array[] = [];
  #timer: ReturnType<typeof setInterval>;
  #heardSpeech = false;
  #ended = false;
  #closed = false;

  private constructor(
    stream: MediaStream,
    context: AudioContext,
    capture: AudioWorkletNode,
    options: RecordingOptions,
  ) {
    this.#stream = stream;
    this.#context = context;
    capture.port.onmessage = (event: MessageEvent<Float32Array>) => {
      if (!this.#ended) this.#blocks.push(event.data);
    };
    const source = context.createMediaStreamSource(stream);
    source.connect(capture);
    const analyser = context.createAnalyser();
    analyser.fftSize = 1024;
    source.connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    const started = performance.now();
    let quietSince = performance.now();
    let signalled = false;
    this.#timer = setInterval(() => {
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const s of samples) sum += s * s;
      const rms = Math.sqrt(sum / samples.length);
      options.onLevel?.(Math.min(1, rms * 4));
      const now = performance.now();
      if (rms > SPEECH_LEVEL) {
        if (!this.#heardSpeech) options.onSpeech?.();
        this.#heardSpeech = true;
        quietSince = now;
      } else if (this.#heardSpeech && !signalled && now - quietSince >= (options.silenceMs ?? 1200)) {
        signalled = true;
        options.onSilence?.();
      }
      if (options.maxMs && now - started >= options.maxMs && !signalled) {
        signalled = true;
        options.onMaxLength?.();
      }
    }, 60);
  }

  /** Opens the microphone; throws a SpeechError saying why it could not. */
  static async start(options: RecordingOptions = {}): Promise<Recording> {
    if (!navigator.mediaDevices?.getUserMedia) throw new SpeechError('no-input-device');
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true },
      });
    } catch (error) {
      throw new SpeechError(microphoneErrorCode(error));
    }
    try {
      // At Whisper's rate where the browser resamples the microphone itself (Chromium does);
      // elsewhere at the device's rate, resampled when the recording ends.
      let context: AudioContext;
      try {
        context = new AudioContext({ sampleRate: WHISPER_SAMPLE_RATE });
        context.createMediaStreamSource(stream).disconnect();
      } catch {
        context = new AudioContext();
      }
      await context.audioWorklet.addModule(captureWorkletUrl);
      const capture = new AudioWorkletNode(context, 'nook-capture', { numberOfOutputs: 0 });
      return new Recording(stream, context, capture, options);
    } catch (error) {
      for (const track of stream.getTracks()) track.stop();
      throw new SpeechError('mic-unavailable', `${SPEECH_MESSAGES['mic-unavailable']} (${String(error)})`);
    }
  }

  /** Whether anything louder than silence was heard so far. */
  get heardSpeech(): boolean {
    return this.#heardSpeech;
  }

  /**
   * Stops collecting and returns the samples, mono at 16 kHz. The microphone stays open until
   * `close()`, so the caller can hand the samples on first (closing the device takes a few ms).
   */
  async finish(): Promise<Float32Array> {
    const rate = this.#context.sampleRate;
    this.#stopCollecting();
    const length = this.#blocks.reduce((sum, block) => sum + block.length, 0);
    const joined = new Float32Array(length);
    let at = 0;
    for (const block of this.#blocks) {
      joined.set(block, at);
      at += block.length;
    }
    this.#blocks = [];
    if (rate === WHISPER_SAMPLE_RATE || length === 0) return joined;
    // The Web Audio API resamples: play the samples into an offline context at 16 kHz.
    const offline = new OfflineAudioContext(1, Math.ceil((length * WHISPER_SAMPLE_RATE) / rate), WHISPER_SAMPLE_RATE);
    const buffer = offline.createBuffer(1, length, rate);
    buffer.copyToChannel(joined, 0);
    const source = offline.createBufferSource();
    source.buffer = buffer;
    source.connect(offline.destination);
    source.start();
    return (await offline.startRendering()).getChannelData(0);
  }

  /** Closes the microphone (the browser's recording indicator goes off). */
  close(): void {
    this.#stopCollecting();
    if (this.#closed) return;
    this.#closed = true;
    for (const track of this.#stream.getTracks()) track.stop();
    void this.#context.close().catch(() => undefined);
  }

  /** Ends the recording and drops what it heard. */
  cancel(): void {
    this.#blocks = [];
    this.close();
  }

  #stopCollecting(): void {
    if (this.#ended) return;
    this.#ended = true;
    clearInterval(this.#timer);
  }
}
