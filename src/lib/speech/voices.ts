/** Which voices Nook may read with: on-device ones only (`localService`), best language match first. */

export interface VoiceLike {
  name: string;
  lang: string;
  localService: boolean;
  voiceURI: string;
  default: boolean;
}

export const localVoices = <V extends VoiceLike>(voices: readonly V[]): V[] => voices.filter((v) => v.localService);

/**
 * The voice to read `lang` with: the one the user picked (if still on the device and local), else
 * a local voice of the same language (region first, then language), else the local default.
 */
export function pickVoice<V extends VoiceLike>(
  voices: readonly V[],
  preferredURI: string | undefined,
  lang: string | undefined,
): V | undefined {
  const local = localVoices(voices);
  const preferred = preferredURI ? local.find((v) => v.voiceURI === preferredURI) : undefined;
  if (preferred) return preferred;
  const wanted = (lang ?? '').toLowerCase();
  const base = wanted.split('-')[0] ?? '';
  return (
    (wanted && local.find((v) => v.lang.toLowerCase() === wanted)) ||
    (base && local.find((v) => v.lang.toLowerCase().split(/[-_]/)[0] === base)) ||
    local.find((v) => v.default) ||
    local[0]
  );
}
