import { sineMp3, sineWav } from '../../../../test/fakes/fake-google-tts.server.js';
import { joinMp3, joinWav, probeAudio, readPcmWav, wavDurationSeconds, writePcmWav } from './audio-join.js';

describe('WAV', () => {
  it('joins PCM under one correct header', async () => {
    const joined = joinWav([sineWav(0.5), sineWav(0.25)]);
    expect(joined.readUInt32LE(4)).toBe(joined.length - 8);
    expect(joined.readUInt32LE(40)).toBe(joined.length - 44);
    expect(wavDurationSeconds(joined)).toBeCloseTo(0.75, 6);
    expect((await probeAudio(joined, 'wav')).durationSeconds).toBeCloseTo(0.75, 3);
  });

  it('walks past extra chunks and tolerates a streamed (0-size) data chunk', () => {
    const plain = sineWav(0.1);
    const list = Buffer.concat([Buffer.from('LIST'), Buffer.from([3, 0, 0, 0]), Buffer.from('abc\0')]);
    const withList = Buffer.concat([plain.subarray(0, 36), list, plain.subarray(36)]);
    expect(readPcmWav(withList).pcm.length).toBe(plain.length - 44);
    const streamed = Buffer.from(plain);
    streamed.writeUInt32LE(0, 40);
    expect(wavDurationSeconds(streamed)).toBeCloseTo(0.1, 6);
  });

  it('refuses parts with different layouts and non-WAV input', () => {
    const other = writePcmWav({ ...readPcmWav(sineWav(0.1)), sampleRate: 16000 });
    expect(() => joinWav([sineWav(0.1), other])).toThrow(/WAV parts differ: 24000 Hz.*16000 Hz/);
    expect(() => readPcmWav(Buffer.from('ID3 not a wav file'))).toThrow(/not a RIFF\/WAVE/);
  });
});

describe('MP3', () => {
  it('joins encoder-made parts (ID3 + Xing each) into one MP3 whose duration is the sum', async () => {
    const parts = [await sineMp3(1.3), await sineMp3(2.1)];
    const single = await Promise.all(parts.map((p) => probeAudio(p, 'mp3')));
    const { audio, durationSeconds } = await joinMp3(parts);
    const count = (buf: Buffer, tag: string) => buf.toString('latin1').split(tag).length - 1;
    expect(parts.map((p) => count(p, 'ID3') + count(p, 'Info') + count(p, 'Xing'))).toEqual([2, 2]);
    // One leading tag and one Xing/Info frame for the whole file, none mid-stream.
    expect(count(audio, 'ID3')).toBeLessThanOrEqual(1);
    expect(count(audio, 'Info') + count(audio, 'Xing')).toBe(1);
    expect(durationSeconds).toBeCloseTo(single[0]!.durationSeconds + single[1]!.durationSeconds, 1);
    expect((await probeAudio(audio, 'mp3')).durationSeconds).toBeCloseTo(durationSeconds, 3);
  });

  it('refuses audio ffprobe cannot read', async () => {
    await expect(joinMp3([Buffer.from('not audio at all')])).rejects.toThrow();
  });
});
