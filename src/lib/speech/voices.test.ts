import { describe, expect, it } from 'vitest';
import { localVoices, pickVoice, type VoiceLike } from './voices';

const voice = (name: string, lang: string, localService = true, isDefault = false): VoiceLike => ({
  name,
  lang,
  localService,
  voiceURI: name,
  default: isDefault,
});

const voices = [
  voice('Cloud English', 'en-US', false, true),
  voice('Cloud German', 'de-DE', false),
  voice('Local English GB', 'en-GB'),
  voice('Local English US', 'en-US'),
  voice('Local French', 'fr'),
];

describe('voices', () => {
  it('never offers a voice that is not on the device', () => {
    expect(localVoices(voices).map((v) => v.name)).not.toContain('Cloud English');
    expect(pickVoice(voices, 'Cloud German', 'de-DE')?.localService).toBe(true);
    expect(pickVoice([voice('Cloud', 'en', false)], undefined, 'en')).toBeUndefined();
  });

  it("prefers the user's choice, then the region, then the language", () => {
    expect(pickVoice(voices, 'Local French', 'en-US')?.name).toBe('Local French');
    expect(pickVoice(voices, undefined, 'en-US')?.name).toBe('Local English US');
    expect(pickVoice(voices, undefined, 'en-AU')?.name).toBe('Local English GB');
    expect(pickVoice(voices, undefined, 'fr-CA')?.name).toBe('Local French');
    expect(pickVoice(voices, 'gone', 'ja')?.name).toBe('Local English GB');
  });
});
