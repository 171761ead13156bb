/** The web-llm Nook ships (package.json pins it; a test checks the two agree). */
export const WEB_LLM_VERSION = '0.2.86';
/** The web-llm build the model libraries were compiled for; a library must match the runtime. */
export const MLC_LIB_VERSION = 'v0_2_86';
