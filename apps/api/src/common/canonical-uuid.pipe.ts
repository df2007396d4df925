import { NotFoundException, type PipeTransform } from '@nestjs/common';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A UUID path param in its one canonical (lower-case) form. PostgreSQL compares
 * UUIDs regardless of case but storage keys and job ids are strings built from
 * the id: without this, DELETE /videos/<ID IN CAPITALS> removed the row and left
 * the files and jobs of the lower-case id behind. Anything that is not a UUID
 * cannot name a resource and answers 404, like a missing one.
 */
export class CanonicalUuidPipe implements PipeTransform<unknown, string> {
  constructor(private readonly notFound: string) {}

  transform(value: unknown): string {
    if (typeof value !== 'string' || !UUID.test(value)) throw new NotFoundException(this.notFound);
    return value.toLowerCase();
  }
}
