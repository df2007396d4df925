/** The video was deleted (or cancelled) while its job ran: the job stops and does nothing more. */
export class VideoGone extends Error {
  override readonly name = 'VideoGone';

  constructor(readonly videoId: string) {
    super(`video ${videoId} no longer exists`);
  }
}
