import { BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';

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

/** Global validation: unknown fields are refused, payloads are transformed into DTO instances. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
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
