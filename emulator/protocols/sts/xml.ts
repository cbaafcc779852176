/**
 * The XML of the AWS query protocol as STS answers it: `<ActionResponse>` with an `<ActionResult>`
 * and `<ResponseMetadata><RequestId>`, and errors as `<ErrorResponse><Error><Type/><Code/><Message/>
 * </Error><RequestId/></ErrorResponse>` (what botocore's and the JS SDK's query parsers read).
 */
import type { RouteResult } from '../wire.js';

export const STS_XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const CONTENT_TYPE = 'text/xml';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
export const escapeXml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** A value tree: strings are text, objects nest elements in insertion order. */
export type XmlValue = string | { [element: string]: XmlValue };

function render(value: XmlValue, indent: string): string {
  if (typeof value === 'string') return escapeXml(value);
  const inner = `${indent}  `;
  return Object.entries(value)
    .map(([name, v]) => (typeof v === 'string' ? `\n${inner}<${name}>${escapeXml(v)}</${name}>` : `\n${inner}<${name}>${render(v, inner)}\n${inner}</${name}>`))
    .join('');
}

/** A successful `<Action>Response`. */
export function xmlResult(action: string, result: XmlValue, requestId: string): RouteResult {
  const body =
    `<${action}Response xmlns="${STS_XMLNS}">\n  <${action}Result>${render(result, '  ')}\n  </${action}Result>\n` +
    `  <ResponseMetadata>\n    <RequestId>${requestId}</RequestId>\n  </ResponseMetadata>\n</${action}Response>\n`;
  return { status: 200, body, contentType: CONTENT_TYPE };
}

/** An `<ErrorResponse>`; `Sender` faults are the caller's, `Receiver` the service's. */
export function xmlError(status: number, code: string, message: string, requestId: string): RouteResult {
  const type = status >= 500 ? 'Receiver' : 'Sender';
  const body =
    `<ErrorResponse xmlns="${STS_XMLNS}">\n  <Error>\n    <Type>${type}</Type>\n    <Code>${escapeXml(code)}</Code>\n` +
    `    <Message>${escapeXml(message)}</Message>\n  </Error>\n  <RequestId>${requestId}</RequestId>\n</ErrorResponse>\n`;
  return { status, body, contentType: CONTENT_TYPE };
}
