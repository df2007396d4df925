import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { loadImage } from '@napi-rs/canvas';
import type { CaptionStyle } from '@app/common';
import type { AspectRatio } from './aspect-ratio.js';
import type { CaptionCue } from './caption-cues.js';
import { CaptionRenderer } from './caption-renderer.js';
import type { ImageChange } from './slide-shots.js';

/** What the screen shows from `atSeconds` on: a cue (with its highlighted word) or, without `cue`, the bare slide. */
export interface CaptionState {
  atSeconds: number;
  cue?: CaptionCue;
  /** Index into cue.words (word style). */
  highlight?: number;
}

/**
 * The caption states of one slide's cues, in time order: each cue from its start (phrase
 * style), or each of its words from the word's start (word style); the bare slide in the
 * gaps between cues.
 */
export function captionStates(cues: CaptionCue[], style: CaptionStyle): CaptionState[] {
  const states: CaptionState[] = [];
  cues.forEach((cue, k) => {
    if (style === 'word' && cue.words.length > 0) {
      // The first word is lit from the cue's start: the cue never shows with nothing lit.
      cue.words.forEach((w, i) => states.push({ atSeconds: i === 0 ? cue.startSeconds : w.startSeconds, cue, highlight: i }));
    } else states.push({ atSeconds: cue.startSeconds, cue });
    const next = cues[k + 1];
    if (!next || next.startSeconds > cue.endSeconds) states.push({ atSeconds: cue.endSeconds });
  });
  return states;
}

export interface BurnCaptionsInput {
  slides: { imagePath: string; startSeconds: number; endSeconds: number }[];
  cues: CaptionCue[];
  aspectRatio: AspectRatio;
  style: CaptionStyle;
  /** Where the caption images are written. */
  workDir: string;
}

/** Draws the caption states into copies of the slide images; the stitcher shows each from its time on. */
@Injectable()
export class CaptionBurner {
  constructor(private readonly renderer: CaptionRenderer) {}

  /** Per slide, its later images as offsets from the slide's start. */
  async burn(input: BurnCaptionsInput): Promise<ImageChange[][]> {
    const out: ImageChange[][] = [];
    // One slide at a time: only that slide's decoded image and one canvas are in memory.
    for (const [i, slide] of input.slides.entries()) {
      const states = captionStates(
        input.cues.filter((c) => c.slideIndex === i),
        input.style,
      );
      const changes: ImageChange[] = [];
      if (states.length > 0) {
        const base = await loadImage(await readFile(slide.imagePath));
        for (const [k, state] of states.entries()) {
          const offsetSeconds = state.atSeconds - slide.startSeconds;
          if (!state.cue) {
            changes.push({ imagePath: slide.imagePath, offsetSeconds });
            continue;
          }
          const imagePath = join(input.workDir, `caption-${String(i).padStart(3, '0')}-${String(k).padStart(4, '0')}.jpg`);
          await writeFile(imagePath, await this.renderer.render(base, input.aspectRatio, state.cue, state.highlight));
          changes.push({ imagePath, offsetSeconds });
        }
      }
      out.push(changes);
    }
    return out;
  }
}
