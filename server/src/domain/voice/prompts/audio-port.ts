/** The recording formats a tenant may upload. */
export type UploadedAudioFormat = "wav" | "mp3";

/**
 * Turns an uploaded recording into what the media server plays: 8 kHz mono 16-bit PCM WAV.
 * Sox by default (server/src/adapters/sox-audio.ts).
 */
export interface AudioConverter {
  /**
   * Converts the file at `input` (a WAV of any kind the converter reads, or an MP3) into `output`.
   * Refuses with UNSUPPORTED_MEDIA_TYPE (neither WAV nor MP3), AUDIO_INVALID (cannot be decoded,
   * or holds no sound), AUDIO_TRUNCATED (ends before its own header or last frame says it does),
   * SERVICE_UNAVAILABLE (the converter, or its MP3 support, is not installed); `output` is then
   * left behind for the caller to remove with its other temporary files.
   */
  toPhoneWav(input: string, output: string): Promise<{ format: UploadedAudioFormat; durationMs: number }>;
}
