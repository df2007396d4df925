/** What one video cost: returned as `usage` on the video resource. */
export interface Usage {
  llmInputTokens: number;
  llmOutputTokens: number;
  ttsCharacters: number;
  cacheHits: number;
  cacheMisses: number;
}

export const emptyUsage = (): Usage => ({
  llmInputTokens: 0,
  llmOutputTokens: 0,
  ttsCharacters: 0,
  cacheHits: 0,
  cacheMisses: 0,
});
