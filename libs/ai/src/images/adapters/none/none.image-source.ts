import { ImageSource, type ImageRequest } from '../../image-source.port.js';

/** IMAGE_PROVIDER=none: slides without pictures, text only, as before pictures existed. */
export class NoneImageSource extends ImageSource {
  readonly provider = 'none';
  readonly model = '';
  override readonly cacheable = false;

  find(request: ImageRequest): Promise<null> {
    request.signal?.throwIfAborted();
    return Promise.resolve(null);
  }
}
