/** The address of the generated model the engine's code warm-up runs (vite-plugins/warm-up-model.ts). */
declare module 'virtual:nook-warm-up-model' {
  const url: string;
  export default url;
}
