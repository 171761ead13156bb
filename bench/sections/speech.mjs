// Speech to text (bench/lib/speech.mjs): the tiny Whisper through the app's dictation against
// transformers.js called in a bare page, in a browser of its own with Chromium's fake microphone.
import { measureSpeech } from '../lib/speech.mjs';
import { row } from '../lib/rows.mjs';
import { round } from '../lib/stats.mjs';

export const name = 'speech';
export const needs = ['app', 'baseline', 'chromium', 'models'];

export async function run({ quick, log, launch, app, baseline, host, fixtures }) {
  log('speech to text');
  const speechBrowser = await launch([
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    `--use-file-for-fake-audio-capture=${fixtures.speechWav}`,
  ]);
  try {
    const speech = await measureSpeech(speechBrowser, {
      appUrl: app.url,
      rawUrl: `${baseline.url}/raw-speech.html`,
      mirror: `${host.url}/mirror`,
      modelId: fixtures.whisper.id,
      files: fixtures.whisper.files,
      rounds: Number(process.env.BENCH_ROUNDS) || (quick ? 2 : 11),
    });
    return {
      results: { speech },
      rows: [
        row(
          'Transcription, raw transformers.js ÷ app speed — tiny Whisper',
          `${round(speech.ratio)} (${round(speech.rawMs, 0)} / ${round(speech.appMs, 0)} ms)`,
          '≥ 0.95',
          speech.ratio >= 0.95,
          `median of ${speech.runs.length} interleaved pairs on the same audio (${speech.samples} samples); app from the tap that ends dictation to the transcript in the composer: tap → audio posted ${round(speech.hops.tapToPost, 1)} ms, posted → transcript ${round(speech.hops.postToReply, 1)} ms (model ${round(speech.hops.model, 1)} ms), → box ${round(speech.hops.replyToBox, 1)} ms; browser CPU meanwhile app ${cpuText(speech.cpu.app)}, raw ${cpuText(speech.cpu.raw)}; "${speech.text}"`,
        ),
      ],
    };
  } finally {
    await speechBrowser.close();
  }
}

/** A CPU reading as "total ms (part ms, …)", the parts that used any. */
const cpuText = (cpu) =>
  cpu
    ? `${round(cpu.total, 0)} ms (${Object.entries(cpu)
        .filter(([part, ms]) => part !== 'total' && ms > 0)
        .map(([part, ms]) => `${part} ${round(ms, 0)}`)
        .join(', ')})`
    : 'no /proc';
