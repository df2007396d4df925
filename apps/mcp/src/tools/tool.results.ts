import { BlinkedApiError } from '@blinked/sdk';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ToolAnswer } from './tool.types.js';

/**
 * An answer as MCP content: the summary, the resource as JSON text (for clients that show
 * only text), and the resource again as structuredContent when the tool declares an
 * outputSchema, which the MCP spec then requires.
 */
export function toolResult(answer: ToolAnswer, structured: boolean): CallToolResult {
  const content: CallToolResult['content'] = [{ type: 'text', text: answer.summary }];
  if (answer.resource) content.push({ type: 'text', text: JSON.stringify(answer.resource, null, 2) });
  return {
    content,
    ...(structured && answer.resource ? { structuredContent: answer.resource as Record<string, unknown> } : {}),
    ...(answer.isError ? { isError: true } : {}),
  };
}

/**
 * A failure as a tool error (`isError: true`), not a protocol error: the MCP spec wants
 * what a model can act on (bad arguments, the API's refusal) in the result, where it sees it.
 */
export function errorResult(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}

/** What went wrong, in the API's own words when it answered; never a stack. */
export function describeFailure(error: unknown, apiUrl: string): string {
  // No answer at all: the generated client hands fetch()'s own error over as the body of a
  // status-0 BlinkedApiError; fetch's TypeError has the reason (ECONNREFUSED, DNS…) as its cause.
  const unreachable = error instanceof BlinkedApiError && error.status === 0 ? (error.body as unknown) : error;
  if (unreachable instanceof TypeError) {
    const cause = unreachable.cause as { code?: string; message?: string } | undefined;
    const why = cause?.code || cause?.message || unreachable.message;
    return `Could not reach the BlinkEd API at ${apiUrl}: ${why}`;
  }
  if (error instanceof BlinkedApiError) {
    const { status, body, retryAfterSeconds } = error;
    // `details` lists every validation problem; the message already is the first (or only) one.
    const more = (body?.details ?? []).filter((d) => d !== body?.message);
    const details = more.length ? ` (${more.join('; ')})` : '';
    const retry = retryAfterSeconds ? ` (try again in ${retryAfterSeconds} s)` : '';
    return `The BlinkEd API answered ${status}${body?.error ? ` ${body.error}` : ''}: ${body?.message ?? 'no message'}${details}${retry}`;
  }
  return `The call failed: ${error instanceof Error ? error.message : String(error)}`;
}
