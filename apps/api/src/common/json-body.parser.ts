import { BadRequestException } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { RawServerDefault } from 'fastify';
import { MAX_JSON_DEPTH, tooDeep } from './json-depth.js';

/**
 * The JSON body parser of every route: Fastify's own (prototype poisoning
 * refused, empty and malformed bodies reported), behind a depth check that runs
 * on the text before anything is built from it.
 */
export function useDepthLimitedJsonParser(app: NestFastifyApplication, bodyLimit: number): void {
  const fastify = app.getHttpAdapter().getInstance();
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  app.useBodyParser<RawServerDefault>('application/json', { bodyLimit }, (req, body, done) => {
    const text = body.toString('utf8');
    const deep = tooDeep(text);
    if (deep) {
      const what = deep.field === undefined ? 'The request body' : clip(deep.field);
      done(new BadRequestException(`${what} is nested too deeply: at most ${MAX_JSON_DEPTH} levels of arrays and objects`), undefined);
      return;
    }
    void parseJson(req, text, done);
  });
}

// A key can be as long as the body; the message names it, it need not repeat it.
function clip(field: string): string {
  return field.length > 60 ? `${field.slice(0, 60)}…` : field;
}
