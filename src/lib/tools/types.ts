/**
 * The shapes shared by the tools and whoever wires them to an engine: a tool's definition in the
 * OpenAI function-tool form (plain JSON, so it crosses a worker boundary by structured clone), a
 * call as the model produced it, and its outcome as text the model reads back and the UI shows.
 */

import type { EngineTool } from '../engine/types';

export type ToolName = 'calculator' | 'date_time' | 'convert_units' | 'search_documents' | 'remember';

/** A tool's definition: the shape the engines send (OpenAI's function tool), defined there once. */
export type ToolDefinition = EngineTool;

/** One argument of a tool's definition. */
export type ToolParameter = ToolDefinition['function']['parameters']['properties'][string];

/** One call as the model wrote it; `arguments` is its raw JSON text, not yet trusted. */
export interface ToolCall {
  id: string;
  name: string;
  arguments: string;
}

/** `result` is data for the model and the UI; `error` a sentence both can read. */
export type ToolOutcome = { ok: true; result: string } | { ok: false; error: string };

export const succeeded = (result: string): ToolOutcome => ({ ok: true, result });
export const failed = (error: string): ToolOutcome => ({ ok: false, error });
