import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Put, Query, Res, UseGuards } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiExtraModels,
  ApiBearerAuth,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AllowSignedUrl, type AuthUser, CurrentUser, MediaAuthGuard } from '@app/auth';
import { VIDEOS_PATH } from '@app/common';
import { Storage } from '@app/storage';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { CanonicalUuidPipe } from '../common/canonical-uuid.pipe.js';
import { sendError } from '../common/http-error.filter.js';
import { parseRange } from './byte-range.js';
import { CAPTION_FORMATS, parseCaptionFormat } from './caption-format.js';
import { GenerateVideoDto, ListVideosQueryDto, UpdateVideoDto, VideoDeletedEventDto, VideoDto, VideoListDto } from './video.dto.js';
import { contentDisposition, type VideoAsset, VideosService } from './videos.service.js';
import { VideoEventsService } from './video-events.service.js';
import { VideoSlidesDto } from './video-slides.dto.js';
import { VideoSlidesService } from './video-slides.service.js';
import { VideoPoll } from './video-poll.service.js';
import { IDEMPOTENCY_KEY_HEADER, parseIdempotencyKey } from './idempotency-key.js';

// MEDIA_DELIVERY=redirect answers every media route this way instead.
const MediaRedirect = () =>
  ApiResponse({
    status: 302,
    description: 'With MEDIA_DELIVERY=redirect: Location is a short-lived presigned URL of the object store, which answers Range itself',
  });

// Lower-cased before anything derives keys from it; a malformed id is answered like a missing video.
const VideoId = () => Param('id', new CanonicalUuidPipe('Video not found'));

@ApiTags('videos')
@ApiBearerAuth()
@UseGuards(MediaAuthGuard)
@Controller('videos')
export class VideosController {
  constructor(
    private readonly videos: VideosService,
    private readonly events: VideoEventsService,
    private readonly slides: VideoSlidesService,
    private readonly storage: Storage,
    private readonly poll: VideoPoll,
  ) {}

  @Post('generate')
  @HttpCode(202)
  @ApiOperation({ summary: 'Queue a video to be made from a prompt' })
  @ApiAcceptedResponse({ type: VideoDto, headers: { Location: { description: 'URL of the new video', schema: { type: 'string' } } } })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'Kept 24 h per user: a repeat with the same key and the same body answers 202 with the same video (no second job); the same key with another body is 422',
    schema: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[\\x20-\\x7e]{1,200}$' },
  })
  @ApiErrors(400, 401, 413, 415, 422, 429, 503)
  async generate(
    @CurrentUser() user: AuthUser,
    @Body() dto: GenerateVideoDto,
    @Headers(IDEMPOTENCY_KEY_HEADER) idempotencyKey: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<VideoDto> {
    const video = await this.videos.generate(user.id, dto, parseIdempotencyKey(idempotencyKey));
    void reply.header('location', `${VIDEOS_PATH}/${video.id}`);
    return video;
  }

  @Get()
  @ApiOperation({ summary: "The caller's videos, newest first" })
  @ApiOkResponse({ type: VideoListDto })
  @ApiErrors(400, 401)
  list(@CurrentUser() user: AuthUser, @Query() query: ListVideosQueryDto): Promise<VideoListDto> {
    return this.videos.list(user.id, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One video: status, stage, progress and links' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader({
    name: 'If-None-Match',
    required: false,
    description: 'The ETag of the last answer: 304 with no body while the video and its links are unchanged (poll with it)',
  })
  @ApiOkResponse({
    type: VideoDto,
    headers: { ETag: { description: 'Changes whenever the body does (the video, or its links renewed)', schema: { type: 'string' } } },
  })
  @ApiResponse({
    status: 304,
    description: 'Not modified: the video is as the ETag in If-None-Match says',
    headers: { ETag: { description: 'The same ETag', schema: { type: 'string' } } },
  })
  @ApiErrors(401, 404)
  async get(
    @CurrentUser() user: AuthUser,
    @VideoId() id: string,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<FastifyReply> {
    const answer = await this.poll.answer(user, id, ifNoneMatch);
    // The JSON comes ready-made (VideoPoll); clients revalidate each time rather than reuse a copy.
    void reply.header('etag', answer.etag).header('cache-control', 'private, no-cache');
    if (answer.body === undefined) return reply.status(304).send();
    return reply.status(200).header('content-type', 'application/json; charset=utf-8').send(answer.body);
  }

  @Get(':id/slides')
  @ApiOperation({ summary: "The video's slides: title, bullets, narration, where each starts and ends, and its picture" })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: VideoSlidesDto })
  @ApiErrors(401, 404)
  listSlides(@CurrentUser() user: AuthUser, @VideoId() id: string): Promise<VideoSlidesDto> {
    return this.slides.list(user.id, id);
  }

  @Put(':id')
  @ApiOperation({ summary: "Change a video's title or description" })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: VideoDto })
  @ApiErrors(400, 401, 404, 413, 415)
  update(@CurrentUser() user: AuthUser, @VideoId() id: string, @Body() dto: UpdateVideoDto): Promise<VideoDto> {
    return this.videos.update(user.id, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a video: stops its work and removes its jobs, files and rows' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(401, 404)
  async remove(@CurrentUser() user: AuthUser, @VideoId() id: string): Promise<void> {
    await this.videos.remove(user.id, id);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Stop a video in progress: its running work stops, its queued jobs go; the video stays, cancelled' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: VideoDto })
  @ApiErrors(401, 404, 409)
  cancel(@CurrentUser() user: AuthUser, @VideoId() id: string): Promise<VideoDto> {
    return this.videos.cancel(user.id, id);
  }

  @Post(':id/retry')
  @HttpCode(202)
  @ApiOperation({ summary: 'Resume a failed or cancelled video from the stage that did not finish, reusing finished work' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiAcceptedResponse({ type: VideoDto })
  @ApiErrors(401, 404, 409, 503)
  retry(@CurrentUser() user: AuthUser, @VideoId() id: string): Promise<VideoDto> {
    return this.videos.retry(user.id, id);
  }

  @Get(':id/file')
  @AllowSignedUrl()
  @ApiOperation({ summary: 'The MP4 (supports HTTP Range, so players can seek)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader({ name: 'Range', required: false, description: 'e.g. bytes=0-1023' })
  @ApiQuery({ name: 'sig', required: false, description: 'Signed links (links.file) carry uid, expires and sig instead of a bearer token' })
  @ApiResponse({ status: 200, description: 'The whole file', content: { 'video/mp4': { schema: { type: 'string', format: 'binary' } } } })
  @ApiResponse({ status: 206, description: 'The requested byte range', content: { 'video/mp4': { schema: { type: 'string', format: 'binary' } } } })
  @MediaRedirect()
  @ApiErrors(401, 404, 409, 416)
  file(@CurrentUser() user: AuthUser, @VideoId() id: string, @Headers('range') range: string | undefined, @Res() reply: FastifyReply) {
    return this.sendAsset(user, id, 'file', range, reply);
  }

  @Get(':id/thumbnail')
  @AllowSignedUrl()
  @ApiOperation({ summary: 'A JPEG thumbnail' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, description: 'The thumbnail', content: { 'image/jpeg': { schema: { type: 'string', format: 'binary' } } } })
  @MediaRedirect()
  @ApiErrors(401, 404, 409, 416)
  thumbnail(@CurrentUser() user: AuthUser, @VideoId() id: string, @Headers('range') range: string | undefined, @Res() reply: FastifyReply) {
    return this.sendAsset(user, id, 'thumbnail', range, reply);
  }

  @Get(':id/captions')
  @AllowSignedUrl()
  @ApiOperation({ summary: 'Captions timed to the narration: WebVTT (default) or SubRip (`?format=srt`); the same cues either way' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiQuery({ name: 'format', required: false, enum: CAPTION_FORMATS, description: 'vtt (default) or srt' })
  @ApiResponse({
    status: 200,
    description: 'The captions',
    content: { 'text/vtt': { schema: { type: 'string' } }, 'application/x-subrip': { schema: { type: 'string' } } },
  })
  @MediaRedirect()
  @ApiErrors(400, 401, 404, 409, 416)
  captions(
    @CurrentUser() user: AuthUser,
    @VideoId() id: string,
    @Query('format') format: unknown,
    @Headers('range') range: string | undefined,
    @Res() reply: FastifyReply,
  ) {
    return this.sendAsset(user, id, parseCaptionFormat(format) === 'srt' ? 'subtitles' : 'captions', range, reply);
  }

  @Get(':id/events')
  @AllowSignedUrl()
  @ApiOperation({ summary: 'Server-sent events: a `progress` event on every change, ending with the final state' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiExtraModels(VideoDto, VideoDeletedEventDto)
  @ApiResponse({
    status: 200,
    description:
      'An event stream: `event: progress` with the video (VideoDto) on every change, the last one in a terminal status; `event: deleted` with `{id}` when the video is deleted meanwhile',
    // Typed data, so generated clients parse each event into a VideoDto (or the deleted notice).
    content: { 'text/event-stream': { schema: { anyOf: [{ $ref: getSchemaPath(VideoDto) }, { $ref: getSchemaPath(VideoDeletedEventDto) }] } } },
  })
  @ApiErrors(401, 404)
  async stream(@CurrentUser() user: AuthUser, @VideoId() id: string, @Res() reply: FastifyReply): Promise<void> {
    await this.events.stream(user.id, id, reply);
  }

  private async sendAsset(user: AuthUser, id: string, asset: VideoAsset, rangeHeader: string | undefined, reply: FastifyReply) {
    const a = await this.videos.asset(user.id, id, asset);
    // A file made on request (SubRip converted from an old video's WebVTT) has no stored object to redirect to.
    if (this.videos.redirectsMedia && !a.body) {
      // The store answers Range itself (206/416); the URL expires, so the redirect is never cached.
      return reply
        .status(302)
        .header('location', await this.videos.assetUrl(a))
        .header('cache-control', 'no-store')
        .send();
    }
    const range = parseRange(rangeHeader, a.size);
    void reply
      .header('accept-ranges', 'bytes')
      .header('content-type', a.contentType)
      .header('cache-control', 'private, max-age=3600')
      .header('last-modified', a.updatedAt.toUTCString())
      .header('content-disposition', contentDisposition(a.filename));
    if (range === 'unsatisfiable') {
      void reply.header('content-range', `bytes */${a.size}`);
      return sendError(reply, { status: 416, message: `Range not satisfiable: the file has ${a.size} bytes` });
    }
    if (range) {
      return reply
        .status(206)
        .header('content-range', `bytes ${range.start}-${range.end}/${a.size}`)
        .header('content-length', String(range.end - range.start + 1))
        .send(a.body ? a.body.subarray(range.start, range.end + 1) : await this.storage.read(a.key, range));
    }
    return reply
      .status(200)
      .header('content-length', String(a.size))
      .send(a.body ?? (await this.storage.read(a.key)));
  }
}
