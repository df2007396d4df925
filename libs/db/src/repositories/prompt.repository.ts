import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Prompt } from '../entities/prompt.entity.js';

@Injectable()
export class PromptRepository {
  constructor(private readonly manager: EntityManager) {}

  findById(id: string): Promise<Prompt | null> {
    return this.manager.findOneBy(Prompt, { id });
  }

  /** For a prompt that must exist (its video was just read): a missing one is an error, not a 404. */
  getById(id: string): Promise<Prompt> {
    return this.manager.findOneByOrFail(Prompt, { id });
  }

  /** Deletes the prompt and, by cascade, its video, slides and voiceovers. */
  async deleteWithVideo(id: string): Promise<void> {
    await this.manager.query('DELETE FROM prompts WHERE id = $1', [id]);
  }
}
