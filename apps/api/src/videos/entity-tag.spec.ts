import { noneMatch } from './entity-tag.js';

describe('noneMatch', () => {
  it('matches the tag alone, in a list, weak or strong, and *', () => {
    expect(noneMatch('"7.abc"', '"7.abc"')).toBe(true);
    expect(noneMatch('"1.x", W/"7.abc" ,"2.y"', '"7.abc"')).toBe(true);
    expect(noneMatch('*', '"7.abc"')).toBe(true);
  });

  it('does not match another tag, a tag without quotes, or no header', () => {
    expect(noneMatch('"8.abc"', '"7.abc"')).toBe(false);
    expect(noneMatch('7.abc', '"7.abc"')).toBe(false);
    expect(noneMatch(undefined, '"7.abc"')).toBe(false);
    expect(noneMatch('', '"7.abc"')).toBe(false);
  });
});
