import { type ArgumentMetadata, BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';
import { findUnsafeText, UNSAFE_TEXT_MESSAGE } from './unsafe-text.js';

/** Flattens nested class-validator errors into "field.sub: problem" lines. */
export function validationMessages(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((e) => {
    const path = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((m) =>
      // class-validator's "property x should not exist" reads better with the full path.
      m.startsWith(`${e.property} `) ? `${path}${m.slice(e.property.length)}` : m,
    );
    return [...own, ...validationMessages(e.children ?? [], path)];
  });
}

/**
 * Refuses text PostgreSQL cannot store in any string of any body or query,
 * whatever its DTO says, before the DTO's own rules run. Route params are left
 * to their own pipes (a malformed id answers 404 like a missing one).
 */
class SafeTextValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' || metadata.type === 'query') {
      const field = findUnsafeText(value, metadata.data ?? '');
      if (field !== undefined) {
        const message = `${field} ${UNSAFE_TEXT_MESSAGE}`;
        throw new BadRequestException({ message, details: [message] });
      }
    }
    return super.transform(value, metadata);
  }
}

/** Global validation: unsafe text and unknown fields are refused, payloads are transformed into DTO instances. */
export function createValidationPipe(): ValidationPipe {
  return new SafeTextValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => {
      const details = validationMessages(errors);
      return new BadRequestException({ message: details.join('; '), details });
    },
  });
}
