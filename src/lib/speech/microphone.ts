/**
 * One recording from the microphone: a live level for the meter, an optional "the speaker went
 * quiet" signal (voice mode), and at the end the samples Whisper wants — mono, 16 kHz. Recorded
 * with MediaRecorder and decoded (and resampled) by the Web Audio API: no audio worklet, no
 * hand-written resampler. Nothing is sent anywhere; the stream is closed when the recording ends.
 */
import { SpeechError, microphoneErrorCode } from './errors';

export const WHISPER_SAMPLE_RATE = 16_000;

export interface RecordingOptions {
  /** Called about 16 times a second with the input level, 0 (silence) to 1. */
  onLevel?: (level: number) => void;
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
  #recorder: MediaRecorder;
  #context: AudioContext;
  #chunks: Blob[] = [];
  #timer: ReturnType<typeof setInterval>;
  #stopped: Promise<Blob>;
  #heardSpeech = false;

  private constructor(stream: MediaStream, options: RecordingOptions) {
    this.#stream = stream;
    this.#recorder = new MediaRecorder(stream);
    this.#recorder.addEventListener('dataavailable', (event) => this.#chunks.push(event.data));
    this.#stopped = new Promise((resolve) =>
      this.#recorder.addEventListener('stop', () => resolve(new Blob(this.#chunks, { type: this.#recorder.mimeType }))),
    );
    this.#recorder.start(250);
    this.#context = new AudioContext();
    const analyser = this.#context.createAnalyser();
    analyser.fftSize = 1024;
    this.#context.createMediaStreamSource(stream).connect(analyser);
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
    return new Recording(stream, options);
  }

  /** Whether anything louder than silence was heard so far. */
  get heardSpeech(): boolean {
    return this.#heardSpeech;
  }

  /** Ends the recording and returns its samples, mono at 16 kHz. */
  async finish(): Promise<Float32Array> {
    const blob = await this.#end();
    const encoded = await blob.arrayBuffer();
    if (encoded.byteLength === 0) return new Float32Array(0);
    // An offline context at 16 kHz decodes and resamples in one step.
    const decoded = await new OfflineAudioContext(1, 1, WHISPER_SAMPLE_RATE).decodeAudioData(encoded);
    const mono = new Float32Array(decoded.length);
    for (let channel = 0; channel < decoded.numberOfChannels; channel++) {
      const data = decoded.getChannelData(channel);
      for (let i = 0; i < data.length; i++) mono[i]! += data[i]! / decoded.numberOfChannels;
    }
    return mono;
  }

  /** Ends the recording and drops what it heard. */
  cancel(): void {
    void this.#end();
  }

  #end(): Promise<Blob> {
    clearInterval(this.#timer);
    if (this.#recorder.state !== 'inactive') this.#recorder.stop();
    for (const track of this.#stream.getTracks()) track.stop();
    void this.#context.close().catch(() => undefined);
    return this.#stopped;
  }
}
