import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

/**
 * operationIds are what SDK generators name methods after, so they are derived
 * from stable names: `<controller><Method>`, e.g. authRegister, videosGenerate.
 */
export function operationId(controllerKey: string, methodKey: string): string {
  const controller = controllerKey.replace(/Controller$/, '');
  return controller.charAt(0).toLowerCase() + controller.slice(1) + methodKey.charAt(0).toUpperCase() + methodKey.slice(1);
}

export function buildOpenApi(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('BlinkEd API')
    .setDescription('Turn a text prompt into a narrated video: submit a job, follow its progress, download the MP4.')
    .setVersion('1.0')
    .setLicense('MIT', 'https://opensource.org/license/mit')
    // Relative: the document describes whichever host serves it; SDK clients set their baseUrl.
    .addServer('/', 'The host that serves this document')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  const doc = SwaggerModule.createDocument(app, config, { operationIdFactory: operationId });
  markPublicOperations(doc);
  return doc;
}

/**
 * An operation without @ApiBearerAuth takes no token (sign-in, registration, health).
 * Saying so with `security: []` lets linters tell "public" from "forgotten", and
 * generated clients send no Authorization header there.
 */
function markPublicOperations(doc: OpenAPIObject): void {
  for (const item of Object.values(doc.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const) {
      const operation = item[method];
      if (operation && !operation.security) operation.security = [];
    }
  }
}

/** Swagger UI at /docs and the JSON document at /docs-json. */
export function mountOpenApi(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => buildOpenApi(app), { jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml' });
}

/** The committed form of the document: two-space JSON and a final newline, so diffs are line by line. */
export function serializeOpenApi(doc: OpenAPIObject): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}
