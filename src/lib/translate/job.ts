/**
 * Everything a translation run needs, in one module the Translate store imports on first use, so
 * none of it (nor the detection library it loads) weighs on the first paint.
 */
export { builtInTranslator, BrowserPieceTranslator } from './built-in';
export { detectLanguage } from './detect';
export { ModelPieceTranslator, TranslateError, translateDocument } from './translate';
