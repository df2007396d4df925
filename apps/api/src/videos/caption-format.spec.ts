import { BadRequestException } from '@nestjs/common';
import { parseCaptionFormat } from './caption-format.js';

describe('parseCaptionFormat', () => {
  it('defaults to WebVTT and accepts vtt and srt', () => {
    expect(parseCaptionFormat(undefined)).toBe('vtt');
    expect(parseCaptionFormat('vtt')).toBe('vtt');
    expect(parseCaptionFormat('srt')).toBe('srt');
  });

  it.each([['SRT'], [''], ['ass'], [['srt', 'vtt']], ['x'.repeat(500)]])('refuses %j with a 400 naming the formats', (value) => {
    let error: unknown;
    try {
      parseCaptionFormat(value);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BadRequestException);
    expect((error as BadRequestException).message).toMatch(/^format must be one of vtt, srt \(got /);
    expect((error as BadRequestException).message.length).toBeLessThan(80);
  });
});
