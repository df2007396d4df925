// The committed API contract, compiled in: `npm run build` copies openapi.json next to the
// code (dist/openapi.json), so the tools' schemas are the document's as of that build and
// the server needs no path to the checkout at run time (desktop clients start it anywhere).
import document from '../../../../openapi.json' with { type: 'json' };
import type { OpenApiDocument } from './openapi.types.js';

export const OPENAPI_DOCUMENT = document as unknown as OpenApiDocument;
