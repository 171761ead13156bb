// Every bench section, in the order a full run goes through them. Each module exports its `name`
// (what --only takes), its `needs` (bench/lib/setup.mjs) and `run(ctx)`, which resolves to its
// table rows and the raw figures kept in the results JSON.
import * as startup from './startup.mjs';
import * as engine from './engine.mjs';
import * as embeddings from './embeddings.mjs';
import * as server from './server.mjs';
import * as storage from './storage.mjs';
import * as markdown from './markdown.mjs';
import * as real from './real.mjs';
import * as summarize from './summarize.mjs';
import * as documents from './documents.mjs';
import * as speech from './speech.mjs';
import * as translate from './translate.mjs';
import * as reasoning from './reasoning.mjs';

export const SECTIONS = [
  startup,
  engine,
  embeddings,
  server,
  storage,
  markdown,
  real,
  summarize,
  documents,
  speech,
  translate,
  reasoning,
];
