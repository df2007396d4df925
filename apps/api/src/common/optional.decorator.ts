import { ValidateIf, type ValidationOptions } from 'class-validator';

/**
 * Like @IsOptional, but only an absent field skips the rules: `null` is
 * validated (and refused by @IsString and friends), for fields whose column
 * cannot be null, where "absent" means "leave unchanged".
 */
export function IsOptionalNotNull(options?: ValidationOptions): PropertyDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== undefined, options);
}
