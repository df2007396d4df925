import type { ImageRequest } from './image-source.port.js';

/**
 * What the image models (Gemini, OpenAI) are asked for. The deck's `visual.prompt` says
 * what to show; models still like to letter a caption into the picture, which would
 * clash with the slide's own text and is often misspelt, hence the explicit "no text".
 */
export function imagePrompt(request: ImageRequest): string {
  const subject = request.prompt.trim() || request.keywords.join(', ');
  return (
    `An illustration for a presentation slide: ${subject}. ` +
    'Clean, simple composition with one clear subject and a plain background. ' +
    'No text, letters, numbers, captions, logos or watermarks anywhere in the picture.'
  );
}
