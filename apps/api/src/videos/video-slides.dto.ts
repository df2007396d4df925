import { ApiProperty } from '@nestjs/swagger';
import { PICTURE_KINDS, type PictureKind, type SlidePictureInfo } from '@app/common';

export class SlideVisualDto implements SlidePictureInfo {
  @ApiProperty({ enum: PICTURE_KINDS, description: 'An icon, a photo or generated image, or none' }) kind: PictureKind;
  @ApiProperty({ example: 'tabler:bee', description: "Where the picture came from; '' for none" }) source: string;
  @ApiProperty({ type: String, nullable: true, example: 'Photo by Jane Doe on Pexels', description: 'Credit owed to show with the slide' })
  attribution: string | null;
}

export class VideoSlideDto {
  @ApiProperty({ type: 'integer', minimum: 1, description: '1-based position in the deck' }) number: number;
  @ApiProperty() title: string;
  @ApiProperty({ type: [String] }) bullets: string[];
  @ApiProperty({ description: 'What the voice says on this slide' }) narration: string;
  @ApiProperty({ type: Number, nullable: true, description: 'Where the slide starts in the video, in seconds; null until the video is made' })
  startSeconds: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Where it ends (the next slide starts here); null until the video is made' })
  endSeconds: number | null;
  @ApiProperty({ type: SlideVisualDto, nullable: true, description: 'The picture on the slide; null until the slide is rendered' })
  visual: SlideVisualDto | null;
}

export class VideoSlidesDto {
  @ApiProperty({ type: [VideoSlideDto], description: 'In order; empty until the deck is written' }) items: VideoSlideDto[];
}
