import type { VideoDto } from '@blinked/sdk';

/**
 * The video with its links made absolute: the API gives paths (`/api/v1/videos/…/file?sig=…`)
 * that only resolve against its own address, and whoever reads a tool's answer (a person
 * clicking, a model quoting) does not know that address. Concatenated, not resolved with
 * `new URL`, so a path prefix in BLINKED_API_URL (an api behind a proxy) is kept, as the SDK
 * keeps it for its own requests.
 */
export function withAbsoluteLinks(video: VideoDto, apiUrl: string): VideoDto {
  const absolute = <T extends string | null>(link: T): T => (typeof link === 'string' && link.startsWith('/') ? (`${apiUrl}${link}` as T) : link);
  const links = Object.fromEntries(Object.entries(video.links).map(([k, v]) => [k, absolute(v as string | null)]));
  return { ...video, links: links as VideoDto['links'] };
}
