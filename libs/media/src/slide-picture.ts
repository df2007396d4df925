/** The picture a slide shows beside its text, as the renderer receives it. */
export interface SlidePicture {
  /** `icon`: SVG markup drawn in the theme's accent colour; `image`: a photo or illustration. */
  kind: 'icon' | 'image';
  /** SVG markup (UTF-8) for an icon; PNG, JPEG or WebP bytes for an image. */
  data: Buffer;
  /** Credit drawn small on the slide, e.g. "Photo by Jane Doe on Pexels". */
  attribution?: string;
}
