import { ValidateBy, type ValidationOptions } from 'class-validator';

/** Length in UTF-8 bytes (what bcrypt counts), not in characters. */
export function ByteLengthBetween(min: number, max: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'byteLengthBetween',
      constraints: [min, max],
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string') return false;
          const bytes = Buffer.byteLength(value, 'utf8');
          return bytes >= min && bytes <= max;
        },
        defaultMessage: (args) => `${args?.property} must be between ${min} and ${max} bytes long (bcrypt uses at most ${max})`,
      },
    },
    options,
  );
}
