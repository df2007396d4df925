import { buildChapterMetadata } from './chapters.js';

describe('buildChapterMetadata', () => {
  it('writes one millisecond-based chapter per slide, each starting where the last ended', () => {
    const text = buildChapterMetadata([
      { title: 'Bees', startSeconds: 0, endSeconds: 4.2505 },
      { title: 'Hives', startSeconds: 4.2505, endSeconds: 9.1 },
    ]);
    expect(text).toBe(
      ';FFMETADATA1\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=4251\ntitle=Bees\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=4251\nEND=9100\ntitle=Hives\n',
    );
  });

  it('escapes what FFMETADATA treats as syntax, so a title cannot add keys or sections', () => {
    const text = buildChapterMetadata([{ title: 'a=b; #c \\ d\n[CHAPTER]\r', startSeconds: 0, endSeconds: 1 }]);
    expect(text.split('\n').filter((l) => l === '[CHAPTER]')).toHaveLength(1);
    expect(text).toContain('title=a\\=b\\; \\#c \\\\ d [CHAPTER]\n');
  });

  it('names an empty title and never writes an empty or backwards chapter', () => {
    expect(buildChapterMetadata([{ title: '  ', startSeconds: 2, endSeconds: 2 }])).toContain('START=2000\nEND=2001\ntitle=Untitled');
  });
});
