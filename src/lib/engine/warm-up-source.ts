/**
 * The id under which the GGUF engine worker serves the code warm-up's model (see code-warm-up.ts):
 * a generated tiny model shipped with the app (vite-plugins/warm-up-model.ts), never stored among
 * the user's models. No stored model can have it: their ids are generated UUIDs.
 */
export const WARM_UP_MODEL_ID = 'nook:warm-up';
export const WARM_UP_MODEL_NAME = 'Nook warm-up';
/** The window its load allocates (the generated model's own). */
export const WARM_UP_CONTEXT = 256;
